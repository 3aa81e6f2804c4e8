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
import { buildPlatformAction, requestAutoActions } from "./alerts/platform-action.ts";
import { applySettingsChange, DEFAULT_SETTINGS, type CommunitySettings } from "./config/settings.ts";
import type { Logger } from "./log.ts";
import { caseAlertChannels, caseAlerts, lastAlertAt } from "./store/alerts.ts";
import { raiseAlert } from "./store/alerts.ts";
import { recordAudit } from "./store/audit.ts";
import {
  addCaseNote,
  addCaseTargets,
  caseSummary,
  countOpenCases,
  decideCase,
  getCaseRow,
  caseTargetIds,
  caseTargetsOf,
  linkCaseConversation,
  linkCaseConversationWith,
  openCase,
  refKey,
  resolveMessageRefs,
} from "./store/cases.ts";
import { ensureParticipants, findChannel, findCommunity, upsertChannel, upsertCommunity, upsertParticipant } from "./store/communities.ts";
import type { Database, Db } from "./store/db.ts";
import { addLabel } from "./store/labels.ts";
import { FenceFailed, type Fence, bulkInsertScoredMessages, bulkUpsertPlaces, type PlacesToUpsert, bulkSaveAssessments, bulkSaveRiskStates, storedMessageKeys, type MessageWithVerdict } from "./store/bulk.ts";
import { findMessage, insertMessage, storedChatMessage, lastMessageId, markMessageDeleted, saveAssessment, updateMessageText, type NewMessage } from "./store/messages.ts";
import { metrics } from "./metrics.ts";
import { checkMessage, cleanText, describeInput, MAX_TEXT } from "./pipeline/validate.ts";
import { loadRiskStates, type PersistedState } from "./store/risk-states.ts";
import { changedKeys, loadSettings, loadSettingsMany, saveSettingsRevision } from "./store/settings.ts";
import { createToken, resolveToken } from "./store/tokens.ts";
import { isTransientDbError } from "./store/transient.ts";
import { channels, communities, handoffs, messages, participants } from "./store/schema.ts";
import { asc, eq, inArray, sql } from "drizzle-orm";
import { LeaseLost, type OwnershipChange, type PartitionLeases } from "./pipeline/leases.ts";
import { partitionOf } from "./pipeline/partition.ts";
import { CaseWrites } from "./pipeline/case-writes.ts";
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
  type Stage,
} from "./types.ts";

/** What the pipeline needs of the risk engine (src/engine's RiskEngine has this shape). */
export interface ScoringEngine {
  readonly modelVersion: string;
  /** `languages`: the community's watched languages (settings.languages); rules of others give no evidence. */
  observe(msg: ChatMessage, opts?: { languages?: CommunitySettings["languages"] }): Assessment;
  keysFor(msg: ChatMessage): string[];
  isLoaded(key: string): boolean;
  hydrate(state: PersistedState): void;
  drainDirty(): PersistedState[];
  /** Keys of the states changed since the last drain (see `snapshot`). */
  drainDirtyKeys(): string[];
  /** A state in memory, serialised as it is now. */
  snapshot(key: string): PersistedState | undefined;
}

export interface PipelineOptions {
  /** Most new messages written in one transaction. */
  batchMax?: number;
  /** Messages held in memory while the database is unavailable; beyond it ingest rejects (retryable). */
  bufferLimit?: number;
  /** How long community/channel/participant ids and settings are cached. */
  cacheTtlMs?: number;
  /** First and longest pause between attempts to write held messages. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /**
   * Commit batches that raised no alert without waiting for the database's disk flush
   * (`synchronous_commit = off` for that transaction). Alerts always wait. On a crash of
   * PostgreSQL itself (not of Haven) the last moments of such batches can be lost; see
   * README "Performance". HAVEN_ASYNC_COMMIT.
   */
  asyncCommit?: boolean;
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

/** A new message waiting to be stored and scored; its fields keep its progress across retries. */
interface IngestJob extends Job {
  msg: ChatMessage;
  roles: string[];
  result: IngestResult;
  ids?: Ids;
  settings?: CommunitySettings;
  /** Row id once inserted; null for a duplicate delivery. */
  rowId?: number | null;
  assessment?: Assessment;
  states: PersistedState[];
  done: boolean;
}

type IngestItem = { kind: "ingest"; job: IngestJob; resolve: (r: IngestResult) => void; reject: (e: unknown) => void };
type JobItem = { kind: "job"; job: Job; resolve: (ran: boolean) => void; reject: (e: unknown) => void };
type WorkItem = IngestItem | JobItem;

/** A batch's write (its single statement, or its transaction), run behind the next batch's preparation (see Pipeline.writeBehind). */
interface DeferredWrite {
  jobs: IngestJob[];
  write: () => Promise<void>;
  /** Called once the write succeeded or failed. */
  settled: () => void;
}

/** What ingest answers for a message held in memory while the database is away. */
const buffered = (): IngestResult => ({ stored: true, scored: false, assessment: null, alertIds: [], buffered: true });

function newMessage(msg: ChatMessage, ids: Ids): NewMessage {
  return {
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
  };
}

const actorLabel = (a: Actor) => `${a.via}:${a.id}`;

/** A stored message (with its channel, community and author) as the adapter gave it. */
function storedToMessage(r: {
  m: typeof messages.$inferSelect;
  ch: typeof channels.$inferSelect;
  c: typeof communities.$inferSelect;
  author: string;
}): ChatMessage {
  return storedChatMessage(r.m, { platform: r.ch.platform as Platform, communityId: r.c.platformId, channelId: r.ch.platformId, channelKind: r.ch.kind }, r.author);
}

export class Pipeline implements HavenService {
  readonly sinks = new Map<Platform, AlertSink>();
  /** Work waiting for its turn, in arrival order. */
  private readonly work: WorkItem[] = [];
  private pumping: Promise<void> | null = null;
  private lock: Promise<unknown> = Promise.resolve();
  /**
   * Writes of new-message batches (one statement, or a transaction when there is case work),
   * chained in order: the last one's completion, and the one before it (a new batch is
   * prepared only once that one is written, so at most one write waits while another runs).
   * Never rejects.
   */
  private writeBehind: Promise<void> = Promise.resolve();
  private writeBefore: Promise<void> = Promise.resolve();
  /** Messages (channel row id:platform id) of batches still being written behind. */
  private readonly pendingKeys = new Set<string>();
  /** Work held while the database is unavailable, per community, in arrival order. */
  private readonly held = new Map<string, Job[]>();
  private heldCount = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private stateTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private flushInLine: Promise<void> | null = null;
  /**
   * Engine keys known to have no stored state (saves a lookup per message). Most of them get
   * a state in the engine as soon as their batch is scored, and then need no entry here
   * (the engine's eviction hands them back): `absentFresh` holds the last batches' entries
   * so that those are dropped, which keeps this cache for the keys that stay empty.
   */
  private readonly absent = new LRUCache<string, true>({ max: 30_000 });
  private absentFresh: string[] = [];
  private retryDelay: number;
  private stopped = false;
  /** Engine states evicted or drained but not yet written. */
  private readonly unsaved = new Map<string, PersistedState>();
  private readonly ids: LRUCache<string, { id: number; name: string | null }>;
  private readonly channelCache: LRUCache<string, { id: number; communityId: number; communityKey: string; name: string | null }>;
  /**
   * Suspects (community row id and platform id) known to have no open case. Only this
   * pipeline opens cases for the communities it owns, so the entry stays true until it does.
   */
  private readonly noOpenCase = new LRUCache<string, true>({ max: 30_000, ttl: 10 * 60_000 });
  /** What this pipeline knows of open cases it writes (by case id): alerted stages, targets and evidence already linked. */
  private readonly caseInfo = new LRUCache<number, { alertedStages: Stage[]; targets: Set<string>; linked: Set<string>; channels: Set<string> }>({ max: 20_000 });
  /** Scale-out: partition ownership (none: this pipeline owns everything). */
  private leases: PartitionLeases | null = null;
  private handoffTimer: NodeJS.Timeout | null = null;
  /**
   * The partition of the message that last loaded or changed each engine key in memory (to
   * know which keys go stale with a partition). Entries leave with their key's eviction.
   */
  private readonly keyPartition = new Map<string, number>();
  /**
   * Keys whose in-memory state may be older than the database's (their partition went to
   * another worker): reloaded before use, and never written back when evicted.
   */
  private readonly stale = new Set<string>();
  /** Handed-over messages observed but not yet committed: a retry reuses the verdict. */
  private readonly handoffVerdicts = new Map<number, { assessment: Assessment; states: PersistedState[] }>();
  private readonly settingsCache: LRUCache<number, { settings: CommunitySettings; revision: number }>;
  private readonly opts: Required<PipelineOptions>;

  constructor(
    private readonly database: Database,
    private readonly engine: ScoringEngine,
    private readonly log: Logger,
    opts: PipelineOptions = {},
  ) {
    this.opts = {
      batchMax: opts.batchMax ?? 500,
      bufferLimit: opts.bufferLimit ?? 10_000,
      cacheTtlMs: opts.cacheTtlMs ?? 5_000,
      retryMinMs: opts.retryMinMs ?? 200,
      retryMaxMs: opts.retryMaxMs ?? 10_000,
      asyncCommit: opts.asyncCommit ?? false,
    };
    this.retryDelay = this.opts.retryMinMs;
    this.ids = new LRUCache({ max: 20_000, ttl: 10 * 60_000 });
    this.channelCache = new LRUCache({ max: 20_000, ttl: 10 * 60_000 });
    this.settingsCache = new LRUCache({ max: 5_000, ttl: this.opts.cacheTtlMs });
  }

  private get db(): Db {
    return this.database.db;
  }

  /** Engine states the engine evicted from memory: written with the next transaction. */
  keepEvicted(state: PersistedState): void {
    this.keyPartition.delete(state.key);
    // Another worker may have written newer state of a stale key: ours must not overwrite it.
    if (this.stale.delete(state.key)) return;
    this.absent.delete(state.key);
    this.unsaved.set(state.key, state);
    this.scheduleStateFlush();
  }

  // ── one line of work: batches of new messages, single jobs, held work ──────────────
  //
  // All work runs one step at a time, in arrival order (so each community's order holds and
  // the synchronous engine sees messages in order). New messages that wait together form one
  // batch: one transaction with multi-row writes. A batch closes when the step before it
  // ends (or at `batchMax`), so it grows with the load and adds no delay when idle.

  /** Runs in the line of work; after the writes behind it, unless `overlap` (a batch's preparation). */
  private serial<T>(fn: () => Promise<T>, overlap = false): Promise<T> {
    const run = overlap
      ? fn
      : async () => {
          await this.writeBehind;
          return fn();
        };
    const next = this.lock.then(run, run);
    this.lock = next.catch(() => {});
    return next;
  }

  private enqueueIngest(job: IngestJob): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      this.work.push({ kind: "ingest", job, resolve, reject });
      this.pump();
    });
  }

  /** Runs a job in order; if the database is unavailable the job is held and retried. Returns false when held. */
  private submit(job: Job): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.work.push({ kind: "job", job, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = (async () => {
      // Let messages handed over in the same tick join the first batch.
      await new Promise((r) => setImmediate(r));
      while (this.work.length) {
        const first = this.work[0]!;
        if (first.kind === "job") {
          this.work.shift();
          await this.serial(() => this.runSingle(first));
          continue;
        }
        // Backpressure: one batch written behind at a time, the next one prepared meanwhile.
        await this.writeBefore;
        let n = 0;
        while (n < this.work.length && n < this.opts.batchMax && this.work[n]!.kind === "ingest") n++;
        const batch = this.work.splice(0, n) as IngestItem[];
        await this.serial(() => this.runBatch(batch), true);
      }
    })().finally(() => {
      this.pumping = null;
      if (this.work.length) this.pump();
    });
  }

  private async runSingle(item: JobItem): Promise<void> {
    const job = item.job;
    try {
      // Something of this community is already waiting: keep the order.
      if (this.held.get(job.key)?.length) {
        this.hold(job, job.mustKeep);
        item.resolve(false);
        return;
      }
      try {
        await job.run();
        item.resolve(true);
      } catch (err) {
        if (!isTransientDbError(err)) throw err;
        this.log.warn({ err: String(err), job: job.what }, "database unavailable: holding work in memory until it returns");
        this.hold(job, true);
        item.resolve(false);
      }
    } catch (err) {
      item.reject(err);
    }
  }

  private async runBatch(items: IngestItem[]): Promise<void> {
    const live: IngestItem[] = [];
    for (const it of items) {
      if (!this.held.get(it.job.key)?.length) live.push(it);
      else {
        try {
          this.hold(it.job);
          it.resolve(buffered());
        } catch (err) {
          it.reject(err);
        }
      }
    }
    if (!live.length) return;
    let deferred: DeferredWrite | null;
    try {
      deferred = await this.writeBatch(live.map((it) => it.job));
    } catch (err) {
      if (isTransientDbError(err)) {
        this.log.warn({ err: String(err), messages: live.length }, "database unavailable: holding messages in memory until it returns");
        for (const it of live) {
          this.hold(it.job, true);
          it.resolve(buffered());
        }
        return;
      }
      // Not the database being away: write the messages one by one, so that only the one
      // at fault fails.
      this.log.warn({ err: String(err), messages: live.length }, "batch write failed; writing its messages one at a time");
      await this.oneByOne(live);
      return;
    }
    if (!deferred) {
      for (const it of live) it.resolve(it.job.result);
      return;
    }
    // The write runs behind: after the writes before it, while the next batch is prepared.
    const d = deferred;
    const previous = this.writeBehind;
    this.writeBefore = previous;
    this.writeBehind = previous.then(async () => {
      try {
        if (d.jobs.some((j) => this.held.get(j.key)?.length)) {
          for (const it of live) {
            this.hold(it.job, true);
            it.resolve(buffered());
          }
          return;
        }
        try {
          await d.write();
          for (const it of live) it.resolve(it.job.result);
        } catch (err) {
          if (isTransientDbError(err)) {
            this.log.warn({ err: String(err), messages: live.length }, "database unavailable: holding messages in memory until it returns");
            for (const it of live) {
              this.hold(it.job, true);
              it.resolve(buffered());
            }
          } else if (err instanceof LeaseLost) {
            // A partition went while the batch waited: its messages are handed over instead.
            this.partitionsGone(err.partitions, false);
            await this.oneByOne(live);
          } else {
            this.log.warn({ err: String(err), messages: live.length }, "batch write failed; writing its messages one at a time");
            await this.oneByOne(live);
          }
        }
      } catch (err) {
        for (const it of live) it.reject(err);
      } finally {
        d.settled();
      }
    });
  }

  /** The messages of a failed batch written one at a time (held while the database is away). */
  private async oneByOne(live: IngestItem[]): Promise<void> {
    for (const it of live) {
      try {
        if (this.held.get(it.job.key)?.length) {
          this.hold(it.job, true);
          it.resolve(buffered());
          continue;
        }
        await it.job.run();
        it.resolve(it.job.result);
      } catch (err) {
        if (!isTransientDbError(err)) {
          it.reject(err);
          continue;
        }
        this.hold(it.job, true);
        it.resolve(buffered());
      }
    }
  }

  /** New messages prepared and scored; their write (one statement, or a transaction with case work) is returned to run behind. */
  private async writeBatch(jobs: IngestJob[]): Promise<DeferredWrite | null> {
    for (;;) {
      try {
        return await this.writeBatchOnce(jobs);
      } catch (err) {
        // A partition's lease went while the batch waited: its messages are handed over instead.
        if (!(err instanceof LeaseLost)) throw err;
        this.partitionsGone(err.partitions, false);
      }
    }
  }

  private async writeBatchOnce(jobs: IngestJob[]): Promise<DeferredWrite | null> {
    // One decision per message for the whole batch (ownership may change meanwhile; the
    // fence in the transaction catches a loss). Partitions gained later wait for the next batch.
    const handover = new Set(jobs.filter((j) => !this.owns(j.msg)));
    // Messages of these partitions handed over earlier by other workers come first.
    if (this.leases) await this.takeHandoffs([...new Set(jobs.filter((j) => !handover.has(j)).map((j) => this.partitionOfMsg(j.msg)))]);
    await this.resolveIdsMany(jobs);
    const settings = await this.settingsMany([...new Set(jobs.map((j) => j.ids!.community))]);
    for (const j of jobs) j.settings ??= settings.get(j.ids!.community)!;
    // Where Haven is told not to watch (mode off, exempt channels), nothing is kept.
    const unwatched = jobs.filter((j) => this.unwatched(j.msg, j.settings!));
    for (const j of unwatched) {
      j.rowId = null;
      j.done = true;
    }
    if (unwatched.length) jobs = jobs.filter((j) => !j.done);
    if (!jobs.length) return null;
    // Messages of partitions another worker owns are stored and handed over, not scored here.
    const exempt = new Set(jobs.filter((j) => handover.has(j) || this.exempt(j, j.settings!)));
    const keyOf = (j: IngestJob) => `${j.ids!.channel}:${j.msg.messageId}`;
    const seen = new Set<string>();
    const firsts = jobs.filter((j) => !seen.has(keyOf(j)) && !!seen.add(keyOf(j)));
    // Two reads side by side (two connections) before anything is written: the engine state
    // the batch needs, and which messages are already stored. A duplicate delivery (a second
    // copy in the batch, or one already stored) is neither stored nor shown to the engine; a
    // copy another process stores in between is caught by the insert itself.
    const [, stored] = await Promise.all([
      this.preHydrate(jobs.filter((j) => !exempt.has(j)).map((j) => j.msg)),
      storedMessageKeys(this.db, firsts.map((j) => ({ channelId: j.ids!.channel, platformMessageId: j.msg.messageId }))),
    ]);
    // A message of a batch still being written (see writeBehind) counts as stored too.
    const fresh = new Set(firsts.filter((j) => !stored.has(keyOf(j)) && !this.pendingKeys.has(keyOf(j))));
    const scored = jobs.filter((j) => fresh.has(j) && !exempt.has(j));
    // The batch is scored before its write, and one that touches no case (most of them) is
    // written by one statement, on its own atomic, with no transaction around it; one with
    // case work by a transaction (multi-row writes, cases in message order). With leases
    // the write is fenced (the statement, or the transaction's first step, checks and locks
    // the leases): if a partition went meanwhile, nothing is written, its keys are marked
    // stale (reloaded before use, never written back) and its messages are handed over.
    await this.scoreJobs(scored, this.db);
    const fencedPartitions = [...new Set(jobs.filter((j) => !handover.has(j)).map((j) => this.partitionOfMsg(j.msg)))];
    let forget = () => {};
    const exemptRows = new Map<IngestJob, number | null>();
    for (const j of jobs) if (!fresh.has(j)) {
      if (exempt.has(j)) exemptRows.set(j, null);
      else j.rowId = null;
    }
    /**
     * The rows of the batch's messages and verdicts, and the engine states that carry evidence.
     * Built in scoring order, before a later batch is scored: what stays in `unsaved` must be
     * the newest version of each key.
     */
    const build = () => {
      const rows: MessageWithVerdict[] = [];
      const evidence = new Map<string, PersistedState>();
      for (const j of jobs) {
        if (!fresh.has(j)) continue;
        if (exempt.has(j)) {
          rows.push({ message: newMessage(j.msg, j.ids!), verdict: null });
          continue;
        }
        const a = j.assessment!;
        rows.push({ message: newMessage(j.msg, j.ids!), verdict: { score: a.top?.score ?? null, lang: a.lang, signals: a.signals } });
        // As in persistAssessment: state carrying evidence is written with the message,
        // plain chat's bookkeeping waits for the periodic flush.
        if (a.signals.length > 0 || a.top) {
          for (const st of j.states) {
            this.unsaved.delete(st.key);
            evidence.set(st.key, st);
          }
        } else for (const st of j.states) this.unsaved.set(st.key, st);
      }
      // Key order: concurrent writers lock rows in the same order and cannot deadlock.
      const states = [...evidence.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      return { rows, states };
    };
    /** The built rows and states in one statement (fenced, when `fence`); returns the messages with case work. */
    const writeMessages = async (db: Db, { rows, states }: ReturnType<typeof build>, fence?: Fence): Promise<IngestJob[]> => {
      let inserted: Map<string, number>;
      try {
        inserted = await bulkInsertScoredMessages(db, rows, { list: states, modelVersion: this.engine.modelVersion }, fence);
      } catch (err) {
        if (err instanceof FenceFailed) {
          this.leases?.forget(err.partitions);
          throw new LeaseLost(err.partitions);
        }
        throw err;
      }
      // Forget them only once committed; a failed write keeps them for the retry.
      forget = () => {
        for (const st of states) {
          this.absent.delete(st.key);
          if (this.unsaved.get(st.key) === st) this.unsaved.delete(st.key);
        }
      };
      const cased: IngestJob[] = [];
      for (const j of fresh) {
        // Stored meanwhile by another process (a race the check above cannot see): a duplicate.
        const id = inserted.get(keyOf(j)) ?? null;
        if (exempt.has(j)) {
          exemptRows.set(j, id);
          continue;
        }
        j.rowId = id;
        if (id !== null && j.assessment!.top && j.assessment!.top.score > 0) cased.push(j);
      }
      return cased;
    };
    const finish = (started: number) => {
      metrics.dbSeconds.observe({ op: "batch" }, (performance.now() - started) / 1000);
      metrics.batchSize.observe(jobs.length);
      forget();
      this.scheduleStateFlush();
      for (const [j, id] of exemptRows) {
        j.rowId = id;
        j.result.stored = id !== null;
        j.done = true;
      }
      for (const j of jobs) if (!j.done) this.finishIngest(j);
    };
    // Written behind: the next batch is prepared and scored while this one is written. Whether
    // it needs a transaction (case work) is decided when its turn comes, after the writes
    // before it: an earlier batch may have opened a case for one of its suspects.
    const built = build();
    const keys = [...fresh].map(keyOf);
    for (const k of keys) this.pendingKeys.add(k);
    return {
      jobs,
      write: async () => {
        const started = performance.now();
        const single = !this.opts.asyncCommit && !handover.size && !scored.some((j) => this.needsCaseWork(j));
        if (single) await writeMessages(this.db, built, this.leases ? { owner: this.leases.owner, partitions: fencedPartitions } : undefined);
        else {
          await this.write(async (tx) => {
            const db = tx as unknown as Db;
            // First: the partitions scored here are still ours (LeaseLost rolls everything back).
            await this.leases?.confirm(db, fencedPartitions);
            const cased = await writeMessages(db, built);
            const handed = [...handover].filter((j) => exemptRows.get(j) != null);
            if (handed.length) {
              await db.insert(handoffs).values(handed.map((j) => ({ messageId: exemptRows.get(j)!, partition: this.partitionOfMsg(j.msg), roles: j.roles })));
            }
            const cw = new CaseWrites(db);
            await cw.prefetch(this.caseSuspects(cased.map((j) => ({ msg: j.msg, ids: j.ids!, assessment: j.assessment! }))));
            for (const j of cased) j.result.alertIds = await this.updateCase(db, cw, j.msg, j.ids!, j.settings!, j.rowId!, j.assessment!);
            await cw.flush();
            await this.commitMode(db, cased.some((j) => j.result.alertIds.length > 0));
          });
        }
        finish(started);
      },
      settled: () => {
        for (const k of keys) this.pendingKeys.delete(k);
      },
    };
  }

  /** Observes the batch's messages in order, once per job (a retry after a failed write reuses the verdict). */
  private async scoreJobs(list: IngestJob[], db: Db): Promise<void> {
    const changed = new Map<IngestJob, string[]>();
    for (const j of list) {
      if (j.assessment !== undefined) continue;
      // Most messages find their state in memory (preHydrate): then no await, no promise.
      if (this.engine.keysFor(j.msg).some((k) => this.needsLoading(k))) await this.hydrateFor(j.msg, db);
      j.assessment = this.engine.observe(j.msg, { languages: j.settings!.languages });
      const keys = this.engine.drainDirtyKeys();
      if (this.leases) for (const k of keys) this.trackKey(k, j.msg);
      changed.set(j, keys);
    }
    // The batch is written at once, so each changed state is serialised once, as it is after
    // the batch's last message (a busy conversation's state was serialised after every one of
    // its messages: ~2.7 states per message where ~0.9 differ). One evicted meanwhile was
    // serialised by its eviction. (Should the batch's write fail and its messages be written one
    // at a time, the first of them carries the batch's final states.)
    const snapshots = new Map<string, PersistedState | undefined>();
    for (const [j, keys] of changed) {
      j.states = [];
      for (const k of keys) {
        let st = snapshots.get(k);
        if (!snapshots.has(k)) {
          st = this.engine.snapshot(k) ?? this.unsaved.get(k);
          snapshots.set(k, st);
        }
        if (st) j.states.push(st);
      }
    }
  }

  /** Whether updateCase would read or write anything for this scored message (see its first lines). */
  private needsCaseWork(j: IngestJob): boolean {
    const top = j.assessment?.top;
    if (!top || top.score <= 0) return false;
    return !this.noOpenCase.has(`${j.ids!.community}:${top.subject.actor}`) || decideAlert(top, null, j.settings!, j.msg.ts, j.msg.channelId, j.msg.authorId).alert;
  }

  /** Community, channel and author row ids for many messages: one statement per kind of id not cached. */
  private async resolveIdsMany(jobs: IngestJob[]): Promise<void> {
    const todo = jobs.filter((j) => !j.ids);
    if (!todo.length) return;
    // What the caches lack (or know by an older name), once per platform id (a repeated id
    // takes its last name); then one statement.
    const communities = new Map<string, PlacesToUpsert["communities"][number]>();
    const channels = new Map<string, PlacesToUpsert["channels"][number]>();
    const authors = new Map<string, PlacesToUpsert["participants"][number]>();
    for (const j of todo) {
      const m = j.msg;
      const c = this.ids.get(`c:${m.platform}:${m.communityId}`);
      if (!c || (m.communityName && m.communityName !== c.name)) {
        const key = `${m.platform}:${m.communityId}`;
        communities.set(key, { platform: m.platform, platformId: m.communityId, name: m.communityName ?? communities.get(key)?.name ?? c?.name ?? null });
      }
      const ch = this.channelCache.get(`${m.platform}:${m.channelId}`);
      if (!ch || (m.channelName && m.channelName !== ch.name)) {
        const key = `${m.platform}:${m.channelId}`;
        channels.set(key, { platform: m.platform, platformId: m.channelId, communityId: c?.id ?? null, communityPlatformId: m.communityId, kind: m.channelKind, name: m.channelName ?? channels.get(key)?.name ?? ch?.name ?? null });
      }
      const a = this.ids.get(`p:${m.platform}:${m.authorId}`);
      if (!a || (m.authorName && m.authorName !== a.name)) {
        const key = `${m.platform}:${m.authorId}`;
        authors.set(key, { platform: m.platform, platformId: m.authorId, name: m.authorName ?? authors.get(key)?.name ?? a?.name ?? null });
      }
    }
    const want: PlacesToUpsert = { communities: [...communities.values()], channels: [...channels.values()], participants: [...authors.values()] };
    // A channel whose community is cached takes the cached id; one whose community is new, the upserted one.
    for (const ch of want.channels) {
      if (ch.communityId === null && !communities.has(`${ch.platform}:${ch.communityPlatformId}`)) {
        communities.set(`${ch.platform}:${ch.communityPlatformId}`, { platform: ch.platform, platformId: ch.communityPlatformId, name: null });
        want.communities.push(communities.get(`${ch.platform}:${ch.communityPlatformId}`)!);
      }
    }
    const got = await bulkUpsertPlaces(this.db, want);
    for (const c of want.communities) {
      const id = got.communities.get(`${c.platform}:${c.platformId}`);
      if (id !== undefined) this.ids.set(`c:${c.platform}:${c.platformId}`, { id, name: c.name });
    }
    for (const ch of want.channels) {
      const id = got.channels.get(`${ch.platform}:${ch.platformId}`);
      const community = ch.communityId ?? got.communities.get(`${ch.platform}:${ch.communityPlatformId}`);
      if (id !== undefined && community !== undefined) {
        this.channelCache.set(`${ch.platform}:${ch.platformId}`, { id, communityId: community, communityKey: `${ch.platform}:${ch.communityPlatformId}`, name: ch.name });
      }
    }
    for (const a of want.participants) {
      const row = got.participants.get(`${a.platform}:${a.platformId}`);
      if (row) this.ids.set(`p:${a.platform}:${a.platformId}`, { id: row.id, name: a.name });
    }
    // Someone seen for the first time has no case anywhere: no need to look for one.
    for (const j of todo) {
      const m = j.msg;
      const community = this.ids.get(`c:${m.platform}:${m.communityId}`);
      if (community && got.participants.get(`${m.platform}:${m.authorId}`)?.created) this.noOpenCase.set(`${community.id}:${m.authorId}`, true);
    }
    for (const j of todo) {
      const m = j.msg;
      const community = this.ids.get(`c:${m.platform}:${m.communityId}`);
      const channel = this.channelCache.get(`${m.platform}:${m.channelId}`);
      const author = this.ids.get(`p:${m.platform}:${m.authorId}`);
      // A cache entry evicted between the write and here: the single path looks it up again.
      if (community && channel && author) j.ids = { community: community.id, channel: channel.id, author: author.id };
      else j.ids = await this.resolveIds(m);
    }
  }

  /** Engine state of a batch's messages, looked up in one query before the transaction. */
  private async preHydrate(msgs: ChatMessage[]): Promise<void> {
    const keys = new Map<string, ChatMessage>();
    const want = (list: string[], m: ChatMessage) => {
      for (const k of list) if (this.needsLoading(k)) keys.set(k, m);
    };
    // An earlier message of the batch can make its author the counterpart of a later one (a
    // pair key the engine only names once it has seen it): ask for those pairs too, naming
    // the other authors of the channel as mentions, so that the transaction needs no lookups.
    const authors = new Map<string, Set<string>>();
    for (const m of msgs) {
      const set = authors.get(m.channelId) ?? new Set<string>();
      set.add(m.authorId);
      authors.set(m.channelId, set);
    }
    // The speculative pairs depend on the channel and the two authors only: once per author
    // and channel, not per message (a busy group's batch would ask authors² × messages).
    const asked = new Set<string>();
    for (const m of msgs) {
      want(this.engine.keysFor(m), m);
      const who = `${m.platform}\u0000${m.channelId}\u0000${m.authorId}`;
      if (asked.has(who)) continue;
      asked.add(who);
      for (const other of authors.get(m.channelId)!) if (other !== m.authorId) want(this.engine.keysFor({ ...m, replyToId: null, mentions: [other] }), m);
    }
    if (!keys.size) return;
    const lookup: string[] = [];
    for (const [k, m] of keys) this.trackKey(k, m);
    for (const k of keys.keys()) {
      const held = this.unsaved.get(k);
      if (held) this.engine.hydrate(held);
      else lookup.push(k);
    }
    const fromDb = await loadRiskStates(this.db, lookup, this.engine.modelVersion);
    const found = new Set(fromDb.map((s) => s.key));
    this.markAbsent(lookup, found);
    for (const st of fromDb) this.engine.hydrate(st);
    for (const k of keys.keys()) this.stale.delete(k);
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
    let down = false;
    await this.serial(async () => {
      // Communities in turn; while the database is still away, one try is enough.
      for (const key of [...this.held.keys()]) {
        if (down) break;
        await (async () => {
          const list = this.held.get(key);
          while (list?.length) {
            const job = list[0]!;
            try {
              await job.run();
            } catch (err) {
              if (isTransientDbError(err)) {
                blocked = down = true;
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
        })();
      }
    });
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
    if (this.handoffTimer) clearTimeout(this.handoffTimer);
    this.handoffTimer = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    while (this.pumping) await this.pumping;
    await this.lock;
    await this.writeBehind;
    if (this.stateTimer) clearTimeout(this.stateTimer);
    this.stateTimer = null;
    await this.flushStates().catch((err) => this.log.warn({ err: String(err) }, "could not write engine state on stop; it is rebuilt from new messages"));
    if (this.heldCount > 0) this.log.error({ held: this.heldCount }, "stopping with messages the database never took; the platform must redeliver them");
  }

  private markAbsent(lookup: string[], found: Set<string>): void {
    // Entries of earlier batches whose key the engine now holds are no longer needed.
    if (this.absentFresh.length > 4096) {
      for (const k of this.absentFresh) if (this.engine.isLoaded(k)) this.absent.delete(k);
      this.absentFresh = [];
    }
    for (const k of lookup) {
      if (found.has(k)) continue;
      this.absent.set(k, true);
      this.absentFresh.push(k);
    }
  }

  private needsLoading(key: string): boolean {
    return (!this.engine.isLoaded(key) || this.stale.has(key)) && !this.absent.has(key);
  }

  // ── scale-out: partitions owned through leases, messages handed over ─────────────

  /** Shares the database with other workers: only messages of owned partitions are scored here; the others are stored and handed over. */
  useLeases(leases: PartitionLeases, pollMs = 100): void {
    this.leases = leases;
    const poll = () => {
      if (this.stopped) return;
      void this.serial(() => this.takeHandoffs())
        .catch((err) => this.log.warn({ err: String(err) }, "handoffs: cannot read; will retry"))
        .finally(() => {
          if (!this.stopped) {
            this.handoffTimer = setTimeout(poll, pollMs);
            this.handoffTimer.unref?.();
          }
        });
    };
    this.handoffTimer = setTimeout(poll, pollMs);
    this.handoffTimer.unref?.();
  }

  private partitionOfMsg(msg: ChatMessage): number {
    return partitionOf(msg.platform, msg.communityId, this.leases?.partitions);
  }

  private owns(msg: ChatMessage): boolean {
    return !this.leases || this.leases.owns(this.partitionOfMsg(msg));
  }

  private track(msg: ChatMessage, states: PersistedState[]): void {
    if (!this.leases) return;
    for (const st of states) this.trackKey(st.key, msg);
  }

  private trackKey(key: string, msg: ChatMessage): void {
    if (this.leases) this.keyPartition.set(key, this.partitionOfMsg(msg));
  }

  /**
   * Partitions this worker no longer owns (or owns again after a gap): their keys in memory
   * are stale. `written`: their state was written while still owned; otherwise what is still
   * unwritten is dropped, since the next owner has already started from the stored state.
   */
  private partitionsGone(partitions: number[], written: boolean): void {
    if (!partitions.length) return;
    const gone = new Set(partitions);
    for (const [k, p] of this.keyPartition) {
      if (!gone.has(p)) continue;
      this.stale.add(k);
      this.keyPartition.delete(k);
      if (!written) this.unsaved.delete(k);
    }
    // Whatever was learnt about the database may be changed by the other owner.
    this.absent.clear();
    this.absentFresh = [];
    this.noOpenCase.clear();
    this.caseInfo.clear();
  }

  /** Partitions changed hands: write what the next owner needs before giving partitions back; distrust memory of the others. */
  async onOwnershipChange(change: OwnershipChange, releaseExcess: () => Promise<void>): Promise<void> {
    await this.serial(async () => {
      if (change.released.length) {
        await this.flushStates().catch((err) => this.log.warn({ err: String(err) }, "could not write engine state of partitions given up"));
        this.partitionsGone(change.released, true);
        await releaseExcess();
      }
      this.partitionsGone(change.lost, false);
      // Gained: anything still in memory of them dates from before another worker had them.
      this.partitionsGone(change.gained, true);
    });
  }

  /** Scores messages other workers stored for partitions this one owns, in message order. */
  private async takeHandoffs(partitions?: number[]): Promise<void> {
    const owned = (this.leases?.ownedPartitions ?? []).filter((p) => !partitions || partitions.includes(p));
    if (!owned.length) return;
    for (;;) {
      const rows = await this.db
        .select({ messageId: handoffs.messageId, roles: handoffs.roles, edited: handoffs.edited })
        .from(handoffs)
        .where(inArray(handoffs.partition, owned))
        .orderBy(asc(handoffs.messageId))
        .limit(this.opts.batchMax);
      // Written after the batches written behind, so that their messages are there for the cases.
      if (rows.length) await this.writeBehind;
      // Runs of new messages are scored in one transaction each; an edit (its scores
      // replaced) on its own, in its place in the order.
      for (let i = 0; i < rows.length; ) {
        let j = i;
        while (j < rows.length && !rows[j]!.edited) j++;
        if (j > i) await this.takeHandoffBatch(rows.slice(i, j));
        if (j < rows.length) await this.takeHandoff(rows[j]!);
        i = j + 1;
      }
      if (rows.length < this.opts.batchMax) return;
    }
  }

  /** Scores all handed-over messages of owned partitions now (tests; the poll does it otherwise). */
  drainHandoffs(): Promise<void> {
    return this.serial(() => this.takeHandoffs());
  }

  private async takeHandoff(row: { messageId: number; roles: string[]; edited: boolean }): Promise<void> {
    const stored = await this.storedMessage(row.messageId);
    if (!stored) return;
    const { msg, ids } = stored;
    if (!this.owns(msg)) return;
    const { settings } = await this.settingsOf(ids.community);
    const exempt = this.exempt({ msg, roles: row.roles } as IngestJob, settings);
    if (!exempt) await this.hydrateFor(msg, this.db);
    let forget = () => {};
    let alertIds: number[] = [];
    try {
      await this.write(async (db) => {
        await this.leases!.confirm(db, [this.partitionOfMsg(msg)]);
        const taken = await db.delete(handoffs).where(eq(handoffs.messageId, row.messageId)).returning({ id: handoffs.messageId });
        if (!taken.length || exempt) return;
        // Observed once: a retry after a failed transaction reuses the verdict.
        let v = this.handoffVerdicts.get(row.messageId);
        if (!v) {
          const assessment = this.engine.observe(msg, { languages: settings.languages });
          v = { assessment, states: this.engine.drainDirty() };
          this.handoffVerdicts.set(row.messageId, v);
          this.track(msg, v.states);
        }
        ({ alertIds, forget } = await this.persistAssessment(db, msg, ids, settings, row.messageId, v.assessment, v.states, !row.edited));
      });
    } catch (err) {
      if (!(err instanceof LeaseLost)) throw err;
      this.partitionsGone(err.partitions, false);
      return;
    }
    this.handoffVerdicts.delete(row.messageId);
    forget();
    metrics.messagesScored.inc();
    if (alertIds.length) metrics.alerts.inc({ mode: settings.mode === "shadow" ? "shadow" : "live" }, alertIds.length);
  }

  /** Handed-over new messages (in message order) scored in one transaction, as writeBatch does for arriving ones. */
  private async takeHandoffBatch(rows: { messageId: number; roles: string[] }[]): Promise<void> {
    const stored = await this.storedMessages(rows.map((r) => r.messageId));
    const items = rows.flatMap((r) => {
      const s = stored.get(r.messageId);
      return s && this.owns(s.msg) ? [{ ...r, ...s, settings: DEFAULT_SETTINGS, alertIds: [] as number[] }] : [];
    });
    if (!items.length) return;
    for (const it of items) it.settings = (await this.settingsOf(it.ids.community)).settings;
    const exempt = new Set(items.filter((it) => this.exempt({ msg: it.msg, roles: it.roles } as IngestJob, it.settings)));
    await this.preHydrate(items.filter((it) => !exempt.has(it)).map((it) => it.msg));
    let forget = () => {};
    let scored = 0;
    try {
      await this.write(async (tx) => {
        const db = tx as unknown as Db;
        await this.leases!.confirm(db, [...new Set(items.map((it) => this.partitionOfMsg(it.msg)))]);
        const ids = items.map((it) => it.messageId);
        const taken = new Set((await db.delete(handoffs).where(inArray(handoffs.messageId, ids)).returning({ id: handoffs.messageId })).map((r) => r.id));
        const verdicts: { messageId: number; score: number | null; lang: string | null; signals: Assessment["signals"] }[] = [];
        const evidence = new Map<string, PersistedState>();
        const cased: typeof items = [];
        scored = 0;
        for (const it of items) {
          if (!taken.has(it.messageId) || exempt.has(it)) continue;
          await this.hydrateFor(it.msg, db);
          // Observed once: a retry after a failed transaction reuses the verdict.
          let v = this.handoffVerdicts.get(it.messageId);
          if (!v) {
            const assessment = this.engine.observe(it.msg, { languages: it.settings.languages });
            v = { assessment, states: this.engine.drainDirty() };
            this.handoffVerdicts.set(it.messageId, v);
            this.track(it.msg, v.states);
          }
          const a = v.assessment;
          scored++;
          verdicts.push({ messageId: it.messageId, score: a.top?.score ?? null, lang: a.lang, signals: a.signals });
          // As in writeBatch: evidence is written with the message, bookkeeping by the periodic flush.
          if (a.signals.length > 0 || a.top) {
            for (const st of v.states) {
              this.unsaved.delete(st.key);
              evidence.set(st.key, st);
            }
          } else for (const st of v.states) this.unsaved.set(st.key, st);
          if (a.top && a.top.score > 0) cased.push(it);
        }
        await bulkSaveAssessments(db, verdicts);
        forget = await this.writeStates(db, [...evidence.values()]);
        const cw = new CaseWrites(db);
        await cw.prefetch(this.caseSuspects(cased.map((it) => ({ msg: it.msg, ids: it.ids, assessment: this.handoffVerdicts.get(it.messageId)!.assessment }))));
        for (const it of cased) it.alertIds = await this.updateCase(db, cw, it.msg, it.ids, it.settings, it.messageId, this.handoffVerdicts.get(it.messageId)!.assessment);
        await cw.flush();
        await this.commitMode(db, cased.some((it) => it.alertIds.length > 0));
      });
    } catch (err) {
      if (!(err instanceof LeaseLost)) throw err;
      this.partitionsGone(err.partitions, false);
      return;
    }
    for (const it of items) this.handoffVerdicts.delete(it.messageId);
    forget();
    this.scheduleStateFlush();
    metrics.messagesScored.inc(scored);
    for (const it of items) if (it.alertIds.length) metrics.alerts.inc({ mode: it.settings.mode === "shadow" ? "shadow" : "live" }, it.alertIds.length);
  }

  /** A stored message as the adapter gave it, with its row ids. */
  private async storedMessage(messageId: number): Promise<{ msg: ChatMessage; ids: Ids } | null> {
    return (await this.storedMessages([messageId])).get(messageId) ?? null;
  }

  private async storedMessages(messageIds: number[]): Promise<Map<number, { msg: ChatMessage; ids: Ids }>> {
    const rows = await this.db
      .select({ m: messages, ch: channels, c: communities, author: participants.platformId })
      .from(messages)
      .innerJoin(channels, eq(channels.id, messages.channelId))
      .innerJoin(communities, eq(communities.id, channels.communityId))
      .innerJoin(participants, eq(participants.id, messages.authorId))
      .where(inArray(messages.id, messageIds));
    return new Map(rows.map((r) => [r.m.id, { msg: storedToMessage(r), ids: { community: r.c.id, channel: r.ch.id, author: r.m.authorId } }]));
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

  /** Settings of several communities: those not cached are read in one query. */
  private async settingsMany(communityIds: number[]): Promise<Map<number, CommunitySettings>> {
    const out = new Map<number, CommunitySettings>();
    const missing: number[] = [];
    for (const id of communityIds) {
      const cached = this.settingsCache.get(id);
      if (cached) out.set(id, cached.settings);
      else missing.push(id);
    }
    if (missing.length) {
      for (const [id, loaded] of await loadSettingsMany(this.db, missing)) {
        this.settingsCache.set(id, loaded);
        out.set(id, loaded.settings);
      }
    }
    return out;
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
    metrics.messagesIn.inc();
    const checked = checkMessage(input);
    if (!checked.ok) {
      metrics.messagesRejected.inc();
      // A poison message is refused on its own: the stream behind it goes on.
      this.log.warn({ reason: checked.reason, message: describeInput(input) }, "message rejected");
      throw new HavenError(`Message rejected: ${checked.reason}`, "message.invalid", "the message is malformed; it is not stored and should not be redelivered");
    }
    if (checked.notes.length) this.log.warn({ notes: checked.notes, message: `${checked.msg.platform}:${checked.msg.channelId}/${checked.msg.messageId}` }, "message repaired before storing");
    const msg = checked.msg;
    const j: IngestJob = {
      key: `${msg.platform}:${msg.communityId}`,
      what: `message ${msg.platform}:${msg.channelId}/${msg.messageId}`,
      failures: 0,
      msg,
      roles: context.authorRoles ?? [],
      result: { stored: false, scored: false, assessment: null, alertIds: [] },
      states: [],
      done: false,
      run: () => this.runIngest(j),
    };
    return this.enqueueIngest(j);
  }

  /**
   * Messages Haven is told not to watch (mode off, an exempt channel) are not stored at all:
   * least privilege, and as the Discord adapter does for threads of an exempt channel.
   */
  private unwatched(msg: ChatMessage, s: CommunitySettings): boolean {
    return s.mode === "off" || s.exemptChannels.includes(msg.channelId);
  }

  /** Whether a message is exempt from scoring (mode off, staff channel, user or role); staff messages in watched channels are kept as context. */
  private exempt(j: IngestJob, s: CommunitySettings): boolean {
    return (
      s.mode === "off" ||
      s.exemptChannels.includes(j.msg.channelId) ||
      s.exemptUsers.includes(j.msg.authorId) ||
      j.roles.some((r) => s.exemptRoles.includes(r))
    );
  }

  /** One message on its own (held work, a retry, a batch that failed): resumable, like every Job. */
  private async runIngest(j: IngestJob): Promise<void> {
    if (j.done) return;
    const msg = j.msg;
    const result = j.result;
    j.ids ??= await this.resolveIds(msg);
    j.settings ??= (await this.settingsOf(j.ids.community)).settings;
    const s = j.settings;
    const ids = j.ids;
    if (this.unwatched(msg, s)) {
      result.stored = false;
      j.done = true;
      return;
    }
    if (!this.owns(msg)) {
      await this.write(async (db) => {
        const id = await this.storeMessage(db, msg, ids);
        if (id !== null) await db.insert(handoffs).values({ messageId: id, partition: this.partitionOfMsg(msg), roles: j.roles }).onConflictDoNothing();
        j.rowId = id;
      });
      result.stored = j.rowId !== null;
      j.done = true;
      return;
    }
    if (this.exempt(j, s)) {
      j.rowId ??= await this.storeMessage(this.db, msg, ids);
      result.stored = j.rowId !== null;
      j.done = true;
      return;
    }
    // Messages of this partition handed over earlier by other workers come first.
    if (this.leases) await this.takeHandoffs([this.partitionOfMsg(msg)]);
    await this.hydrateFor(msg, this.db);
    let forget = () => {};
    try {
      await this.write(async (tx) => {
        const db = tx as unknown as Db;
        // First, before the engine sees the message: the partition is still ours.
        await this.leases?.confirm(db, [this.partitionOfMsg(msg)]);
        if (j.assessment === undefined) {
          const id = await this.storeMessage(db, msg, ids);
          if (id === null) {
            j.rowId = null;
            return;
          }
          j.rowId = id;
          // Observed once per job: a retry after a failed write reuses the verdict. Its state
          // changes are taken at once, before another community's message is observed.
          j.assessment = this.engine.observe(msg, { languages: s.languages });
          j.states = this.engine.drainDirty();
          this.track(msg, j.states);
        } else if (j.rowId !== null) {
          // Retrying after the transaction failed: the insert was normally rolled back too
          // (undefined: observed in a batch whose write failed before the insert answered).
          const again = await this.storeMessage(db, msg, ids);
          if (again !== null) j.rowId = again;
          else {
            // The commit went through after all (only its answer was lost): nothing to redo.
            const found = await findMessage(db, msg.platform, msg.channelId, msg.messageId);
            if (found?.scoredAt) return;
            if (found) j.rowId = found.id;
          }
        }
        if (!j.rowId) return;
        ({ alertIds: result.alertIds, forget } = await this.persistAssessment(db, msg, ids, s, j.rowId, j.assessment!, j.states, true));
      });
    } catch (err) {
      // The lease went before anything was scored: store and hand the message over instead.
      if (!(err instanceof LeaseLost)) throw err;
      this.partitionsGone(err.partitions, false);
      return this.runIngest(j);
    }
    forget();
    this.finishIngest(j);
  }

  private finishIngest(j: IngestJob): void {
    const stored = j.rowId !== null && j.rowId !== undefined;
    j.result.stored = stored;
    j.result.scored = stored;
    j.result.assessment = stored ? (j.assessment ?? null) : null;
    j.done = true;
    metrics.messagesScored.inc();
    if (j.assessment?.top) metrics.scores.observe(j.assessment.top.score);
    if (j.result.alertIds.length) metrics.alerts.inc({ mode: j.settings?.mode === "shadow" ? "shadow" : "live" }, j.result.alertIds.length);
  }

  private async storeMessage(db: Db, msg: ChatMessage, ids: Ids): Promise<number | null> {
    return insertMessage(db, newMessage(msg, ids));
  }

  /** Restores engine state the engine does not hold (evicted, or written by an earlier run). */
  private async hydrateFor(msg: ChatMessage, db: Db): Promise<void> {
    // Restoring a conversation can reveal more keys (its pairs), and restoring one key can
    // evict another this message needs from a small cache: repeat until all are present.
    const looked = new Set<string>();
    for (let pass = 0; pass < 4; pass++) {
      const missing = this.engine.keysFor(msg).filter((k) => this.needsLoading(k));
      if (!missing.length) return;
      const pending = missing.map((k) => this.unsaved.get(k)).filter((s): s is PersistedState => !!s);
      const lookup = missing.filter((k) => !this.unsaved.has(k) && !looked.has(k));
      for (const k of lookup) looked.add(k);
      const fromDb = lookup.length ? await loadRiskStates(db, lookup, this.engine.modelVersion) : [];
      const found = new Set(fromDb.map((s) => s.key));
      this.markAbsent(lookup, found);
      for (const k of missing) {
        this.stale.delete(k);
        this.trackKey(k, msg);
      }
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
    const cw = new CaseWrites(db);
    const alertIds = await this.updateCase(db, cw, msg, ids, settings, rowId, assessment);
    await cw.flush();
    return { alertIds, forget };
  }

  /** Writes engine states (by default all held ones); returns what to call once the transaction committed. */
  private async writeStates(db: Db, given?: PersistedState[]): Promise<() => void> {
    // Key order: concurrent writers lock rows in the same order and cannot deadlock.
    const states = (given ?? [...this.unsaved.values()]).slice().sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (!states.length) return () => {};
    await bulkSaveRiskStates(db, states, this.engine.modelVersion);
    // Forget them only once committed; a failed transaction keeps them for the retry.
    return () => {
      for (const s of states) {
        this.absent.delete(s.key);
        if (this.unsaved.get(s.key) === s) this.unsaved.delete(s.key);
      }
    };
  }

  /**
   * In the line of work: after the writes behind it and before the next batch is built, so
   * every held state reflects only messages already committed (a state written ahead of its
   * messages would count them twice when a crash makes the platform deliver them again).
   */
  private flushStatesInLine(): Promise<void> {
    // One waiting in line is enough: it writes whatever is held when its turn comes.
    this.flushInLine ??= this.serial(() => this.flushStates()).finally(() => {
      this.flushInLine = null;
    });
    return this.flushInLine;
  }

  private scheduleStateFlush(): void {
    if (this.unsaved.size >= 1_000 && !this.flushing && !this.flushInLine) void this.flushStatesInLine().catch(() => {});
    if (this.stateTimer || this.stopped) return;
    this.stateTimer = setTimeout(() => {
      this.stateTimer = null;
      void this.flushStatesInLine().catch((err) => {
        this.log.warn({ err: String(err) }, "could not write engine state; will retry");
        this.scheduleStateFlush();
      });
    }, 1_000);
    this.stateTimer.unref?.();
  }

  /** Writes engine state held in memory (also done on stop); callers outside the line of work use flushStatesInLine. */
  async flushStates(): Promise<void> {
    // One flush at a time: a second one would write the same states again.
    while (this.flushing) await this.flushing.catch(() => {});
    this.flushing = (async () => {
      // After the batches written behind, so that none of their (older) states lands after these.
      await this.writeBehind;
      const done = await this.writeStates(this.db);
      done();
    })().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  /** Row id of a participant named by the engine (a suspect who is not the author). */
  private async participantId(db: Db, platform: Platform, platformId: string): Promise<number> {
    const cached = this.ids.get(`p:${platform}:${platformId}`);
    if (cached) return cached.id;
    return (await ensureParticipants(db, platform, [platformId])).get(platformId)!;
  }

  /**
   * With asyncCommit, a batch that raised no alert commits without waiting for the disk
   * flush: its commit no longer stalls the line behind it when the disk is slow. A batch
   * with an alert (and its outbox row) commits as always, and flushes earlier ones with it.
   */
  private async commitMode(tx: Db, alerted: boolean): Promise<void> {
    if (this.opts.asyncCommit && !alerted) await tx.execute(sql`set local synchronous_commit = off`);
  }

  /** A scoring transaction; if it fails, what was learnt inside it about cases may have been rolled back. */
  private async write(work: (tx: Db) => Promise<void>): Promise<void> {
    try {
      await this.db.transaction((tx) => work(tx as unknown as Db));
    } catch (err) {
      this.caseInfo.clear();
      throw err;
    }
  }

  /** The (community, suspect) pairs whose open case updateCase will look for: looked up together with CaseWrites.prefetch. */
  private caseSuspects(list: { msg: ChatMessage; ids: Ids; assessment: Assessment }[]): { communityId: number; suspectId: number }[] {
    const out: { communityId: number; suspectId: number }[] = [];
    for (const { msg, ids, assessment } of list) {
      const actor = assessment.top?.subject.actor;
      if (!actor || this.noOpenCase.has(`${ids.community}:${actor}`)) continue;
      const suspectId = actor === msg.authorId ? ids.author : this.ids.get(`p:${msg.platform}:${actor}`)?.id;
      if (suspectId !== undefined) out.push({ communityId: ids.community, suspectId });
    }
    return out;
  }

  private async updateCase(db: Db, cw: CaseWrites, msg: ChatMessage, ids: Ids, settings: CommunitySettings, rowId: number, assessment: Assessment): Promise<number[]> {
    const top = assessment.top;
    if (!top || top.score <= 0) return [];
    const actor = top.subject.actor;
    // Most scored messages concern someone with no open case and stay under the threshold:
    // known from memory, they cost no query.
    const quietKey = `${ids.community}:${actor}`;
    if (this.noOpenCase.has(quietKey) && !decideAlert(top, null, settings, msg.ts, msg.channelId, msg.authorId).alert) return [];
    const suspectId = actor === msg.authorId ? ids.author : await this.participantId(db, msg.platform, actor);
    const existing = await cw.find(ids.community, suspectId);
    let memory: CaseMemory | null = null;
    let known = existing ? this.caseInfo.get(existing.id) : undefined;
    if (existing) {
      if (!known) {
        // A case first seen in this process (opened by another worker, or before a restart): what
        // it already holds comes from the store, so every worker decides alike.
        const alerted = await caseAlerts(db, existing.id);
        const targets = await caseTargetsOf(db, existing.id);
        known = { alertedStages: [...new Set(alerted.flatMap((a) => a.stages))], targets: new Set(targets.map((t) => t.id)), linked: new Set(), channels: new Set(await caseAlertChannels(db, existing.id)) };
        this.caseInfo.set(existing.id, known);
      }
      memory = { lastAlertScore: existing.lastAlertScore, lastAlertAt: existing.lastAlertAt?.getTime() ?? null, stages: known.alertedStages, targets: [...known.targets], conversations: [...known.channels] };
    }
    const decision = decideAlert(top, memory, settings, msg.ts, msg.channelId, msg.authorId);
    if (!existing && !decision.alert) {
      this.noOpenCase.set(quietKey, true);
      return [];
    }
    this.noOpenCase.delete(quietKey);

    let kase = existing;
    if (!kase) {
      kase = await openCase(db, { communityId: ids.community, suspectId, channelId: ids.channel, score: top.score, stages: [...new Set(top.stages)], lang: assessment.lang });
      cw.opened(kase);
    }
    if (!known) {
      known = { alertedStages: [], targets: new Set(), linked: new Set(), channels: new Set() };
      this.caseInfo.set(kase.id, known);
    }
    // Writes only what changed: most messages on an open case add nothing new to it.
    if (existing && (top.score > existing.score || top.stages.some((st) => !existing.stages.includes(st)))) kase = cw.addEvidence(existing, top.score, top.stages);
    const newTargets = top.targets.filter((t) => t !== actor && !known.targets.has(t));
    if (newTargets.length) {
      const targets = await ensureParticipants(db, msg.platform, newTargets);
      await addCaseTargets(db, kase.id, [...targets.values()]);
      for (const t of newTargets) known.targets.add(t);
    }
    const newRefs = top.reasons.filter((r) => !known.linked.has(refKey(r)));
    const evidence: number[] = [];
    // The message itself needs no lookup.
    for (const r of newRefs) {
      if (r.messageId === msg.messageId && r.conversationId === msg.channelId) {
        evidence.push(rowId);
        known.linked.add(refKey(r));
      }
    }
    const lookup = newRefs.filter((r) => !known.linked.has(refKey(r)));
    if (lookup.length) {
      const refs = await resolveMessageRefs(db, ids.community, lookup);
      evidence.push(...new Set(lookup.map((r) => refs.get(refKey(r))).filter((x): x is number => x !== undefined)));
      for (const r of lookup) if (refs.has(refKey(r))) known.linked.add(refKey(r));
    }
    if (assessment.signals.length) evidence.push(rowId);
    cw.link(kase.id, evidence);
    // The conversation around the evidence (the targets' replies in between, the suspect's
    // other warning signs) belongs to the case too, so the case view, the export and
    // retention keep it: linked when the case opens and at each alert (and, up to then,
    // when a moderator decides and by the retention purge of an open case).
    if (!existing || decision.alert) {
      await linkCaseConversationWith(db, { caseId: kase.id, communityId: ids.community, suspectId, until: new Date(msg.ts), pending: cw.takeLinks() });
    }
    if (!decision.alert) return [];

    const mode = settings.mode === "shadow" ? "shadow" : "live";
    // The alert, the case's last alert and (live) the delivery in the outbox: one statement.
    const alert = {
      id: await raiseAlert(
        db,
        {
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
        },
        new Date(msg.ts),
        mode === "live" ? msg.platform : null,
      ),
    };
    kase = cw.alerted(kase, top.score, new Date(msg.ts));
    for (const st of top.stages) if (!known.alertedStages.includes(st)) known.alertedStages.push(st);
    known.channels.add(msg.channelId);
    const automatic = await requestAutoActions(db, { kase, platform: msg.platform, communityPlatformId: msg.communityId, settings, score: top.score, alertId: alert.id });
    this.log.info({ case: kase.id, alert: alert.id, trigger: decision.trigger, mode, score: top.score, ...(automatic.length ? { automatic } : {}) }, "alert raised");
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
    const text = cleanText(rawText, MAX_TEXT);
    const result: IngestResult = { stored: false, scored: false, assessment: null, alertIds: [] };
    const key = await this.queueKeyOf(ref);
    if (!key) return result;
    let assessment: Assessment | undefined;
    let states: PersistedState[] = [];
    let done = false;
    const run = async (): Promise<void> => {
      if (done) return;
      const found = await findMessage(this.db, ref.platform, ref.channelId, ref.messageId);
      if (!found) {
        done = true;
        return;
      }
      const msg = await this.rebuildMessage(found.id, text);
      if (!this.owns(msg)) {
        // Another worker owns the conversation: it scores the edit.
        await this.write(async (db) => {
          await updateMessageText(db, found.id, text, new Date(editedAt));
          await db.insert(handoffs).values({ messageId: found.id, partition: this.partitionOfMsg(msg), edited: true }).onConflictDoNothing();
        });
        result.stored = true;
        done = true;
        return;
      }
      const { settings } = await this.settingsOf(found.communityId);
      const exempt =
        settings.mode === "off" || settings.exemptChannels.includes(msg.channelId) || settings.exemptUsers.includes(msg.authorId);
      if (!exempt) await this.hydrateFor(msg, this.db);
      let forget = () => {};
      try {
        await this.write(async (tx) => {
          const db = tx as unknown as Db;
          await this.leases?.confirm(db, [this.partitionOfMsg(msg)]);
          await updateMessageText(db, found.id, text, new Date(editedAt));
          result.stored = true;
          // Handed over and not scored yet: scored once, with the new text, here.
          if (this.leases) await db.delete(handoffs).where(eq(handoffs.messageId, found.id));
          if (exempt) return;
          if (!assessment) {
            assessment = this.engine.observe(msg, { languages: settings.languages });
            states = this.engine.drainDirty();
            this.track(msg, states);
          }
          const ids = { community: found.communityId, channel: found.channelId, author: found.authorId };
          ({ alertIds: result.alertIds, forget } = await this.persistAssessment(db, msg, ids, settings, found.id, assessment, states, false));
          result.scored = true;
          result.assessment = assessment;
        });
      } catch (err) {
        if (!(err instanceof LeaseLost)) throw err;
        this.partitionsGone(err.partitions, false);
        return run();
      }
      forget();
      done = true;
    };
    const ran = await this.submit({
      key,
      what: `edit ${ref.platform}:${ref.channelId}/${ref.messageId}`,
      failures: 0,
      mustKeep: true,
      run: () => run(),
    });
    if (!ran) return { stored: true, scored: false, assessment: null, alertIds: [], buffered: true };
    return result;
  }

  /** The stored message as the engine saw it, with new text. */
  private async rebuildMessage(messageId: number, text: string): Promise<ChatMessage> {
    return { ...(await this.storedMessage(messageId))!.msg, text };
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
      // A chat button pressed after someone else decided (an old message, two moderators at
      // once) must not silently overturn that decision; escalating a confirmed case is a
      // step forward, and the console is where a decision is deliberately changed.
      const chat = action.actor.via !== "console" && action.actor.via !== "cli";
      if (chat && kase.status !== "open" && !(kase.status === "confirmed" && status === "escalated")) {
        return {
          ok: false,
          reason: "already_decided",
          message: `case ${kase.id} was already ${kase.status}${kase.decidedBy ? ` by ${kase.decidedBy}` : ""}; a decision is changed in the review console`,
        };
      }
      await this.db.transaction(async (tx) => {
        const db = tx as unknown as Db;
        // Everything said up to the decision stays with the case.
        if (kase.status === "open") {
          await linkCaseConversation(db, kase.id, kase.communityId, kase.suspectId, [kase.suspectId, ...(await caseTargetIds(db, kase.id))], new Date());
        }
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
    const built = await buildPlatformAction(this.db, kase, community.platformId, kind, settings);
    if ("error" in built) return { ok: false, reason: "invalid", message: built.error };
    const act = built.request;
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
      message: fresh ? `${kind} of ${built.suspectName} requested` : `${kind} was already requested`,
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

function communityDefaults(): CommunitySettings {
  return DEFAULT_SETTINGS;
}
