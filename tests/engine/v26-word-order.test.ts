// Model v26: warning signs in ordinary word orders and with chat particles. Dutch puts the verb second
// and, after a modal, last ("kan je eentje van jezelf sturen?"); chat strews ff/even/eens/gewoon/toch
// between the parts; English inserts adverbs ("you really owe me", "is your mom still home?"). One
// general family per sign, with bounded particle slots, and near misses from parents, coaches,
// support staff and couples that share the words.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { stageCases, stageWeight } from "./chat.ts";

const model = loadModel("v26");
const v25 = loadModel("v25");
const stageOf = (text: string, stage: string) => stageWeight(model, text, stage);

describe("v26: Dutch and Flemish word order and particles", () => {
  stageCases(
    [
      ["kunt ge eens eentje van uzelf doorsturen?", "images", true],
      ["mag ik ff eentje van je krijgen", "images", true],
      ["zet je camera nog eens aan", "images", true],
      ["zin om te videocallen vanavond?", "images", true],
      ["wacht nog even met je mama", "isolation", true],
      ["de meeste ouders snappen gewoon niks van ons", "isolation", true],
      ["liever nog niet tegen je papa", "isolation", true],
      ["zou je dit gesprek straks wissen?", "isolation", true],
      ["dat hoeft je moeder echt niet te weten", "isolation", true],
      ["zit je op je kamer met de deur dicht?", "risk", true],
      ["is je papa vanavond lang weg?", "risk", true],
      ["hoe laat komt je moeder meestal thuis?", "risk", true],
      ["kan je broer hier meelezen?", "risk", true],
      ["ik kan je gewoon wat robux geven", "trust", true],
      ["niemand snapt je zo goed als ik", "trust", true],
      ["ik kan je best dingen laten zien", "sexual", true],
      ["ben je nieuwsgierig naar zulke dingen?", "sexual", true],
      ["ik betaal gewoon je treinticket", "meeting", true],
      ["kom maar gewoon alleen", "meeting", true],
      ["neem liefst niemand mee", "meeting", true],
      ["anders vertel ik het meteen aan je ouders", "coercion", true],
      ["na alles wat ik al voor jou heb gedaan", "coercion", true],
      ["je bent me echt iets schuldig", "coercion", true],
      // near misses
      ["wacht even met je mama bij de kassa", "isolation", false],
      ["de meeste ouders snappen niks van fortnite", "isolation", false],
      ["kun je de camera aanzetten voor de vergadering?", "images", false],
      ["stuur even een foto van de oefening", "images", false],
      ["je bent me nog vijf euro schuldig van de pizza", "coercion", false],
      ["ik kan je helpen met wiskunde na school", "sexual", false],
      ["ben je alleen thuis? doe de deur op slot en niet open doen", "risk", false],
    ],
    stageOf,
  );
});

describe("v26: English particles and verb-first questions", () => {
  stageCases(
    [
      ["could you quickly send one of yourself?", "images", true],
      ["maybe wait a while before telling your dad", "isolation", true],
      ["most adults honestly don't get stuff like this", "isolation", true],
      ["your mom really doesn't need to know", "isolation", true],
      ["is your dad still at work?", "risk", true],
      ["are you in your room with the door shut?", "risk", true],
      ["i can easily get you some robux", "trust", true],
      ["nobody really gets you like i do", "trust", true],
      ["you're definitely mature enough to decide", "trust", true],
      ["where do you actually live?", "personal", true],
      ["are you ever curious about how it feels?", "sexual", true],
      ["what do you usually wear to bed?", "sexual", true],
      ["can we finally meet up?", "meeting", true],
      ["please come alone", "meeting", true],
      ["or i'll just tell your parents", "coercion", true],
      ["you really owe me", "coercion", true],
      // near misses
      ["you still owe me five bucks for the pizza", "coercion", false],
      ["most parents don't understand minecraft", "isolation", false],
      ["want to video call grandma tonight?", "images", false],
      ["i can teach you things about chess", "sexual", false],
      ["send me a photo of the receipt", "images", false],
    ],
    stageOf,
  );
});

describe("v26 against v25", () => {
  it.each([
    ["kan je een paar foto's sturen van jezelf?", "images"],
    ["wacht even met je mama", "isolation"],
    ["zit je in je kamer met de deur dicht?", "risk"],
    ["your dad just doesn't need to know", "isolation"],
  ])("v25 missed, v26 finds: %s", (text, stage) => {
    expect(stageWeight(v25, text, stage)).toBeLessThan(0.5);
    expect(stageOf(text, stage)).toBeGreaterThan(0.5);
  });
});
