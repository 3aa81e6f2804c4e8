// v38 (read in fresh set h41, old chat-room style): moving a child to "tele", a gamer's gear as a gift, "whats ur town?",
// a school year said back with "n"; an object's age is not the author's, a parent who says "dads stuck at work" is family.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { alertsWith, dm, newLines, signalsWith, stageWeight } from "./chat.ts";

const v37 = loadModel("v37");
const v38 = loadModel("v38");

describe("v38 lines", () => {
  newLines(
    v37,
    v38,
    [
      ["add me on tele tho", "isolation"],
      ["just us no randoms", "isolation"],
      ["ill even give u my spare gear", "trust"],
      ["whats ur town? i might know it", "personal"],
    ],
    [
      ["i saw it on tele last night", "isolation"],
      ["the tutorial explains it better than the wiki", "isolation"],
      ["ill give u a hand with the quest", "trust"],
      ["whats ur problem lol", "personal"],
    ],
  );
});

describe("'lil one' from an adult", () => {
  it("is faint warmth in v38, none in v37", () => {
    expect(stageWeight(v37, "no worries lil one", "trust")).toBe(0);
    expect(stageWeight(v38, "no worries lil one", "trust")).toBeGreaterThan(0.2);
  });
});

describe("ages v38 no longer misreads", () => {
  it("an object's age is not the author's", () => {
    expect(signalsWith(v37, "my laptop is 10 yrs old!! fine").minor).toBeGreaterThan(0);
    expect(signalsWith(v38, "my laptop is 10 yrs old!! fine").minor).toBe(0);
    expect(signalsWith(v38, "12 years old").minor).toBeGreaterThan(0);
    expect(signalsWith(v38, "im 12 years old").minor).toBeGreaterThan(0);
  });
  it("a school year said back with 'n' is the child's", () => {
    expect(signalsWith(v37, "6th grade n drawing like this?? wat school do u go to").minor).toBeGreaterThan(0);
    expect(signalsWith(v38, "6th grade n drawing like this?? wat school do u go to").minor).toBe(0);
    expect(signalsWith(v38, "im in 6th grade").minor).toBeGreaterThan(0);
  });
});

describe("v38 families", () => {
  it("'dads stuck at work' is said by family; 'ur dads at work' is not", () => {
    expect(signalsWith(v37, "jay r u home alone? dads stuck at work").open).toBe(0);
    expect(signalsWith(v38, "jay r u home alone? dads stuck at work").open).toBeGreaterThanOrEqual(0.6);
    expect(signalsWith(v38, "r u home alone? ur dads stuck at work right").open).toBe(0);
  });
  it("'text me when ur in the car' is a check-in, not a move to private chat", () => {
    expect(stageWeight(v38, "text me when ur in the car", "isolation")).toBeLessThan(stageWeight(v37, "text me when ur in the car", "isolation"));
    expect(stageWeight(v38, "text me when ur parents are asleep", "isolation")).toBeGreaterThan(0.4);
  });
});

describe("a 30-year-old carrying an 11-year-old through a raid", () => {
  const raid: [string, string][] = [
    ["b", "can someone carry me thru the raid pls im stuck"],
    ["a", "ya ill carry u. whats ur ign"],
    ["b", "im lvl 33 lol, im only 11 i just started"],
    ["a", "no worries lil one ill get u lvld fast. ill even give u my spare gear. im 30 been playin since before u were born lol"],
    ["b", "yay thank u"],
    ["a", "add me on tele tho, way better than here, just us no randoms"],
    ["b", "ok whats ur name on there"],
    ["a", "ill dm it to u. dont post it in here"],
  ];
  it("alerts in v38; v37 held it at the corroboration cap", () => {
    expect(alertsWith(v37, dm("r1", raid))).toBe(false);
    expect(alertsWith(v38, dm("r1", raid))).toBe(true);
  });
});
