// Model v15: who the actor is to the child. Someone who speaks of the child's parents as people
// they know (a relative never called so, a coach), a "same" that claims the child's age (peers),
// an answer in kind, and benign reasons for secrets, pictures and age questions. EN and NL,
// each with the near miss that must still alert or still count.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import type { ChatMessage } from "../../src/types.ts";
import { dm, alertsWith, signalsWith, stageWeight } from "./chat.ts";

const model = loadModel("v15");

const alertsOn = (msgs: ChatMessage[], actor = "a") => alertsWith(model, msgs, actor);

const sig = (text: string) => signalsWith(model, text);
const weightOf = (text: string, stage: string) => stageWeight(model, text, stage);

// A grown-up's chat: a gift kept quiet, home alone, a pick-up. `cue` is said before the risk question.
const grownUp = (lang: "en" | "nl", cue: string, channel: string): ChatMessage[] =>
  lang === "en"
    ? dm(channel, [
        ["a", "hey kiddo how was school"],
        ["c", "good, i got an a"],
        ["a", "i sent you some money for the fair, dont tell anyone i gave you extra"],
        ["c", "haha thank you"],
        ["a", cue],
        ["c", "ok"],
        ["a", "are you home alone now?"],
        ["c", "yeah till 8"],
        ["a", "ill pick you up sunday, we can go fishing"],
        ["c", "yay"],
      ])
    : dm(channel, [
        ["a", "hey kerel hoe was school"],
        ["c", "goed, ik had een 8"],
        ["a", "ik heb robux voor je gekocht, zeg het tegen niemand"],
        ["c", "dankjewel"],
        ["a", cue],
        ["c", "oke"],
        ["a", "ben je alleen thuis?"],
        ["c", "ja tot 7 uur"],
        ["a", "zondag haal ik je op, dan gaan we vissen"],
        ["c", "jaa"],
      ]);

describe("open: the actor speaks of the child's parents as people they know", () => {
  const cases: ["en" | "nl", string, string][] = [
    ["en", "your mom said she works late tonight", "ok cool"],
    ["en", "ask your dad if you can stay for dinner sunday", "ok cool"],
    ["en", "mum's back at 7 right?", "ok cool"],
    ["nl", "je moeder zei dat ze laat werkt", "leuk"],
    ["nl", "vraag even aan je vader of je mag blijven eten", "leuk"],
    ["nl", "papa moet langer werken he", "leuk"],
  ];
  it.each(cases)("%s: no alert with %s; the same chat without it alerts", (lang, cue, plain) => {
    expect(alertsOn(grownUp(lang, cue, "o1"))).toBe(false);
    expect(alertsOn(grownUp(lang, plain, "o2"))).toBe(true);
  });
  const notOpen = [
    "dont tell your mom", "your mom doesnt need to know", "mama hoeft het niet te weten", "vraag het niet aan je ouders", "ask your parents for their card", "niet aan je ouders zeggen",
    "your mom can pick you up after", "my mom said no", "tell ur dad its a birthday thing",
  ];
  it.each(notOpen)("not open: %s", (text) => expect(sig(text).open).toBe(0));
  it("a strong picture request alerts all the same", () => {
    const msgs = grownUp("en", "your mom said she works late tonight", "o3").concat(
      dm("o3", [["a", "send me a selfie in your pajamas, just for me"], ["c", "why"], ["a", "send a pic of ur body in the mirror, dont tell anyone"]], Date.parse("2026-03-01T19:00:00Z")).map((m, i) => ({ ...m, messageId: `o3-x${i}` })),
    );
    expect(alertsOn(msgs)).toBe(true);
  });
});

describe("same: a 'same' right after the other's minor age claims it (peers)", () => {
  const peer = (claim: string, nl: boolean, channel: string): ChatMessage[] =>
    dm(
      channel,
      nl
        ? [["a", "in welk jaar zit gij"], ["c", "derde middelbaar"], ["a", claim], ["c", "haha"], ["a", "hebde snap? voeg me toe"], ["c", "ja"], ["a", "zijde alleen thuis vandaag?"], ["c", "ja"], ["a", "niet aan uw ma zeggen he"]]
        : [["a", "what grade r u in"], ["c", "8th"], ["a", claim], ["c", "lol"], ["a", "add me on snap"], ["c", "ok"], ["a", "r u home alone today?"], ["c", "ya"], ["a", "dont tell ur mom"]],
    );
  it.each([["same", false], ["me too lol", false], ["ik ook", true], ["zelfde", true]] as [string, boolean][])("%s: capped like a peer", (claim, nl) => {
    expect(alertsOn(peer(claim, nl, "p1"))).toBe(false);
  });
  it.each([["cool", false], ["oke", true]] as [string, boolean][])("without the claim (%s) it alerts", (plain, nl) => {
    expect(alertsOn(peer(plain, nl, "p2"))).toBe(true);
  });
  it("a 'same' that does not answer the age claims nothing", () => {
    const msgs = dm("p3", [["a", "what grade r u in"], ["c", "8th"], ["a", "cool"], ["c", "i love pizza"], ["a", "same"], ["a", "add me on snap"], ["c", "ok"], ["a", "r u home alone today?"], ["c", "ya"], ["a", "dont tell ur mom"]]);
    expect(alertsOn(msgs)).toBe(true);
  });
  it("mutual signal: bare claims weigh 1, answers in kind less", () => {
    expect(sig("same").mutual).toBe(1);
    expect(sig("ik ook").mutual).toBe(1);
    expect(sig("i miss you too").mutual).toBeCloseTo(0.9);
    expect(sig("ik mis je ook").mutual).toBeCloseTo(0.9);
    expect(sig("same school as my cousin").mutual).toBe(0);
    expect(sig("what about you").mutual).toBe(0);
  });
});

describe("benign reasons", () => {
  it.each([
    ["dont tell your brother, its a surprise for him too", "dont tell your brother we talk"],
    ["niet aan je zus vertellen want zij krijgt er ook een", "niet aan je zus vertellen dat we praten"],
  ])("a secret from a sibling only counts little: %s", (sibling, us) => {
    expect(weightOf(sibling, "isolation")).toBeLessThan(0.35);
    expect(weightOf(us, "isolation")).toBeGreaterThan(0.5);
  });
  it.each([
    ["how old are you turning? the league needs it for the registration form", "how old are you turning?"],
  ])("an age question for a form counts little: %s", (form, plain) => {
    expect(weightOf(form, "personal")).toBeLessThan(weightOf(plain, "personal") * 0.5);
  });
  it.each([
    ["send me a pic of ur maths so i can check it", "send me a pic"],
    ["stuur eens een foto van uw setup", "stuur eens een foto"],
  ])("a picture of school work or a thing counts little: %s", (thing, plain) => {
    expect(weightOf(thing, "images")).toBeLessThan(0.2);
    expect(weightOf(plain, "images")).toBeGreaterThan(0.4);
  });
});
