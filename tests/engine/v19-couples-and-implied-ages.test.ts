// Model v19: the other's adult life named by the author ("roomie still away?", "is je huisgenoot nog
// weg?") caps an ageless pair like an adult target (lexicon kind adult_other); a "peer" who drives
// a car is no peer; secrets kept from the speaker's own people, meetings "somewhere public" and
// pictures of an event or an item are benign context; a child's life under parents' rules is an
// implied minor age; and families of Dutch chat spellings ("gwn", "ns", "cammen", "gaan we naar
// whatsapp"). EN and NL, each with a near miss.
import { describe, expect, it } from "vitest";
import { loadModel, RiskEngine } from "../../src/engine/index.ts";
import type { ChatMessage } from "../../src/types.ts";
import { dm, stageCases, alertsWith, signalsWith, stageWeight } from "./chat.ts";

const model = loadModel("v19");
const v18 = loadModel("v18");

const alertsOn = (msgs: ChatMessage[], actor = "a", m = model) => alertsWith(m, msgs, actor);

const sig = (text: string, m = model) => signalsWith(m, text);
const stageOf = (text: string, stage: string) => stageWeight(model, text, stage);

/** An ageless chat: "a" asks whether "c" is alone (`alone`), asks for a selfie, plans to come over and keeps it quiet. */
const lateNight = (lang: "en" | "nl", alone: string, answer?: string): ChatMessage[] =>
  lang === "en"
    ? dm(`night-en-${alone}-${answer ?? ""}`, [
        ["a", "wyd rn"],
        ["c", "nothing much, in bed"],
        ["a", alone],
        ["c", answer ?? "ya till sunday"],
        ["a", "send me a selfie"],
        ["c", "ok"],
        ["a", "ill come over later. dont tell anyone ok"],
        ["c", "ok"],
      ])
    : dm(`night-nl-${alone}-${answer ?? ""}`, [
        ["a", "wat doe je"],
        ["c", "niks, lig in bed"],
        ["a", alone],
        ["c", answer ?? "ja tot zondag"],
        ["a", "stuur ff een selfie"],
        ["c", "oke"],
        ["a", "ik kom straks langs. zeg het tegen niemand"],
        ["c", "oke"],
      ]);

describe("v19: the other's adult life named by the author (adult_other)", () => {
  const roommate = { en: "r u alone tonight? roomie still away?", nl: "ben je alleen vanavond? is je huisgenoot nog weg?" };
  const plain = { en: "r u alone tonight?", nl: "ben je alleen vanavond?" };
  const child = { en: "ya till sunday. im 13 btw", nl: "ja tot zondag. ik ben 13 trouwens" };
  for (const lang of ["en", "nl"] as const) {
    it(`an ageless pair whose roommate the actor asks about is capped; v18 alerted (${lang})`, () => {
      expect(sig(roommate[lang]).otherAdult).toBeGreaterThanOrEqual(0.55);
      expect(alertsOn(lateNight(lang, roommate[lang]))).toBe(false);
      expect(alertsOn(lateNight(lang, roommate[lang]), "a", v18)).toBe(true);
    });
    it(`without the roommate, or when the target says a minor's age, it alerts (${lang})`, () => {
      expect(alertsOn(lateNight(lang, plain[lang]))).toBe(true);
      expect(alertsOn(lateNight(lang, roommate[lang], child[lang]))).toBe(true);
    });
  }
  it("one's own roommate, a parent or a remark without a question are not the other's adult life", () => {
    for (const t of ["hows ur wife", "ur kids asleep?", "did your landlord fix it", "hoe is het met je vrouw", "betaal je je huur zelf?"]) expect(sig(t).otherAdult, t).toBeGreaterThanOrEqual(0.55);
    for (const t of ["my roommate is away", "your mom is nice", "roomie still away so im alone", "mijn huisgenoot is weg", "je moeder is lief"]) expect(sig(t).otherAdult, t).toBe(0);
  });
  it("only the person addressed: a group message to nobody in particular names no one's adult life", () => {
    const group: ChatMessage[] = [
      { ...lateNight("en", plain.en)[0]!, channelId: "grp", channelKind: "group", messageId: "g0", authorId: "c", text: "anyone up" },
      { ...lateNight("en", plain.en)[0]!, channelId: "grp", channelKind: "group", messageId: "g1", authorId: "d", text: "me" },
      { ...lateNight("en", plain.en)[0]!, channelId: "grp", channelKind: "group", messageId: "g2", authorId: "a", text: "hows ur wife", ts: lateNight("en", plain.en)[0]!.ts + 60_000 },
    ];
    const engine = new RiskEngine(model);
    for (const msg of group) engine.observe(msg);
    const saved = engine.drainDirty().filter((s) => s.kind === "pair");
    expect(saved.length).toBe(0);
  });
});

/** A "peer": "a" claims the child's age with a "same", then `offer` and a kissing question. */
const fakePeer = (lang: "en" | "nl", offer: string): ChatMessage[] =>
  lang === "en"
    ? dm(`peer-en-${offer}`, [
        ["a", "how old are u btw"],
        ["c", "im 14"],
        ["a", "same lol i thought u were older"],
        ["c", "ppl always say that"],
        ["a", offer],
        ["c", "idk"],
        ["a", "have u ever kissed someone, be honest"],
        ["c", "no haha"],
      ])
    : dm(`peer-nl-${offer}`, [
        ["a", "hoe oud ben jij eigenlijk"],
        ["c", "ik ben 14"],
        ["a", "ik ook haha ik dacht dat je ouder was"],
        ["c", "dat zegt iedereen"],
        ["a", offer],
        ["c", "weet niet"],
        ["a", "heb je al iemand gekust, eerlijk zijn"],
        ["c", "nee haha"],
      ]);

describe("v19: a 'peer' who drives is no peer", () => {
  const car = { en: "i can pick u up saturday in my car", nl: "ik kan je zaterdag ophalen met de auto" };
  const parent = { en: "my mom can drive us saturday", nl: "mijn moeder kan ons zaterdag brengen" };
  for (const lang of ["en", "nl"] as const) {
    it(`with his own car the kissing question alerts (${lang}; v18 kept the Dutch one capped)`, () => {
      expect(sig(car[lang]).adult).toBeGreaterThanOrEqual(0.5);
      expect(alertsOn(fakePeer(lang, car[lang]))).toBe(true);
      if (lang === "nl") expect(alertsOn(fakePeer(lang, car[lang]), "a", v18)).toBe(false);
    });
    it(`a parent who drives them stays peer talk (${lang})`, () => {
      expect(sig(parent[lang]).adult).toBe(0);
      expect(alertsOn(fakePeer(lang, parent[lang]))).toBe(false);
    });
  }
});

/** "a" asks whether "c" is still at primary or middle school, `answer` comes, then a secret and another app. */
const schoolQuestion = (lang: "en" | "nl", answer: string, between?: string): ChatMessage[] => {
  const lines: [string, string][] =
    lang === "en"
      ? [
          ["a", "hey saw u in the minecraft server"],
          ["c", "hi"],
          ["a", "r u still in middle school?"],
          ["c", answer],
          ["a", "cool. dont tell ur parents we talk ok"],
          ["c", "ok"],
          ["a", "do u have snap? we can talk there"],
          ["c", "ok"],
        ]
      : [
          ["a", "hoi, zag je in de minecraft server"],
          ["c", "hoi"],
          ["a", "zit je nog op de basisschool?"],
          ["c", answer],
          ["a", "cool. zeg niet tegen je ouders dat we praten"],
          ["c", "oke"],
          ["a", "heb je insta? dan praten we daar"],
          ["c", "oke"],
        ];
  if (between) lines.splice(3, 0, ["d", between]);
  return dm(`school-${lang}-${answer}-${between ?? ""}`, lines);
};

describe("v19: a yes to 'are you still at primary school?' (ask_minor, yes)", () => {
  const yes = { en: "yep", nl: "ja" };
  const no = { en: "nope", nl: "nee" };
  for (const lang of ["en", "nl"] as const) {
    it(`the child's yes is a minor hint: the chat alerts; v18 waited for a third stage (${lang})`, () => {
      expect(alertsOn(schoolQuestion(lang, yes[lang]))).toBe(true);
      expect(alertsOn(schoolQuestion(lang, yes[lang]), "a", v18)).toBe(false);
    });
    it(`a no, or a yes that answers someone else's message, claims nothing (${lang})`, () => {
      expect(alertsOn(schoolQuestion(lang, no[lang]))).toBe(false);
      expect(alertsOn(schoolQuestion(lang, yes[lang], "brb"))).toBe(false);
    });
  }
  it("the question is not the asker's own age (no peer); a school said of oneself still is", () => {
    for (const t of ["zit je nog op de basisschool?", "je zit zeker nog in de brugklas", "ben je 12?", "r u in middle school?", "ur like 12 right?"]) {
      expect(sig(t).askMinor, t).toBeGreaterThanOrEqual(0.8);
      expect(sig(t).minor, t).toBe(0);
    }
    for (const t of ["ik zit in groep 8", "im in middle school"]) expect(sig(t).minor, t).toBeGreaterThanOrEqual(0.8);
    for (const t of ["ben je 18?", "r u 21?", "ur 12 lol"]) expect(sig(t).askMinor, t).toBe(0);
    for (const t of ["ja", "yep", "ja hoor"]) expect(sig(t).yes, t).toBeGreaterThan(0.9);
    for (const t of ["ja maar", "ja ik zit in groep 8"]) expect(sig(t).yes, t).toBe(0);
  });
});

describe("v19: ages said another way", () => {
  it("turning an age soon, a bare age with 'why', and a child's life under parents' rules are minor hints", () => {
    for (const t of ["14 in 2 weeks shut up", "ik word over 2 weken 14", "12 hoezo", "13 waarom"]) expect(sig(t).minor, t).toBeGreaterThanOrEqual(0.8);
    for (const t of ["im grounded lol", "my mom took my phone", "my parents are so strict", "mn ma is streng", "ik heb huisarrest", "ik moet zo slapen van mn moeder", "morgen toets bij biologie"]) {
      expect(sig(t).minor, t).toBeGreaterThanOrEqual(0.5);
    }
    for (const t of ["20 in 2 weeks", "done in 2 weeks", "20 hoezo", "my boss is so strict", "mijn baas is streng", "dat mag van mij", "i took my phone"]) expect(sig(t).minor, t).toBe(0);
  });
});

describe("v19: general families (EN, NL) with near misses", () => {
  const cases: [string, string, boolean][] = [
    // [text, stage, counts]
    ["zeg het gwn nie tegen je ouders oke", "isolation", true],
    ["zeg het gwn tegen je ouders", "isolation", false],
    ["kijkt je ma ook in je telefoon?", "risk", true],
    ["kijkt je ma ook naar die serie?", "risk", false],
    ["morgen na school ff cammen?", "images", true],
    ["morgen gaan we kamperen", "images", false],
    ["stuur ns die link", "images", false],
    ["stuur een foto in je bikini", "images", true],
    ["ik koop een nieuwe bikini", "images", false],
    ["gaan we naar whatsapp?", "isolation", true],
    ["gaan we naar de film?", "isolation", false],
    ["hier lezen de mods mee", "isolation", true],
    ["hier lezen we boeken", "isolation", false],
    ["anders mag je nie meer met me praten", "isolation", true],
    ["anders mag je niet meer gamen", "isolation", false],
    ["or u wont be allowed to talk to me anymore", "isolation", true],
    ["or u wont be allowed to play anymore", "isolation", false],
    ["heb je al gezoend? ik kan je leren hoe", "sexual", true],
    ["have u kissed anyone? i can teach u how", "sexual", true],
    ["kom op ik stuur er ook een", "images", true],
    ["ik stuur je de link", "images", false],
    ["u got sn@p? discord lags on my phone", "isolation", true],
    ["u got homework? its so much", "isolation", false],
    // benign context of the same stages
    ["send me a pic of u from the party", "images", true],
    ["send me the pic from the party u said u had", "images", false],
    ["send me a pic of u in that hoodie", "images", true],
    ["send me a pic of that hoodie u said u got", "images", false],
    ["stuur een foto van die hoodie", "images", false],
    ["stuur die foto van het feestje", "images", false],
    ["can we meet somewhere quiet?", "meeting", true],
    ["ok deal. can we meet somewhere public?", "meeting", false],
    ["kunnen we ergens in het openbaar afspreken?", "meeting", false],
    ["dont tell ur parents about us", "isolation", true],
    ["dont tell my roommate lol", "isolation", false],
    ["zeg het niet tegen je ouders", "isolation", true],
    ["zeg nog niet tegen mn zus dat je komt", "isolation", false],
    ["zeg niks tegen papa, ik wil hem verrassen", "isolation", false],
  ];
  stageCases(cases, stageOf, true);

  it("'stuur ns een foto' is a picture request like 'stuur eens een foto'", () => {
    expect(stageOf("stuur ns een foto", "images")).toBeGreaterThanOrEqual(model.scoring.presentAt);
  });
  it("an offer to teach kissing is its own rule (not the peers' kissing question); teaching a sum or code is not", () => {
    const rule = (t: string) => sig(t).signals.find((s) => s.stage === "sexual")?.rule ?? "";
    expect(rule("heb je al gezoend? ik kan je leren hoe")).toBe("nl.sexual.leren_zoenen");
    expect(rule("have u kissed anyone? i can teach u how")).toBe("en.sexual.teach_kiss");
    expect(rule("ik kan je leren hoe je die som maakt")).not.toBe("nl.sexual.leren_zoenen");
    expect(rule("i can teach u how to code")).not.toBe("en.sexual.teach_kiss");
  });
});
