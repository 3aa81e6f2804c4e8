import { describe, expect, it } from "vitest";
import { decideAlert } from "../../src/alerts/policy.ts";
import { DEFAULT_SETTINGS } from "../../src/config/settings.ts";
import { loadModel, normalize, RiskEngine } from "../../src/engine/index.ts";
import { detectSignals } from "../../src/engine/signals.ts";
import type { Stage } from "../../src/types.ts";
import { dm } from "./chat.ts";

// v13/v14: general phrasings, each family with the everyday chat that shares its words (EN and NL),
// the explicit word lists without the everyday words and profanity they hold, and the chat-room opening.
const model = loadModel("v14");
const signals = (text: string) => detectSignals(model, normalize(text));
const stagesOf = (text: string) =>
  detectSignals(model, normalize(text))
    .signals.filter((s) => s.weight >= 0.4)
    .map((s) => s.stage);

const families: Record<string, { positives: [Stage, string][]; nearMisses: [Stage, string][] }> = {
  "a relationship offered to the child": {
    positives: [
      ["trust", "will u be my gf"],
      ["trust", "ur my girlfriend now ok"],
      ["trust", "i think im in love with u"],
      ["trust", "wil je mijn lief zijn"],
      ["trust", "ik zie u echt graag"],
    ],
    nearMisses: [
      ["trust", "my girlfriend says hi"],
      ["trust", "ik zie je morgen op training"],
      ["trust", "i love this song"],
    ],
  },
  "checking the child keeps quiet": {
    positives: [
      ["isolation", "u wont tell ur mom right"],
      ["isolation", "r u gonna tell anyone?"],
      ["isolation", "dont tell no1"],
      ["isolation", "zegt da nie tegen uw ma"],
      ["isolation", "ge moogt da aan niemand zeggen"],
    ],
    nearMisses: [
      ["isolation", "are u gonna tell the coach about the injury"],
      ["isolation", "zeg nog niks over de opstelling"],
    ],
  },
  "pictures: a sent one followed up, a photo of the child asked for": {
    positives: [
      ["images", "did u like the pic i sent"],
      ["images", "i showed u mine"],
      ["images", "mag ik een foto van u?"],
      ["images", "kunde gij ne foto sturen"],
      ["images", "stuur is een fotooke"],
    ],
    nearMisses: [
      ["images", "mag ik een foto van je tekening"],
      ["images", "did u like the movie"],
    ],
  },
  "distance, parents leaving, school hours": {
    positives: [
      ["meeting", "how far r u from the mall"],
      ["risk", "when do ur parents leave for work"],
      ["risk", "bende alleen thuis"],
      ["risk", "zijn uw ouders ni thuis?"],
    ],
    nearMisses: [
      ["meeting", "how far is the station"],
      ["risk", "when does the store open"],
    ],
  },
  "Flemish age, clothes and guilt": {
    positives: [
      ["personal", "hoe oud bende"],
      ["personal", "hoeveel jaar zijde"],
      ["personal", "in welk jaar zitte"],
      ["sexual", "wa hebde aan"],
      ["coercion", "na alles wat ik voor u gedaan heb"],
      ["coercion", "ik zet uw foto online"],
    ],
    nearMisses: [
      ["personal", "hoe oud is die film"],
      ["coercion", "ik zet de foto's van het kamp online"],
    ],
  },
};

Object.assign(families, {
  "praise against the age, photos as work, pictures to a private app": {
    positives: [
      ["trust", "ur aim is insane for ur age"],
      ["images", "we need a few test shots for the agency"],
      ["isolation", "just send those to my kik"],
      ["isolation", "u dont need ur moms permission"],
      ["isolation", "u can tell them after its done"],
    ],
    nearMisses: [
      ["trust", "good seats for the age group"],
      ["isolation", "send it to my email"],
      ["isolation", "you can tell your parents when you feel ready"],
      ["isolation", "you dont need permission to join the server"],
    ],
  },
  "threat leverage and deadlines": {
    positives: [
      ["coercion", "i saved ur followers list"],
      ["coercion", "the clock is ticking"],
    ],
    nearMisses: [["coercion", "you have until friday to hand it in"]],
  },
  "Flemish: lft, cammen, a photo of me first, cover stories, others kept out": {
    positives: [
      ["personal", "lft?"],
      ["images", "zullen we cammen vanavond"],
      ["images", "ik stuur eerst een foto van mezelf"],
      ["isolation", "zeg tegen uw mama dat ge bij een vriendin slaapt"],
      ["isolation", "de anderen hoeven dat niet te weten"],
      ["isolation", "de anderen snappen het niet"],
    ],
    nearMisses: [
      ["isolation", "zeg tegen uw mama dat het eten klaar is"],
      ["isolation", "hij snapt het niet"],
    ],
  },
  "old chat-room spellings": {
    positives: [
      ["sexual", "ur so sexi"],
      ["sexual", "i wanna kis u"],
      ["risk", "ur mom home 2nite?"],
      ["risk", "u home by urself"],
      ["personal", "wat town u in"],
      ["isolation", "delete dis chat"],
    ],
    nearMisses: [["risk", "is the shop open 2nite?"]],
  },
  "a picture of a thing, a gift for an item, showing someone around": {
    positives: [
      ["images", "send me a pic of ur face"],
      ["images", "stuur een foto van uw gezicht"],
    ],
    nearMisses: [
      ["images", "send me a pic of ur inventory"],
      ["images", "send a pic of the error message"],
      ["images", "stuur is een foto van uw rapport"],
      ["images", "i would be happy to show you around"],
      ["trust", "ill gift u robux for the pet"],
      ["trust", "ik geef je robux voor die skin"],
    ],
  },
  "money and fame as lures, love as a lever": {
    positives: [
      ["images", "ill send u robux for a selfie"],
      ["trust", "wanna make some easy cash"],
      ["trust", "u should totally be a model"],
      ["coercion", "if u really trusted me u would"],
      ["images", "ik geef je geld voor een foto"],
      ["trust", "wil je model worden"],
      ["coercion", "als gij echt van mij houdt"],
    ],
    nearMisses: [
      ["images", "i pay for my own photo prints"],
      ["images", "ik betaal voor de foto van de klas"],
      ["trust", "ill pay u back tomorrow"],
    ],
  },
} satisfies typeof families);

describe.each(Object.entries(families))("v13 family: %s", (_, { positives, nearMisses }) => {
  it.each(positives)("%s in %j", (stage, text) => {
    expect(stagesOf(text)).toContain(stage);
  });
  it.each(nearMisses)("no %s in %j", (stage, text) => {
    expect(stagesOf(text)).not.toContain(stage);
  });
});

describe("explicit word lists without everyday words and profanity", () => {
  it.each(["jouw beurt", "mijn nicht komt ook", "kan je de hond uitlaten", "de ballen!", "kut spel", "hardcore mode?", "ur such a bitch lol", "escort the payload"])(
    "%j is no sexual evidence",
    (text) => expect(stagesOf(text)).not.toContain("sexual"),
  );
  it("a listed explicit word still is", () => {
    expect(stagesOf("im so horny")).toContain("sexual");
  });
});

describe("ages said in passing and adult life", () => {
  it.each(["yeah 11", "12 turning 13", "13 in june", "14 v", "ja 12"])("%j is a minor's age", (text) => expect(signals(text).minor).toBeGreaterThanOrEqual(0.8));
  it.each(["ya 12 players", "yes 10 minutes", "8 v chr"])("%j is no age", (text) => expect(signals(text).minor).toBe(0));
  it.each(["my roommate is out tonight", "ik zit op kot in leuven", "my coworkers are annoying"])("%j hints an adult", (text) => {
    expect(signals(text).adult).toBeGreaterThanOrEqual(0.5);
  });
});

describe("the chat-room opening (asl, an adult's age to a child's, flattery)", () => {
  const alerts = (lines: [string, string][]) => {
    const engine = new RiskEngine(model);
    return dm("c1", lines).filter((m) => {
      const top = engine.observe(m).top;
      return top !== null && top.subject.actor.endsWith("a") && decideAlert(top, null, DEFAULT_SETTINGS, 0).alert;
    }).length;
  };
  it("alerts before any core stage once both ages are stated after asl", () => {
    expect(alerts([["a", "asl"], ["b", "12 f"], ["a", "30 m. thats ok right"], ["a", "u seem so mature 4 12"]])).toBeGreaterThan(0);
    expect(alerts([["a", "lft?"], ["b", "12 v"], ["a", "ik ben 30"], ["a", "ge lijkt echt ouder dan 12"]])).toBeGreaterThan(0);
  });
  it("a mentor or relative who states his age to a child, praises and asks the school stays below", () => {
    expect(alerts([["b", "im 13, stuck on this code"], ["a", "im 25, been coding for years"], ["a", "ur really smart for ur age"], ["a", "what school do u go to"]])).toBe(0);
    expect(alerts([["a", "asl"], ["b", "29 f"], ["a", "31 m"], ["a", "u seem so mature"], ["a", "where do u live"]])).toBe(0);
  });
});
