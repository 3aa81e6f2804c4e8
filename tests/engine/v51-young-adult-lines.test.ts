// v51 (read in fresh set h67: teens and young adults around younger children): a seller who wants a parent at the
// pickup and parents who know speak in the open ("if you're under 18 i need a parent to come", "je moeder weet ervan"),
// while "does ur mum know...?" stays a question about supervision; a "15-year-old" who scripts a cover story and wipes
// the chat ("zeg dan dat ik uit je klas ben", "verwijder dan na elk gesprek onze chat", "zet telegram op geheime chat").
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { newLines, signalsWith } from "./chat.ts";

const v50 = loadModel("v50");
const v51 = loadModel("v51");

describe("v51 lines", () => {
  newLines(
    v50,
    v51,
    [
      ["verwijder dan na elk gesprek onze chat", "isolation"],
      ["zet telegram op geheime chat", "isolation"],
      ["als je vader vraagt met wie je praat, zeg dan dat ik uit je klas ben", "isolation"],
      ["if ur dad asks, say im from ur class", "isolation"],
    ],
    [
      ["zeg dan dat ik later kom", "isolation"],
      ["delete the old chat", "isolation"],
      ["zet telegram op stil", "isolation"],
    ],
  );
});

describe("v51: who speaks in the open", () => {
  it.each([
    "if you're under 18 i need a parent to come to the pickup",
    "i'll dm you my number for your dad, have him message me",
    "ur mum knows",
    "je moeder weet ervan",
    "gratis want familie",
  ])("%s", (text) => {
    expect(signalsWith(v50, text).open).toBe(0);
    expect(signalsWith(v51, text).open).toBeGreaterThan(0);
  });
  it.each(["does ur mum know ur doing commissions", "weet je moeder ervan?"])("%s is a question, not openness", (text) => {
    expect(signalsWith(v51, text).open).toBe(0);
  });
});
