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

  // A group where the adult singles out two children (both named by the case from there), then
  // a DM to one of them: the DM is a channel of its own and needs its own alert (EN and NL).
  const groupOf = (id: string, lang: "en" | "nl", lines: [string, string][]): Conversation => ({
    ...dmOf(id, lang, "kid1", 0, lines),
    channel: { id: `ch-${id}`, kind: "group" },
    targets: ["kid1", "kid2"],
  });
  const cases: { lang: "en" | "nl"; group: [string, string][]; dm: [string, string][] }[] = [
    {
      lang: "en",
      group: [
        ["kid1", "im 12 lol"],
        ["kid2", "same im 12"],
        ["adult", "u two are so mature for ur age, way cooler than the others"],
        ["adult", "dont tell ur parents u talk to me ok, they wouldnt get it. are u home alone?"],
      ],
      dm: [
        ["adult", "hey its me from the server"],
        ["adult", "dont tell ur mom about our chats, ur so special"],
        ["kid2", "ok"],
        ["adult", "are u alone rn? delete this after"],
      ],
    },
    {
      lang: "nl",
      group: [
        ["kid1", "ik ben 12"],
        ["kid2", "ik ook 12"],
        ["adult", "jullie zijn echt volwassen voor jullie leeftijd, veel leuker dan de rest"],
        ["adult", "zeg niks tegen je ouders dat je met mij praat he, ben je alleen thuis?"],
      ],
      dm: [
        ["adult", "hey ik ben het van de server"],
        ["adult", "zeg niks tegen je mama over ons, jij bent zo speciaal"],
        ["kid2", "ok"],
        ["adult", "ben je nu alleen? verwijder dit daarna"],
      ],
    },
  ];
  for (const c of cases) {
    it(`alerts in a DM to a child the case already names from a group, once (${c.lang})`, () => {
      const group = groupOf(`grp-${c.lang}`, c.lang, c.group);
      const dm = { ...dmOf(`dm-${c.lang}`, c.lang, "kid2", 10, c.dm), targets: ["kid2"] };
      const [g, d] = runConversations([group, dm], loadModel(), DEFAULT_SETTINGS);
      expect(g!.alerts.filter((a) => a.actor === "adult").length).toBeGreaterThan(0);
      // Within the cooldown of the group's alert and about a child the case names: still its own alert, and only one.
      expect(d!.alerts.filter((a) => a.actor === "adult")).toHaveLength(1);
    });
  }

  it("no alert in a channel where the suspect only chats, without warning signs towards anyone there", () => {
    const group = groupOf("grp-x", "en", cases[0]!.group);
    const other = dmOf("chat-x", "en", "friend", 10, [
      ["friend", "u coming to the raid tonight"],
      ["adult", "ya in 10"],
      ["friend", "gg"],
      ["adult", "gg"],
    ]);
    const [g, o] = runConversations([group, { ...other, label: "benign", suspect: null, targets: [], onset: null }], loadModel(), DEFAULT_SETTINGS);
    expect(g!.alerts.length).toBeGreaterThan(0);
    expect(o!.alerts).toEqual([]);
  });
});
