// The database going away mid-stream: ingest neither crashes nor loses messages; they
// are held in memory (bounded) and written, in order, when it returns.
import { asc } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { createHaven } from "../../src/app.ts";
import type { Database } from "../../src/store/db.ts";
import { alerts, cases, messages } from "../../src/store/schema.ts";
import { HavenError } from "../../src/types.ts";
import { testBackends, useTestDatabase } from "../fixtures/db.ts";
import { FakeEngine } from "./fake-engine.ts";
import { admin, CaptureSink, msg, resetClock } from "./helpers.ts";

/** Makes the database driver fail as if the server were unreachable, until `up()`. */
function outage(database: Database) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const client = (database.db as any).$client as Record<string, (...a: unknown[]) => unknown>;
  const names = ["query", "connect", "transaction", "exec"].filter((n) => typeof client[n] === "function");
  const original = new Map(names.map((n) => [n, client[n]!]));
  let down = false;
  let failures = 0;
  for (const n of names) {
    client[n] = function (this: unknown, ...args: unknown[]) {
      if (down) {
        failures++;
        const err = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432 (simulated outage)"), { code: "ECONNREFUSED" });
        return Promise.reject(err);
      }
      return original.get(n)!.apply(client, args);
    };
  }
  return {
    down: () => void (down = true),
    up: () => void (down = false),
    failures: () => failures,
    restore: () => {
      for (const [n, f] of original) client[n] = f;
    },
  };
}

describe.each(testBackends())("database outage on $name", (backend) => {
  const getDb = useTestDatabase(backend);
  beforeEach(() => resetClock());

  it("holds messages while the database is down and writes them in order when it returns", async () => {
    const engine = new FakeEngine();
    const haven = await createHaven({ database: getDb(), engine, pipeline: { bufferLimit: 5, retryMinMs: 10_000 } });
    haven.service.registerSink(new CaptureSink());
    await haven.service.changeSettings("discord", "g1", { modChannel: "mods" }, admin);
    const s = haven.service;
    await s.ingest(msg("1", "kid", "hi"));
    await s.ingest(msg("2", "adult", "#trust"));

    const net = outage(getDb());
    net.down();
    const during = [msg("3", "adult", "#personal"), msg("4", "kid", "ok"), msg("5", "adult", "#isolation"), msg("6", "kid", "fine"), msg("7", "other", "hello")];
    const results = await Promise.all(during.map((m) => s.ingest(m)));
    expect(results.every((r) => r.buffered === true && r.stored)).toBe(true);
    expect(haven.pipeline.heldMessages).toBe(5);
    // Beyond the bound: a clear, retryable refusal, so the adapter can ask for redelivery.
    const refused = await s.ingest(msg("8", "kid", "one more")).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HavenError);
    expect((refused as HavenError).code).toBe("store.unavailable");
    // Still down: a retry keeps them.
    expect(await haven.pipeline.flushHeld()).toBe(5);
    // An edit of a held message is held behind it (the bound is for new messages only).
    const edit = await s.editMessage({ platform: "discord", channelId: "c1", messageId: "6" }, "fine, edited", Date.parse("2026-03-02T00:00:00Z"));
    expect(edit.buffered).toBe(true);
    expect(net.failures()).toBeGreaterThan(0);

    net.up();
    expect(await haven.pipeline.flushHeld()).toBe(0);
    const rows = await getDb().db.select().from(messages).orderBy(asc(messages.id));
    expect(rows.map((r) => r.platformMessageId)).toEqual(["1", "2", "3", "4", "5", "6", "7"]);
    expect(rows[5]!.text).toBe("fine, edited");
    // Scored in order: the third stage (message 5) crossed the threshold and opened the case.
    expect(await getDb().db.select().from(cases)).toHaveLength(1);
    const [a] = await getDb().db.select().from(alerts);
    expect(a!.triggerMessageId).toBe(rows[4]!.id);
    expect(await haven.drainOutbox()).toBe(1);
    // Redelivery of the refused message after the outage is stored normally.
    expect(await s.ingest(msg("8", "kid", "one more"))).toMatchObject({ stored: true });
    net.restore();
    await haven.stop();
  });

  it("a transaction that fails after the engine scored the message is retried without scoring it twice", async () => {
    // The connection drops inside the transaction, after observe(): simulated by the first
    // call the transaction makes after scoring failing with a connection error.
    class DroppingEngine extends FakeEngine {
      drops = 1;
      override drainDirty() {
        if (this.drops-- > 0) throw Object.assign(new Error("Connection terminated unexpectedly"), { code: "ECONNRESET" });
        return super.drainDirty();
      }
      override drainDirtyKeys() {
        if (this.drops-- > 0) throw Object.assign(new Error("Connection terminated unexpectedly"), { code: "ECONNRESET" });
        return super.drainDirtyKeys();
      }
    }
    const engine = new DroppingEngine();
    engine.drops = 0;
    const haven = await createHaven({ database: getDb(), engine, pipeline: { retryMinMs: 10_000 } });
    await haven.service.ingest(msg("1", "kid", "hi"));
    await haven.service.ingest(msg("2", "adult", "#trust"));
    engine.drops = 1;
    const r = await haven.service.ingest(msg("3", "adult", "#personal #isolation"));
    expect(r.buffered).toBe(true);
    expect(await getDb().db.select().from(messages)).toHaveLength(2);
    expect(await haven.pipeline.flushHeld()).toBe(0);
    expect(engine.observed).toBe(3);
    expect(await getDb().db.select().from(alerts)).toHaveLength(1);
    const rows = await getDb().db.select().from(messages);
    expect(rows).toHaveLength(3);
    expect(rows.every((m) => m.scoredAt !== null)).toBe(true);
    await haven.stop();
  });

  it("a write behind that fails holds the batch scored after it too, and both are written in order, each scored once", async () => {
    // The next batch is prepared and scored while a batch's statement runs: when that
    // statement fails (the database went away), the next one must not overtake it.
    const engine = new FakeEngine();
    const haven = await createHaven({ database: getDb(), engine, pipeline: { retryMinMs: 10_000 } });
    const s = haven.service;
    await s.ingest(msg("1", "kid", "hi"));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const client = (getDb().db as any).$client as Record<string, (...a: unknown[]) => unknown>;
    const query = client.query!;
    let failNext = true;
    client.query = function (this: unknown, ...args: unknown[]) {
      const text = typeof args[0] === "string" ? args[0] : ((args[0] as { text?: string } | undefined)?.text ?? "");
      if (failNext && /insert into messages/i.test(text)) {
        failNext = false;
        // Slow to fail, so that the next batch is scored meanwhile.
        const err = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432 (simulated outage)"), { code: "ECONNREFUSED" });
        return new Promise((_, reject) => setTimeout(() => reject(err), 100));
      }
      return query.apply(client, args);
    };
    try {
      const first = s.ingest(msg("2", "adult", "#trust"));
      await new Promise((r) => setTimeout(r, 30));
      const second = s.ingest(msg("3", "kid", "ok"));
      const results = await Promise.all([first, second]);
      expect(results.map((r) => r.buffered)).toEqual([true, true]);
      expect(haven.pipeline.heldMessages).toBe(2);
      expect(await haven.pipeline.flushHeld()).toBe(0);
    } finally {
      client.query = query;
    }
    const rows = await getDb().db.select().from(messages).orderBy(asc(messages.id));
    expect(rows.map((m) => m.platformMessageId)).toEqual(["1", "2", "3"]);
    expect(rows.every((m) => m.scoredAt !== null)).toBe(true);
    expect(engine.observed).toBe(3);
    await haven.stop();
  });

  it.runIf(backend.name === "postgres")("survives its connections being terminated by the server mid-stream", async () => {
    const { default: pg } = await import("pg");
    const dbName = getDb().location.split("/").pop()!;
    const engine = new FakeEngine();
    const haven = await createHaven({ database: getDb(), engine, pipeline: { retryMinMs: 20 } });
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    const stream = Array.from({ length: 40 }, (_, i) => msg(String(i + 1), i % 2 ? "kid" : "adult", i === 10 ? "#trust" : i === 20 ? "#personal" : i === 30 ? "#isolation" : `message ${i}`));
    const results = [];
    for (const [i, m] of stream.entries()) {
      if (i % 10 === 5) await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", [dbName]);
      results.push(await haven.service.ingest(m));
    }
    await admin.end();
    for (let i = 0; i < 50 && (await haven.pipeline.flushHeld()) > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(haven.pipeline.heldMessages).toBe(0);
    expect(await getDb().db.select().from(messages)).toHaveLength(40);
    expect(await getDb().db.select().from(alerts)).toHaveLength(1);
    await haven.stop();
  });
});
