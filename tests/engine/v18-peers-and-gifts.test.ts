// Model v18: teens of the same age ("im 14" / "same lol i thought u were older") who ask each
// other about kissing stay capped as peers; groups asked for one young age, game currency and
// ranks handed out, pictures "with no filters" or paid per picture, parents kept out "for now",
// and an age answered with a place are warning signs. EN and NL, each with a near miss.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import type { ChatMessage } from "../../src/types.ts";
import { dm, stageCases, alertsWith, signalsWith, stageWeight } from "./chat.ts";

const model = loadModel("v18");
const v17 = loadModel("v17");

const alertsOn = (msgs: ChatMessage[], actor = "a", m = model) => alertsWith(m, msgs, actor);

const sig = (text: string, m = model) => signalsWith(m, text);
const stageOf = (text: string, stage: string) => stageWeight(model, text, stage);

/** Two teens: "a" asks the age, "c" gives it, "a" answers `same`, then homework and a kissing question (or `last`). */
const classmates = (lang: "en" | "nl", same: string, last?: string): ChatMessage[] =>
  lang === "en"
    ? dm(`mates-en-${same}-${last ?? ""}`, [
        ["a", "how old are u btw"],
        ["c", "im 14"],
        ["a", same],
        ["c", "ppl always say that"],
        ["a", "did u finish the chem worksheet"],
        ["c", "nope lol"],
        ["a", last ?? "ok but have u ever kissed someone, be honest"],
        ["c", "no haha u?"],
      ])
    : dm(`mates-nl-${same}-${last ?? ""}`, [
        ["a", "hoe oud ben jij eigenlijk"],
        ["c", "ik ben 14"],
        ["a", same],
        ["c", "dat zegt iedereen"],
        ["a", "heb jij de taak van frans al af"],
        ["c", "nee haha"],
        ["a", last ?? "ok maar heb je al iemand gekust, eerlijk zijn"],
        ["c", "nee jij?"],
      ]);

describe("v18: same-age teens asking each other about kissing", () => {
  const same = { en: "same lol i thought u were older", nl: "ik ook haha ik dacht dat je ouder was" };
  const older = { en: "wow i thought u were older", nl: "wauw ik dacht dat je ouder was" };
  const pics = { en: "ok but have u ever kissed someone? send me a pic of u in bed", nl: "ok maar heb je al iemand gekust? stuur een foto van jou in bed" };
  for (const lang of ["en", "nl"] as const) {
    it(`"same" after the other's age claims it: capped as a peer; v17 alerted (${lang})`, () => {
      expect(sig(same[lang]).mutual).toBe(1);
      expect(alertsOn(classmates(lang, same[lang]))).toBe(false);
      expect(alertsOn(classmates(lang, same[lang]), "a", v17)).toBe(true);
    });
    it(`without the claim, or with a picture request beside the question, it alerts (${lang})`, () => {
      expect(alertsOn(classmates(lang, older[lang]))).toBe(true);
      expect(alertsOn(classmates(lang, same[lang], pics[lang]))).toBe(true);
    });
  }
  it("a 'same' that claims nothing stays an answer in kind only", () => {
    expect(sig("same lol that movie was so bad").mutual).toBeLessThan(1);
    expect(sig("ik ook haha wat een film").mutual).toBeLessThan(1);
  });
});

describe("v18: general families (EN, NL) with near misses", () => {
  const cases: [string, string, boolean][] = [
    // [text, stage, counts]
    ["anyone here 11 or 12? need a duo that age", "personal", true],
    ["anyone here 18+?", "personal", false],
    ["anyone here lvl 12?", "personal", false],
    ["i got extra robux, want some?", "trust", true],
    ["u deserve a new skin", "trust", true],
    ["i got extra tickets want some", "trust", false],
    ["ik heb nog een code voor 800 vbucks", "trust", true],
    ["whoever wins gets vip from me", "trust", true],
    ["you get a rank when you reach level 10", "trust", false],
    ["wie wint krijgt van mij een rank", "trust", true],
    ["je krijgt een rank als je level 10 haalt", "trust", false],
    ["send 2 more pics, no filters", "images", true],
    ["i need 3 more photos for the yearbook", "images", false],
    ["stuur nog 2 foto's, zonder filter", "images", true],
    ["ill pay u 15 for each pic", "images", true],
    ["i pay 20 euro per month", "images", false],
    ["ik betaal 10 euro per foto", "images", true],
    ["don't involve your parents yet", "isolation", true],
    ["betrek je ouders er nog niet bij", "isolation", true],
    ["have u kissed him yet", "sexual", true],
    ["did u kiss her goodnight", "sexual", false],
  ];
  stageCases(cases, stageOf, true);

  it("an age asked of a group is not the asker's; 'me 12' and '12, near leeds' are the answerer's", () => {
    expect(sig("anyone here 12 or 13?").minor).toBe(0);
    for (const t of ["me 12", "12, near leeds", "13, bij gent", "ik 13"]) expect(sig(t).minor, t).toBeGreaterThanOrEqual(0.8);
    for (const t of ["me 18", "12 in a row", "20, near leeds"]) expect(sig(t).minor, t).toBe(0);
  });
});

describe("v18: an ageless chat with a currency gift, a secret and 'alone?' alerts by its third stage", () => {
  const lines = (gift: string): [string, string][] => [
    ["a", "ur builds are honestly the best on this server"],
    ["c", "thx lol"],
    ["a", gift],
    ["c", "omg yes"],
    ["a", "dont tell anyone in the group chat, just between us"],
    ["c", "ok"],
    ["a", "r u home alone rn?"],
    ["c", "ya till 6"],
  ];
  it("with the gift offered it alerts; with a plain game invite it waits", () => {
    expect(alertsOn(dm("ageless-gift", lines("i got extra minecoins, want some?")))).toBe(true);
    expect(alertsOn(dm("ageless-nogift", lines("wanna play bedwars later?")))).toBe(false);
  });
});
