// The engine's per-conversation, per-pair and per-actor state, so that state evicted
// from memory or held by a process that restarted can be restored.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "./db.ts";
import { riskStates } from "./schema.ts";

export interface PersistedState {
  key: string;
  kind: "conversation" | "pair" | "actor";
  platform: string;
  score: number;
  state: unknown;
  /** The state as JSON when the engine already serialised it (written as is). */
  json?: string;
}

/** Stored states for these keys written by the same model version (another model's state is not reused). */
export async function loadRiskStates(db: Db, keys: string[], modelVersion: string): Promise<PersistedState[]> {
  if (!keys.length) return [];
  const rows = await db
    .select({ key: riskStates.key, kind: riskStates.kind, platform: riskStates.platform, score: riskStates.score, state: riskStates.state })
    .from(riskStates)
    // One array parameter: a batch can ask for a thousand keys, and a parameter per key costs
    // more to build and to parse than the lookup itself.
    .where(and(sql`${riskStates.key} = any(${sql.param(keys)}::text[])`, eq(riskStates.modelVersion, modelVersion)));
  return rows;
}

export async function saveRiskStates(db: Db, states: PersistedState[], modelVersion: string): Promise<void> {
  if (!states.length) return;
  await db
    .insert(riskStates)
    .values(states.map((s) => ({ key: s.key, kind: s.kind, platform: s.platform, score: s.score, state: s.state, modelVersion })))
    .onConflictDoUpdate({
      target: riskStates.key,
      set: {
        kind: sql`excluded.kind`,
        platform: sql`excluded.platform`,
        score: sql`excluded.score`,
        state: sql`excluded.state`,
        modelVersion: sql`excluded.model_version`,
        updatedAt: sql`now()`,
      },
    });
}
