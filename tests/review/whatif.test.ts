// The what-if caches replays (they are the slow part) but must never answer from a replay
// of text that has since changed.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { applySettingsChange, DEFAULT_SETTINGS } from "../../src/config/settings.ts";
import type { EngineRunner } from "../../src/review/engine-runner.ts";
import { whatIf } from "../../src/review/whatif.ts";
import { messages } from "../../src/store/schema.ts";
import type { ChatMessage } from "../../src/types.ts";
import { testBackends, useTestDatabase } from "../fixtures/db.ts";
import { pickConversations, seedCase, seedCommunity } from "./seed.ts";
import { truthEngine } from "./truth-engine.ts";

describe.each(testBackends())("what-if ($name)", (backend) => {
  const getDb = useTestDatabase(backend);

  it("replays once for several thresholds, and again after a message is edited", async () => {
    const db = getDb().db;
    const community = await seedCommunity(db, "guild-w", "Whatif Club");
    const seeded = await seedCase(db, community, pickConversations().grooming[0]!, { score: 0.9 });
    const replayed: ChatMessage[][] = [];
    const inner = truthEngine(() => []);
    const counting: EngineRunner = { replay: (msgs) => (replayed.push(msgs), inner.replay(msgs)) };

    await whatIf(db, counting, community, applySettingsChange(DEFAULT_SETTINGS, { threshold: 0.5 }));
    await whatIf(db, counting, community, applySettingsChange(DEFAULT_SETTINGS, { threshold: 0.8 }));
    expect(replayed).toHaveLength(1);

    const [first] = await db.select().from(messages).where(eq(messages.id, seeded.messageIds[0]!));
    await db.update(messages).set({ text: "edited text" }).where(eq(messages.id, first!.id));
    await whatIf(db, counting, community, applySettingsChange(DEFAULT_SETTINGS, { threshold: 0.8 }));
    expect(replayed).toHaveLength(2);
    expect(replayed[1]!.some((m) => m.text === "edited text")).toBe(true);
  });
});
