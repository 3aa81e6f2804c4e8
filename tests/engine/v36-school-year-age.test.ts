// v36 (`schoolYearAge`): a child who names a school year ("groep 8", "7th grade") gives an age the peer rules can
// compare, so a "17-year-old" writing to a child in groep 8 is no peer; two teens a year apart still are.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { schoolYearAge } from "../../src/engine/engine.ts";
import { alertsWith, dm, newLines, signalsWith, stageWeight } from "./chat.ts";

const v35 = loadModel("v35");
const v36 = loadModel("v36");

describe("schoolYearAge", () => {
  it.each([
    ["7th grade", 12],
    ["im in 6th", 11],
    ["year 7", 11],
    ["groep 8", 11],
    ["6de leerjaar", 11],
    ["brugklas", 12],
    ["eerste middelbaar", 12],
    ["2de middelbaar", 13],
    ["2 havo", 13],
    ["freshman", 14],
  ])("%s is about %i", (evidence, age) => {
    expect(schoolYearAge(evidence)).toBe(age);
  });
  it.each(["basisschool", "lagere school", "homework", "year 2026", "groep 3"])("%s gives no age", (evidence) => {
    expect(schoolYearAge(evidence)).toBe(0);
  });
});

describe("a fake peer against a child who gave a school year", () => {
  const lines = (claimed: string): [string, string][] => [
    ["a", "yo nice base, u built that alone?"],
    ["b", "yeah took ages"],
    ["a", "ur really good at this. what grade r u in?"],
    ["b", "7th grade"],
    ["a", `lol im ${claimed} so not that much older`],
    ["a", "dm me and ill send u some robux, keep it between us tho"],
    ["b", "ok"],
  ];
  it("a 17-year-old is no peer of a 7th grader in v36; v35 held him as one", () => {
    expect(alertsWith(v35, dm("c1", lines("17")))).toBe(false);
    expect(alertsWith(v36, dm("c1", lines("17")))).toBe(true);
  });
  it("a 13-year-old stays a peer of a 7th grader", () => {
    expect(alertsWith(v36, dm("c2", lines("13")))).toBe(false);
  });
});

describe("v36 lines", () => {
  newLines(
    v35,
    v36,
    [
      ["ik heb je een paar skins gestuurd", "trust"],
      ["training is on signal, this server is too public", "isolation"],
      ["hide the app so nobody sees it", "isolation"],
      ["we can talk after your parents go to bed", "risk"],
      ["next lesson is on video, just u and me", "images"],
    ],
    [
      ["zeg dat maar tegen je ouders", "isolation"],
      ["the park is too busy on weekends", "isolation"],
      ["i saw the app on the store", "isolation"],
    ],
  );
});

describe("v36 Flemish meeting and secrecy", () => {
  it("reads 'efkes afspreken aan' as a meeting place, stronger than the bare word", () => {
    expect(stageWeight(v35, "zullen we efkes afspreken aan de kerk", "meeting")).toBeLessThanOrEqual(0.5);
    expect(stageWeight(v36, "zullen we efkes afspreken aan de kerk", "meeting")).toBeGreaterThanOrEqual(0.7);
  });
  it("reads 'zeg da maar nie tegen uw ouders' beside a gift", () => {
    const line = "zeg da maar nie tegen uw ouders he, die vinden da raar als iemand iets cadeau geeft";
    expect(stageWeight(v35, line, "isolation")).toBe(0);
    expect(stageWeight(v36, line, "isolation")).toBeGreaterThanOrEqual(0.45);
  });
});

describe("v36 families and tutors", () => {
  it.each(["grandad and i want to see your new shoes", "is mum home yet?", "its a school night, bed by 10", "ask ur mum or dad to message me about the kit", "i need to confirm monday with her"])(
    "%s: someone the parents know in v36",
    (text) => {
      expect(signalsWith(v35, text).open).toBe(0);
      expect(signalsWith(v36, text).open).toBeGreaterThanOrEqual(0.6);
    },
  );
  it("a photo of the work so far stays faint; a photo of the child does not", () => {
    expect(stageWeight(v35, "send me a photo of what u did so far", "images")).toBeGreaterThan(0.4);
    expect(stageWeight(v36, "send me a photo of what u did so far", "images")).toBeLessThan(0.3);
    expect(stageWeight(v36, "stuur een foto van wat je hebt", "images")).toBeLessThan(0.3);
    expect(stageWeight(v36, "send me a photo of you", "images")).toBeGreaterThanOrEqual(0.45);
  });
});
