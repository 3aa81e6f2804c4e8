// Model v21: who is a peer (an age said of the other in a compliment is not the author's own; "same lol 14"
// and "14 since march" are), an older "peer" who sets up a secret meeting (v21's `peerGapSecretMeeting`),
// a child asking a parent's leave, and Flemish spellings of deleting the chat and of a cover story.
// EN and NL, each with near misses; v20 is unchanged.
import { describe, expect, it } from "vitest";
import { loadModel, RiskEngine } from "../../src/engine/index.ts";
import { actorKey } from "../../src/engine/state.ts";
import { alertsWith, dm, signalsWith, stageCases, stageWeight } from "./chat.ts";

const model = loadModel("v21");
const v20 = loadModel("v20");
const stageOf = (text: string, stage: string) => stageWeight(model, text, stage);
const minorOf = (text: string, m = model) => signalsWith(m, text).minor;

describe("v21: an age said of the other in a compliment is not the author's", () => {
  it.each([
    "ge zijt zo volwassen voor iemand van 2de middelbaar",
    "je bent echt slim voor iemand uit de brugklas",
    "ur so mature for someone in 7th grade",
    "ur rly pretty for 12 tbh",
  ])("no own age: %s", (text) => {
    expect(minorOf(text)).toBe(0);
  });
  it.each(["ik zit in 2de middelbaar", "im in 7th grade", "im 12 lol"])("own age still counts: %s", (text) => {
    expect(minorOf(text)).toBeGreaterThanOrEqual(0.8);
  });
  it("v20 read the compliment as the author's own age (the author became a 'peer')", () => {
    expect(minorOf("ge zijt zo volwassen voor iemand van 2de middelbaar", v20)).toBeGreaterThanOrEqual(0.85);
  });
});

describe("v21: a peer's own age said another way", () => {
  it.each(["same lol 13", "same haha im 13", "13 since march", "ive been 14 since my birthday"])("minor: %s", (text) => {
    expect(minorOf(text)).toBeGreaterThanOrEqual(0.85);
  });
  it.each(["same lol 13 mins away", "since march i play 13 games a week", "14 since"])("no age: %s", (text) => {
    expect(minorOf(text)).toBe(0);
  });
  it.each(["should i ask my mom first?", "moet ik dat eerst aan mijn pa vragen?"])("a parent's leave is an implied minor (0.5): %s", (text) => {
    expect(minorOf(text)).toBe(0.5);
  });
  it.each(["you should ask your mom", "moet ik dat aan mijn baas vragen?"])("no minor hint: %s", (text) => {
    expect(minorOf(text)).toBe(0);
  });
});

describe("v21: deleting the chat with the verb last, and cover stories (NL, Flemish)", () => {
  stageCases(
    [
      ["kunde deze chat wissen? anders krijg ik problemen", "isolation", true],
      ["kun je onze berichten even verwijderen", "isolation", true],
      ["kun je dit bestand verwijderen van de gedeelde map", "isolation", false],
      ["zeg da ge naar een vriendin gaat", "isolation", true],
      ["zeg dat je naar de training gaat, dan vraagt niemand iets", "isolation", true],
      ["ik ga zaterdag naar een vriendin", "isolation", false],
      ["zeg tegen je vriendin dat ik later kom", "isolation", false],
    ],
    stageOf,
  );
});

describe("v21: same-age teens stay held, an older 'peer' with a secret meeting does not", () => {
  // Two 14-year-olds: ages, a picture from a party, a kissing question, snap. Teen talk.
  const sameAge = dm("t1", [
    ["a", "wait how old are u, u look older"],
    ["b", "im 14 lol"],
    ["a", "same lol 14 since march"],
    ["b", "send me the pic from the sleepover, the one where ur laughing"],
    ["a", "ugh fine"],
    ["b", "random q have u ever kissed anyone"],
    ["a", "once, it was awkward. u?"],
    ["b", "not saying"],
    ["a", "lol ok. whats ur snap, this app is dead"],
  ]);
  it("two 14-year-olds (one says 'same lol 14 since march') raise no alert with v21; v20 alerted", () => {
    expect(alertsWith(model, sameAge, "a")).toBe(false);
    expect(alertsWith(v20, sameAge, "a")).toBe(true);
  });

  const older = (actorAge: string, targetAge: string) =>
    dm("t2", [
      ["a", "saw ur drawing in the art server its amazing"],
      ["b", "thank u!!"],
      ["a", `how old r u? ${actorAge}`],
      ["b", targetAge],
      ["a", "do u have a bf?"],
      ["b", "no"],
      ["a", "have u ever kissed anyone"],
      ["b", "thats personal"],
      ["a", "lets meet at the mall on saturday, just us. dont tell ur friends they'll make it weird"],
      ["b", "my dad would have to drive me"],
      ["a", "say ur meeting a school friend. ill wait by the cinema"],
    ]);
  it("a '15-year-old' setting up a secret meeting with a 13-year-old alerts with v21, not with v20", () => {
    expect(alertsWith(model, older("im 15", "13"), "a")).toBe(true);
    expect(alertsWith(v20, older("im 15", "13"), "a")).toBe(false);
  });
  it("the same chat between two 13-year-olds stays held (no age gap)", () => {
    expect(alertsWith(model, older("im 13", "13"), "a")).toBe(false);
  });

  const olderNl = (actorAge: string, targetAge: string) =>
    dm("t3", [
      ["a", "je tekening in de server was echt mooi"],
      ["b", "dankje!!"],
      ["a", `hoe oud ben je? ik ben ${actorAge}`],
      ["b", targetAge],
      ["a", "heb je al een vriendje?"],
      ["b", "nee"],
      ["a", "heb je al eens iemand gekust?"],
      ["b", "das persoonlijk"],
      ["a", "zullen we zaterdag afspreken in de stad, alleen wij twee. zeg niks tegen je vriendinnen"],
      ["b", "moet ik dat aan mijn ma vragen?"],
      ["a", "liever niet. zeg dat je naar een vriendin gaat"],
    ]);
  it("NL: a '15-year-old' with a 13-year-old and a secret meeting alerts; two 13-year-olds stay held", () => {
    expect(alertsWith(model, olderNl("15", "13"), "a")).toBe(true);
    expect(alertsWith(model, olderNl("13", "13"), "a")).toBe(false);
  });
});

describe("v21: a Flemish adult who compliments a pupil's age is no peer", () => {
  const chat = dm("t4", [
    ["a", "ge waart echt de beste op de training vandaag"],
    ["b", "merci!!"],
    ["a", "ge zijt zo volwassen voor iemand van 2de middelbaar"],
    ["b", "haha"],
    ["a", "zijn uw ouders komen kijken naar de match?"],
    ["b", "nee ze moesten werken zoals altijd"],
    ["a", "spijtig, ze zien ni hoe goed ge zijt. ik wel"],
    ["b", "😔"],
    ["a", "kunde deze chat wissen? de club doet moeilijk over trainers die berichten sturen"],
    ["b", "oke"],
    ["a", "ik kan u extra training geven zondag bij mij thuis, ik kom u wel halen"],
    ["b", "moet ik dat aan mijn ma vragen?"],
    ["a", "liever ni. zeg da ge naar een vriendin gaat"],
  ]);
  it("alerts with v21; v20 held it as a peer and missed it", () => {
    expect(alertsWith(model, chat, "a")).toBe(true);
    expect(alertsWith(v20, chat, "a")).toBe(false);
  });
});

describe("v21: a number answered right after the other's age question (`ageAnswer`)", () => {
  const asked = (answer: string, lang: "en" | "nl" = "en") =>
    dm("t5", [
      ["a", lang === "en" ? "how old are you btw?" : "hoe oud ben je eigenlijk?"],
      ["b", answer],
    ]);
  const ageOf = (m: typeof model, msgs: ReturnType<typeof dm>, who: string) => {
    const engine = new RiskEngine(m);
    for (const msg of msgs) engine.observe(msg);
    const state = engine.snapshot(actorKey("discord", who));
    return state ? (JSON.parse(state.json ?? JSON.stringify(state.state)) as { minor: number; adult: number }) : undefined;
  };
  it.each([
    ["31, accountant lol", "adult"],
    ["27. student still", "adult"],
    ["15 birthday was in jan", "minor"],
  ] as const)("EN %s is the answerer's %s age", (answer, kind) => {
    expect(ageOf(model, asked(answer), "b")?.[kind]).toBeGreaterThanOrEqual(0.85);
  });
  it.each([
    ["46, uit Mechelen", "adult"],
    ["13 bijna 14", "minor"],
    ["15, gij?", "minor"],
  ] as const)("NL %s is the answerer's %s age", (answer, kind) => {
    expect(ageOf(model, asked(answer, "nl"), "b")?.[kind]).toBeGreaterThanOrEqual(0.85);
  });
  it.each(["20 mins away", "12:30 works", "25e kan ook"])("no age: %s", (answer) => {
    const s = ageOf(model, asked(answer), "b");
    expect(Math.max(s?.minor ?? 0, s?.adult ?? 0)).toBe(0);
  });
  it("only right after the question, and not from the one who asked", () => {
    const later = dm("t6", [
      ["a", "how old are you btw?"],
      ["b", "why"],
      ["b", "31 people signed up already"],
    ]);
    expect(ageOf(model, later, "b")?.adult ?? 0).toBe(0);
    const self = dm("t7", [
      ["a", "how old are you btw?"],
      ["a", "31 people signed up already"],
    ]);
    expect(ageOf(model, self, "a")?.adult ?? 0).toBe(0);
  });
  it("v20 read none of these", () => {
    expect(ageOf(v20, asked("31, accountant lol"), "b")?.adult ?? 0).toBe(0);
  });
});

describe("v21: a peer's age after a word of reply, an age both share", () => {
  it.each(["oh same 14", "no 14 u?", "yeah im 13 lol", "we r both 15 so whatever", "hes 13 like us", "oh ik ook 14 haha", "nee 14, jij?", "ja 13 en jij", "we zijn allebei 14"])(
    "minor: %s",
    (text) => {
      expect(minorOf(text)).toBeGreaterThanOrEqual(0.85);
    },
  );
  it.each(["no 14 of them came", "nee 14 uur is te laat", "we are both 15 minutes late", "ja 13 euro"])("no age: %s", (text) => {
    expect(minorOf(text)).toBe(0);
  });
  it.each(["we're both 30 lol", "wij zijn allebei 34", "nee 29, jij?"])("adult: %s", (text) => {
    expect(signalsWith(model, text).adult).toBeGreaterThanOrEqual(0.85);
  });
});

describe("v21: 'or just you' and a picture of a thing 'or you'", () => {
  stageCases(
    [
      ["is she home now or just you?", "risk", true],
      ["anyone there or just u", "risk", true],
      ["is ze nu thuis of alleen jij?", "risk", true],
      ["is er iemand thuis of ben je alleen", "risk", true],
      ["is it just you going or the whole team?", "risk", false],
      ["gaat alleen jij of het hele team?", "risk", false],
      ["send me a pic of your setup so i can copy it", "images", false],
    ],
    stageOf,
  );
  it("a picture of a thing 'or you' is a picture request as strong as any (v20 damped it as a thing)", () => {
    const text = "send me a pic of your setup? or you, never seen u";
    expect(stageOf(text, "images")).toBeCloseTo(stageOf("send me a pic", "images"), 5);
    expect(stageOf(text, "images")).toBeGreaterThan(0.4);
    expect(stageWeight(v20, text, "images")).toBeLessThan(0.15);
  });
});
