import { describe, expect, it } from "vitest";
import { decideAlert } from "../../src/alerts/policy.ts";
import { DEFAULT_SETTINGS } from "../../src/config/settings.ts";
import { loadModel, normalize, RiskEngine } from "../../src/engine/index.ts";
import { detectSignals } from "../../src/engine/signals.ts";
import type { Stage } from "../../src/types.ts";
import { dm } from "./chat.ts";

// v8: the phrasings of long, misspelled real-groomer chats (old chat-room slang, Flemish chat),
// one family at a time, each with the everyday chat that shares its words.
const model = loadModel();
const signals = (text: string) => detectSignals(model, normalize(text));
const stagesOf = (text: string) =>
  signals(text)
    .signals.filter((s) => s.weight >= 0.4)
    .map((s) => s.stage);

const families: Record<string, { positives: [Stage, string][]; nearMisses: [Stage, string][] }> = {
  "secrecy promised or asked, verb first": {
    positives: [
      ["isolation", "its fine we wont tell nobody"],
      ["isolation", "relax i wont tell ur dad"],
      ["isolation", "je mag niks vertellen aan je papa"],
      ["isolation", "niets zeggen hoor tegen je ouders"],
      ["isolation", "vertel da nie aan uw pa"],
      ["isolation", "tell ur dad ur at a sleepover"],
    ],
    nearMisses: [
      ["isolation", "haha ok ik zeg niks hoor"],
      ["isolation", "dont tell anyone but i have a crush on sam"],
      ["isolation", "dont tell the team about the roster"],
      ["isolation", "zeg nog niks over de opstelling"],
    ],
  },
  "parents away, devices and doors": {
    positives: [
      ["risk", "text me when ur mom goes to work"],
      ["risk", "so ur mom wont be home friday?"],
      ["risk", "does ur dad leave u alone at night"],
      ["risk", "is ur bedroom door shut?"],
      ["risk", "does ur dad ever go through ur phone"],
      ["risk", "does anybody else use ur laptop"],
      ["risk", "any1 home?"],
      ["risk", "kan je papa dit lezen"],
      ["risk", "wanneer je mama gaat werken"],
    ],
    nearMisses: [
      ["risk", "when ur done with the dishes go to bed"],
      ["risk", "the door is locked, use the back entrance"],
    ],
  },
  "bodies, clothes and experience": {
    positives: [
      ["sexual", "wut r u wearin rn"],
      ["sexual", "u wearing anything underneath?"],
      ["sexual", "ever watched videos u arent supposed to"],
      ["sexual", "lots of girls ur age already do"],
      ["sexual", "ever thought about older men"],
      ["sexual", "heb je ooit dingen gedaan met een jongen"],
      ["sexual", "ben je al ongesteld"],
      ["sexual", "kan ik je dingen leren"],
    ],
    nearMisses: [
      ["sexual", "what r u wearing to prom"],
      ["sexual", "i feel u, work sucks"],
      ["sexual", "we have math 2nd period"],
      ["sexual", "what do you think about the development in computers"],
    ],
  },
  "offers to meet, fetch or wait": {
    positives: [
      ["meeting", "ill be parked around the corner"],
      ["meeting", "would u come meet me"],
      ["meeting", "i can come get u after school"],
      ["meeting", "i can drive up in my car"],
      ["meeting", "ill be in a red car, look for me"],
      ["meeting", "ik kom je zelf afhalen"],
      ["meeting", "ik fiets wel naar je toe"],
    ],
    nearMisses: [
      ["meeting", "i got a new car yesterday"],
      ["meeting", "yes sir ill bring it over"],
    ],
  },
  "moving to a more private app": {
    positives: [
      ["isolation", "snap is way more private"],
      ["isolation", "download telegram so we can talk"],
      ["isolation", "can u hop on kik tonight"],
      ["isolation", "chat with me in private"],
      ["isolation", "log out so ur mom cant see our messages"],
      ["isolation", "i deleted all our chats"],
      ["isolation", "op telegram is het meer prive"],
    ],
    nearMisses: [["isolation", "the chat is private to the team, post it there"]],
  },
  "flattery and money for silence": {
    positives: [
      ["trust", "ur so mature honestly"],
      ["trust", "id treat u like a princess"],
      ["trust", "dan krijg je 20 euro van mij"],
    ],
    nearMisses: [["trust", "the film is rated for a mature audience"]],
  },
  "old chat-room checks: alone, parents' return, cops, first times": {
    positives: [
      ["risk", "lemme know when ur by urself"],
      ["risk", "what time does ur dad get home"],
      ["risk", "wanneer komt je papa terug"],
      ["risk", "r u a cop"],
      ["risk", "ben jij van de politie"],
      ["isolation", "i could go to jail for this"],
      ["isolation", "ik kan hiervoor in de gevangenis komen"],
      ["sexual", "wanna sext"],
      ["sexual", "i wanna be ur first"],
      ["sexual", "ik wil jouw eerste zijn"],
      ["meeting", "im coming down there saturday"],
      ["meeting", "kom je eens bij mij thuis"],
      ["trust", "ur all grown up now"],
    ],
    nearMisses: [
      ["isolation", "we could get in trouble if we're late"],
      ["isolation", "ik kan in de problemen komen als ik te laat ben"],
      ["sexual", "i want to be your first customer today"],
      ["risk", "is this a cop show or a comedy"],
      ["risk", "send a pic of ur setup"],
    ],
  },
  "pictures": {
    positives: [
      ["images", "send me one in ur swimsuit"],
      ["images", "i already sent u mine"],
      ["images", "take a selfie in the mirror for me"],
    ],
    nearMisses: [
      ["images", "send me a pic of the price tag"],
      ["images", "send a pic when ur done with it"],
      ["images", "send a pic of ur dress for the wedding"],
      ["images", "send me a photo of the questions from class"],
    ],
  },
};

describe.each(Object.entries(families))("v8 family: %s", (_, { positives, nearMisses }) => {
  it.each(positives)("%s in %j", (stage, text) => {
    expect(stagesOf(text)).toContain(stage);
  });
  it.each(nearMisses)("no %s in %j", (stage, text) => {
    expect(stagesOf(text)).not.toContain(stage);
  });
});

describe("v8 ages in old chat", () => {
  it.each(["a/s/l ?", "a.s.l"])("%j asks the age", (text) => expect(stagesOf(text)).toContain("personal"));
  it.each(["25 u?", "42, hope thats ok", "30 v", "33 maar jong van hart"])("%j is an adult's age", (text) => {
    expect(signals(text).adult).toBeGreaterThanOrEqual(0.8);
  });
  it.each(["how was 7th grade for u", "het romeinse rijk 27 v chr", "50 lol", "30 haha"])("%j discloses no age", (text) => {
    const s = signals(text);
    expect([s.minor, s.adult]).toEqual([0, 0]);
  });
  it("a parent's or sibling's threat to tell a shared parent is no coercion", () => {
    for (const text of ["clean your room or i tell mom", "ruim je kamer op of ik zeg het tegen mama"]) expect(stagesOf(text)).not.toContain("coercion");
    expect(stagesOf("anders vertel ik aan je ouders wat je deed")).toContain("coercion");
  });
});

describe("adults flirting with adults", () => {
  const chat = (targetAge: string) =>
    dm("c1", [
      ["a", "asl?"],
      ["b", targetAge],
      ["a", "29 m ny"],
      ["a", "ur really cute in ur pic"],
      ["a", "r u alone tonight ;)"],
      ["a", "nobody has to know lol"],
      ["a", "wanna meet up this weekend"],
      ["a", "send me a pic of u"],
    ]);
  const alerts = (targetAge: string) => {
    const engine = new RiskEngine(model);
    return chat(targetAge).filter((m) => {
      const top = engine.observe(m).top;
      return top !== null && top.subject.actor.endsWith("a") && decideAlert(top, null, DEFAULT_SETTINGS, 0).alert;
    }).length;
  };
  it("do not alert once the other said an adult's age; the same chat with a child's age does", () => {
    expect(alerts("26/f/tx")).toBe(0);
    expect(alerts("13/f/tx")).toBeGreaterThan(0);
  });
});
