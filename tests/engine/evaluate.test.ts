import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/config/settings.ts";
import type { Conversation } from "../../src/corpus/format.ts";
import { runConversations } from "../../src/engine/evaluate.ts";
import { loadModel } from "../../src/engine/index.ts";

const START = Date.parse("2026-05-02T16:00:00Z");

/** One DM of a scenario: lines a minute apart, starting `offsetMin` minutes into it. */
function dmOf(id: string, lang: "en" | "nl", child: string, offsetMin: number, lines: [string, string][]): Conversation {
  return {
    id,
    lang,
    platform: "discord",
    channel: { id: `ch-${id}`, kind: "dm" },
    scenario: "fisher",
    label: "grooming",
    suspect: "adult",
    targets: [child],
    onset: 0,
    messages: lines.map(([author, text], i) => ({ id: `${id}-${i}`, author, text, ts: new Date(START + (offsetMin + i) * 60_000).toISOString() })),
  };
}

const firstChild = dmOf("fish-1", "en", "kid1", 0, [
  ["adult", "hey ur really mature for ur age"],
  ["kid1", "thx im 12"],
  ["adult", "dont tell ur parents we talk ok? its our secret"],
  ["kid1", "ok"],
  ["adult", "are u home alone rn? send me a pic"],
  ["kid1", "why"],
  ["adult", "just us. delete this chat after"],
]);
const secondChild = dmOf("fish-2", "en", "kid2", 10, [
  ["adult", "hey ur really mature for ur age"],
  ["kid2", "lol thanks, im 11"],
  ["adult", "dont tell ur mom about me, our secret"],
  ["kid2", "ok"],
]);
const thirdChild = dmOf("fish-3", "nl", "kid3", 20, [
  ["adult", "hey jij bent echt volwassen voor je leeftijd"],
  ["kid3", "dankje ik ben 12"],
  ["adult", "zeg niks tegen je ouders he, dit is ons geheimpje"],
  ["kid3", "ok"],
]);

describe("eval: an adult fishing in several channels", () => {
  it("alerts in each child's channel, cooldown or not (EN and NL)", () => {
    const outcomes = runConversations([firstChild, secondChild, thirdChild], loadModel(), DEFAULT_SETTINGS);
    for (const o of outcomes) expect(o.alerts.some((a) => a.actor === "adult"), o.id).toBe(true);
  });

  it("does not re-alert in cooldown for more messages to a child the case already names", () => {
    const more = dmOf("fish-1", "en", "kid1", 0, [
      ...firstChild.messages.map((m) => [m.author, m.text] as [string, string]),
      ["adult", "ur so special to me, nobody gets u like i do"],
      ["adult", "remember dont tell anyone"],
    ]);
    const [before] = runConversations([firstChild], loadModel(), DEFAULT_SETTINGS);
    const [after] = runConversations([more], loadModel(), DEFAULT_SETTINGS);
    expect(before!.alerts.length).toBeGreaterThan(0);
    expect(after!.alerts).toEqual(before!.alerts);
  });
});
