// Engine state evicted from memory is written to risk_states and restored when its
// conversation speaks again: a tiny in-memory cache gives the same alerts as a big one.
import { describe, expect, it } from "vitest";
import { createHaven } from "../../src/app.ts";
import { readConversations, streamGroups } from "../../src/corpus/format.ts";
import { loadModel, RiskEngine } from "../../src/engine/index.ts";
import type { Pipeline } from "../../src/pipeline.ts";
import { alerts } from "../../src/store/schema.ts";
import { resetDatabase, testBackends, useTestDatabase } from "../fixtures/db.ts";
import { DEV_CORPUS } from "../fixtures/dev-corpus.ts";

const convs = readConversations(DEV_CORPUS).filter((c) =>
  ["dev-0001", "dev-0002", "dev-0003", "dev-0005", "dev-0007", "dev-0009"].includes(c.id),
);
// All conversations interleaved by time, so that each one's state is evicted between its messages.
const stream = streamGroups(convs)
  .flat()
  .sort((a, b) => a.index - b.index || a.message.ts - b.message.ts);

describe.each(testBackends())("engine state eviction on $name", (backend) => {
  const getDb = useTestDatabase(backend);
  const model = loadModel();

  async function run(maxTrackedStates: number, idleMs: number) {
    const to: { pipeline?: Pipeline } = {};
    let evicted = 0;
    const engine = new RiskEngine(model, {
      maxTrackedStates,
      idleMs,
      onEvict: (s) => {
        evicted++;
        to.pipeline?.keepEvicted(s);
      },
    });
    const haven = await createHaven({ database: getDb(), engine, retentionEveryMs: 0 });
    to.pipeline = haven.pipeline;
    for (const item of stream) await haven.service.ingest(item.message);
    await haven.stop();
    const rows = await getDb().db.select().from(alerts).orderBy(alerts.id);
    return { evicted, alerts: rows.map((a) => ({ trigger: a.trigger, score: Math.round(a.score * 1e6), stages: a.stages })) };
  }

  it("gives the same alerts with 16 states in memory (and a one-day idle limit) as with everything kept", async () => {
    const big = await run(100_000, Number.MAX_SAFE_INTEGER);
    expect(big.evicted).toBe(0);
    expect(big.alerts.length).toBeGreaterThan(0);
    await resetDatabase(getDb());
    const small = await run(16, 86_400_000);
    expect(small.evicted).toBeGreaterThan(20);
    expect(small.alerts).toEqual(big.alerts);
  }, 120_000);
});
