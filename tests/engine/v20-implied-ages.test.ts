// Model v20: grooming where the child's age is implied or never said (a patient adult: dependency and
// guilt, "you're no little kid anymore", a wedge against the parents, apps where they do not look,
// who reads along, a cover story, a phone kept silent, pictures filmed alone, threats aimed at the
// class chat), a child's life as implied minor hints (a phone handed in at night, the school bus),
// and two benign contexts for adults of unstated age (a picture to match what to wear, one's own
// roommate being away). EN and NL, each family with near misses; v19 is unchanged.
import { describe, expect, it } from "vitest";
import { decideAlert } from "../../src/alerts/policy.ts";
import { DEFAULT_SETTINGS } from "../../src/config/settings.ts";
import { loadModel, normalize, RiskEngine } from "../../src/engine/index.ts";
import { detectSignals } from "../../src/engine/signals.ts";
import type { ChatMessage } from "../../src/types.ts";
import { dm, stageCases } from "./chat.ts";

const model = loadModel("v20");
const v19 = loadModel("v19");

function alertsOn(msgs: ChatMessage[], actor = "a", m = model): boolean {
  const engine = new RiskEngine(m);
  let alerted = false;
  for (const msg of msgs) {
    const top = engine.observe(msg).top;
    if (top && top.subject.actor === actor && decideAlert(top, null, DEFAULT_SETTINGS, msg.ts).alert) alerted = true;
  }
  return alerted;
}

const sig = (text: string, m = model) => detectSignals(m, normalize(text));
const stageOf = (text: string, stage: string) => sig(text).signals.find((s) => s.stage === stage)?.weight ?? 0;

describe("v20: warning families of implied-age grooming (EN, NL) with near misses", () => {
  stageCases(
    [
      ["you can always talk to me", "trust", true],
      ["je kan altijd bij mij terecht", "trust", true],
      ["you can always talk to the school counsellor", "trust", false],
      ["ur not a little kid anymore", "trust", true],
      ["je bent toch geen klein kind meer", "trust", true],
      ["my sister is not a little kid anymore", "trust", false],
      ["ze is geen klein kind meer", "trust", false],
      ["je bent echt de enige met wie ik kan praten", "trust", true],
      ["if you leave too i dont know what ill do", "coercion", true],
      ["als jij ook weggaat weet ik nie wat ik met mezelf doe", "coercion", true],
      ["if you leave now we miss the bus", "coercion", false],
      ["als je weggaat doe je het licht uit", "coercion", false],
      ["prove you care, send one now", "coercion", true],
      ["bewijs dan dat je om me geeft", "coercion", true],
      ["prove the theorem for homework", "coercion", false],
      ["bewijs de stelling van pythagoras", "coercion", false],
      ["put your phone on silent so nobody hears", "risk", true],
      ["hou je telefoon op stil", "risk", true],
      ["put your phone on the charger", "risk", false],
      ["zet je telefoon aan de lader", "risk", false],
      ["so your mom doesnt see its me", "isolation", true],
      ["niet dat je moeder ziet dat ik het ben", "isolation", true],
      ["so your mom sees its me at the door", "isolation", false],
      ["je moeder ziet dat ik het ben aan de deur", "isolation", false],
      ["keep my number saved under a fake name", "isolation", true],
      ["save my number under my real name", "isolation", false],
      ["say ur meeting a school friend", "isolation", true],
      ["zeg dat je bij een vriendin bent", "isolation", true],
      ["say hi to your school friend", "isolation", false],
      ["zeg hoi tegen je vriendin", "isolation", false],
      ["vertel het niemand, anders wil iedereen", "isolation", true],
      ["ik heb het aan niemand gevraagd", "isolation", false],
      ["wat flauw. zij snappen niet hoe jij je voelt", "isolation", true],
      ["ze zien niet hoeveel moeite je doet. ik wel", "isolation", true],
      ["ik snap niet hoe je dat doet", "isolation", false],
      ["mijn ouders snappen het ook niet, die nieuwe app", "isolation", false],
      ["lets talk on snap, they dont check there", "isolation", true],
      ["dan praten we voortaan op insta, daar kijken ze toch niet", "isolation", true],
      ["i posted it on insta, check it out", "isolation", false],
      ["ik heb het op insta gezet, kijk maar", "isolation", false],
      ["is anyone watching your screen?", "risk", true],
      ["kijkt er iemand mee op je scherm?", "risk", true],
      ["lezen ze eigenlijk mee met je berichten?", "risk", true],
      ["someone reading the rules out loud pls", "risk", false],
      ["kijkt er iemand mee naar de wedstrijd?", "risk", false],
      ["when everyone's asleep we can talk", "risk", true],
      ["als de rest slaapt kunnen we rustig praten", "risk", true],
      ["i fell asleep during the movie", "risk", false],
      ["de rest van de klas was er ook", "risk", false],
      ["film yourself tonight in your room alone", "images", true],
      ["film u morgen eens op uw kamer, alleen", "images", true],
      ["film the trick from the side so we see your feet", "images", false],
      ["film de kickflip van opzij", "images", false],
      ["call tonight with the camera on so i can finally see you", "images", true],
      ["vanavond bellen? met camera, dan zie ik je eindelijk", "images", true],
      ["call me when you get home", "images", false],
      ["bel me als je thuis bent", "images", false],
      ["send 2 more tonight", "images", true],
      ["send 2 more invites to the server", "images", false],
      ["ik heb net robux gekocht, wil je er wat?", "trust", true],
      ["ik heb net een game gekocht, hij is echt goed", "trust", false],
    ],
    stageOf,
  );
});

describe("v20: threats aimed at the child's class chat are sextortion", () => {
  stageCases(
    [
      ["or i post the one i have in ur class group chat", "coercion", true],
      ["it would be a shame if your class groupchat saw it", "coercion", true],
      ["tell her and i post it", "coercion", true],
      ["go ahead and everyone sees it", "coercion", true],
      ["dan gaat ie meteen online. jij beslist", "coercion", true],
      ["ik weet in welke klassenapp jij zit", "coercion", true],
      ["ill post the homework in the class group chat", "coercion", false],
      ["i posted the schedule in the class chat", "coercion", false],
      ["dan gaat de les online verder", "coercion", false],
      ["ik weet in welke klas je zat vorig jaar niet meer", "coercion", false],
    ],
    stageOf,
  );
  it("the class-chat threats are sextortion in v20 and matched nothing in v19", () => {
    for (const t of ["it would be a shame if your class groupchat saw it", "dan gaat ie meteen online"]) {
      expect(sig(t).signals.some((s) => s.rule.includes(".sextortion."))).toBe(true);
      expect(sig(t, v19).signals.some((s) => s.stage === "coercion")).toBe(false);
    }
  });
});

describe("v20: a child's life as an implied minor age; never the adult's", () => {
  it("a phone handed in or taken at night, the school bus, a parent who checks the phone", () => {
    for (const t of ["mijn telefoon was afgepakt", "moest van mn pa om 9u mijn telefoon inleveren", "hoi ik zit in de schoolbus", "i cant my mom will check my phone", "im on the school bus"]) {
      expect(sig(t).minor, t).toBeGreaterThanOrEqual(0.5);
      expect(sig(t).adult, t).toBe(0);
    }
    for (const t of ["mijn telefoon is kapot", "ik zit in de bus naar mijn werk", "my mom will check the oven", "im on the bus to work"]) {
      expect(sig(t).minor, t).toBe(0);
    }
  });
  it("a bedtime asked of the other is a personal question", () => {
    expect(stageOf("hoe laat moet je naar bed?", "personal")).toBeGreaterThan(0.5);
    expect(stageOf("hoe laat moet je naar je werk?", "personal")).toBeLessThan(0.3);
  });
});

describe("v20: benign contexts for adults of unstated age", () => {
  it("a picture of an outfit to match what to wear is damped; a plain request is not", () => {
    expect(stageOf("send a pic of what youre wearing so i know how underdressed ill be", "images")).toBeLessThan(0.3);
    expect(stageOf("stuur een foto van wat je aan hebt, ik wil niet te chic zijn", "images")).toBeLessThan(0.3);
    expect(stageOf("send a pic of what youre wearing", "images")).toBeGreaterThan(0.3);
  });
  it("one's own roommate being away is an adult hint; a parent's absence is not", () => {
    expect(sig("roommate is at her parents till sunday").adult).toBeGreaterThanOrEqual(0.55);
    expect(sig("huisgenoot is weg tot zondag").adult).toBeGreaterThanOrEqual(0.55);
    expect(sig("mom is at work till sunday").adult).toBe(0);
    expect(sig("mama is weg tot zondag").adult).toBe(0);
  });
});

/** An ageless evening chat: "a" asks if "c" is alone, comes over after work, asks for a picture of the outfit. */
const couple = (lang: "en" | "nl", answer: string): ChatMessage[] =>
  lang === "en"
    ? dm(`couple-en-${answer}`, [
        ["a", "are you alone tonight?"],
        ["c", answer],
        ["a", "then im coming over after work"],
        ["c", "bring the wine"],
        ["a", "send a pic of what youre wearing so i know how underdressed ill be lol"],
        ["c", "sweatpants"],
      ])
    : dm(`couple-nl-${answer}`, [
        ["a", "ben je alleen vanavond?"],
        ["c", answer],
        ["a", "dan kom ik na het werk langs"],
        ["c", "neem de wijn mee"],
        ["a", "stuur een foto van wat je aan hebt, dan ben ik niet te chic"],
        ["c", "joggingbroek"],
      ]);

/** A patient adult, age never said: the child's phone was taken, a wedge, an app where parents do not look, a picture. */
const patient = (lang: "en" | "nl"): ChatMessage[] =>
  lang === "en"
    ? dm("patient-en", [
        ["c", "sorry i didnt answer, i have to hand in my phone at 9"],
        ["a", "no worries. you can always talk to me"],
        ["c", "thx"],
        ["a", "lets talk on snap from now on, they dont check there"],
        ["c", "ok"],
        ["a", "is anyone watching your screen?"],
        ["c", "no"],
        ["a", "call tonight with the camera on so i can finally see you"],
      ])
    : dm("patient-nl", [
        ["c", "sorry dat ik niet reageerde, mijn telefoon was afgepakt"],
        ["a", "geeft niks. je kan altijd bij mij terecht"],
        ["c", "dankje"],
        ["a", "dan praten we voortaan op insta, daar kijken ze toch niet"],
        ["c", "ok"],
        ["a", "kijkt er iemand mee op je scherm?"],
        ["c", "nee"],
        ["a", "vanavond bellen? met camera, dan zie ik je eindelijk"],
      ]);

describe("v20: whole chats", () => {
  for (const lang of ["en", "nl"] as const) {
    it(`a patient adult who never hears an age alerts; v19 missed it (${lang})`, () => {
      expect(alertsOn(patient(lang))).toBe(true);
      expect(alertsOn(patient(lang), "a", v19)).toBe(false);
    });
    it(`an ageless couple whose host's roommate is away stays quiet (${lang})`, () => {
      expect(alertsOn(couple(lang, lang === "en" ? "roommate is at her parents till sunday sooo yes" : "huisgenoot is weg tot zondag dus ja"))).toBe(false);
    });
  }
});
