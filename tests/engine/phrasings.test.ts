import { describe, expect, it } from "vitest";
import { decideAlert } from "../../src/alerts/policy.ts";
import { DEFAULT_SETTINGS } from "../../src/config/settings.ts";
import { loadModel, normalize, RiskEngine } from "../../src/engine/index.ts";
import { detectSignals } from "../../src/engine/signals.ts";
import type { ChatMessage, Stage } from "../../src/types.ts";

// Phrasings that came late on held-out conversations: meeting and pick-up (EN/NL), curiosity
// probing, cover stories, checks on parents; and the adult chat that shares their words.
const model = loadModel();
const stagesOf = (text: string) =>
  detectSignals(model, normalize(text))
    .signals.filter((s) => s.weight >= 0.4)
    .map((s) => s.stage);

const positives: [Stage, string][] = [
  ["meeting", "zullen we eens afspreken? ik kom je ophalen"],
  ["meeting", "ik haal je wel op na school"],
  ["meeting", "zaterdag? ik pik je op"],
  ["meeting", "wil je bij mij komen logeren"],
  ["meeting", "i can pick u up after school"],
  ["meeting", "no worries we'll just meet, its chill"],
  ["meeting", "i live like 10 min away from there"],
  ["sexual", "ben je nooit nieuwsgierig hoe het is?"],
  ["sexual", "het is normaal dat je daar nieuwsgierig naar bent"],
  ["sexual", "are u curious?"],
  ["sexual", "its totally normal to be curious about stuff like that"],
  ["sexual", "heb jij al ooit iemand gekust?"],
  ["isolation", "just say ur at a friends house lol"],
  ["isolation", "they dont need to know"],
  ["isolation", "lets keep this our thing"],
  ["risk", "will ur parents be around tonight?"],
  ["risk", "when is she not home"],
  ["images", "send another one now, in ur room"],
];

const nearMisses: [Stage, string][] = [
  ["sexual", "ben je nieuwsgierig naar de nieuwe update?"],
  ["sexual", "are u curious about the new season"],
  ["meeting", "ik haal je op van de luchthaven"],
  ["meeting", "i'll pick u up from the airport"],
  ["risk", "is he home? i need my charger back"],
];

describe("phrasings", () => {
  it.each(positives)("%s: %j", (stage, text) => expect(stagesOf(text)).toContain(stage));
  it.each(nearMisses)("not %s: %j", (stage, text) => expect(stagesOf(text)).not.toContain(stage));

  const T0 = Date.parse("2026-03-01T18:00:00Z");
  const chat = (lines: [string, string][]): ChatMessage[] =>
    lines.map(([authorId, text], i) => ({ platform: "discord", communityId: "g", channelId: "d1", channelKind: "dm", messageId: `m${i}`, authorId, text, ts: T0 + i * 60_000 }));
  const alerted = (lines: [string, string][]) => {
    const engine = new RiskEngine(model);
    return chat(lines).some((m) => {
      const top = engine.observe(m).top;
      return top !== null && decideAlert(top, null, DEFAULT_SETTINGS, 0).alert;
    });
  };

  it("adults arranging a date stay below the alert; the same words to a 13-year-old alert", () => {
    expect(
      alerted([
        ["a", "im 29 btw, and u?"],
        ["b", "31"],
        ["a", "cool. wanna meet up this weekend?"],
        ["b", "sure, send me ur address"],
        ["a", "ill pick u up at 8 for dinner"],
        ["b", "send me ur address and ill send u the reservation"],
      ]),
    ).toBe(false);
    expect(
      alerted([
        ["a", "how old r u"],
        ["b", "13"],
        ["a", "cool. wanna meet up this weekend? i can pick u up"],
      ]),
    ).toBe(true);
    expect(
      alerted([
        ["a", "hoe oud ben je"],
        ["b", "13"],
        ["a", "zullen we eens afspreken? ik kom je ophalen"],
      ]),
    ).toBe(true);
  });
});
