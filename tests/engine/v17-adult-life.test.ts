// Model v17: a target who speaks of their own adult life (home from work, a roommate, rent) and
// never of being a child is capped like an adult target; relatives ask for pictures openly (a
// picture request breaks the family cap only beside a secret or sexual talk); players' trash talk
// and a tutor's camera on the exercise book are no warning signs. EN and NL, each with a near miss.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import type { ChatMessage } from "../../src/types.ts";
import { dm, stageCases, alertsWith, signalsWith, stageWeight } from "./chat.ts";

const model = loadModel("v17");
const v16 = loadModel("v16");

const alertsOn = (msgs: ChatMessage[], actor = "a", m = model) => alertsWith(m, msgs, actor);

const sig = (text: string) => signalsWith(model, text);
const stageOf = (text: string, stage: string) => stageWeight(model, text, stage);

/** One side asks if the other is alone, for the camera, what they wear; `reply` answers the first line. */
const lateNight = (lang: "en" | "nl", reply: string): ChatMessage[] =>
  lang === "en"
    ? dm(`late-en-${reply}`, [
        ["a", "hey u up"],
        ["c", reply],
        ["a", "r u alone right now"],
        ["c", "ya why"],
        ["a", "turn on ur cam i wanna see u"],
        ["c", "give me 5 min"],
        ["a", "what r u wearing"],
        ["c", "lol"],
      ])
    : dm(`late-nl-${reply}`, [
        ["a", "hey ben je wakker"],
        ["c", reply],
        ["a", "ben je nu alleen"],
        ["c", "ja hoezo"],
        ["a", "zet je camera eens aan ik wil je zien"],
        ["c", "geef me 5 min"],
        ["a", "wat heb je aan"],
        ["c", "haha"],
      ]);

describe("v17: a target who speaks of their own adult life, with no sign of a child", () => {
  const replies = {
    en: { adult: "ya just got home from work", child: "ya just got home from school", parent: "ya my mom just got home from work" },
    nl: { adult: "ja net thuis van werk", child: "ja net thuis van school", parent: "ja mama is net thuis van het werk" },
  };
  for (const lang of ["en", "nl"] as const) {
    it(`is capped like an adult target; home from school or a parent's work is not (${lang})`, () => {
      expect(alertsOn(lateNight(lang, replies[lang].adult))).toBe(false);
      // v16 alerted on the same chat: the new rule is what keeps it quiet.
      expect(alertsOn(lateNight(lang, replies[lang].adult), "a", v16)).toBe(true);
      expect(alertsOn(lateNight(lang, replies[lang].child))).toBe(true);
      expect(alertsOn(lateNight(lang, replies[lang].parent))).toBe(true);
    });

    it(`a child's stated age lifts it, whatever else is said (${lang})`, () => {
      expect(alertsOn(lateNight(lang, lang === "en" ? "ya just got home from work, im 14" : "ja net thuis van werk, ik ben 14"))).toBe(true);
    });
  }

  it("the adult-life hint is one's own life, never a parent's (EN, NL)", () => {
    for (const t of ["just got home from work", "i got back from the office", "my roommate is out", "rent is due and my landlord is mad", "i had meetings all day", "ik ben net thuis van het werk", "mijn huisgenoot is weg", "ik heb de hele dag vergaderingen"]) {
      expect(sig(t).adult, t).toBeGreaterThanOrEqual(0.55);
    }
    for (const t of ["my mom gets home from work at 6", "when does ur dad get back from work", "my mom has meetings all day", "mama komt om 6 thuis van het werk", "papa heeft vergaderingen", "ik kom net thuis van school"]) {
      expect(sig(t).adult, t).toBe(0);
    }
  });

  it("a threat to expose pictures alerts however adult the target sounds", () => {
    const threat = dm("threat-adult", [
      ["a", "hey"],
      ["c", "just got home from work"],
      ["a", "send me 50 or i send ur pics to ur whole family"],
      ["c", "please dont"],
    ]);
    expect(alertsOn(threat)).toBe(true);
  });
});

describe("v17: relatives ask for pictures openly", () => {
  const nana = (lang: "en" | "nl", secret: boolean): ChatMessage[] =>
    lang === "en"
      ? dm(`nana-en-${secret}`, [
          ["a", "hello darling its nana, the parcel should be there today"],
          ["c", "it came!!"],
          ["a", "did the jumper fit? send me a picture of you wearing it"],
          ["c", "here"],
          ["a", secret ? "lovely. dont tell anyone we talk like this, just us" : "lovely. you look so grown up"],
          ["a", "ill pick you up from school friday"],
        ])
      : dm(`nana-nl-${secret}`, [
          ["a", "hallo schat, hier is oma. het pakje komt vandaag"],
          ["c", "het is er!!"],
          ["a", "past de trui? stuur me een foto van jou erin"],
          ["c", "hier"],
          ["a", secret ? "mooi. zeg tegen niemand dat we zo praten, alleen wij" : "mooi. je bent zo groot geworden"],
          ["a", "ik kom je vrijdag ophalen na school"],
        ]);
  for (const lang of ["en", "nl"] as const) {
    it(`a grandparent's picture request stays under the family cap; with a secret beside it, it alerts (${lang})`, () => {
      expect(alertsOn(nana(lang, false))).toBe(false);
      expect(alertsOn(nana(lang, true))).toBe(true);
    });
  }
  it("v16 let the picture request break the cap alone (the change is v17's scoring)", () => {
    expect(alertsOn(nana("en", false), "a", v16)).toBe(true);
  });
});

describe("v17: trash talk, a tutor's camera, a tutor who bills the parents", () => {
  const cases: [string, string, boolean][] = [
    // [text, stage, counts]
    ["send me ur address ill fight u irl", "isolation", false],
    ["send me ur address ill fight u irl", "meeting", false],
    ["send me ur address so i can visit u", "isolation", true],
    ["stuur je adres ik sla je in elkaar", "meeting", false],
    ["zet je camera even aan en richt hem op je schrift", "images", false],
    ["zet je camera even aan", "images", true],
    ["turn on your camera and point it at your notebook", "images", false],
    ["turn on your camera", "images", true],
    ["stuur een foto van opgave 5", "images", false],
    ["send a pic of question 3", "images", false],
  ];
  stageCases(cases, stageOf);
  it("a tutor who sends the parent the invoice knows them (EN, NL); sending a parent pictures is no such thing", () => {
    expect(sig("ill send your mom the invoice").open).toBeGreaterThan(0);
    expect(sig("ik stuur je moeder de factuur").open).toBeGreaterThan(0);
    expect(sig("ill send your mom the pics").open).toBe(0);
    expect(sig("ik stuur je moeder de fotos").open).toBe(0);
  });
});

describe("v17: a child's own homework or a sibling who drives them is a minor hint", () => {
  it("said of one's own school or family life (EN, NL); an offer of help or one's own car is not", () => {
    for (const t of ["i need help with the math homework", "dont tell anyone i copied ur answers", "my brother can drive us", "ik snap die opdracht niet", "mijn broer kan ons brengen"]) {
      expect(sig(t).minor, t).toBeGreaterThan(0);
    }
    for (const t of ["i can help u with ur homework", "ill drive us", "ik kan je helpen met je huiswerk", "ik kan ons brengen"]) {
      expect(sig(t).minor, t).toBe(0);
    }
  });

  it("lifts the unknown-age rule when the target says it (EN, NL)", () => {
    const two = (lang: "en" | "nl", reply: string) =>
      dm(`kid-${lang}-${reply}`, lang === "en"
        ? [["a", "r u alone rn?"], ["c", reply], ["a", "can u keep a secret"], ["c", "ya"], ["a", "delete this chat after ok"], ["c", "ok"]]
        : [["a", "ben je alleen?"], ["c", reply], ["a", "kan je iets geheim houden"], ["c", "ja"], ["a", "wis dit gesprek straks"], ["c", "ok"]]);
    expect(alertsOn(two("en", "ya"))).toBe(false);
    expect(alertsOn(two("en", "ya but i need help with the math homework"))).toBe(true);
    expect(alertsOn(two("nl", "ja"))).toBe(false);
    expect(alertsOn(two("nl", "ja maar ik snap die opdracht niet"))).toBe(true);
  });

  it("a video call for one's own homework is no image request; a plain one is (EN, NL)", () => {
    expect(stageOf("facetime? i need help w the math homework", "images")).toBeLessThan(0.3);
    expect(stageOf("facetime? i wanna see u", "images")).toBeGreaterThan(0.5);
    expect(stageOf("zullen we facetimen, ik snap die opdracht niet", "images")).toBeLessThan(0.3);
    expect(stageOf("zullen we facetimen, ik wil je zien", "images")).toBeGreaterThan(0.5);
  });
});

describe("v17: school year and college answers", () => {
  it("a grade answered back with a question is a minor's; college is an adult's (EN, NL)", () => {
    expect(sig("9th. u?").minor).toBeGreaterThan(0.5);
    expect(sig("9th grade wbu").minor).toBeGreaterThan(0.5);
    expect(sig("in college, 19").adult).toBeGreaterThan(0.8);
    expect(sig("im at uni now").adult).toBeGreaterThanOrEqual(0.55);
    expect(sig("ik studeer aan de unief").adult).toBeGreaterThanOrEqual(0.55);
    expect(sig("ik zit op kot in leuven").adult).toBeGreaterThanOrEqual(0.55);
  });
  it("near misses: a grade in a sentence about someone else, college plans, a sibling at uni", () => {
    expect(sig("my brother is in 9th").minor).toBe(0);
    expect(sig("i want to go to college one day").adult).toBe(0);
    expect(sig("my sister is at uni").adult).toBe(0);
    expect(sig("mijn zus studeert aan de unief").adult).toBe(0);
  });
});
