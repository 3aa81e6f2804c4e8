// Memory stays bounded however many adult→child pairs are tracked: the engine keeps at most
// `maxTrackedStates` states, hands every evicted one to the store (the pipeline writes it
// to risk_states), and a pair that speaks again continues from its restored state exactly
// as if it had never left memory. Heap is measured after GC, with a generous bound.
// HAVEN_MEMORY_PAIRS=1000000 runs it with a million pairs (the default keeps the suite quick).
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { loadModel, RiskEngine, type PersistedState } from "../../src/engine/index.ts";
import type { Assessment, ChatMessage } from "../../src/types.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
function heapMb(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed / 1e6;
}

const PAIRS = Number(process.env.HAVEN_MEMORY_PAIRS) || 200_000;
const CACHE = 5_000;
const T0 = Date.parse("2026-03-01T10:00:00Z");

// Warning-sign openings (non-explicit), varied so that not every pair looks the same.
const OPENERS = ["hey how old are you?", "what school do you go to?", "you seem so mature for your age", "is anyone home with you right now?"];
const REPLIES = ["13", "why", "lol ok", "im in year 8"];

/** The first exchange of pair i: adult a{i} and child k{i} in their own direct channel. */
function opening(i: number): ChatMessage[] {
  const base = { platform: "discord" as const, communityId: `g${i % 50}`, channelId: `dm${i}`, channelKind: "dm" as const, attachments: 0 };
  const ts = T0 + i * 1_000;
  return [
    { ...base, messageId: `${i}a`, authorId: `a${i}`, text: OPENERS[i % OPENERS.length]!, ts },
    { ...base, messageId: `${i}b`, authorId: `k${i}`, text: REPLIES[i % REPLIES.length]!, ts: ts + 200 },
  ];
}

/** Later the same day: the adult presses on. */
function followUp(i: number): ChatMessage {
  return {
    platform: "discord",
    communityId: `g${i % 50}`,
    channelId: `dm${i}`,
    channelKind: "dm",
    attachments: 0,
    messageId: `${i}c`,
    authorId: `a${i}`,
    text: "dont tell your parents about me ok? add me on snap",
    ts: T0 + PAIRS * 1_000 + i,
  };
}

const summary = (a: Assessment) => ({ score: a.top?.score ?? null, subject: a.top?.subject ?? null, stages: a.signals.map((s) => s.stage).sort() });

describe("memory with many tracked pairs", () => {
  const model = loadModel("v4");

  it(`holds at most ${CACHE} states for ${PAIRS} pairs, within a bounded heap, and restores an evicted pair on demand`, () => {
    // Pairs that will speak again: their evicted states are kept, as risk_states would be.
    const sample = new Set(Array.from({ length: 20 }, (_, n) => Math.floor((n * PAIRS) / 20)));
    const store = new Map<string, PersistedState>();
    let evicted = 0;
    const before = heapMb();
    const engine = new RiskEngine(model, {
      maxTrackedStates: CACHE,
      onEvict: (s) => {
        evicted++;
        const i = Number(/^(?:c\|discord\|dm|a\|discord\|[ak]|p\|discord\|[ak])(\d+)/.exec(s.key)?.[1]);
        if (sample.has(i)) store.set(s.key, s);
      },
    });
    let largest = 0;
    for (let i = 0; i < PAIRS; i++) {
      for (const m of opening(i)) engine.observe(m);
      // The pipeline drains changed states after each batch.
      if (i % 500 === 0) {
        engine.drainDirty();
        largest = Math.max(largest, engine.size);
      }
    }
    engine.drainDirty();
    const held = heapMb() - before;
    expect(largest).toBeLessThanOrEqual(CACHE);
    expect(evicted).toBeGreaterThan(PAIRS * 2);
    // 5,000 states take a few MB; the generous bound is still far below what every pair would take.
    expect(held).toBeLessThan(64);

    for (const i of sample) {
      const m = followUp(i);
      // Gone from memory, restored from the store, as the pipeline's hydrateFor does.
      expect(engine.keysFor(m).some((k) => engine.isLoaded(k))).toBe(false);
      for (let pass = 0; pass < 3; pass++) for (const k of engine.keysFor(m)) if (!engine.isLoaded(k) && store.has(k)) engine.hydrate(store.get(k)!);
      const restored = engine.observe(m);
      // The same pair on an engine that never evicted anything.
      const fresh = new RiskEngine(model);
      for (const o of opening(i)) fresh.observe(o);
      const expected = fresh.observe(m);
      expect(summary(restored)).toEqual(summary(expected));
      expect(restored.top?.score ?? 0).toBeGreaterThan(0);
    }
  }, 600_000);
});
