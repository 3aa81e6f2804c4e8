import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { normalize } from "../../src/engine/normalize.ts";
import { detectSignals } from "../../src/engine/signals.ts";
import type { Stage } from "../../src/types.ts";

const model = loadModel();
const stagesOf = (text: string, min = 0.4) => detectSignals(model, normalize(text)).signals.filter((s) => s.weight >= min).map((s) => s.stage);

// Warning-sign phrases per stage and language (non-explicit), with near misses that share words.
const cases: { stage: Stage; en: string[]; nl: string[]; enNot: string[]; nlNot: string[] }[] = [
  {
    stage: "trust",
    en: ["ur so mature for ur age", "i'll buy u robux if u want", "no one gets me like u do"],
    nl: ["je bent zo volwassen voor je leeftijd", "ik geef je 1000 vbucks", "niemand begrijpt je zoals ik"],
    enNot: ["the team played a mature game today"],
    nlNot: ["de wedstrijd was volwassen gespeeld"],
  },
  {
    stage: "personal",
    en: ["how old r u", "asl?", "what school do u go to", "do u have a bf"],
    nl: ["hoe oud ben je?", "op welke school zit je", "heb je al een lief?"],
    enNot: ["how old is this bread"],
    nlNot: ["hoe oud is dat brood"],
  },
  {
    stage: "isolation",
    en: ["dont tell ur parents ok", "add me on snap its easier", "delete our chat after", "this stays between us"],
    nl: ["niet aan je ouders zeggen he", "zullen we verder praten op snap", "wis onze chat", "dit blijft tussen ons"],
    enNot: ["tell your parents if anyone bothers you", "the secret santa list is up"],
    nlNot: ["vertel het aan je ouders als iemand je lastigvalt"],
  },
  {
    stage: "risk",
    en: ["r u home alone rn?", "do ur parents check ur phone", "when does ur mom get home"],
    nl: ["ben je alleen thuis?", "kijken je ouders op je gsm?", "wanneer komt je mama thuis"],
    enNot: ["are you home alone? lock the door, there's pasta in the fridge"],
    nlNot: ["ben je alleen thuis? doe de deur op slot, er staat soep in de frigo"],
  },
  {
    stage: "sexual",
    en: ["have u ever been kissed", "its normal to be curious", "what r u wearing rn"],
    nl: ["heb je al gezoend?", "het is normaal om nieuwsgierig te zijn", "wat heb je nu aan"],
    enNot: ["what are u wearing to my sister's wedding"],
    nlNot: ["wat doe je aan naar het feest van oma"],
  },
  {
    stage: "images",
    en: ["send me a pic of u", "turn on ur cam", "s e n d a p1c", "ill send one back"],
    nl: ["stuur eens een foto van jezelf", "zet je cam aan", "ik stuur er ook een terug"],
    enNot: ["send a pic of your homework", "send a pic of the receipt"],
    nlNot: ["stuur eens een foto van de oefening"],
  },
  {
    stage: "meeting",
    en: ["we should meet up irl", "i can pick u up after school", "ill pay for ur train ticket"],
    nl: ["zullen we eens afspreken?", "ik kan je ophalen aan school", "ik betaal je treinticket"],
    enNot: ["i'll pick u up from the airport"],
    nlNot: ["ik haal je op van de luchthaven"],
  },
  {
    stage: "coercion",
    en: ["ill send ur pics to everyone", "after everything ive done for u", "u owe me"],
    nl: ["anders stuur ik je foto's naar iedereen", "na alles wat ik voor je gedaan heb", "je bent me iets schuldig"],
    enNot: ["i'll send the pics to everyone in the group chat"],
    nlNot: ["ik stuur de foto's van het feest naar iedereen"],
  },
];

describe.each(cases)("stage $stage", ({ stage, en, nl, enNot, nlNot }) => {
  it.each(en)("EN: %j", (text) => expect(stagesOf(text)).toContain(stage));
  it.each(nl)("NL: %j", (text) => expect(stagesOf(text)).toContain(stage));
  it.each(enNot)("EN near miss: %j", (text) => expect(stagesOf(text)).not.toContain(stage));
  it.each(nlNot)("NL near miss: %j", (text) => expect(stagesOf(text)).not.toContain(stage));
});

describe("evasion", () => {
  it.each(["s3nd m3 a p1c", "s e n d me a pic", "sеnd mе а рic", "se\u200bnd me a pi\u200cc", "sennnd me a piiic"])("%j still asks for an image", (text) => {
    expect(stagesOf(text)).toContain("images");
  });
  it.each(["r u h0me al0ne", "ᴀre u home alone", "are  u   home    alone"])("%j still checks supervision", (text) => {
    expect(stagesOf(text)).toContain("risk");
  });
});

describe("age disclosures", () => {
  it.each(["im 12", "i'm 13 years old", "13 f", "7th grade", "ik ben 13", "groep 8", "zesde leerjaar", "eerste middelbaar", "brugklas"])("%j marks a minor", (text) => {
    const s = detectSignals(model, normalize(text));
    expect(s.minor).toBeGreaterThan(0.5);
    expect(s.signals.map((x) => x.stage)).toContain("age");
  });
  it.each(["im 19", "19 m", "ik ben 25"])("%j marks an adult", (text) => {
    const s = detectSignals(model, normalize(text));
    expect(s.adult).toBeGreaterThan(0.5);
    expect(s.minor).toBe(0);
  });
  it.each(["im 12 minutes away", "i waited 13 years", "10 jaar geleden"])("%j is not an age", (text) => {
    expect(detectSignals(model, normalize(text)).minor).toBe(0);
  });
});

// Old chat slang, typos and Flemish chat language: each line a warning sign of its stage.
describe("chat slang and Flemish chat", () => {
  it.each([
    ["personal", "wat age r u"],
    ["personal", "where u from?"],
    ["personal", "age?"],
    ["trust", "ur the only one who understands me"],
    ["trust", "ur mature 4 ur age"],
    ["isolation", "ur friends wouldnt understand us"],
    ["isolation", "lets talk on kik"],
    ["risk", "ur dad at work?"],
    ["risk", "r u a l o n e"],
    ["images", "pic?"],
    ["images", "u got a webcam?"],
    ["meeting", "meet me at the park after school"],
    ["meeting", "i can drive to u"],
    ["coercion", "i will share ur pics if u dont"],
    ["coercion", "do it or ill make ur life hell"],
    ["personal", "hoe oud bn je"],
    ["risk", "zedde gij alleen thuis"],
    ["images", "stuur is ne foto"],
    ["isolation", "zeg het tegen niemand"],
    ["isolation", "uw ouders moeten dat nie weten"],
    ["meeting", "ik haal je wel op bij school"],
    ["coercion", "als je niet stuurt deel ik je fotos"],
    ["isolation", "wis onze chat ok"], // "ok" is no sign of English in a Dutch chat
  ] as [Stage, string][])("%s: %j", (stage, text) => {
    expect(stagesOf(text)).toContain(stage);
  });

  it.each([
    ["images", "send a pic of ur science project"],
    ["images", "stuur een foto van je huiswerk"],
    ["coercion", "ill tell ur mom u said hi"],
    ["meeting", "where did we meet again"],
  ] as [Stage, string][])("near miss, no %s: %j", (stage, text) => {
    expect(stagesOf(text)).not.toContain(stage);
  });

  it("a peer answering 'same 14' or 'ook 14' discloses a minor's age", () => {
    expect(detectSignals(model, normalize("same 14 lol")).minor).toBeGreaterThan(0);
    expect(detectSignals(model, normalize("ook 14 haha")).minor).toBeGreaterThan(0);
    // Asking whether someone is in middle school says nothing about the asker's age.
    expect(detectSignals(model, normalize("u in middle school?")).minor).toBe(0);
  });
});

