// v37 (read in fresh set h42): Dutch sextortion as it is written ("anders gaat ie naar je hele klas"), cover stories
// with adverbs, a flattering wedge; a school year the adult guesses or says back is not his own age; a parent who says
// "mama" keeps a birthday secret.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { alertsWith, dm, newLines, signalsWith, stageWeight } from "./chat.ts";

const v36 = loadModel("v36");
const v37 = loadModel("v37");

describe("v37 lines", () => {
  newLines(
    v36,
    v37,
    [
      ["ik heb de foto die je gisteren stuurde nog", "coercion"],
      ["150 euro in cadeaukaarten en ik verwijder het. anders gaat ie naar je hele klas en je moeder", "coercion"],
      ["en als je het iemand vertelt stuur ik het meteen", "coercion"],
      ["Zeg dan gewoon dat ge bij een vriendin gaat studeren", "isolation"],
      ["dan is er niemand thuis bij u zeker", "risk"],
      ["ge zijt groot genoeg om zelf naar de bib te gaan", "isolation"],
      ["Parents don't always see the real you", "isolation"],
      ["i think i get you more than most people do", "trust"],
      ["I do scouting for a small agency", "trust"],
      ["I'd rather not clog up the channel", "isolation"],
    ],
    [
      ["ik heb de foto die je stuurde aan oma laten zien", "coercion"],
      ["zeg maar tegen de trainer dat ik later kom", "isolation"],
      ["er is niemand thuis, ik ben bij de buren", "risk"],
      ["my parents don't always get my music", "isolation"],
      ["please don't clog up the channel with memes", "isolation"],
    ],
  );
});

describe("a school year the adult guesses or says back", () => {
  it.each(["In welk jaar zit ge? Eerste middelbaar?", "Year 8 and already composing like this, wow", "eerste middelbaar en ge tekent al zo goed"])("%s is not the author's own age", (text) => {
    expect(signalsWith(v36, text).minor).toBeGreaterThan(0);
    expect(signalsWith(v37, text).minor).toBe(0);
  });
  it("a guess in English is not the author's own either", () => {
    expect(signalsWith(v37, "what year r u in? year 8?").minor).toBe(0);
  });
  it.each(["ik zit in het eerste middelbaar", "im in year 8", "ik zit in het eerste middelbaar en ik vind het leuk"])("%s still is", (text) => {
    expect(signalsWith(v37, text).minor).toBeGreaterThan(0);
  });
  // h42's Flemish "tutor": his own guess made him the child's "peer", which held every line after it.
  const tutor: [string, string][] = [
    ["a", "Dag! Ik zag uw vraag in #huiswerkhulp. Ik help u graag gratis."],
    ["b", "amai merci"],
    ["a", "Ge zijt slimmer dan ge denkt. In welk jaar zit ge? Eerste middelbaar?"],
    ["b", "ja eerste jaar"],
    ["a", "Misschien makkelijker om ne keer samen te zitten in de bib"],
    ["b", "moet ik dat aan mijn mama vragen?"],
    ["a", "Moet niet per se, ge zijt groot genoeg om zelf te gaan"],
    ["a", "Woensdag? Dan is er niemand thuis bij u zeker"],
    ["a", "Zeg dan gewoon dat ge bij een vriendin gaat studeren"],
  ];
  it("no longer holds an adult who guessed the year as the child's peer", () => {
    expect(alertsWith(v36, dm("t1", tutor))).toBe(false);
    expect(alertsWith(v37, dm("t1", tutor))).toBe(true);
  });
});

describe("v37 Dutch sextortion", () => {
  const threat: [string, string][] = [
    ["a", "ik heb de foto die je gisteren stuurde nog"],
    ["b", "verwijder dat alsjeblieft"],
    ["a", "150 euro in cadeaukaarten en ik verwijder het. anders gaat ie naar je hele klas"],
    ["b", "ik ben 15 ik heb dat geld niet"],
    ["a", "als je het iemand vertelt stuur ik het meteen"],
  ];
  it("alerts on a threat v36 did not read", () => {
    expect(alertsWith(v36, dm("s1", threat))).toBe(false);
    expect(alertsWith(v37, dm("s1", threat))).toBe(true);
  });
});

describe("v37 families and peers", () => {
  it("a parent who says 'mama' and keeps her birthday present secret is family", () => {
    const line = "En niks tegen mama zeggen over het cadeau in de schuur he, zaterdag is ze jarig";
    expect(signalsWith(v36, line).open).toBe(0);
    expect(signalsWith(v37, line).open).toBeGreaterThanOrEqual(0.6);
    expect(signalsWith(v37, "niks tegen je moeder zeggen he").open).toBe(0);
  });
  it("'is oma er al?' is someone at home the child's family knows; 'is je oma thuis?' is not", () => {
    expect(signalsWith(v37, "Hoi lieverd, ben je al thuis? Is oma er al?").open).toBeGreaterThanOrEqual(0.6);
    expect(signalsWith(v37, "is je oma er al?").open).toBe(0);
  });
  it("'already 15 haha im older' is a teen, not an adult", () => {
    expect(signalsWith(v36, "already 15 haha im older").adult).toBeGreaterThan(0);
    expect(signalsWith(v37, "already 15 haha im older").adult).toBe(0);
    expect(signalsWith(v37, "already 15 haha im older").minor).toBeGreaterThan(0);
    expect(signalsWith(v37, "lol im older than u").adult).toBeGreaterThan(0);
  });
  it("a flattering wedge stays weaker than a secret", () => {
    expect(stageWeight(v37, "Parents don't always see the real you", "isolation")).toBeLessThan(stageWeight(v37, "dont tell ur parents about us", "isolation"));
  });
});
