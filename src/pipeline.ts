// The one place where a message becomes a stored, scored message and, when a community's
// policy says so, a case, an alert and an outbox row. It knows no platform: adapters and
// the console call it through HavenService.
//
// Order: messages of one community are processed one after another (the engine is
// synchronous and keeps per-actor state across the community's channels); communities
// run side by side. Durability: the message, its scores, the engine state, the case
// change, the alert and its outbox row are written in one transaction. When the database
// is unavailable, work is held in memory (bounded) and written in order when it returns.
import { LRUCache } from "lru-cache";
import { decideAlert, type CaseMemory } from "./alerts/policy.ts";
import { enqueue, wakeCommunity } from "./alerts/outbox.ts";
import { applySettingsChange, DEFAULT_SETTINGS, type CommunitySettings } from "./config/settings.ts";
import type { Logger } from "./log.ts";
import { caseAlerts, lastAlertAt, latestAlert } from "./store/alerts.ts";
import { insertAlert } from "./store/alerts.ts";
import { recordAudit } from "./store/audit.ts";
import {
  addCaseNote,
  addCaseTargets,
  caseSummary,
  countOpenCases,
  decideCase,
  findOpenCase,
  getCaseRow,
  linkCaseMessages,
  openCase,
  recordCaseAlert,
  refKey,
  resolveMessageRefs,
  updateCaseEvidence,
} from "./store/cases.ts";
import { ensureParticipants, findChannel, findCommunity, upsertChannel, upsertCommunity, upsertParticipant } from "./store/communities.ts";
import type { Database, Db } from "./store/db.ts";
import { addLabel } from "./store/labels.ts";
import { findMessage, insertMessage, lastMessageId, markMessageDeleted, saveAssessment, updateMessageText } from "./store/messages.ts";
import { loadRiskStates, saveRiskStates, type PersistedState } from "./store/risk-states.ts";
import { changedKeys, loadSettings, saveSettingsRevision } from "./store/settings.ts";
import { createToken, resolveToken } from "./store/tokens.ts";
import { isTransientDbError } from "./store/transient.ts";
import { channels, communities, messages, participants } from "./store/schema.ts";
import { eq } from "drizzle-orm";
import {
  DECISIONS,
  HavenError,
  PLATFORM_ACTIONS,
  type ActionResult,
  type Actor,
  type AlertSink,
  type Assessment,
  type CaseStatus,
  type CaseSummary,
  type ChatMessage,
  type CommunityStatus,
  type Decision,
  type HavenService,
  type IngestResult,
  type MessageRef,
  type ModeratorAction,
  type Platform,
  type PlatformActionKind,
} from "./types.ts";

/** What the pipeline needs of the risk engine (src/engine's RiskEngine has this shape). */
export interface ScoringEngine {
  readonly modelVersion: string;
  observe(msg: ChatMessage): Assessment;
  keysFor(msg: ChatMessage): string[];
  isLoaded(key: string): boolean;
  hydrate(state: PersistedState): void;
  drainDirty(): PersistedState[];
}

export interface PipelineOptions {
  /** Messages held in memory while the database is unavailable; beyond it ingest rejects (retryable). */
  bufferLimit?: number;
  /** How long community/channel/participant ids and settings are cached. */
  cacheTtlMs?: number;
  /** First and longest pause between attempts to write held messages. */
  retryMinMs?: number;
  retryMaxMs?: number;
}

const DECISION_STATUS: Record<Decision, Exclude<CaseStatus, "open">> = {
  confirm: "confirmed",
  dismiss: "dismissed",
  escalate: "escalated",
};

interface Ids {
  community: number;
  channel: number;
  author: number;
}

/** A unit of work for one community. `run` is resumable: it keeps its progress so a retry after a failure continues. */
interface Job {
  key: string;
  what: string;
  run(): Promise<void>;
  failures: number;
  /** Edits and deletions are held past the bound: the platform would not send them again. */
  mustKeep?: boolean;
}

const actorLabel = (a: Actor) => `${a.via}:${a.id}`;

export class Pipeline implements HavenService {
  readonly sinks = new Map<Platform, AlertSink>();
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Work held while the database is unavailable, per community, in arrival order. */
  private readonly held = new Map<string, Job[]>();
  private heldCount = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private stateTimer: NodeJS.Timeout | null = null;
  /** Engine keys known to have no stored state (saves a lookup per message). */
  private readonly absent = new LRUCache<string, true>({ max: 200_000 });
  private retryDelay: number;
  private stopped = false;
  /** Engine states evicted or drained but not yet written. */
  private readonly unsaved = new Map<string, PersistedState>();
  private readonly ids: LRUCache<string, { id: number; name: string | null }>;
  private readonly channelCache: LRUCache<string, { id: number; communityId: number; communityKey: string; name: string | null }>;
  private readonly settingsCache: LRUCache<number, { settings: CommunitySettings; revision: number }>;
  private readonly opts: Required<PipelineOptions>;

  constructor(
    private readonly database: Database,
    private readonly engine: ScoringEngine,
    private readonly log: Logger,
    opts: PipelineOptions = {},
  ) {
    this.opts = {
      bufferLimit: opts.bufferLimit ?? 10_000,
      cacheTtlMs: opts.cacheTtlMs ?? 5_000,
      retryMinMs: opts.retryMinMs ?? 200,
      retryMaxMs: opts.retryMaxMs ?? 10_000,
    };
    this.retryDelay = this.opts.retryMinMs;
    this.ids = new LRUCache({ max: 50_000, ttl: 10 * 60_000 });
    this.channelCache = new LRUCache({ max: 20_000, ttl: 10 * 60_000 });
    this.settingsCache = new LRUCache({ max: 5_000, ttl: this.opts.cacheTtlMs });
  }

  private get db(): Db {
    return this.database.db;
  }

  /** Engine states the engine evicted from memory: written with the next transaction. */
  keepEvicted(state: PersistedState): void {
    this.absent.delete(state.key);
    this.unsaved.set(state.key, state);
    this.scheduleStateFlush();
  }

  // ── serial work per community, held work while the database is away ──────────────

  private serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => {});
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return next;
  }

  /** Runs a job in its community's order; if the database is unavailable the job is held and retried. Returns false when held. */
  private async submit(job: Job): Promise<boolean> {
    return this.serial(job.key, async () => {
      // Something of this community is already waiting: keep the order.
      if (this.held.get(job.key)?.length) {
        this.hold(job, job.mustKeep);
        return false;
      }
      try {
        await job.run();
        return true;
      } catch (err) {
        if (!isTransientDbError(err)) throw err;
        this.log.warn({ err: String(err), job: job.what }, "database unavailable: holding work in memory until it returns");
        this.hold(job, true);
        return false;
      }
    });
  }

  private hold(job: Job, force = false): void {
    if (!force && this.heldCount >= this.opts.bufferLimit) {
      throw new HavenError(
        `Haven's database is unavailable and ${this.heldCount} messages are already held in memory`,
        "store.unavailable",
        "redeliver this message later (retryable)",
      );
    }
    const list = this.held.get(job.key) ?? [];
    list.push(job);
    this.held.set(job.key, list);
    this.heldCount++;
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.flushHeld();
    }, this.retryDelay);
  }

  /** Writes held work, in order per community. Returns the number of jobs still held. */
  async flushHeld(): Promise<number> {
    let blocked = false;
    await Promise.all(
      [...this.held.keys()].map((key) =>
        this.serial(key, async () => {
          const list = this.held.get(key);
          while (list?.length) {
            const job = list[0]!;
            try {
              await job.run();
            } catch (err) {
              if (isTransientDbError(err)) {
                blocked = true;
                return;
              }
              job.failures++;
              if (job.failures < 5) {
                blocked = true;
                this.log.warn({ err: String(err), job: job.what }, "held work failed; will retry");
                return;
              }
              this.log.error({ err: String(err), job: job.what }, "held work failed 5 times and is dropped; redeliver it from the platform");
            }
            list.shift();
            this.heldCount--;
          }
          this.held.delete(key);
        }),
      ),
    );
    if (this.heldCount > 0) {
      this.retryDelay = blocked ? Math.min(this.opts.retryMaxMs, this.retryDelay * 2) : this.opts.retryMinMs;
      this.scheduleRetry();
    } else if (this.retryDelay !== this.opts.retryMinMs) {
      this.retryDelay = this.opts.retryMinMs;
      this.log.info("database is back: held messages written");
    }
    return this.heldCount;
  }

  get heldMessages(): number {
    return this.heldCount;
  }

  /** Waits for running work; keeps trying held work until `timeoutMs` passes. */
  async stop(timeoutMs = 5_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.heldCount > 0 && Date.now() < until) {
      if ((await this.flushHeld()) > 0) await new Promise((r) => setTimeout(r, Math.min(500, this.retryDelay)));
    }
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    await Promise.all([...this.queues.values()]);
    if (this.stateTimer) clearTimeout(this.stateTimer);
    this.stateTimer = null;
    await this.flushStates().catch((err) => this.log.warn({ err: String(err) }, "could not write engine state on stop; it is rebuilt from new messages"));
    if (this.heldCount > 0) this.log.error({ held: this.heldCount }, "stopping with messages the database never took; the platform must redeliver them");
  }

  // ── ids and settings, cached ──────────────────────────────────────────────────────

  private async resolveIds(msg: ChatMessage): Promise<Ids> {
    const ck = `${msg.platform}:${msg.communityId}`;
    let community = this.ids.get(`c:${ck}`);
    if (!community || (msg.communityName && msg.communityName !== community.name)) {
      community = { id: await upsertCommunity(this.db, msg.platform, msg.communityId, msg.communityName), name: msg.communityName ?? community?.name ?? null };
      this.ids.set(`c:${ck}`, community);
    }
    const chk = `${msg.platform}:${msg.channelId}`;
    let channel = this.channelCache.get(chk);
    if (!channel || (msg.channelName && msg.channelName !== channel.name)) {
      const id = await upsertChannel(this.db, community.id, msg.platform, msg.channelId, msg.channelKind, msg.channelName);
      channel = { id, communityId: community.id, communityKey: ck, name: msg.channelName ?? channel?.name ?? null };
      this.channelCache.set(chk, channel);
    }
    const pk = `p:${msg.platform}:${msg.authorId}`;
    let author = this.ids.get(pk);
    if (!author || (msg.authorName && msg.authorName !== author.name)) {
      author = { id: await upsertParticipant(this.db, msg.platform, msg.authorId, msg.authorName), name: msg.authorName ?? author?.name ?? null };
      this.ids.set(pk, author);
    }
    return { community: community.id, channel: channel.id, author: author.id };
  }

  private async settingsOf(communityId: number): Promise<{ settings: CommunitySettings; revision: number }> {
    const cached = this.settingsCache.get(communityId);
    if (cached) return cached;
    const loaded = await loadSettings(this.db, communityId);
    this.settingsCache.set(communityId, loaded);
    return loaded;
  }

  // ── ingest ────────────────────────────────────────────────────────────────────────

  async ingest(input: ChatMessage, context: { authorRoles?: string[] } = {}): Promise<IngestResult> {
    const msg = storable(input);
    const result: IngestResult = { stored: false, scored: false, assessment: null, alertIds: [] };
    let ids: Ids | undefined;
    let settings: CommunitySettings | undefined;
    let rowId: number | null | undefined;
    let assessment: Assessment | undefined;
    let states: PersistedState[] = [];
    let done = false;
    const job: Job = {
      key: `${msg.platform}:${msg.communityId}`,
      what: `message ${msg.platform}:${msg.channelId}/${msg.messageId}`,
      failures: 0,
      run: async () => {
        if (done) return;
        ids ??= await this.resolveIds(msg);
        settings ??= (await this.settingsOf(ids.community)).settings;
        const s = settings;
        const skip =
          s.mode === "off" ||
          s.exemptChannels.includes(msg.channelId) ||
          s.exemptUsers.includes(msg.authorId) ||
          (context.authorRoles ?? []).some((r) => s.exemptRoles.includes(r));
        if (skip) {
          rowId ??= await this.storeMessage(this.db, msg, ids);
          result.stored = rowId !== null;
          done = true;
          return;
        }
        const { channel, community, author } = ids;
        await this.hydrateFor(msg);
        let forget = () => {};
        await this.db.transaction(async (tx) => {
          const db = tx as unknown as Db;
          if (assessment === undefined) {
            const id = await this.storeMessage(db, msg, { channel, community, author });
            if (id === null) {
              rowId = null;
              return;
            }
            rowId = id;
            // Observed once per job: a retry after a failed write reuses the verdict. Its state
            // changes are taken at once, before another community's message is observed.
            assessment = this.engine.observe(msg);
            states = this.engine.drainDirty();
          } else if (rowId) {
            // Retrying after the transaction failed: the insert was normally rolled back too.
            const again = await this.storeMessage(db, msg, { channel, community, author });
            if (again !== null) rowId = again;
            else {
              // The commit went through after all (only its answer was lost): nothing to redo.
              const found = await findMessage(db, msg.platform, msg.channelId, msg.messageId);
              if (found?.scoredAt) return;
              if (found) rowId = found.id;
            }
          }
          if (!rowId) return;
          ({ alertIds: result.alertIds, forget } = await this.persistAssessment(db, msg, ids!, s, rowId, assessment, states, true));
        });
        forget();
        result.stored = rowId !== null;
        result.scored = rowId !== null;
        result.assessment = rowId !== null ? (assessment ?? null) : null;
        done = true;
      },
    };
    const ran = await this.submit(job);
    if (!ran) return { stored: true, scored: false, assessment: null, alertIds: [], buffered: true };
    return result;
  }

  private async storeMessage(db: Db, msg: ChatMessage, ids: Ids): Promise<number | null> {
    return insertMessage(db, {
      channelId: ids.channel,
      platformMessageId: msg.messageId,
      authorId: ids.author,
      sentAt: new Date(msg.ts),
      text: msg.text,
      replyToPlatformId: msg.replyToId ?? null,
      mentions: msg.mentions ?? [],
      attachments: msg.attachments ?? 0,
      link: msg.link ?? null,
      forwardedFrom: msg.forwardedFrom ?? null,
    });
  }

  /** Restores engine state the engine does not hold (evicted, or written by an earlier run). */
  private async hydrateFor(msg: ChatMessage): Promise<void> {
    // Restoring a conversation can reveal more keys (its pairs), and restoring one key can
    // evict another this message needs from a small cache: repeat until all are present.
    const looked = new Set<string>();
    for (let pass = 0; pass < 4; pass++) {
      const missing = this.engine.keysFor(msg).filter((k) => !this.engine.isLoaded(k) && !this.absent.has(k));
      if (!missing.length) return;
      const pending = missing.map((k) => this.unsaved.get(k)).filter((s): s is PersistedState => !!s);
      const lookup = missing.filter((k) => !this.unsaved.has(k) && !looked.has(k));
      for (const k of lookup) looked.add(k);
      const fromDb = await loadRiskStates(this.db, lookup, this.engine.modelVersion);
      const found = new Set(fromDb.map((s) => s.key));
      for (const k of lookup) if (!found.has(k)) this.absent.set(k, true);
      if (!pending.length && !fromDb.length) return;
      for (const s of [...pending, ...fromDb]) this.engine.hydrate(s);
    }
  }

  /** Scores, engine state, case, alert and outbox row for one scored message, in the caller's transaction. */
  private async persistAssessment(
    db: Db,
    msg: ChatMessage,
    ids: Ids,
    settings: CommunitySettings,
    rowId: number,
    assessment: Assessment,
    states: PersistedState[],
    fresh: boolean,
  ): Promise<{ alertIds: number[]; forget: () => void }> {
    await saveAssessment(db, rowId, assessment.top?.score ?? null, assessment.lang, assessment.signals, { replace: !fresh });
    let forget = () => {};
    // State that carries evidence is written with the message; bookkeeping of plain chat
    // (who spoke last, language counts) waits for the periodic flush, saving a write per message.
    if (assessment.signals.length > 0 || assessment.top) {
      // Older held versions of these keys are superseded.
      for (const st of states) this.unsaved.delete(st.key);
      forget = await this.writeStates(db, states);
    } else {
      for (const st of states) this.unsaved.set(st.key, st);
      this.scheduleStateFlush();
    }
    const alertIds = await this.updateCase(db, msg, ids, settings, rowId, assessment);
    return { alertIds, forget };
  }

  /** Writes engine states (by default all held ones); returns what to call once the transaction committed. */
  private async writeStates(db: Db, given?: PersistedState[]): Promise<() => void> {
    // Key order: concurrent writers lock rows in the same order and cannot deadlock.
    const states = (given ?? [...this.unsaved.values()]).slice().sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (!states.length) return () => {};
    await saveRiskStates(db, states, this.engine.modelVersion);
    // Forget them only once committed; a failed transaction keeps them for the retry.
    return () => {
      for (const s of states) {
        this.absent.delete(s.key);
        if (this.unsaved.get(s.key) === s) this.unsaved.delete(s.key);
      }
    };
  }

  private scheduleStateFlush(): void {
    if (this.unsaved.size >= 1_000) void this.flushStates().catch(() => {});
    if (this.stateTimer || this.stopped) return;
    this.stateTimer = setTimeout(() => {
      this.stateTimer = null;
      void this.flushStates().catch((err) => {
        this.log.warn({ err: String(err) }, "could not write engine state; will retry");
        this.scheduleStateFlush();
      });
    }, 1_000);
    this.stateTimer.unref?.();
  }

  /** Writes engine state held in memory (also done on stop). */
  async flushStates(): Promise<void> {
    const done = await this.writeStates(this.db);
    done();
  }

  private async updateCase(db: Db, msg: ChatMessage, ids: Ids, settings: CommunitySettings, rowId: number, assessment: Assessment): Promise<number[]> {
    const top = assessment.top;
    if (!top || top.score <= 0) return [];
    const actor = top.subject.actor;
    const suspectId = actor === msg.authorId ? ids.author : (await ensureParticipants(db, msg.platform, [actor])).get(actor)!;
    const existing = await findOpenCase(db, ids.community, suspectId);
    let memory: CaseMemory | null = null;
    if (existing) {
      const stages = new Set((await caseAlerts(db, existing.id)).flatMap((a) => a.stages));
      memory = { lastAlertScore: existing.lastAlertScore, lastAlertAt: existing.lastAlertAt?.getTime() ?? null, stages: [...stages] };
    }
    const decision = decideAlert(top, memory, settings, msg.ts);
    if (!existing && !decision.alert) return [];

    let kase = existing ?? (await openCase(db, { communityId: ids.community, suspectId, channelId: ids.channel, score: top.score, stages: [], lang: assessment.lang }));
    kase = await updateCaseEvidence(db, kase, top.score, top.stages);
    const targets = await ensureParticipants(db, msg.platform, top.targets.filter((t) => t !== actor));
    await addCaseTargets(db, kase.id, [...targets.values()]);
    const refs = await resolveMessageRefs(db, ids.community, top.reasons);
    const evidence = [...new Set(top.reasons.map((r) => refs.get(refKey(r))).filter((x): x is number => x !== undefined))];
    if (assessment.signals.length) evidence.push(rowId);
    await linkCaseMessages(db, kase.id, evidence);
    if (!decision.alert) return [];

    const mode = settings.mode === "shadow" ? "shadow" : "live";
    const alert = await insertAlert(db, {
      caseId: kase.id,
      communityId: ids.community,
      trigger: decision.trigger,
      mode,
      score: top.score,
      threshold: settings.threshold,
      stages: top.stages,
      reasons: top.reasons,
      modelVersion: this.engine.modelVersion,
      triggerMessageId: rowId,
    });
    await recordCaseAlert(db, kase.id, top.score, new Date(msg.ts));
    if (mode === "live") {
      await enqueue(db, msg.platform, `alert:${alert.id}`, { kind: "alert", alertId: alert.id, caseId: kase.id, communityId: ids.community });
    }
    this.log.info({ case: kase.id, alert: alert.id, trigger: decision.trigger, mode, score: top.score }, "alert raised");
    return [alert.id];
  }

  // ── edits and deletions ───────────────────────────────────────────────────────────

  private async channelOf(platform: Platform, channelId: string): Promise<{ id: number; communityId: number; communityKey: string } | null> {
    const cached = this.channelCache.get(`${platform}:${channelId}`);
    if (cached) return cached;
    const row = await findChannel(this.db, platform, channelId);
    if (!row) return null;
    const [c] = await this.db.select().from(communities).where(eq(communities.id, row.communityId)).limit(1);
    const found = { id: row.id, communityId: row.communityId, communityKey: `${platform}:${c!.platformId}`, name: null };
    this.channelCache.set(`${platform}:${channelId}`, found);
    return found;
  }

  /** The community queue a message ref belongs to; while the database is away and the channel is not cached, a queue of its own. */
  private async queueKeyOf(ref: MessageRef): Promise<string | null> {
    try {
      return (await this.channelOf(ref.platform, ref.channelId))?.communityKey ?? null;
    } catch (err) {
      if (isTransientDbError(err)) return `${ref.platform}:channel:${ref.channelId}`;
      throw err;
    }
  }

  async editMessage(ref: MessageRef, rawText: string, editedAt: number): Promise<IngestResult> {
    const text = withoutNul(rawText);
    const result: IngestResult = { stored: false, scored: false, assessment: null, alertIds: [] };
    const key = await this.queueKeyOf(ref);
    if (!key) return result;
    let assessment: Assessment | undefined;
    let states: PersistedState[] = [];
    let done = false;
    const ran = await this.submit({
      key,
      what: `edit ${ref.platform}:${ref.channelId}/${ref.messageId}`,
      failures: 0,
      mustKeep: true,
      run: async () => {
        if (done) return;
        const found = await findMessage(this.db, ref.platform, ref.channelId, ref.messageId);
        if (!found) {
          done = true;
          return;
        }
        const msg = await this.rebuildMessage(found.id, text);
        const { settings } = await this.settingsOf(found.communityId);
        const exempt =
          settings.mode === "off" || settings.exemptChannels.includes(msg.channelId) || settings.exemptUsers.includes(msg.authorId);
        if (!exempt) await this.hydrateFor(msg);
        let forget = () => {};
        await this.db.transaction(async (tx) => {
          const db = tx as unknown as Db;
          await updateMessageText(db, found.id, text, new Date(editedAt));
          result.stored = true;
          if (exempt) return;
          if (!assessment) {
            assessment = this.engine.observe(msg);
            states = this.engine.drainDirty();
          }
          const ids = { community: found.communityId, channel: found.channelId, author: found.authorId };
          ({ alertIds: result.alertIds, forget } = await this.persistAssessment(db, msg, ids, settings, found.id, assessment, states, false));
          result.scored = true;
          result.assessment = assessment;
        });
        forget();
        done = true;
      },
    });
    if (!ran) return { stored: true, scored: false, assessment: null, alertIds: [], buffered: true };
    return result;
  }

  /** The stored message as the engine saw it, with new text. */
  private async rebuildMessage(messageId: number, text: string): Promise<ChatMessage> {
    const [row] = await this.db
      .select({ m: messages, ch: channels, c: communities, author: participants.platformId })
      .from(messages)
      .innerJoin(channels, eq(channels.id, messages.channelId))
      .innerJoin(communities, eq(communities.id, channels.communityId))
      .innerJoin(participants, eq(participants.id, messages.authorId))
      .where(eq(messages.id, messageId))
      .limit(1);
    const r = row!;
    return {
      platform: r.ch.platform as Platform,
      communityId: r.c.platformId,
      channelId: r.ch.platformId,
      channelKind: r.ch.kind,
      messageId: r.m.platformMessageId,
      authorId: r.author,
      text,
      ts: r.m.sentAt.getTime(),
      replyToId: r.m.replyToPlatformId,
      mentions: r.m.mentions,
      attachments: r.m.attachments,
      link: r.m.link,
      forwardedFrom: r.m.forwardedFrom,
    };
  }

  async deleteMessage(ref: MessageRef, deletedAt: number): Promise<void> {
    const key = await this.queueKeyOf(ref);
    if (!key) return;
    await this.submit({
      key,
      what: `delete ${ref.platform}:${ref.channelId}/${ref.messageId}`,
      failures: 0,
      mustKeep: true,
      run: async () => {
        const found = await findMessage(this.db, ref.platform, ref.channelId, ref.messageId);
        // The text stays: deleting messages is itself a warning sign, and retention purges it later.
        if (found) await markMessageDeleted(this.db, found.id, new Date(deletedAt));
      },
    });
  }

  // ── moderator actions ─────────────────────────────────────────────────────────────

  async act(action: ModeratorAction): Promise<ActionResult> {
    const kase = await getCaseRow(this.db, action.caseId);
    if (!kase) return { ok: false, reason: "not_found", message: `case ${action.caseId} not found` };
    const [community] = await this.db.select().from(communities).where(eq(communities.id, kase.communityId)).limit(1);
    if (!community) return { ok: false, reason: "not_found", message: `case ${action.caseId} not found` };
    if (action.scope && (action.scope.platform !== community.platform || action.scope.communityId !== community.platformId)) {
      return { ok: false, reason: "not_found", message: `case ${action.caseId} not found in this community` };
    }
    const who = actorLabel(action.actor);
    const platform = community.platform as Platform;

    if ((DECISIONS as readonly string[]).includes(action.kind)) {
      const kind = action.kind as Decision;
      if (!action.actor.rights.includes("decide")) {
        return { ok: false, reason: "forbidden", message: `${who} may not decide on cases (needs the "decide" right)` };
      }
      const status = DECISION_STATUS[kind];
      if (kase.status === status) return { ok: true, caseId: kase.id, status, message: `case ${kase.id} is already ${status}` };
      await this.db.transaction(async (tx) => {
        const db = tx as unknown as Db;
        await decideCase(db, kase.id, status, who);
        const labelId = await addLabel(db, { caseId: kase.id, label: kind === "dismiss" ? "benign" : "grooming", source: "moderator", actor: who });
        if (action.note) await addCaseNote(db, kase.id, who, action.note);
        await recordAudit(db, {
          actor: who,
          action: "case.decide",
          communityId: kase.communityId,
          subject: `case:${kase.id}`,
          details: { decision: kind, from: kase.status, to: status, label: labelId, ...(action.note ? { note: true } : {}) },
        });
        await enqueue(db, platform, `decision:${kase.id}:${labelId}`, { kind: "decision", caseId: kase.id, communityId: kase.communityId });
      });
      return { ok: true, caseId: kase.id, status, message: `case ${kase.id} ${status} by ${action.actor.name ?? who}` };
    }

    if (!(PLATFORM_ACTIONS as readonly string[]).includes(action.kind)) {
      return { ok: false, reason: "invalid", message: `unknown action ${String(action.kind)}` };
    }
    const kind = action.kind as PlatformActionKind;
    const { settings } = await loadSettings(this.db, kase.communityId);
    if (!settings.platformActions.includes(kind)) {
      return { ok: false, reason: "not_enabled", message: `${kind} is not enabled for this community (settings.platformActions)` };
    }
    if (!action.actor.rights.includes(kind)) {
      return { ok: false, reason: "forbidden", message: `${who} may not ${kind} (needs the "${kind}" right)` };
    }
    const [suspect] = await this.db.select().from(participants).where(eq(participants.id, kase.suspectId)).limit(1);
    const act: { kind: PlatformActionKind; communityId: string; userId: string; channelId?: string; messageId?: string; durationSeconds?: number } = {
      kind,
      communityId: community.platformId,
      userId: suspect!.platformId,
    };
    if (kind === "timeout") act.durationSeconds = settings.timeoutMinutes * 60;
    if (kind === "delete") {
      const alert = await latestAlert(this.db, kase.id);
      const target = alert?.triggerMessageId
        ? (await this.db.select({ id: messages.platformMessageId, channel: channels.platformId }).from(messages).innerJoin(channels, eq(channels.id, messages.channelId)).where(eq(messages.id, alert.triggerMessageId)).limit(1))[0]
        : undefined;
      if (!target) return { ok: false, reason: "invalid", message: `case ${kase.id} has no message to delete` };
      act.channelId = target.channel;
      act.messageId = target.id;
    }
    let fresh = false;
    await this.db.transaction(async (tx) => {
      const db = tx as unknown as Db;
      fresh = await enqueue(db, platform, `action:${kase.id}:${kind}:${who}`, { kind: "platform_action", caseId: kase.id, communityId: kase.communityId, action: act });
      if (!fresh) return;
      if (action.note) await addCaseNote(db, kase.id, who, action.note);
      await recordAudit(db, { actor: who, action: `case.${kind}`, communityId: kase.communityId, subject: `case:${kase.id}`, details: { ...act } });
    });
    return {
      ok: true,
      caseId: kase.id,
      status: kase.status,
      message: fresh ? `${kind} of ${suspect!.displayName ?? suspect!.platformId} requested` : `${kind} was already requested`,
    };
  }

  async addNote(caseId: number, text: string, actor: Actor, scope?: { platform: Platform; communityId: string }): Promise<boolean> {
    if (!actor.rights.includes("decide")) throw new HavenError(`${actorLabel(actor)} may not add notes`, "auth.forbidden", 'needs the "decide" right');
    const summary = await caseSummary(this.db, caseId, scope);
    if (!summary) return false;
    const kase = (await getCaseRow(this.db, caseId))!;
    await this.db.transaction(async (tx) => {
      const db = tx as unknown as Db;
      await addCaseNote(db, caseId, actorLabel(actor), text);
      await recordAudit(db, { actor: actorLabel(actor), action: "case.note", communityId: kase.communityId, subject: `case:${caseId}` });
    });
    return true;
  }

  // ── settings and status ───────────────────────────────────────────────────────────

  async getSettings(platform: Platform, communityId: string): Promise<CommunitySettings> {
    const c = await findCommunity(this.db, platform, communityId);
    if (!c) return communityDefaults();
    return (await this.settingsOf(c.id)).settings;
  }

  async changeSettings(platform: Platform, communityId: string, change: Record<string, unknown>, actor: Actor): Promise<CommunitySettings> {
    if (!actor.rights.includes("configure")) {
      throw new HavenError(`${actorLabel(actor)} may not change settings`, "auth.forbidden", 'needs the "configure" right');
    }
    const id = await upsertCommunity(this.db, platform, communityId);
    const next = await this.db.transaction(async (tx) => {
      const db = tx as unknown as Db;
      const current = await loadSettings(db, id);
      const updated = applySettingsChange(current.settings, change);
      const changed = changedKeys(current.settings, updated);
      if (!changed.length) return updated;
      const revision = await saveSettingsRevision(db, id, updated, changed, actorLabel(actor));
      await recordAudit(db, { actor: actorLabel(actor), action: "settings.change", communityId: id, subject: `community:${platform}:${communityId}`, details: { revision, changed } });
      if (changed.includes("modChannel")) await wakeCommunity(db, id);
      return updated;
    });
    this.settingsCache.delete(id);
    return next;
  }

  async status(platform: Platform, communityId: string): Promise<CommunityStatus> {
    const c = await findCommunity(this.db, platform, communityId);
    if (!c) return { settings: communityDefaults(), revision: 0, openCases: 0, lastAlertAt: null };
    const { settings, revision } = await loadSettings(this.db, c.id);
    return { settings, revision, openCases: await countOpenCases(this.db, c.id), lastAlertAt: await lastAlertAt(this.db, c.id) };
  }

  async getCase(caseId: number, scope: { platform: Platform; communityId: string }): Promise<CaseSummary | null> {
    return caseSummary(this.db, caseId, scope);
  }

  async lastMessageId(platform: Platform, channelId: string): Promise<string | null> {
    return lastMessageId(this.db, platform, channelId);
  }

  registerSink(sink: AlertSink): void {
    this.sinks.set(sink.platform, sink);
  }

  createToken(purpose: string, payload: Record<string, unknown>, ttlSeconds: number | null): Promise<string> {
    return createToken(this.db, purpose, payload, ttlSeconds);
  }

  resolveToken(token: string, purpose: string, consume = false): Promise<Record<string, unknown> | null> {
    return resolveToken(this.db, token, purpose, consume);
  }
}

/** PostgreSQL text and jsonb cannot hold U+0000; a message carrying it must still be stored. */
function withoutNul(s: string): string {
  return s.includes("\u0000") ? s.replaceAll("\u0000", "") : s;
}

function storable(msg: ChatMessage): ChatMessage {
  const fields = [msg.text, msg.authorName, msg.channelName, msg.communityName];
  if (!fields.some((f) => f?.includes("\u0000"))) return msg;
  return {
    ...msg,
    text: withoutNul(msg.text),
    ...(msg.authorName !== undefined ? { authorName: withoutNul(msg.authorName) } : {}),
    ...(msg.channelName !== undefined ? { channelName: withoutNul(msg.channelName) } : {}),
    ...(msg.communityName !== undefined ? { communityName: withoutNul(msg.communityName) } : {}),
  };
}

function communityDefaults(): CommunitySettings {
  return DEFAULT_SETTINGS;
}
