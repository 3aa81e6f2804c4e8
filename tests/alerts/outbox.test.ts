import { describe, expect, it } from "vitest";
import { enqueue, OutboxWorker } from "../../src/alerts/outbox.ts";
import { silentLogger } from "../../src/log.ts";
import { outbox } from "../../src/store/schema.ts";
import { upsertCommunity } from "../../src/store/communities.ts";
import type { AlertSink, Platform } from "../../src/types.ts";
import { testBackends, useTestDatabase } from "../fixtures/db.ts";

/** A sink that only performs platform actions, slowly, and counts them per user. */
function actionSink(seen: string[]): AlertSink {
  return {
    platform: "telegram",
    deliverAlert: async () => ({ ref: "x" }),
    showDecision: async () => {},
    performAction: async (a) => {
      await new Promise((r) => setTimeout(r, 2));
      seen.push(a.userId);
    },
  };
}

describe.each(testBackends())("outbox on $name", (backend) => {
  const getDb = useTestDatabase(backend);

  it("an idempotency key is enqueued once", async () => {
    const db = getDb().db;
    const communityId = await upsertCommunity(db, "telegram", "-100");
    const payload = { kind: "platform_action" as const, caseId: 1, communityId, action: { kind: "ban" as const, communityId: "-100", userId: "u1" } };
    expect(await enqueue(db, "telegram", "k1", payload)).toBe(true);
    expect(await enqueue(db, "telegram", "k1", payload)).toBe(false);
    expect(await db.select().from(outbox)).toHaveLength(1);
  });

  it("workers draining at the same time deliver every row exactly once (FOR UPDATE SKIP LOCKED)", async () => {
    const db = getDb().db;
    const communityId = await upsertCommunity(db, "telegram", "-100");
    for (let i = 0; i < 30; i++) {
      await enqueue(db, "telegram", `a${i}`, { kind: "platform_action", caseId: 1, communityId, action: { kind: "ban", communityId: "-100", userId: `u${i}` } });
    }
    const seen: string[] = [];
    const workers = [0, 1, 2].map(() => new OutboxWorker(getDb(), new Map<Platform, AlertSink>([["telegram", actionSink(seen)]]), silentLogger, { batch: 4 }));
    const counts = await Promise.all(workers.map((w) => w.drain()));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(30);
    expect(seen.sort()).toEqual(Array.from({ length: 30 }, (_, i) => `u${i}`).sort());
    expect((await db.select().from(outbox)).every((r) => r.deliveredAt !== null && r.attempts === 1)).toBe(true);
  });

  it("a row claimed by a worker that died is taken over once its lease expires", async () => {
    const db = getDb().db;
    const communityId = await upsertCommunity(db, "telegram", "-100");
    await enqueue(db, "telegram", "only", { kind: "platform_action", caseId: 1, communityId, action: { kind: "ban", communityId: "-100", userId: "u1" } });
    const seen: string[] = [];
    const sinks = new Map<Platform, AlertSink>([["telegram", actionSink(seen)]]);
    // Simulate a claim by a crashed worker: locked, attempt counted, never finished.
    const { sql } = await import("drizzle-orm");
    await db.update(outbox).set({ attempts: 1, lockedUntil: sql`now() + interval '1 hour'` });
    expect(await new OutboxWorker(getDb(), sinks, silentLogger).drain()).toBe(0);
    await db.update(outbox).set({ lockedUntil: sql`now() - interval '1 second'` });
    expect(await new OutboxWorker(getDb(), sinks, silentLogger).drain()).toBe(1);
    expect(seen).toEqual(["u1"]);
  });

  it("a process claims only rows of platforms whose sink it has: a Telegram worker leaves Discord's rows to a Discord shard", async () => {
    const db = getDb().db;
    const tg = await upsertCommunity(db, "telegram", "-100");
    const dc = await upsertCommunity(db, "discord", "g1");
    for (let i = 0; i < 3; i++) {
      await enqueue(db, "telegram", `t${i}`, { kind: "platform_action", caseId: 1, communityId: tg, action: { kind: "ban", communityId: "-100", userId: `t${i}` } });
      await enqueue(db, "discord", `d${i}`, { kind: "platform_action", caseId: 1, communityId: dc, action: { kind: "ban", communityId: "g1", userId: `d${i}` } });
    }
    const seenTg: string[] = [];
    const seenDc: string[] = [];
    const telegramWorker = new OutboxWorker(getDb(), new Map<Platform, AlertSink>([["telegram", actionSink(seenTg)]]), silentLogger);
    expect(await telegramWorker.drain()).toBe(3);
    // Discord's rows untouched: no attempt spent, not pushed back, not locked.
    const left = (await db.select().from(outbox)).filter((r) => r.platform === "discord");
    expect(left.map((r) => [r.attempts, r.lockedUntil, r.lastError, r.deliveredAt])).toEqual(Array(3).fill([0, null, null, null]));
    const discordWorker = new OutboxWorker(getDb(), new Map<Platform, AlertSink>([["discord", { ...actionSink(seenDc), platform: "discord" }]]), silentLogger);
    expect(await discordWorker.drain()).toBe(3);
    expect(seenTg.sort()).toEqual(["t0", "t1", "t2"]);
    expect(seenDc.sort()).toEqual(["d0", "d1", "d2"]);
    // A process with no sink at all (a console-only one) claims nothing.
    await enqueue(db, "discord", "d9", { kind: "platform_action", caseId: 1, communityId: dc, action: { kind: "ban", communityId: "g1", userId: "d9" } });
    expect(await new OutboxWorker(getDb(), new Map(), silentLogger).drain()).toBe(0);
    const [row] = (await db.select().from(outbox)).filter((r) => r.idempotencyKey === "d9");
    expect(row!.attempts).toBe(0);
  });
});
