// Prometheus metrics at /metrics on the console: messages in, scored, rejected, alerts,
// outbox depth, deliveries and their failures, database latency, held messages.
import { describe, expect, it } from "vitest";
import { createHaven } from "../../src/app.ts";
import { silentLogger } from "../../src/log.ts";
import { createConsoleApp } from "../../src/review/server.ts";
import type { ChatMessage } from "../../src/types.ts";
import { testBackends, useTestDatabase } from "../fixtures/db.ts";
import { FakeEngine } from "./fake-engine.ts";
import { admin, CaptureSink, msg, resetClock } from "./helpers.ts";

/** The value of one sample (name with its labels, as exposed) in a Prometheus text page. */
function sample(page: string, name: string): number {
  const line = page.split("\n").find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : 0;
}

describe.each(testBackends())("metrics on $name", (backend) => {
  const getDb = useTestDatabase(backend);

  it("counts what went through the pipeline and the outbox", async () => {
    resetClock();
    const haven = await createHaven({ database: getDb(), engine: new FakeEngine(), outbox: { baseDelayMs: 0 }, retentionEveryMs: 0 });
    const sink = new CaptureSink();
    haven.service.registerSink(sink);
    await haven.service.changeSettings("discord", "g1", { modChannel: "mods" }, admin);
    const app = createConsoleApp({ database: getDb(), service: haven.service, log: silentLogger, publicUrl: "http://127.0.0.1:8787" });
    const scrape = async () => {
      const res = await app.request("/metrics");
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/text\/plain/);
      return res.text();
    };
    const before = await scrape();

    const s = haven.service;
    await s.ingest(msg("1", "kid", "hi"));
    await s.ingest(msg("2", "adult", "#trust"));
    await s.ingest(msg("3", "adult", "#personal"));
    await s.ingest(msg("4", "adult", "#isolation"));
    await s.ingest({ ...msg("5", "kid", "bad"), ts: "yesterday" } as unknown as ChatMessage).catch(() => {});
    const queued = await scrape();
    const delta = (page: string, name: string) => sample(page, name) - sample(before, name);
    expect(delta(queued, "haven_messages_in_total")).toBe(5);
    expect(delta(queued, "haven_messages_rejected_total")).toBe(1);
    expect(delta(queued, "haven_messages_scored_total")).toBe(4);
    expect(delta(queued, 'haven_alerts_total{mode="live"}')).toBe(1);
    expect(delta(queued, "haven_message_score_count")).toBe(3);
    expect(sample(queued, "haven_outbox_depth")).toBe(1);
    expect(sample(queued, "haven_held_messages")).toBe(0);
    expect(delta(queued, "haven_db_seconds_count{op=\"batch\"}")).toBeGreaterThan(0);

    // The first attempt fails; the retry (zero backoff) delivers it.
    sink.failNext = 1;
    await haven.drainOutbox();
    const delivered = await scrape();
    expect(delta(delivered, 'haven_delivery_failures_total{platform="discord"}')).toBe(1);
    expect(delta(delivered, 'haven_deliveries_total{platform="discord"}')).toBe(1);
    expect(sample(delivered, "haven_outbox_depth")).toBe(0);
    await haven.stop();
  });
});

describe("metrics behind a token", () => {
  const getDb = useTestDatabase(testBackends()[0]!);

  it("with HAVEN_METRICS_TOKEN set, /metrics answers only its bearer token; health stays open", async () => {
    const haven = await createHaven({ database: getDb(), engine: new FakeEngine(), retentionEveryMs: 0 });
    const token = "a-long-random-metrics-token";
    const app = createConsoleApp({ database: getDb(), service: haven.service, log: silentLogger, publicUrl: "http://127.0.0.1:8787", metricsToken: token });
    const none = await app.request("/metrics");
    expect(none.status).toBe(401);
    expect(await none.text()).not.toMatch(/haven_messages_in_total/);
    expect((await app.request("/metrics", { headers: { Authorization: "Bearer wrong-token-of-some-length" } })).status).toBe(401);
    const ok = await app.request("/metrics", { headers: { Authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/haven_messages_in_total/);
    expect((await app.request("/healthz")).status).toBe(200);
    await haven.stop();
  });
});
