// v35: a child's age or school year said back to them ("hoe bevalt de brugklas?", "12 jaar en nu al zo goed")
// is not the author's own age, so it no longer makes an adult a "peer"; Flemish "uw/ge" lines, a short Dutch
// threat with the photo, and a coach who will talk to the parents.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { alertsWith, dm, newLines, signalsWith, stageWeight } from "./chat.ts";

const v34 = loadModel("v34");
const v35 = loadModel("v35");

describe("v35 age said back", () => {
  const saidBack = ["hoe bevalt de brugklas tot nu toe?", "12 jaar en nu al zo goed", "wie zit hier eigenlijk nog in groep 8?", "how do you like middle school so far"];
  it.each(saidBack)("%s: the author's minor age in v34, not in v35", (text) => {
    expect(signalsWith(v34, text).minor).toBeGreaterThanOrEqual(0.8);
    expect(signalsWith(v35, text).minor).toBe(0);
  });
  const own = ["ik zit in de brugklas", "ik ben 12 jaar", "im in middle school", "ik zit in groep 8 en mijn broer in de brugklas"];
  it.each(own)("%s stays the author's own age", (text) => {
    expect(signalsWith(v35, text).minor).toBeGreaterThanOrEqual(0.8);
  });

  it("an adult who asks how the first year goes is no longer held as a peer", () => {
    const lines: [string, string][] = [
      ["a", "hoi! hoe bevalt de brugklas tot nu toe?"],
      ["b", "wel leuk, veel huiswerk"],
      ["a", "snap ik. ik vind je echt volwassen hoor"],
      ["b", "haha dankje"],
      ["a", "leest je moeder eigenlijk mee op je telefoon?"],
      ["b", "soms"],
      ["a", "laten we dan op snap verder praten, dat hoeft niemand te weten"],
      ["b", "ok"],
    ];
    expect(alertsWith(v34, dm("c1", lines))).toBe(false);
    expect(alertsWith(v35, dm("c1", lines))).toBe(true);
  });
});

describe("v35 Flemish and short Dutch lines", () => {
  newLines(
    v34,
    v35,
    [
      ["checkt uw pa uw berichtjes soms?", "risk"],
      ["laat maar weten als ze gaan slapen", "risk"],
      ["woont ge nog bij uw ouders?", "personal"],
      ["ik ben uwe beste vriend, beter dan die van school", "isolation"],
      ["die hoeft het toch niet te weten", "isolation"],
      ["gooi dit gesprek even weg", "isolation"],
      ["zal ik je zondag na het zwemmen ophalen?", "meeting"],
      ["anders staat ie morgen overal", "coercion"],
      ["dan gaat die foto naar iedereen in je klas", "coercion"],
      ["als je niet luistert zet ik hem in de groep van het zwemteam", "coercion"],
      ["anders betaal je 30 euro in cadeaukaarten", "coercion"],
      ["niemand zal jou ooit geloven", "coercion"],
      ["je hoeft het haar toch niet te vertellen", "isolation"],
      ["de anderen van het team hoeven dat niet te weten", "isolation"],
      ["ik snap je echt beter dan je ouders", "isolation"],
      ["jij verdient iemand die je begrijpt", "trust"],
      ["kom je zaterdag langs bij mijn hotel?", "meeting"],
    ],
    [
      ["laat maar weten als je thuis bent", "risk"],
      ["zal ik je moeder na de training ophalen?", "meeting"],
      ["gooi die oude fiets maar weg", "isolation"],
      ["dan gaat de uitnodiging morgen rond", "coercion"],
      ["als je wil zet ik hem in de groep, dan kan iedereen stemmen", "coercion"],
      ["je hoeft het niet te vertellen als je niet wil", "isolation"],
      ["kom je langs bij mijn moeder?", "meeting"],
    ],
  );
  it("a short threat with the photo counts as sextortion", () => {
    expect(signalsWith(v35, "anders staat ie morgen overal").signals.some((s) => s.rule.includes("sextortion"))).toBe(true);
  });
});

describe("v35 a coach who will talk to the parents", () => {
  it("reads as someone the parents know; a threat to tell does not", () => {
    expect(signalsWith(v34, "i'll talk to your mum about the tournament").open).toBe(0);
    expect(signalsWith(v35, "i'll talk to your mum about the tournament").open).toBeGreaterThanOrEqual(0.6);
    for (const threat of ["ill tell your dad what you did", "or i'll tell your mom", "i'll tell your parents about us"]) {
      expect(signalsWith(v35, threat).open).toBe(0);
    }
  });
});

describe("v35 English lines", () => {
  newLines(
    v34,
    v35,
    [
      ["so you'll be alone at the pool?", "risk"],
      ["we can meet up near the ticket booth", "meeting"],
      ["delete it before bed, your mom might check", "risk"],
    ],
    [
      ["you'll be alone in the final round, good luck", "risk"],
      ["we can meet up next week", "meeting"],
    ],
  );
  it("reads a birthday milestone as the child's age", () => {
    expect(signalsWith(v34, "finally 13 so i can have insta").minor).toBe(0);
    expect(signalsWith(v35, "finally 13 so i can have insta").minor).toBeGreaterThanOrEqual(0.8);
    expect(signalsWith(v35, "finally 10 minutes left").minor).toBe(0);
  });
  it("a Dutch child meeting the house rules is a child cue", () => {
    expect(signalsWith(v34, "mijn moeder zegt dat ik eerst huiswerk moet maken").child).toBe(0);
    expect(signalsWith(v35, "mijn moeder zegt dat ik eerst huiswerk moet maken").child).toBeGreaterThanOrEqual(0.5);
  });
});

describe("v35 a photo of a form to sign", () => {
  it("keeps the image request faint; a photo of the child keeps its weight", () => {
    expect(stageWeight(v34, "stuur een foto van dat toestemmingsformulier", "images")).toBeGreaterThanOrEqual(0.45);
    expect(stageWeight(v35, "stuur een foto van dat toestemmingsformulier", "images")).toBeLessThan(0.3);
    expect(stageWeight(v35, "stuur een foto van jezelf", "images")).toBeGreaterThanOrEqual(0.45);
  });
});
