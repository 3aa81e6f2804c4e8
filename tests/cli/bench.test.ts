// The benchmark commands are how the speed goals are measured: they must run and print
// exactly one JSON object with the documented keys, with figures that add up. (Speeds
// themselves are measured by running them, never asserted here.)
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { pairMessage } from "../../src/cli/bench-pipeline.ts";

function bench(args: string[]): Record<string, unknown> {
  const env = { ...process.env };
  // The pipeline bench runs on the embedded database here (DATABASE_URL would make it create a scratch database).
  delete env.DATABASE_URL;
  const out = execFileSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "bench", ...args, "--json"], {
    cwd: resolve(import.meta.dirname, "../.."),
    encoding: "utf8",
    env,
    stdio: ["ignore", "pipe", "ignore"],
  });
  const lines = out.trim().split("\n");
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

describe("haven bench", () => {
  it("engine: messages per second, p99 and bytes per pair", () => {
    const r = bench(["--messages", "3000"]);
    expect(r).toMatchObject({ messages: 3000 });
    for (const k of ["messagesPerSecond", "p99Ms", "bytesPerPair"]) expect(r[k], k).toBeGreaterThan(0);
  }, 120_000);

  it("pipeline: one JSON object with throughput, latencies, memory and rows, every message scored", () => {
    const r = bench(["--pipeline", "--messages", "1200"]);
    expect(r).toMatchObject({ backend: "pglite", workers: 1, errors: 0, pairs: null });
    // The warm-up (1/20 of the stream) is not counted.
    expect(r.messages).toBe(1140);
    for (const k of ["messagesPerSecond", "p99IngestToScoreMs", "peakRssMb", "rowsPer1000Messages", "workerCpuUsPerMessage"]) expect(r[k], k).toBeGreaterThan(0);
    expect(r.p99IngestToScoreMs as number).toBeGreaterThanOrEqual(r.p50IngestToScoreMs as number);
    expect("p99TriggerToOutboxMs" in r).toBe(true);
  }, 180_000);

  it("pipeline --pairs: that many adult→child pairs, two messages each", () => {
    const r = bench(["--pipeline", "--pairs", "400"]);
    expect(r).toMatchObject({ pairs: 400, errors: 0, messages: 800 - 40 });
  }, 180_000);

  it("the --pairs stream: each pair an opening and a reply to it, in its own DM, in time order", () => {
    const a = pairMessage(10, 7);
    const b = pairMessage(11, 7);
    expect(a).toMatchObject({ channelId: "dm-5", channelKind: "dm", authorId: "adult-5", communityId: "bench-5" });
    expect(b).toMatchObject({ channelId: "dm-5", authorId: "child-5", replyToId: a.messageId });
    expect(b.ts).toBeGreaterThan(a.ts);
    expect(pairMessage(12, 7).ts).toBeGreaterThan(b.ts);
  });
});
