// v29: classic lines of old chat-room grooming that no earlier rule read (our own wording of
// each family), and everyday near misses that must stay quiet.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { stageWeight } from "./chat.ts";

const v28 = loadModel("v28");
const v29 = loadModel("v29");

describe("v29 chat-room lines", () => {
  it.each([
    ["ur parents up?", "risk"],
    ["is ur mom still awake", "risk"],
    ["wat state r u in", "personal"],
    ["which city do u live in", "personal"],
    ["its normal, everyone does it", "sexual"],
    ["i can buy u stuff", "trust"],
    ["i could buy u clothes", "trust"],
    ["r u ok with older guys", "sexual"],
    ["i like younger girls", "sexual"],
    ["i wont tell anyone", "isolation"],
    ["smart girl", "trust"],
  ])("%s reads as %s", (text, stage) => {
    expect(stageWeight(v28, text, stage)).toBe(0);
    expect(stageWeight(v29, text, stage)).toBeGreaterThanOrEqual(0.45);
  });

  it.each([
    ["its normal to be nervous before a match", "sexual"],
    ["my parents are up early tomorrow", "risk"],
    ["which state has the best pizza", "personal"],
    ["i wont tell you the ending", "isolation"],
    ["can i buy the tickets for us", "trust"],
  ])("%s does not read as %s", (text, stage) => {
    expect(stageWeight(v29, text, stage)).toBeLessThan(0.3);
  });
});

describe("v30: the same families in Dutch", () => {
  const v30 = loadModel("v30");
  it.each([
    ["is je mama nog op", "risk"],
    ["het is normaal, iedereen doet het", "sexual"],
    ["ik kan wat voor je kopen", "trust"],
    ["ik koop wel kleren voor je", "trust"],
    ["vind je oudere mannen ok", "sexual"],
    ["ik hou van jongere meisjes", "sexual"],
    ["slimme meid", "trust"],
  ])("%s reads as %s", (text, stage) => {
    expect(stageWeight(v29, text, stage)).toBe(0);
    expect(stageWeight(v30, text, stage)).toBeGreaterThanOrEqual(0.45);
  });

  it.each([
    ["het is normaal dat je zenuwachtig bent", "sexual"],
    ["ik ga nieuwe schoenen kopen", "trust"],
    ["kan je betalen voor de pizza", "trust"],
    ["ik koop wel brood voor je moeder", "trust"],
    ["mijn ouders zijn nog op vakantie", "risk"],
  ])("%s does not read as %s", (text, stage) => {
    expect(stageWeight(v30, text, stage)).toBeLessThan(0.3);
  });
});
