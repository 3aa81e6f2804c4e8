// v33: secrecy and photo lines in the word order of chat, Dutch then English ("vertel je het niemand",
// "ze hoeft het niet te weten", "stuur er eentje terug, alleen voor mij", "als je alleen bent"; "send one back",
// "hide ur phone"), with everyday near misses that stay quiet.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { newLines, stageWeight } from "./chat.ts";

const v32 = loadModel("v32");
const v33 = loadModel("v33");

describe("v33 Dutch word order", () => {
  newLines(
    v32,
    v33,
    [
      ["en dan vertel je het niemand ok", "isolation"],
      ["je vader hoeft het niet te weten", "isolation"],
      ["deze is alleen voor mij", "isolation"],
      ["stuur me er eentje terug", "images"],
      ["ik heb een paar fotos van je nodig", "images"],
      ["stuur ze als je alleen bent", "risk"],
      ["verstop je telefoon even", "isolation"],
    ],
    [
      ["ik vertel je het morgen wel", "isolation"],
      ["je hoeft niet te komen", "isolation"],
      ["dit is voor de hele klas", "isolation"],
      ["stuur het formulier terug naar school", "images"],
      ["als je alleen wil oefenen is dat ook goed", "risk"],
    ],
  );
});

describe("v33 English", () => {
  newLines(
    v32,
    v33,
    [
      ["these are only for me ok", "isolation"],
      ["send me one back", "images"],
      ["hide ur phone from her", "isolation"],
    ],
    [
      ["only for members", "isolation"],
      ["send the form back by friday", "images"],
      ["hide and seek later?", "isolation"],
      ["you need to know the rules first", "isolation"],
    ],
  );
});

describe("v33 threats after a refusal", () => {
  const threats: [string, string][] = [
    ["fine. then everyone at ur school sees those pics", "en"],
    ["unblock me or that photo goes out to everyone", "en"],
    ["dan ziet iedereen in je klas jouw foto", "nl"],
  ];
  it.each(threats)("%s (%s) is a threat to expose images", (text) => {
    expect(stageWeight(v32, text, "coercion")).toBeLessThan(0.9);
    expect(stageWeight(v33, text, "coercion")).toBeGreaterThanOrEqual(0.9);
    expect(stageWeight(v33, text, "images")).toBeGreaterThanOrEqual(0.9);
  });
  const everyday = ["hurry up or they go out without you", "order now or it goes out of stock", "dan krijgt iedereen de foto's van het schoolreisje"];
  it.each(everyday)("%s is no threat", (text) => {
    expect(stageWeight(v33, text, "coercion")).toBeLessThan(0.3);
  });
  it("reads telling the parents as pressure", () => {
    expect(stageWeight(v32, "dan vertel ik het aan je ouders", "coercion")).toBe(0);
    expect(stageWeight(v33, "dan vertel ik het aan je ouders", "coercion")).toBeGreaterThanOrEqual(0.45);
  });
});

