// v47 (read in fresh set h60, evasion at its worst): a "peer" two or more years older who keeps the contact secret and
// checks who is home is no peer (`peerGapSecretRisk`), and a grade said alone ("7th") is that grade's age
// (`bareGradeAge`); a public post fishing by age range; a Dutch sextortion as written; old chat-room slang the rules
// read only in their tidy forms ("age dont matter", "gimme ur number", "i could get in trouble talkin to u"); and two
// benign adults: a parent offering a lift ("send me ur address in pm") and a tutor who agreed the set-up with the mother.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { alertsWith, dm, newLines, signalsWith, stageWeight } from "./chat.ts";

const v46 = loadModel("v46");
const v47 = loadModel("v47");

describe("v47 lines", () => {
  newLines(
    v46,
    v47,
    [
      ["any girlsss 11-13 here wanna be my gf", "personal"],
      ["wanna be my gf", "sexual"],
      ["so its just u at home at night??", "risk"],
      ["u got snap? discord is sus they read dms", "risk"],
      ["wat ur mom do 4 work\nwhen she back", "risk"],
      ["parents overthink", "isolation"],
      ["we can be together when ur older", "sexual"],
      ["gimme ur number", "isolation"],
      ["i could get in trouble talkin to u", "isolation"],
      ["can u get away for a few hours", "risk"],
      ["age dont matter to me", "trust"],
      ["ur more mature than my adult clients tbh", "trust"],
      ["als je niet 100 euro stuurt gaat het naar", "coercion"],
      ["of je stuurt nog een filmpje, jij kiest", "coercion"],
      ["ik heb de lijst al klaar, je klas, je voetbalteam", "coercion"],
      ["doe maar, dan ziet iedereen het eerst", "coercion"],
      ["gewoon zo, hier l e z e n te veel mensen mee", "risk"],
    ],
    [
      ["anyone 18-25 wanna play", "personal"],
      ["u can date when ur older", "sexual"],
      ["my parents always overthink lol", "isolation"],
      ["when is the bus back", "risk"],
      ["can u get away with it", "risk"],
      ["als je niet komt gaat het feest gewoon door", "coercion"],
      ["post het in de groep, dan ziet iedereen het", "coercion"],
      ["er staan te veel mensen in de rij", "risk"],
    ],
  );
});

describe("v47: how earlier rules read", () => {
  it("'📸 4 me?' asks for a picture, more than the camera word did", () => {
    expect(stageWeight(v47, "📸 4 me?", "images")).toBeGreaterThan(stageWeight(v46, "📸 4 me?", "images") + 0.2);
  });
  it("'ik heb je video nog' holds what the child sent as 'ik heb je fotos nog' does", () => {
    expect(stageWeight(v46, "Ik heb je video nog 🙂", "coercion")).toBe(0);
    expect(stageWeight(v47, "Ik heb je video nog 🙂", "coercion")).toBeGreaterThan(0.5);
  });
  it("a parent's 'send me ur address in pm' for a lift is no probe of the child any more", () => {
    expect(stageWeight(v46, "of course 😊 send me ur address in pm pls", "personal")).toBeGreaterThan(0);
    expect(stageWeight(v47, "of course 😊 send me ur address in pm pls", "personal")).toBe(0);
    expect(stageWeight(v47, "ill buy u a new one, just need ur address", "personal")).toBeGreaterThan(0.5);
  });
  it.each(["keep the door open like we agreed w ur mom", "Ur mom booked us for tues 4pm", "I'll cc ur mom the summary after"])(
    "%s speaks as an accountable adult",
    (text) => {
      expect(signalsWith(v46, text).open).toBe(0);
      expect(signalsWith(v47, text).open).toBeGreaterThan(0);
    },
  );
  it("'any girls 11-13' asks the group: the numbers are not the author's age", () => {
    expect(signalsWith(v47, "any girlsss 11-13 here").minor).toBe(0);
  });
});

describe("conversations", () => {
  const gamer = (ownAge: string, grade: string): [string, string][] => [
    ["a", "gg that match, ur actually insane at sniping"],
    ["b", "lol thx"],
    ["a", "wat grade r u in"],
    ["b", grade],
    ["a", `nice ${ownAge}`],
    ["a", "do ur parents let u play late"],
    ["b", "my mom works nights so ya"],
    ["a", "so its just u at home at night??"],
    ["b", "and my brother"],
    ["a", "dont tell ppl in the server we talk this much tho"],
    ["b", "ok"],
  ];
  it("a '15-year-old' who keeps a 7th grader's contact secret and checks who is home alerts in v47, not in v46", () => {
    expect(alertsWith(v46, dm("p1", gamer("im 15 so not that much older", "7th")))).toBe(false);
    expect(alertsWith(v47, dm("p1", gamer("im 15 so not that much older", "7th")))).toBe(true);
  });
  it("a peer of the same age saying the same does not", () => {
    expect(alertsWith(v47, dm("p2", gamer("same im 14", "9th")))).toBe(false);
  });

  // An online tutor booked by the mother: camera on with the door open, as agreed; the year asked; a summary to the mother.
  const tutor: [string, string][] = [
    ["a", "Hi Sam, its Ms. Reyes. Ur mom booked us for tues 4pm, online"],
    ["b", "ok"],
    ["a", "pls have ur cam on so i can see ur working, and keep the door open like we agreed w ur mom"],
    ["b", "can i just send pics of my work"],
    ["a", "sure, snap a pic of the worksheet when stuck. what year r u again, 9th?"],
    ["b", "9th ya im 14"],
    ["a", "great, then we do the quadratics chapter. I'll cc ur mom the summary after"],
  ];
  it("a tutor the mother booked alerted in v46 and does not in v47", () => {
    expect(alertsWith(v46, dm("t1", tutor))).toBe(true);
    expect(alertsWith(v47, dm("t1", tutor))).toBe(false);
  });

  const sextortion: [string, string][] = [
    ["a", "ik heb je video nog"],
    ["b", "wie is dit"],
    ["a", "als je niet 50 euro stuurt gaat het naar je klas"],
  ];
  it("a Dutch threat as written alerts at once", () => {
    expect(alertsWith(v47, dm("s1", sextortion))).toBe(true);
  });
});
