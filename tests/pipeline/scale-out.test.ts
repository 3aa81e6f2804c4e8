// Scale-out: several workers on one database, each scoring only the partitions (hashes of
// communities) it holds a lease on, handing the other messages over through the store.
// Whatever worker a message arrives at, and whatever worker dies or joins, the cases and
// alerts are those of one worker alone: each conversation scored in order, by one worker.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createHaven, type Haven } from "../../src/app.ts";
import { readConversations, streamGroups, type StreamItem } from "../../src/corpus/format.ts";
import { loadModel, RiskEngine } from "../../src/engine/index.ts";
import { PartitionLeases } from "../../src/pipeline/leases.ts";
import { partitionOf } from "../../src/pipeline/partition.ts";
import { silentLogger } from "../../src/log.ts";
import { registry } from "../../src/metrics.ts";
import type { Pipeline } from "../../src/pipeline.ts";
import type { Database } from "../../src/store/db.ts";
import { alerts, cases, communities, handoffs, leases, messageSignals, messages, participants } from "../../src/store/schema.ts";
import { resetDatabase, testBackends, useTestDatabase } from "../fixtures/db.ts";
import { DEV_CORPUS } from "../fixtures/dev-corpus.ts";

const PARTITIONS = 16;
const TTL_MS = 3_000;
// Every conversation of the dev set is its own community: 40 of them spread over the partitions.
const convs = readConversations(DEV_CORPUS).slice(0, 40);
const stream: StreamItem[] = streamGroups(convs)
  .flat()
  .sort((a, b) => a.index - b.index || a.message.ts - b.message.ts);
const partitionOfItem = (it: StreamItem) => partitionOf(it.message.platform, it.message.communityId, PARTITIONS);

describe.each(testBackends())("scale-out on $name", (backend) => {
  const getDb = useTestDatabase(backend);
  // A fixed model version: these tests compare runs with each other, not the detector.
  const model = loadModel("v4");

  /** A worker; `dies()` makes its database calls fail from then on, as a killed process's would. */
  async function worker(owner: string | null, maxTrackedStates = 100_000, database: Database = getDb()) {
    let dead = false;
    const db = new Proxy(database.db, {
      get(target, prop, receiver) {
        if (dead) throw new Error("connection terminated (worker killed, test)");
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const to: { pipeline?: Pipeline } = {};
    const engine = new RiskEngine(model, { maxTrackedStates, onEvict: (s) => to.pipeline?.keepEvicted(s) });
    const haven = await createHaven({
      database: { ...database, db },
      engine,
      retentionEveryMs: 0,
      ...(owner ? { scaleOut: { owner, partitions: PARTITIONS, ttlMs: TTL_MS, renewMs: 500 } } : {}),
    });
    to.pipeline = haven.pipeline;
    return {
      haven,
      async die() {
        await haven.leases!.stop(false);
        dead = true;
      },
    };
  }

  /** Renews leases often enough for the test's pace (a worker stops scoring once its lease could lapse). */
  function keepAlive(havens: Haven[]) {
    let last = 0;
    return async () => {
      if (Date.now() - last < 200) return;
      last = Date.now();
      for (const h of havens) await h.leases!.tick();
    };
  }

  async function outcome() {
    const db = getDb().db;
    const a = await db
      .select({ community: communities.platformId, message: messages.platformMessageId, trigger: alerts.trigger, score: alerts.score, stages: alerts.stages })
      .from(alerts)
      .innerJoin(messages, sql`${messages.id} = ${alerts.triggerMessageId}`)
      .innerJoin(communities, sql`${communities.id} = ${alerts.communityId}`);
    const c = await db
      .select({ community: communities.platformId, suspect: participants.platformId, score: cases.score, stages: cases.stages })
      .from(cases)
      .innerJoin(communities, sql`${communities.id} = ${cases.communityId}`)
      .innerJoin(participants, sql`${participants.id} = ${cases.suspectId}`);
    const [unscored] = await db.select({ n: sql<number>`count(*)::int` }).from(messages).where(sql`${messages.scoredAt} is null`);
    const [pending] = await db.select({ n: sql<number>`count(*)::int` }).from(handoffs);
    const [stored] = await db.select({ n: sql<number>`count(*)::int` }).from(messages);
    return {
      alerts: a.map((r) => `${r.community}/${r.message} ${r.trigger} ${Math.round(r.score * 1e6)} ${[...r.stages].sort().join(",")}`).sort(),
      cases: c.map((r) => `${r.community} ${r.suspect} ${Math.round(r.score * 1e6)} ${[...r.stages].sort().join(",")}`).sort(),
      unscored: unscored!.n,
      pending: pending!.n,
      stored: stored!.n,
    };
  }

  async function alone() {
    const { haven } = await worker(null);
    for (const it of stream) await haven.service.ingest(it.message);
    await haven.stop();
    const out = await outcome();
    await resetDatabase(getDb());
    return out;
  }

  async function owners(): Promise<Map<number, string>> {
    const rows = await getDb().db.select().from(leases).where(sql`${leases.partition} >= 0 and ${leases.expiresAt} > now()`);
    return new Map(rows.map((r) => [r.partition, r.owner]));
  }

  it("two workers, messages arriving at either: the same cases and alerts as one worker, each partition owned by one", async () => {
    const expected = await alone();
    expect(expected.alerts.length).toBeGreaterThan(5);

    const a = (await worker("a")).haven;
    const b = (await worker("b")).haven;
    // a alone takes everything; b announces itself; a gives back the excess; b takes it.
    await a.leases!.tick();
    expect(a.leases!.ownedPartitions).toHaveLength(PARTITIONS);
    await b.leases!.tick();
    await a.leases!.tick();
    await b.leases!.tick();
    const mine = { a: a.leases!.ownedPartitions, b: b.leases!.ownedPartitions };
    expect(mine.a).toHaveLength(PARTITIONS / 2);
    expect(mine.b).toHaveLength(PARTITIONS / 2);
    expect(new Set([...mine.a, ...mine.b]).size).toBe(PARTITIONS);
    const table = await owners();
    for (const p of mine.a) expect(table.get(p)).toBe("a");
    for (const p of mine.b) expect(table.get(p)).toBe("b");
    // The stream really is split: both workers score, and both hand messages over.
    expect(new Set(stream.map(partitionOfItem).map((p) => (mine.a.includes(p) ? "a" : "b"))).size).toBe(2);

    const alive = keepAlive([a, b]);
    let handedOver = 0;
    for (const [i, it] of stream.entries()) {
      await alive();
      const at = i % 2 ? b : a;
      const r = await at.service.ingest(it.message);
      if (!r.scored) handedOver++;
    }
    expect(handedOver).toBeGreaterThan(stream.length / 4);
    await a.pipeline.drainHandoffs();
    await b.pipeline.drainHandoffs();
    await a.stop();
    await b.stop();
    expect(await outcome()).toEqual(expected);
  }, 180_000);

  it("a worker that dies: after the TTL the other owns every partition, scores what was handed over, and continues its conversations from the stored state", async () => {
    const expected = await alone();
    const a = await worker("a");
    const b = (await worker("b")).haven;
    await a.haven.leases!.tick();
    await b.leases!.tick();
    await a.haven.leases!.tick();
    await b.leases!.tick();
    const ofA = new Set(a.haven.leases!.ownedPartitions);
    expect(ofA.size).toBe(PARTITIONS / 2);

    const alive = keepAlive([a.haven, b]);
    const half = Math.floor(stream.length / 2);
    for (const it of stream.slice(0, half)) {
      await alive();
      // Each message at its owner's door: the dead worker's conversations are half-way in its memory.
      await (ofA.has(partitionOfItem(it)) ? a.haven : b).service.ingest(it.message);
    }
    await a.die();
    // Messages arriving meanwhile are stored and handed over to the dead worker's partitions.
    const gap = stream.slice(half, half + 40);
    const aliveB = keepAlive([b]);
    for (const it of gap) {
      await aliveB();
      await b.service.ingest(it.message);
    }
    const waiting = gap.filter((it) => ofA.has(partitionOfItem(it))).length;
    expect(waiting).toBeGreaterThan(0);
    expect((await outcome()).pending).toBe(waiting);

    await new Promise((r) => setTimeout(r, TTL_MS + 100));
    await b.leases!.tick();
    expect(b.leases!.ownedPartitions).toHaveLength(PARTITIONS);
    expect([...(await owners()).values()].every((o) => o === "b")).toBe(true);
    await b.pipeline.drainHandoffs();
    expect((await outcome()).pending).toBe(0);
    for (const it of stream.slice(half + 40)) {
      await b.leases!.tick();
      await b.service.ingest(it.message);
    }
    await b.stop();
    await a.haven.stop(); // its database calls fail: it only unregisters
    const got = await outcome();
    expect(got).toEqual(expected);
    // Some alert fell after the failover in a conversation the dead worker had started.
    const started = new Set(stream.slice(0, half).filter((it) => ofA.has(partitionOfItem(it))).map((it) => it.message.communityId));
    const after = new Set(stream.slice(half).map((it) => `${it.message.communityId}/${it.message.messageId}`));
    expect(got.alerts.some((line) => started.has(line.split("/")[0]!) && after.has(line.split(" ")[0]!))).toBe(true);
  }, 180_000);

  it.each([
    ["a big cache", 100_000],
    ["16 states in memory: evicted and restored all along", 16],
    // Stale states of partitions given away stay long enough to be evicted after the new owner wrote newer ones.
    ["200 states in memory: stale states are never written back", 200],
  ])("a worker joining takes a fair share, starting from the state the other wrote; one leaving gives its share back (%s)", async (_, cache) => {
    const expected = await alone();
    const a = (await worker("a", cache)).haven;
    await a.leases!.tick();
    const third = Math.floor(stream.length / 3);
    for (const it of stream.slice(0, third)) {
      await a.leases!.tick();
      await a.service.ingest(it.message);
    }
    const b = (await worker("b", cache)).haven;
    await b.leases!.tick();
    expect(b.leases!.ownedPartitions).toHaveLength(0);
    await a.leases!.tick(); // gives back the excess, its state written first
    await b.leases!.tick();
    expect(a.leases!.ownedPartitions).toHaveLength(PARTITIONS / 2);
    expect(b.leases!.ownedPartitions).toHaveLength(PARTITIONS / 2);
    const alive = keepAlive([a, b]);
    for (const [i, it] of stream.slice(third, 2 * third).entries()) {
      await alive();
      await (i % 2 ? a : b).service.ingest(it.message);
    }
    await b.pipeline.drainHandoffs();
    // b leaves in good order; a takes its partitions back, and must not trust what it
    // remembered of them from before b had them.
    await b.stop();
    await a.leases!.tick();
    expect(a.leases!.ownedPartitions).toHaveLength(PARTITIONS);
    for (const it of stream.slice(2 * third)) {
      await a.leases!.tick();
      await a.service.ingest(it.message);
    }
    await a.stop();
    expect(await outcome()).toEqual(expected);
  }, 180_000);

  it("three workers share the partitions fairly", async () => {
    const ws = [(await worker("a")).haven, (await worker("b")).haven, (await worker("c")).haven];
    for (let round = 0; round < 3; round++) for (const h of ws) await h.leases!.tick();
    const counts = ws.map((h) => h.leases!.ownedPartitions.length);
    expect(counts.reduce((x, y) => x + y)).toBe(PARTITIONS);
    // 16 over 3: none above its share of 6, none left far behind.
    for (const n of counts) expect(n).toBeGreaterThanOrEqual(4);
    for (const n of counts) expect(n).toBeLessThanOrEqual(Math.ceil(PARTITIONS / 3));
    expect(new Set(ws.flatMap((h) => h.leases!.ownedPartitions)).size).toBe(PARTITIONS);
    for (const h of ws) await h.stop();
  }, 60_000);

  it("a worker whose lease was taken while it stalled hands the message over instead of scoring it", async () => {
    const a = (await worker("a")).haven;
    await a.leases!.tick();
    const m = stream[0]!.message;
    const p = partitionOf(m.platform, m.communityId, PARTITIONS);
    // Another worker took the partition (a's lease lapsed while a was stalled); a's clock still says it owns it.
    await getDb().db.update(leases).set({ owner: "b" }).where(sql`${leases.partition} = ${p}`);
    const r = await a.service.ingest(m);
    expect(r.stored).toBe(true);
    expect(r.scored).toBe(false);
    expect(a.leases!.ownedPartitions).not.toContain(p);
    const waiting = await getDb().db.select().from(handoffs);
    expect(waiting.map((h) => h.partition)).toEqual([p]);
    await a.stop();
  }, 60_000);

  it("gained partitions count as owned only after the pipeline has set its memory of them aside", async () => {
    const seen: boolean[] = [];
    const leasesOf: { l?: PartitionLeases } = {};
    const l = new PartitionLeases(getDb().db, "solo", silentLogger, async (change) => {
      for (const p of change.gained) seen.push(leasesOf.l!.owns(p));
    }, { partitions: PARTITIONS });
    leasesOf.l = l;
    const change = await l.tick();
    expect(change.gained).toHaveLength(PARTITIONS);
    expect(seen).toEqual(Array(PARTITIONS).fill(false));
    expect(l.ownedPartitions).toHaveLength(PARTITIONS);
    await l.stop();
    expect(await getDb().db.select().from(leases)).toEqual([]);
  });

  it("metrics show the partitions held and the messages waiting for their owner", async () => {
    const a = (await worker("a")).haven;
    const b = (await worker("b")).haven;
    for (const h of [a, b, a, b]) await h.leases!.tick();
    const value = async (name: string) => Number((await registry.metrics()).split("\n").find((l) => l.startsWith(`${name} `))?.slice(name.length + 1));
    expect(await value("haven_partitions_owned")).toBe(PARTITIONS);
    const item = stream.find((it) => a.leases!.ownedPartitions.includes(partitionOfItem(it)))!;
    // a stops renewing (as if dead), so nobody takes the message before its lease lapses.
    await a.leases!.stop(false);
    expect(await value("haven_partitions_owned")).toBe(PARTITIONS / 2);
    expect((await b.service.ingest(item.message)).scored).toBe(false);
    expect(await value("haven_handoffs_pending")).toBe(1);
    await a.stop();
    await b.stop();
  }, 60_000);

  it("handed-over messages are scored with their community's watched languages", async () => {
    const dutch = streamGroups(convs.filter((c) => c.lang === "nl" && c.label === "grooming").slice(0, 1)).flat();
    expect(dutch.length).toBeGreaterThan(5);
    const m0 = dutch[0]!.message;
    const run = async (languages: string[]) => {
      await resetDatabase(getDb());
      const a = (await worker("a")).haven;
      const b = (await worker("b")).haven;
      for (const h of [a, b, a, b]) await h.leases!.tick();
      const [owner, other] = a.leases!.ownedPartitions.includes(partitionOf(m0.platform, m0.communityId, PARTITIONS)) ? [a, b] : [b, a];
      await owner.service.changeSettings(m0.platform, m0.communityId, { languages }, { via: m0.platform, id: "admin", rights: ["configure"] });
      for (const it of dutch) expect((await other.service.ingest(it.message)).scored).toBe(false);
      await owner.pipeline.drainHandoffs();
      await a.stop();
      await b.stop();
      const out = await outcome();
      expect(out.pending).toBe(0);
      return out.alerts.length;
    };
    expect(await run(["en"])).toBe(0);
    expect(await run(["en", "nl"])).toBeGreaterThan(0);
  }, 120_000);

  it("an edit arriving at a worker that does not own the conversation is scored by the owner", async () => {
    const a = (await worker("a")).haven;
    const b = (await worker("b")).haven;
    for (const h of [a, b, a, b]) await h.leases!.tick();
    const item = stream.find((it) => a.leases!.ownedPartitions.includes(partitionOfItem(it)))!;
    const m = item.message;
    await a.service.ingest({ ...m, text: "nice drawing" });
    const r = await b.service.editMessage({ platform: m.platform, channelId: m.channelId, messageId: m.messageId }, "how old are you? is your mom home? keep this between us", m.ts + 1);
    expect(r.scored).toBe(false);
    await a.pipeline.drainHandoffs();
    const [row] = await getDb().db.select().from(messages).where(sql`${messages.platformMessageId} = ${m.messageId}`);
    expect(row!.text).toContain("how old");
    const signals = await getDb().db.select().from(messageSignals).where(sql`${messageSignals.messageId} = ${row!.id}`);
    expect(signals.length).toBeGreaterThan(0);
    expect((await outcome()).pending).toBe(0);
    await a.stop();
    await b.stop();
  }, 60_000);
});
