// v49: warning signs no rule read, written first from what child-protection organisations list (games that open
// sexual talk, secrecy pacts, "if u loved me u would", "everyone ur age does it", no screenshots, vanishing messages,
// empty houses) in English and Dutch; then read in fresh set h64 (the hardest negatives): an adult who posed as 16 ("im a
// bit older than i said", "dont bring kayla", "dont tell kayla or ur mom"), a fake 14-year-old in a game channel; and the
// author's own things ("dont screenshot my reaction"), an adult's working day ("on my lunch break").
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { newAlerts, newLines, signalsWith, stageWeight } from "./chat.ts";

const v48 = loadModel("v48");
const v49 = loadModel("v49");

describe("v49 lines", () => {
  newLines(
    v48,
    v49,
    [
      ["wanna play truth or dare", "sexual"],
      ["i wont tell if u wont", "isolation"],
      ["lets go somewhere private", "isolation"],
      ["u can sleep over at mine", "meeting"],
      ["my place is empty this weekend", "risk"],
      ["ill be ur boyfriend", "sexual"],
      ["if u loved me u would", "coercion"],
      ["everyone ur age does it", "sexual"],
      ["promise u wont tell", "isolation"],
      ["dont screenshot this", "isolation"],
      ["use vanish mode", "isolation"],
      ["wil je doen durven of waarheid spelen", "sexual"],
      ["mijn huis is leeg dit weekend", "risk"],
      ["als je echt van me hield zou je het doen", "coercion"],
      ["iedereen van jouw leeftijd doet het", "sexual"],
      ["maak geen screenshots", "isolation"],
      ["zet verdwijnende berichten aan", "isolation"],
      ["beloof dat je het niet vertelt", "isolation"],
      ["hoe laat gaat je moeder werken", "risk"],
      ["dont bring kayla lol i wanna just hang with u", "isolation"],
      ["dont tell kayla or ur mom", "isolation"],
      ["maybe we live close lol", "meeting"],
    ],
    [
      ["dont screenshot my reaction but im crying", "isolation"],
      ["maak geen screenshots van mij lol", "isolation"],
      ["i wont tell u the ending", "isolation"],
      ["my place is a mess", "risk"],
      ["if u want u can come too", "coercion"],
      ["promise ill be there", "isolation"],
      ["dont bring ur laptop tomorrow", "isolation"],
    ],
  );
});

describe("v49: who is speaking", () => {
  it("'ur way better than the older guys' flatters, faintly beside a team's praise", () => {
    expect(stageWeight(v48, "ur way better than the older guys", "trust")).toBe(0);
    expect(stageWeight(v49, "ur way better than the older guys", "trust")).toBeGreaterThan(0.2);
  });
  it("'im a bit older than i said' is an adult's confession", () => {
    expect(signalsWith(v49, "im a bit older than i said, does that matter?").adult).toBeGreaterThan(0.8);
  });
  it.each(["wanna facetime on my lunch break", "I found a flat near you"])("%s speaks of adult life", (text) => {
    expect(signalsWith(v48, text).adult).toBe(0);
    expect(signalsWith(v49, text).adult).toBeGreaterThan(0);
  });
  it("a child asking 'what do u look like irl' proposes no meeting", () => {
    expect(stageWeight(v49, "what do u look like irl, ur pfp is a cat lol", "meeting")).toBeLessThan(
      stageWeight(v48, "what do u look like irl, ur pfp is a cat lol", "meeting") / 2,
    );
  });
});

describe("conversations", () => {
  const older: [string, string][] = [
    ["a", "so are we still on for saturday?"],
    ["b", "i think so. im 14 btw my mom would kill me lol"],
    ["a", "perfect. dont bring ur bestie lol i wanna just hang with u"],
    ["b", "haha ok"],
    ["a", "im a bit older than i said, does that matter?"],
    ["b", "how much older"],
    ["a", "dont make this weird, and dont tell kayla or ur mom"],
  ];
  const pact: [string, string][] = [
    ["a", "hey cutie wanna play truth or dare"],
    ["b", "ok lol im 13 tho"],
    ["a", "i wont tell if u wont"],
    ["a", "promise u wont tell. and dont screenshot this"],
    ["a", "everyone ur age does it"],
  ];
  const pactNl: [string, string][] = [
    ["a", "hoi schatje, zin in doen durven of waarheid?"],
    ["b", "ok haha ik ben 13"],
    ["a", "beloof dat je het niet vertelt en maak geen screenshots"],
    ["a", "iedereen van jouw leeftijd doet het"],
  ];
  newAlerts(v48, v49, [
    ["an adult who posed as a teen", older],
    ["a secrecy pact", pact],
    ["a secrecy pact in Dutch", pactNl],
  ], "v49");
});
