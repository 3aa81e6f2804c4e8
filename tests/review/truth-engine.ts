// A stand-in engine for console tests that must not depend on the real model: it scores
// the corpus truth stored as message signals, so what-if figures follow the seeded labels.
import type { EngineRunner } from "../../src/review/engine-runner.ts";
import type { Assessment, ChatMessage, Stage } from "../../src/types.ts";

/** `stagesOf` gives a message's truth stages (the seed keys them by platform message id). */
export function truthEngine(stagesOf: (msg: ChatMessage) => Stage[]): EngineRunner {
  return {
    async replay(messages: ChatMessage[]): Promise<Assessment[]> {
      const seen = new Map<string, Set<Stage>>();
      return messages.map((msg) => {
        const stages = stagesOf(msg);
        const mine = seen.get(msg.authorId) ?? new Set<Stage>();
        stages.forEach((s) => mine.add(s));
        seen.set(msg.authorId, mine);
        const warning = [...mine].filter((s) => s !== "age");
        // Approaches 1 with each new warning stage, never reaching it.
        const score = 1 - 0.5 ** warning.length;
        return {
          messageId: msg.messageId,
          conversationId: msg.channelId,
          authorId: msg.authorId,
          lang: "en",
          signals: stages.map((stage) => ({ stage, weight: 0.5, evidence: msg.text.slice(0, 10), rule: "truth" })),
          top: warning.length
            ? { subject: { kind: "actor", actor: msg.authorId }, score, stages: [...mine], reasons: [], targets: [], conversationIds: [msg.channelId] }
            : null,
        };
      });
    },
  };
}
