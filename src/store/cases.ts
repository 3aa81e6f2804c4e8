// Cases: one open case per (community, suspect), grouping the alerts about that suspect
// and the children approached. Decided cases keep who decided and when.
import { and, asc, count, eq, inArray, sql } from "drizzle-orm";
import type { CaseStatus, CaseSummary, Platform, Stage } from "../types.ts";
import type { Db } from "./db.ts";
import { alerts, caseMessages, caseNotes, caseTargets, cases, channels, communities, messageSignals, messages, participants } from "./schema.ts";

export type CaseRow = typeof cases.$inferSelect;

export async function getCaseRow(db: Db, caseId: number): Promise<CaseRow | null> {
  const rows = await db.select().from(cases).where(eq(cases.id, caseId)).limit(1);
  return rows[0] ?? null;
}

export async function findOpenCase(db: Db, communityId: number, suspectId: number): Promise<CaseRow | null> {
  const rows = await db
    .select()
    .from(cases)
    .where(and(eq(cases.communityId, communityId), eq(cases.suspectId, suspectId), eq(cases.status, "open")))
    .orderBy(asc(cases.id))
    .limit(1);
  return rows[0] ?? null;
}

/** Open cases of many (community, suspect) pairs in one query: the oldest of each, as findOpenCase. */
export async function findOpenCases(db: Db, pairs: { communityId: number; suspectId: number }[]): Promise<CaseRow[]> {
  if (!pairs.length) return [];
  const list = sql.join(
    pairs.map((p) => sql`(${p.communityId}::int, ${p.suspectId}::int)`),
    sql`, `,
  );
  return db
    .selectDistinctOn([cases.communityId, cases.suspectId])
    .from(cases)
    .where(and(eq(cases.status, "open"), sql`(${cases.communityId}, ${cases.suspectId}) in (${list})`))
    .orderBy(asc(cases.communityId), asc(cases.suspectId), asc(cases.id));
}

/** Score and stages of several cases (as updateCaseEvidence computed them) in one statement. */
export async function saveCasesEvidence(db: Db, rows: { id: number; score: number; stages: Stage[] }[]): Promise<void> {
  if (!rows.length) return;
  const values = sql.join(
    rows.map((r) => sql`(${r.id}::int, ${r.score}::real, ${JSON.stringify(r.stages)}::jsonb)`),
    sql`, `,
  );
  await db.execute(sql`update ${cases} c set score = v.score, stages = v.stages, updated_at = now() from (values ${values}) as v(id, score, stages) where c.id = v.id`);
}

/** Evidence links of several cases in one statement. */
export async function linkCasesMessages(db: Db, links: { caseId: number; messageId: number }[]): Promise<void> {
  if (!links.length) return;
  await db.insert(caseMessages).values(links).onConflictDoNothing();
}

/** A case's score and stages after new evidence: the highest score, stages in first-seen order. */
export function mergeEvidence(row: CaseRow, score: number, stages: Stage[]): { score: number; stages: Stage[] } {
  const merged = [...row.stages];
  for (const s of stages) if (!merged.includes(s)) merged.push(s);
  return { score: Math.max(row.score, score), stages: merged };
}

export async function openCase(
  db: Db,
  c: { communityId: number; suspectId: number; channelId: number | null; score: number; stages: Stage[]; lang: string | null },
): Promise<CaseRow> {
  const rows = await db
    .insert(cases)
    .values({ communityId: c.communityId, suspectId: c.suspectId, channelId: c.channelId, score: c.score, stages: c.stages, lang: c.lang })
    .returning();
  return rows[0]!;
}

/** New evidence on a case: the score is the highest seen, stages accumulate in first-seen order. */
export async function updateCaseEvidence(db: Db, row: CaseRow, score: number, stages: Stage[]): Promise<CaseRow> {
  const next = mergeEvidence(row, score, stages);
  const rows = await db
    .update(cases)
    .set({ score: next.score, stages: next.stages, updatedAt: sql`now()` })
    .where(eq(cases.id, row.id))
    .returning();
  return rows[0]!;
}

export async function addCaseTargets(db: Db, caseId: number, participantIds: number[]): Promise<void> {
  if (!participantIds.length) return;
  await db
    .insert(caseTargets)
    .values([...new Set(participantIds)].map((participantId) => ({ caseId, participantId })))
    .onConflictDoNothing();
}

export async function linkCaseMessages(db: Db, caseId: number, messageIds: number[]): Promise<void> {
  if (!messageIds.length) return;
  await db
    .insert(caseMessages)
    .values([...new Set(messageIds)].map((messageId) => ({ caseId, messageId })))
    .onConflictDoNothing();
}

export async function decideCase(db: Db, caseId: number, status: Exclude<CaseStatus, "open">, decidedBy: string): Promise<void> {
  await db
    .update(cases)
    .set({ status, decidedBy, decidedAt: sql`now()`, updatedAt: sql`now()` })
    .where(eq(cases.id, caseId));
}

export async function addCaseNote(db: Db, caseId: number, author: string, text: string): Promise<number> {
  const rows = await db.insert(caseNotes).values({ caseId, author, text }).returning({ id: caseNotes.id });
  return rows[0]!.id;
}

export async function caseNotesOf(db: Db, caseId: number) {
  return db.select().from(caseNotes).where(eq(caseNotes.caseId, caseId)).orderBy(asc(caseNotes.id));
}

export async function caseTargetsOf(db: Db, caseId: number): Promise<{ participantId: number; id: string; name: string | null }[]> {
  return db
    .select({ participantId: participants.id, id: participants.platformId, name: participants.displayName })
    .from(caseTargets)
    .innerJoin(participants, eq(participants.id, caseTargets.participantId))
    .where(eq(caseTargets.caseId, caseId))
    .orderBy(asc(participants.id));
}

export async function countOpenCases(db: Db, communityId: number): Promise<number> {
  const rows = await db
    .select({ n: count() })
    .from(cases)
    .where(and(eq(cases.communityId, communityId), eq(cases.status, "open")));
  return Number(rows[0]?.n ?? 0);
}

/** A case as moderators see it; null when it does not exist or belongs to another community. */
export async function caseSummary(db: Db, caseId: number, scope?: { platform: Platform; communityId: string }): Promise<CaseSummary | null> {
  const rows = await db
    .select({
      c: cases,
      platform: communities.platform,
      communityPlatformId: communities.platformId,
      suspectId: participants.platformId,
      suspectName: participants.displayName,
    })
    .from(cases)
    .innerJoin(communities, eq(communities.id, cases.communityId))
    .innerJoin(participants, eq(participants.id, cases.suspectId))
    .where(eq(cases.id, caseId))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  if (scope && (scope.platform !== row.platform || scope.communityId !== row.communityPlatformId)) return null;
  const targets = await caseTargetsOf(db, caseId);
  const n = await db.select({ n: count() }).from(alerts).where(eq(alerts.caseId, caseId));
  return {
    id: row.c.id,
    platform: row.platform as Platform,
    communityId: row.communityPlatformId,
    status: row.c.status,
    score: row.c.score,
    stages: row.c.stages,
    suspect: { id: row.suspectId, name: row.suspectName },
    targets: targets.map((t) => ({ id: t.id, name: t.name })),
    openedAt: row.c.openedAt.getTime(),
    decidedBy: row.c.decidedBy,
    alerts: Number(n[0]?.n ?? 0),
  };
}

/**
 * Row ids of messages the engine named (conversation id + platform message id) within a
 * community. The conversation id is the channel's platform id; when it is not, any
 * channel of the community with that message id matches.
 */
export async function resolveMessageRefs(
  db: Db,
  communityId: number,
  refs: { conversationId: string; messageId: string }[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const ids = [...new Set(refs.map((r) => r.messageId))];
  if (!ids.length) return out;
  const rows = await db
    .select({ id: messages.id, platformMessageId: messages.platformMessageId, channel: channels.platformId })
    .from(messages)
    .innerJoin(channels, eq(channels.id, messages.channelId))
    .where(and(eq(channels.communityId, communityId), inArray(messages.platformMessageId, ids)));
  for (const r of refs) {
    const exact = rows.find((x) => x.platformMessageId === r.messageId && x.channel === r.conversationId);
    const any = exact ?? rows.find((x) => x.platformMessageId === r.messageId);
    if (any) out.set(refKey(r), any.id);
  }
  return out;
}

export const refKey = (r: { conversationId: string; messageId: string }) => `${r.conversationId}\u0000${r.messageId}`;

/** Participant row ids of a case's targets. */
export async function caseTargetIds(db: Db, caseId: number): Promise<number[]> {
  const rows = await db.select({ id: caseTargets.participantId }).from(caseTargets).where(eq(caseTargets.caseId, caseId));
  return rows.map((r) => r.id);
}

/**
 * Links to a case every message of the suspect in the community that carried a warning
 * sign, and, in each channel where the case has evidence, every message of the suspect or
 * the targets (`people`) from the first linked one up to `until`: the conversation around
 * the evidence, which retention then keeps with the case.
 */
/**
 * linkCaseConversation in one statement, with links still pending in the transaction
 * written first (`pending`, any cases) and the case's targets read from case_targets: the
 * statement sees the rows its first parts insert through their RETURNING, not through the table.
 */
export async function linkCaseConversationWith(
  db: Db,
  a: { caseId: number; communityId: number; suspectId: number; until: Date; pending: { caseId: number; messageId: number }[] },
): Promise<void> {
  const { caseId, pending } = a;
  await db.execute(sql`
    with pending as (
      insert into ${caseMessages} (case_id, message_id)
      select distinct c, m from unnest(${sql.param(pending.map((l) => l.caseId))}::int[], ${sql.param(pending.map((l) => l.messageId))}::bigint[]) as v(c, m)
      on conflict do nothing
      returning case_id, message_id
    ), sig as (
      insert into ${caseMessages} (case_id, message_id)
      select distinct ${caseId}::int, m.id from ${messages} m
      join ${channels} ch on ch.id = m.channel_id
      where ch.community_id = ${a.communityId} and m.author_id = ${a.suspectId} and m.sent_at <= ${a.until}
        and exists (select 1 from ${messageSignals} s where s.message_id = m.id)
      on conflict do nothing
      returning message_id
    ), linked as (
      select message_id from ${caseMessages} where case_id = ${caseId}
      union select message_id from pending where case_id = ${caseId}
      union select message_id from sig
    ), r as (
      select m2.channel_id, min(m2.sent_at) as first from linked join ${messages} m2 on m2.id = linked.message_id group by m2.channel_id
    )
    insert into ${caseMessages} (case_id, message_id)
    select ${caseId}::int, m.id from ${messages} m
    join r on r.channel_id = m.channel_id
    where (m.author_id = ${a.suspectId} or m.author_id in (select participant_id from ${caseTargets} where case_id = ${caseId}))
      and m.sent_at >= r.first and m.sent_at <= ${a.until}
    on conflict do nothing`);
}

export async function linkCaseConversation(db: Db, caseId: number, communityId: number, suspectId: number, people: number[], until: Date): Promise<void> {
  await db.execute(sql`
    insert into ${caseMessages} (case_id, message_id)
    select distinct ${caseId}::int, m.id from ${messages} m
    join ${channels} ch on ch.id = m.channel_id
    where ch.community_id = ${communityId} and m.author_id = ${suspectId} and m.sent_at <= ${until}
      and exists (select 1 from ${messageSignals} s where s.message_id = m.id)
    on conflict do nothing`);
  const ids = sql.join(people.map((p) => sql`${p}::int`), sql`, `);
  await db.execute(sql`
    insert into ${caseMessages} (case_id, message_id)
    select ${caseId}::int, m.id from ${messages} m
    join (
      select m2.channel_id, min(m2.sent_at) as first from ${caseMessages} cm
      join ${messages} m2 on m2.id = cm.message_id
      where cm.case_id = ${caseId}
      group by m2.channel_id
    ) r on r.channel_id = m.channel_id
    where m.author_id in (${ids}) and m.sent_at >= r.first and m.sent_at <= ${until}
    on conflict do nothing`);
}
