// Multi-row writes for the pipeline's batches, as one statement each with one array
// parameter per column (unnest) or, for the hot ones, one JSON parameter of rows
// (json_to_recordset): building a statement with thousands of separate parameters costs
// more than the database's work for it, and node-postgres escapes array literals element by
// element in JavaScript (a fifth of a worker's allocations), where JSON.stringify is native.
import { sql, type SQL } from "drizzle-orm";
import type { StageSignal } from "../types.ts";
import type { Db } from "./db.ts";
import type { NewMessage } from "./messages.ts";
import type { PersistedState } from "./risk-states.ts";

/** One array parameter (not a list of parameters, which is what a bare array becomes). */
const arr = (values: unknown[]): SQL => sql`${sql.param(values)}`;

/** One JSON text parameter. */
const json = (text: string): SQL => sql`${sql.param(wellFormedJson(text))}::json`;
/** The same as jsonb: rows whose columns are jsonb are taken apart a third faster from it (the engine states). */
const jsonb = (text: string): SQL => sql`${sql.param(wellFormedJson(text))}::jsonb`;

// JSON.stringify writes a lone surrogate (half of an emoji cut off, say) as a \uD8xx escape,
// which PostgreSQL refuses for the whole statement; an array literal used to turn it into
// U+FFFD on the way out. Rare: checked with one scan, repaired by a parse and a rewrite.
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function wellFormedJson(text: string): string {
  if (!SURROGATE_ESCAPE.test(text)) return text;
  return JSON.stringify(JSON.parse(text), (_k, v: unknown) => (typeof v === "string" ? v.replace(LONE_SURROGATE, "\uFFFD") : v));
}

type Row = Record<string, unknown>;
function rowsOf(result: unknown): Row[] {
  return ((result as { rows?: Row[] }).rows ?? (result as Row[])) ?? [];
}

/** Which of these (channel row id, platform message id) are already stored, as `channelRowId:platformMessageId`. */
export async function storedMessageKeys(db: Db, list: { channelId: number; platformMessageId: string }[]): Promise<Set<string>> {
  const out = new Set<string>();
  if (!list.length) return out;
  const result = await db.execute(sql`
    select m.channel_id, m.platform_message_id from messages m
    join unnest(${arr(list.map((m) => m.channelId))}::int[], ${arr(list.map((m) => m.platformMessageId))}::text[]) as v(cid, pid)
      on m.channel_id = v.cid and m.platform_message_id = v.pid`);
  for (const r of rowsOf(result)) out.add(`${r.channel_id}:${r.platform_message_id}`);
  return out;
}

/** A scale-out worker's claim to write for these partitions (see bulkInsertScoredMessages). */
export interface Fence {
  owner: string;
  partitions: number[];
}

/** The fence did not hold: these partitions' leases are no longer this worker's. Nothing was written. */
export class FenceFailed extends Error {
  constructor(readonly partitions: number[]) {
    super(`leases no longer held: partitions ${partitions.join(", ")}`);
  }
}

/** A new message with the engine's verdict when it was scored here (null: stored unscored, e.g. exempt or handed over). */
export interface MessageWithVerdict {
  message: NewMessage;
  verdict: { score: number | null; lang: string | null; signals: StageSignal[] } | null;
}

/**
 * Inserts messages already scored, with their score and stage signals, in one statement
 * (duplicates skipped, their signals too): one write of each row instead of an insert
 * and an update. Engine states given in `states` are upserted by the same statement (one
 * round trip; on its own it is atomic, so a batch with nothing else to write needs no
 * transaction). Returns row ids of the new messages by `channelRowId:platformMessageId`.
 */
export async function bulkInsertScoredMessages(
  db: Db,
  list: MessageWithVerdict[],
  states?: { list: PersistedState[]; modelVersion: string },
  fence?: Fence,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!list.length && !fence) {
    if (states) await bulkSaveRiskStates(db, states.list, states.modelVersion);
    return out;
  }
  const st = states?.list ?? [];
  // The fence (scale-out): the worker's lease rows of these partitions, locked FOR SHARE until
  // the statement commits (a takeover waits for it); nothing is written unless all are held.
  const fenceCte = fence
    ? sql`fence as (select partition from leases where owner = ${fence.owner} and partition = any(${sql.param(fence.partitions)}::int[]) and expires_at > now() for share),
      fenced as (select count(*) = ${fence.partitions.length} as ok from fence), `
    : sql``;
  const guard = fence ? sql` where (select ok from fenced)` : sql``;
  const sig = list.flatMap((x) =>
    strongestSignals(x.verdict?.signals ?? []).map((s) => ({ cid: x.message.channelId, pid: x.message.platformMessageId, stage: s.stage, weight: s.weight, evidence: s.evidence, rule: s.rule })),
  );
  const result = await db.execute(sql`
    with ${fenceCte}ins as (
      insert into messages (channel_id, platform_message_id, author_id, sent_at, text, reply_to_platform_id, mentions, attachments, link, forwarded_from, score, lang, scored_at)
      select channel_id, platform_message_id, author_id, sent_at, text, reply_to, mentions, attachments, link, forwarded_from, score, lang, case when scored then now() end
      from json_to_recordset(${json(JSON.stringify(list.map(messageRow)))}) as v(channel_id int, platform_message_id text, author_id int, sent_at timestamptz,
        text text, reply_to text, mentions jsonb, attachments int, link text, forwarded_from text, score real, lang text, scored boolean, ord int)${guard}
      order by ord
      on conflict (channel_id, platform_message_id) do nothing
      returning id, channel_id, platform_message_id
    ), signals as (
      insert into message_signals (message_id, stage, weight, evidence, rule)
      select ins.id, s.stage, s.weight, s.evidence, s.rule
      from json_to_recordset(${json(JSON.stringify(sig))}) as s(cid int, pid text, stage text, weight real, evidence text, rule text)
      join ins on ins.channel_id = s.cid and ins.platform_message_id = s.pid
    )${st.length ? sql`, states as (${upsertRiskStates(st, states!.modelVersion, guard)})` : sql``}
    select id, channel_id, platform_message_id, null::int as held from ins${fence ? sql` union all select null, null, null, partition from fence` : sql``}`);
  const held = new Set<number>();
  for (const r of rowsOf(result)) {
    if (r.id === null || r.id === undefined) held.add(Number(r.held));
    else out.set(`${r.channel_id}:${r.platform_message_id}`, Number(r.id));
  }
  if (fence && fence.partitions.some((p) => !held.has(p))) throw new FenceFailed(fence.partitions.filter((p) => !held.has(p)));
  return out;
}

/** A message row for json_to_recordset (keys are the column names there). */
function messageRow(x: MessageWithVerdict, ord: number) {
  const m = x.message;
  return {
    channel_id: m.channelId,
    platform_message_id: m.platformMessageId,
    author_id: m.authorId,
    sent_at: m.sentAt.toISOString(),
    text: m.text,
    reply_to: m.replyToPlatformId ?? null,
    mentions: m.mentions ?? [],
    attachments: m.attachments ?? 0,
    link: m.link ?? null,
    forwarded_from: m.forwardedFrom ?? null,
    score: x.verdict?.score ?? null,
    lang: x.verdict?.lang ?? null,
    scored: x.verdict !== null,
    ord,
  };
}

/** States as a JSON array of rows; each state's own JSON goes in as it is (it is JSON already). */
function statesJson(states: PersistedState[]): string {
  let out = "[";
  for (let i = 0; i < states.length; i++) {
    const st = states[i]!;
    if (i) out += ",";
    out += `{"k":${JSON.stringify(st.key)},"kind":${JSON.stringify(st.kind)},"platform":${JSON.stringify(st.platform)},"score":${JSON.stringify(st.score ?? null)},"state":${st.json ?? JSON.stringify(st.state)}}`;
  }
  return out + "]";
}

/** One signal per (stage, rule): the strongest evidence wins when a rule fires twice. */
function strongestSignals(signals: StageSignal[]): StageSignal[] {
  if (signals.length < 2) return signals;
  const best = new Map<string, StageSignal>();
  for (const s of signals) {
    const k = `${s.stage}\u0000${s.rule}`;
    const prev = best.get(k);
    if (!prev || s.weight > prev.weight) best.set(k, s);
  }
  return [...best.values()];
}

/** The engine's verdicts on first-scored messages: scores in one statement, signals (strongest per stage and rule) in another. */
export async function bulkSaveAssessments(db: Db, list: { messageId: number; score: number | null; lang: string | null; signals: StageSignal[] }[]): Promise<void> {
  if (!list.length) return;
  await db.execute(sql`
    update messages m set score = v.score, lang = v.lang, scored_at = now()
    from unnest(${arr(list.map((a) => a.messageId))}::bigint[], ${arr(list.map((a) => a.score))}::real[], ${arr(list.map((a) => a.lang))}::text[]) as v(id, score, lang)
    where m.id = v.id`);
  const rows = list.flatMap((a) => strongestSignals(a.signals).map((s) => ({ messageId: a.messageId, ...s })));
  if (!rows.length) return;
  await db.execute(sql`
    insert into message_signals (message_id, stage, weight, evidence, rule)
    select * from unnest(${arr(rows.map((r) => r.messageId))}::bigint[], ${arr(rows.map((r) => r.stage))}::text[], ${arr(rows.map((r) => r.weight))}::real[],
      ${arr(rows.map((r) => r.evidence))}::text[], ${arr(rows.map((r) => r.rule))}::text[])`);
}

/** Upserts engine states (keys must be unique in `states`). */
/**
 * Rows per statement when many states are written at once (the periodic flush after a wave of
 * evictions held ~4,500): one statement of them ran ~150 ms, holding a pooled connection and
 * its row locks while the batches behind it waited for both.
 */
const STATES_PER_STATEMENT = 500;

export async function bulkSaveRiskStates(db: Db, states: PersistedState[], modelVersion: string): Promise<void> {
  for (let i = 0; i < states.length; i += STATES_PER_STATEMENT) {
    await db.execute(upsertRiskStates(states.slice(i, i + STATES_PER_STATEMENT), modelVersion));
  }
}

function upsertRiskStates(states: PersistedState[], modelVersion: string, guard: SQL = sql``): SQL {
  return sql`
    insert into risk_states (key, kind, platform, score, state, model_version)
    select k, kind, platform, score, state, ${modelVersion}::text
    from jsonb_to_recordset(${jsonb(statesJson(states))}) as v(k text, kind text, platform text, score real, state jsonb)${guard}
    on conflict (key) do update set kind = excluded.kind, platform = excluded.platform, score = excluded.score, state = excluded.state,
      model_version = excluded.model_version, updated_at = now()`;
}

/** What a batch of messages needs created or renamed: communities, channels (with their community's row id when known) and authors. */
export interface PlacesToUpsert {
  communities: { platform: string; platformId: string; name: string | null }[];
  channels: { platform: string; platformId: string; communityId: number | null; communityPlatformId: string; kind: string; name: string | null }[];
  participants: { platform: string; platformId: string; name: string | null }[];
}

/** Row ids by `platform:platformId`, per kind; for participants also whether they were new. */
export interface PlaceIds {
  communities: Map<string, number>;
  channels: Map<string, number>;
  participants: Map<string, { id: number; created: boolean }>;
}

/**
 * Communities, channels and participants of a batch upserted by one statement (one round
 * trip instead of one per kind). A channel whose community is upserted too takes its id from
 * that. Each list must hold a platform id at most once per platform.
 */
export async function bulkUpsertPlaces(db: Db, p: PlacesToUpsert): Promise<PlaceIds> {
  const out: PlaceIds = { communities: new Map(), channels: new Map(), participants: new Map() };
  if (!p.communities.length && !p.channels.length && !p.participants.length) return out;
  const { communities: cs, channels: chs, participants: ps } = p;
  const result = await db.execute(sql`
    with c as (
      insert into communities (platform, platform_id, name)
      select platform, pid, name from unnest(${arr(cs.map((c) => c.platform))}::text[], ${arr(cs.map((c) => c.platformId))}::text[], ${arr(cs.map((c) => c.name))}::text[]) as v(platform, pid, name)
      on conflict (platform, platform_id) do update set name = coalesce(excluded.name, communities.name)
      returning id, platform, platform_id
    ), ch as (
      insert into channels (community_id, platform, platform_id, kind, name)
      select coalesce(v.cid, c.id), v.platform, v.pid, v.kind, v.name
      from unnest(${arr(chs.map((c) => c.communityId))}::int[], ${arr(chs.map((c) => c.platform))}::text[], ${arr(chs.map((c) => c.communityPlatformId))}::text[],
        ${arr(chs.map((c) => c.platformId))}::text[], ${arr(chs.map((c) => c.kind))}::text[], ${arr(chs.map((c) => c.name))}::text[]) as v(cid, platform, cpid, pid, kind, name)
      left join c on c.platform = v.platform and c.platform_id = v.cpid
      on conflict (platform, platform_id) do update set name = coalesce(excluded.name, channels.name)
      returning id, platform, platform_id
    ), p as (
      insert into participants (platform, platform_id, display_name)
      select platform, pid, name from unnest(${arr(ps.map((x) => x.platform))}::text[], ${arr(ps.map((x) => x.platformId))}::text[], ${arr(ps.map((x) => x.name))}::text[]) as v(platform, pid, name)
      on conflict (platform, platform_id) do update set display_name =
        case when participants.erased_at is null then coalesce(excluded.display_name, participants.display_name) else null end
      returning id, platform, platform_id, (xmax = 0) as created
    )
    select 'c' as kind, id, platform, platform_id, false as created from c
    union all select 'h', id, platform, platform_id, false from ch
    union all select 'p', id, platform, platform_id, created from p`);
  for (const r of rowsOf(result)) {
    const key = `${r.platform}:${r.platform_id}`;
    if (r.kind === "c") out.communities.set(key, Number(r.id));
    else if (r.kind === "h") out.channels.set(key, Number(r.id));
    else out.participants.set(key, { id: Number(r.id), created: r.created === true });
  }
  return out;
}
