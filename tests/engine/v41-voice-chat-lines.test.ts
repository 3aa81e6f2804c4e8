// v41 (read in fresh set h47, voice-chat gamers): "vc" on Discord is the voice channel, not a camera; sextortion that
// goes "to every contact", gift cards demanded, "dont even think about reporting"; a "peer" who prefers younger players;
// "mods can read this"; risks once hidden behind "vc" ("so ur alone in the afternoon?", "when hes asleep"); Flemish school
// years ("15, 4e middelbaar", "ik zit in 2e"); an adult's "old enough to have a mortgage"; homework "oef 12".
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { alertsWith, dm, newLines, signalsWith, stageWeight } from "./chat.ts";

const v40 = loadModel("v40");
const v41 = loadModel("v41");

describe("v41 lines", () => {
  newLines(
    v40,
    v41,
    [
      ["200 in gift cards or it goes to every contact i can find", "coercion"],
      ["then ur dad sees it first", "coercion"],
      ["dont even think about reporting, i'll know", "coercion"],
      ["got ur school from ur hoodie lol", "coercion"],
      ["i'm 16 but i prefer playing with younger kids", "trust"],
      ["i got 2 premium accs i'm giving away", "trust"],
      ["the mods can read everything here", "risk"],
      ["so ur alone in the afternoon? nice", "risk"],
      ["can u get on vc tonight when hes asleep?", "risk"],
      ["use headphones so nobody hears", "risk"],
      ["ur dad doesnt appreciate u", "isolation"],
      ["ik speel liever met jongere, die zijn nie zo toxic", "trust"],
      ["hier praat ik nie graag, mods lezen mee", "risk"],
    ],
    [
      ["i got 50 in gift cards for my birthday", "coercion"],
      ["then everyone sees the final score", "coercion"],
      ["i know the school from the news", "coercion"],
      ["the mods are asleep lol", "risk"],
      ["send you a photo when they're asleep so you can relax", "risk"],
      ["your dad doesnt need to pick you up", "isolation"],
    ],
  );
});

describe("v41: what changed its reading", () => {
  it("'vc' alone is no camera any more; a camera asked for in vc now counts in full", () => {
    expect(stageWeight(v40, "vc over 10 min", "images")).toBeGreaterThan(0.5);
    expect(stageWeight(v41, "vc over 10 min", "images")).toBe(0);
    expect(stageWeight(v40, "turn ur cam on in vc", "images")).toBeLessThan(0.2);
    expect(stageWeight(v41, "turn ur cam on in vc", "images")).toBeGreaterThan(0.5);
  });
  it.each(["15, 4e middelbaar. gij?", "ik zit in 2e"])("%s is a minor's school year", (text) => {
    expect(signalsWith(v40, text).minor).toBe(0);
    expect(signalsWith(v41, text).minor).toBeGreaterThan(0);
  });
  it("'old enough to have a mortgage' is an adult's answer", () => {
    expect(signalsWith(v40, "old enough to have a mortgage lol").adult).toBe(0);
    expect(signalsWith(v41, "old enough to have a mortgage lol").adult).toBeGreaterThan(0);
    expect(signalsWith(v41, "oud genoeg om een hypotheek te hebben").adult).toBeGreaterThan(0);
  });
  it("a photo of homework exercise 12 is faint", () => {
    expect(stageWeight(v40, "stuur ne pic van oef 12 ik snap da nie", "images")).toBeGreaterThan(0.3);
    expect(stageWeight(v41, "stuur ne pic van oef 12 ik snap da nie", "images")).toBeLessThan(0.15);
  });
});

describe("conversations", () => {
  // A fake 16-year-old from a voice chat: one photo, then money or it goes to everyone.
  const sextortion: [string, string][] = [
    ["a", "heyy its mia from the vc, took this for u, ur turn"],
    ["b", "im 15 tho"],
    ["a", "doesnt matter, just one"],
    ["b", "ok"],
    ["a", "now listen. 200 in gift cards or it goes to every contact i can find"],
    ["b", "what"],
    ["a", "dont even think about reporting, i'll know"],
  ];
  it("alerts in v41; v40 read no threat in it", () => {
    const msgs = dm("x1", sextortion);
    msgs[3]!.attachments = 1;
    expect(alertsWith(v40, msgs)).toBe(false);
    expect(alertsWith(v41, msgs)).toBe(true);
  });
  // Flemish classmates: home alone so they can use the mic, a homework photo, a crush kept secret, voice chat later.
  const classmates: [string, string][] = [
    ["a", "zijde alleen thuis? dan kunnen we op mic"],
    ["b", "ja ma en pa zijn naar ne trouw"],
    ["a", "stuur ne pic van oef 12 ik snap da nie"],
    ["b", "hier"],
    ["a", "ik vind elise echt leuk, zeg da tegen niemand eh"],
    ["b", "ik zwijg"],
    ["a", "haha ok, vc over 10 min"],
  ];
  it("two classmates' evening alerted in v40 and does not in v41", () => {
    const msgs = dm("k1", classmates);
    msgs[3]!.attachments = 1;
    expect(alertsWith(v40, msgs)).toBe(true);
    expect(alertsWith(v41, msgs)).toBe(false);
  });
});
