// `haven bench [--json]`: replays a large synthetic stream through the engine alone (no store,
// no alerts): the labelled conversations re-timed and spread over many channels and authors.
import { readFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { Command } from "commander";
import { parseConversations, toChatMessage, type Conversation } from "../corpus/format.ts";
import { loadModel, RiskEngine } from "../engine/index.ts";
import type { ChatMessage } from "../types.ts";
import { HavenError } from "../types.ts";
import { action } from "./run.ts";
import { devSetPath } from "../corpus/dev-set.ts";

interface BenchOptions {
  json?: boolean;
  messages: string;
  data: string;
  model: string;
}

export function registerBench(program: Command): void {
  program
    .command("bench")
    .description("measure engine throughput, per-message latency and memory per tracked pair")
    .option("--json", "print exactly one JSON object on stdout")
    .option("--messages <n>", "messages to replay", "200000")
    .option("--data <file>", "labelled conversations to mix", devSetPath())
    .option("--model <version>", "model version under models/", "current")
    .action(
      action(async ({ log }, opts: BenchOptions) => {
        let text: string;
        try {
          text = readFileSync(opts.data, "utf8");
        } catch {
          throw new HavenError(`Cannot read ${opts.data}`, "bench.data", "pass --data with a labelled JSONL file");
        }
        const convs = parseConversations(text, opts.data);
        const total = Math.max(1000, Number(opts.messages) || 200_000);
        const stream = synthesize(convs, total);
        const model = loadModel(opts.model);

        // Warm up on a separate engine so JIT compilation does not count.
        const warm = new RiskEngine(model);
        for (const m of stream.slice(0, Math.min(20_000, stream.length))) warm.observe(m);

        let engine: RiskEngine | null = new RiskEngine(model, { maxTrackedStates: stream.length, idleMs: Number.MAX_SAFE_INTEGER });
        const latencies = new Float64Array(stream.length);
        const cpuStart = process.cpuUsage();
        const start = process.hrtime.bigint();
        // performance.now() returns a double: timing each message allocates nothing (hrtime.bigint() allocated two BigInts).
        for (let i = 0; i < stream.length; i++) {
          const t0 = performance.now();
          engine.observe(stream[i]!);
          latencies[i] = performance.now() - t0;
        }
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        const cpu = process.cpuUsage(cpuStart);
        // The pipeline drains changed states after every batch; memory is what the engine keeps after that.
        const states = engine.drainDirty();
        const pairs = states.filter((s) => s.kind === "pair").length;
        const serialized = states.reduce((n, s) => n + JSON.stringify(s.state).length, 0);
        const counts = { states: states.length, pairs, inMemory: engine.size };
        states.length = 0;
        // Memory the engine holds: the heap with it, minus the heap once it is dropped.
        const heapWith = heap();
        engine = null;
        const held = Math.max(0, heapWith - heap());
        latencies.sort();
        const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
        const result = {
          messages: stream.length,
          messagesPerSecond: Math.round(stream.length / seconds),
          // CPU time of this process only: what one core does when other work shares the machine.
          cpuMessagesPerSecond: Math.round(stream.length / ((cpu.user + cpu.system) / 1e6)),
          p50Ms: round(q(0.5)),
          p99Ms: round(q(0.99)),
          maxMs: round(latencies[latencies.length - 1]!),
          trackedStates: counts.states,
          pairs: counts.pairs,
          // All engine memory (pairs, actors, conversations, the LRU's keys) charged to the pairs: an upper bound.
          bytesPerPair: counts.pairs ? Math.round(held / counts.pairs) : 0,
          bytesPerState: counts.inMemory ? Math.round(held / counts.inMemory) : 0,
          serializedBytesPerState: counts.states ? Math.round(serialized / counts.states) : 0,
          gc: exactGc !== null,
          model: model.version,
        };
        log.debug(result, "bench done");
        if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
        else {
          process.stdout.write(
            `engine ${result.model}: ${result.messages} messages, ${result.messagesPerSecond} msg/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, max ${result.maxMs} ms\n` +
              `${result.trackedStates} states (${result.pairs} pairs): ~${result.bytesPerPair} bytes of heap per pair, ${result.serializedBytesPerState} bytes per stored state\n`,
          );
        }
      }),
    );
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** A full collection: --expose-gc is turned on at run time (tsx gives no way to pass it), then taken from a fresh context. */
const exactGc: (() => void) | null = (() => {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  try {
    setFlagsFromString("--expose-gc");
    return runInNewContext("gc") as () => void;
  } catch {
    return null;
  }
})();

function heap(): number {
  exactGc?.();
  exactGc?.();
  return process.memoryUsage().heapUsed;
}

/**
 * Copies of the labelled conversations, each copy in its own channel with its own people,
 * started at staggered times and interleaved, until `total` messages.
 */
export function synthesize(convs: Conversation[], total: number): ChatMessage[] {
  if (convs.length === 0) throw new HavenError("No conversations to replay", "bench.data");
  const out: { m: ChatMessage; order: number }[] = [];
  let copy = 0;
  const t0 = Date.parse("2026-01-01T00:00:00Z");
  while (out.length < total) {
    for (const c of convs) {
      if (out.length >= total) break;
      const clone: Conversation = { ...c, id: `${c.id}#${copy}`, scenario: c.scenario ? `${c.scenario}#${copy}` : null };
      const first = Date.parse(c.messages[0]?.ts ?? "2026-01-01T00:00:00Z");
      const offset = t0 + (copy * 997 + out.length) * 1000 - first;
      for (const m of c.messages) {
        if (out.length >= total) break;
        const msg = toChatMessage(clone, m);
        msg.ts += offset;
        out.push({ m: msg, order: out.length });
      }
    }
    copy++;
  }
  out.sort((a, b) => a.m.ts - b.m.ts || a.order - b.order);
  // Through JSON, as the pipeline gets messages from a platform: flat strings, not the
  // concatenations toChatMessage builds (each would be copied flat when first hashed).
  return JSON.parse(JSON.stringify(out.map((x) => x.m))) as ChatMessage[];
}
