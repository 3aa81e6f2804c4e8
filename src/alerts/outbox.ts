// Durable delivery. Rows are written in the same transaction as the change that needs
// them and delivered here: claimed with FOR UPDATE SKIP LOCKED (so several workers never
// take the same row), retried with exponential backoff and jitter, and marked failed,
// not deleted, when attempts run out. A process claims only rows of platforms it has a sink
// for (a Discord shard and a Telegram worker share one outbox); a delivery that cannot
// happen yet (no moderators' channel configured) waits without spending an attempt.
import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Logger } from "../log.ts";
import type { Database, Db } from "../store/db.ts";
import { latestAlert, latestDeliveredAlert, markAlertDelivered, markAlertFailed } from "../store/alerts.ts";
import { loadSettings } from "../store/settings.ts";
import { outbox } from "../store/schema.ts";
import { PLATFORMS, type AlertSink, type Platform, type PlatformActionKind } from "../types.ts";
import { metrics } from "../metrics.ts";
import { buildAlertPayload } from "./payload.ts";

export type OutboxRow = typeof outbox.$inferSelect;

export type OutboxPayload =
  | { kind: "alert"; alertId: number; caseId: number; communityId: number }
  | { kind: "decision"; caseId: number; communityId: number }
  | {
      kind: "platform_action";
      caseId: number;
      communityId: number;
      action: { kind: PlatformActionKind; communityId: string; userId: string; channelId?: string; messageId?: string; durationSeconds?: number };
    };

/** Adds a delivery; a second row with the same idempotency key is ignored. Returns whether it was new. */
export async function enqueue(db: Db, platform: Platform, key: string, payload: OutboxPayload): Promise<boolean> {
  const rows = await db
    .insert(outbox)
    .values({ kind: payload.kind, platform, idempotencyKey: key, payload })
    .onConflictDoNothing({ target: outbox.idempotencyKey })
    .returning({ id: outbox.id });
  return rows.length > 0;
}

/** Deliveries of a community that wait for its settings are due again now (e.g. after a moderators' channel was set). */
export async function wakeCommunity(db: Db, communityId: number): Promise<void> {
  await db
    .update(outbox)
    .set({ nextAttemptAt: sql`now()` })
    .where(and(isNull(outbox.deliveredAt), isNull(outbox.failedAt), sql`(${outbox.payload}->>'communityId')::int = ${communityId}`));
}

export interface OutboxOptions {
  pollMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long a delivery that cannot happen yet waits before it is looked at again. */
  waitMs?: number;
  /** How long a claimed row stays locked to its worker. */
  leaseMs?: number;
  batch?: number;
}

class Wait extends Error {}

export class OutboxWorker {
  private readonly opts: Required<OutboxOptions>;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = true;
  private failing = false;
  private readonly toldWhy = new Set<string>();

  constructor(
    private readonly database: Database,
    private readonly sinks: Map<Platform, AlertSink>,
    private readonly log: Logger,
    opts: OutboxOptions = {},
  ) {
    this.opts = {
      pollMs: opts.pollMs ?? 1000,
      maxAttempts: opts.maxAttempts ?? 10,
      baseDelayMs: opts.baseDelayMs ?? 2000,
      maxDelayMs: opts.maxDelayMs ?? 15 * 60_000,
      waitMs: opts.waitMs ?? 30_000,
      leaseMs: opts.leaseMs ?? 120_000,
      batch: opts.batch ?? 20,
    };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.drain()
        .then(() => {
          if (this.failing) this.log.info("outbox: database reachable again; delivering");
          this.failing = false;
        })
        .catch((err) => {
          // Once per outage, not once per poll.
          if (!this.failing) this.log.warn({ err: String(err) }, "outbox: cannot reach the database; deliveries wait and resume when it is back");
          this.failing = true;
        })
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.timer = setTimeout(tick, this.opts.pollMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Delivers everything due now; returns how many deliveries succeeded. */
  async drain(): Promise<number> {
    let delivered = 0;
    for (let pass = 0; pass < 1000; pass++) {
      const rows = await this.claim();
      if (!rows.length) break;
      for (const row of rows) if (await this.deliver(row)) delivered++;
    }
    return delivered;
  }

  private async claim(): Promise<OutboxRow[]> {
    const { db } = this.database;
    const platforms = [...this.sinks.keys()];
    await this.tellUnserved(platforms);
    if (!platforms.length) return [];
    return db.transaction(async (tx) => {
      const due = await tx
        .select({ id: outbox.id })
        .from(outbox)
        .where(
          and(
            isNull(outbox.deliveredAt),
            isNull(outbox.failedAt),
            inArray(outbox.platform, platforms),
            lte(outbox.nextAttemptAt, sql`now()`),
            or(isNull(outbox.lockedUntil), lt(outbox.lockedUntil, sql`now()`)),
          ),
        )
        .orderBy(asc(outbox.id))
        .limit(this.opts.batch)
        .for("update", { skipLocked: true });
      if (!due.length) return [];
      return tx
        .update(outbox)
        .set({ attempts: sql`${outbox.attempts} + 1`, lockedUntil: sql`now() + ${this.opts.leaseMs} * interval '1 millisecond'` })
        .where(inArray(outbox.id, due.map((r) => r.id)))
        .returning();
    }).then((rows) => rows.sort((a, b) => a.id - b.id));
  }

  private async deliver(row: OutboxRow): Promise<boolean> {
    const { db } = this.database;
    const payload = row.payload as OutboxPayload;
    try {
      await this.perform(row.platform as Platform, payload);
      await db.update(outbox).set({ deliveredAt: sql`now()`, lockedUntil: null, lastError: null }).where(eq(outbox.id, row.id));
      metrics.deliveries.inc({ platform: row.platform });
      return true;
    } catch (err) {
      if (err instanceof Wait) {
        if (!this.toldWhy.has(err.message)) {
          this.toldWhy.add(err.message);
          this.log.warn({ outbox: row.id, kind: row.kind }, `outbox: delivery waits: ${err.message}`);
        }
        await db
          .update(outbox)
          .set({
            attempts: sql`greatest(${outbox.attempts} - 1, 0)`,
            lockedUntil: null,
            lastError: `waiting: ${err.message}`,
            nextAttemptAt: sql`now() + ${this.opts.waitMs} * interval '1 millisecond'`,
          })
          .where(eq(outbox.id, row.id));
        return false;
      }
      const message = err instanceof Error ? err.message : String(err);
      metrics.deliveryFailures.inc({ platform: row.platform });
      if (row.attempts >= this.opts.maxAttempts) {
        this.log.error({ outbox: row.id, kind: row.kind, attempts: row.attempts, err: message }, "outbox: delivery failed for good; kept with failed_at for a moderator to see");
        await db.update(outbox).set({ failedAt: sql`now()`, lockedUntil: null, lastError: message }).where(eq(outbox.id, row.id));
        if (payload.kind === "alert") await markAlertFailed(db, payload.alertId);
        return false;
      }
      const delay = this.backoff(row.attempts);
      this.log.warn({ outbox: row.id, kind: row.kind, attempts: row.attempts, retryInMs: Math.round(delay), err: message }, "outbox: delivery failed; will retry");
      await db
        .update(outbox)
        .set({ lockedUntil: null, lastError: message, nextAttemptAt: sql`now() + ${delay} * interval '1 millisecond'` })
        .where(eq(outbox.id, row.id));
      return false;
    }
  }

  /**
   * Says once per platform that deliveries wait for a sink this process does not have
   * (another process may have it; in a single process, an adapter is not running).
   */
  private async tellUnserved(platforms: Platform[]): Promise<void> {
    for (const p of PLATFORMS) {
      if (platforms.includes(p) || this.toldWhy.has(`sink:${p}`)) continue;
      const [row] = await this.database.db
        .select({ id: outbox.id })
        .from(outbox)
        .where(and(eq(outbox.platform, p), isNull(outbox.deliveredAt), isNull(outbox.failedAt)))
        .limit(1);
      if (!row) continue;
      this.toldWhy.add(`sink:${p}`);
      this.log.warn({ platform: p }, `outbox: ${p} deliveries wait for a process with the ${p} adapter running (none here)`);
    }
  }

  /** Exponential backoff with jitter: half to all of base·2^(n−1), capped. */
  private backoff(attempts: number): number {
    const full = Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** Math.max(0, attempts - 1));
    return full * (0.5 + Math.random() / 2);
  }

  private sinkFor(platform: Platform): AlertSink {
    const sink = this.sinks.get(platform);
    if (!sink) throw new Wait(`no ${platform} sink is registered (is the ${platform} adapter running?)`);
    return sink;
  }

  private async modChannel(communityId: number): Promise<string> {
    const { settings } = await loadSettings(this.database.db, communityId);
    if (!settings.modChannel) throw new Wait(`community ${communityId} has no modChannel; set it so alerts can be delivered`);
    return settings.modChannel;
  }

  private async perform(platform: Platform, p: OutboxPayload): Promise<void> {
    const { db } = this.database;
    if (p.kind === "alert") {
      const sink = this.sinkFor(platform);
      const destination = await this.modChannel(p.communityId);
      const payload = await buildAlertPayload(db, p.alertId);
      if (!payload) return; // the case was deleted: nothing left to deliver
      const previous = await latestDeliveredAlert(db, p.caseId);
      const { ref } = await sink.deliverAlert(payload, destination, previous?.platformRef ?? null);
      await markAlertDelivered(db, p.alertId, ref);
      return;
    }
    if (p.kind === "decision") {
      const delivered = await latestDeliveredAlert(db, p.caseId);
      if (!delivered) {
        const last = await latestAlert(db, p.caseId);
        // An alert still on its way: show the decision once it has arrived.
        if (last?.deliveryState === "pending") throw new Wait(`case ${p.caseId}'s alert is not delivered yet`);
        return; // shadow or failed alert: no platform message to update
      }
      const sink = this.sinkFor(platform);
      const destination = await this.modChannel(p.communityId);
      const payload = await buildAlertPayload(db, delivered.id);
      if (!payload) return;
      await sink.showDecision(payload, destination, delivered.platformRef!);
      return;
    }
    const sink = this.sinkFor(platform);
    await sink.performAction(p.action);
  }
}

/** Deliveries not yet made nor given up (the outbox's depth). */
export async function outboxDepth(db: Db): Promise<number> {
  const rows = await db.select({ n: sql<number>`count(*)::int` }).from(outbox).where(and(isNull(outbox.deliveredAt), isNull(outbox.failedAt)));
  return Number(rows[0]?.n ?? 0);
}
