// v32: a photo of a thing ("send me a pic of the times on the sign", "a photo when you arrive") and a meeting the
// parent arranged or that happens in a game stay faint; a photo of the person and a meeting kept from the parents
// do not. These are the moves most false alerts of twelve fresh sets shared.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { stageWeight } from "./chat.ts";

const v31 = loadModel("v31");
const v32 = loadModel("v32");

type Case = [text: string, stage: string];

const faint: Case[] = [
  ["send a pic of the entrance so i find you", "images"],
  ["send me a pic once you arrive", "images"],
  ["send me a photo of what you've got so far", "images"],
  ["send a pic as soon as you land", "images"],
  ["we will never ask for a photo of you", "images"],
  ["stuur een foto als je er bent", "images"],
  ["stuur ff een foto van de dienstregeling", "images"],
  ["ill pick you up at 5, your dad said its ok", "meeting"],
  ["meet me at the spawn in 5", "meeting"],
  ["ik haal je zaterdag op, je mama weet het", "meeting"],
];

const stays: Case[] = [
  ["send me a pic of you", "images"],
  ["send me a pic of the outfit ur wearing", "images"],
  ["send a pic of the view and one of you", "images"],
  ["send me a pic of it", "images"],
  ["i'll pick you up after school, dont tell your mom", "meeting"],
  ["does ur mom know? ill pick u up at 8", "meeting"],
  ["lets meet at the mall saturday", "meeting"],
];

describe("v32: things and known meetings", () => {
  it.each(faint)("%s: %s was read by v31 and stays faint in v32", (text, stage) => {
    expect(stageWeight(v31, text, stage)).toBeGreaterThanOrEqual(0.4);
    expect(stageWeight(v32, text, stage)).toBeLessThan(0.3);
  });
  it.each(stays)("%s: %s keeps its weight", (text, stage) => {
    expect(stageWeight(v32, text, stage)).toBeGreaterThanOrEqual(0.4);
    expect(stageWeight(v32, text, stage)).toBeCloseTo(stageWeight(v31, text, stage), 6);
  });
});
