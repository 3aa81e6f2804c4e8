import { describe, expect, it } from "vitest";
import { loadModel, normalize } from "../../src/engine/index.ts";
import { detectSignals } from "../../src/engine/signals.ts";
import type { Stage } from "../../src/types.ts";

// v13: general phrasings, each family with the everyday chat that shares its words (EN and NL),
// and the explicit word lists without the everyday words and profanity they hold.
const model = loadModel("v13");
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
