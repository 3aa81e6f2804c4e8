// v39 (read in fresh set h43, hobby groups): Dutch secrecy in whole sentences ("wil je dit gesprek wel voor jezelf
// houden?", "wis het gewoon even als je klaar bent"), an age group asked, coaching and gifts offered in a group, a move to
// DM; "bijna 12" and "almost 12" are ages.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { alertsWith, dm, newLines, signalsWith } from "./chat.ts";

const v38 = loadModel("v38");
const v39 = loadModel("v39");

describe("v39 lines", () => {
  newLines(
    v38,
    v39,
    [
      ["wil je dit gesprek wel voor jezelf houden?", "isolation"],
      ["wis het gewoon even als je klaar bent", "isolation"],
      ["mensen begrijpen zulke vriendschappen niet", "isolation"],
      ["ik voel echt een klik met jou", "trust"],
      ["alleen voor de jongste spelers", "trust"],
      ["what age group are you in?", "personal"],
      ["send me the clip in dm", "isolation"],
      ["i've got a bunch of spare VIP ranks", "trust"],
    ],
    [
      ["ik hou dit weekend vrij voor mezelf", "isolation"],
      ["wis het bord als je klaar bent met tekenen", "isolation"],
      ["what age group is the tournament for", "personal"],
      ["send me the clip when it's uploaded", "isolation"],
      ["only for the first ten players", "trust"],
    ],
  );
});

describe("v39 ages", () => {
  it.each(["bijna 12", "almost 12", "nearly 13"])("%s is a minor's age", (text) => {
    expect(signalsWith(v38, text).minor).toBe(0);
    expect(signalsWith(v39, text).minor).toBeGreaterThan(0);
  });
  it.each(["bijna 12 uur", "almost 12 points behind"])("%s is not", (text) => {
    expect(signalsWith(v39, text).minor).toBe(0);
  });
});

describe("an adult's 'special friendship' with a child in groep 7", () => {
  const friendship: [string, string][] = [
    ["a", "jouw draak was echt de beste van de wedstrijd"],
    ["b", "dankjewel"],
    ["a", "je bent veel te bescheiden. ik voel echt een klik met jou"],
    ["b", "haha oke"],
    ["a", "wil je dit gesprek wel voor jezelf houden? mensen begrijpen zulke vriendschappen niet"],
    ["b", "waarom niet"],
    ["a", "wis het gewoon even als je klaar bent, dan is het van ons"],
    ["b", "ok ik zit in groep 7 trouwens"],
  ];
  it("alerts in v39; v38 saw nothing in it", () => {
    expect(alertsWith(v38, dm("f1", friendship))).toBe(false);
    expect(alertsWith(v39, dm("f1", friendship))).toBe(true);
  });
});
