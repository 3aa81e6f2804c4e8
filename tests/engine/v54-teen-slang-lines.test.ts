// v54: more warning signs written from the published lists (an age to lie about when signing up, a contact saved under
// another name, what the child wears to bed, when the parents go to bed, sneaking out), then lines read in fresh set h74,
// teen spaces of the 2020s in Dutch, Flemish and English: "ur built like a dancer", "nu jij, maar dan zonder shirt", a
// "scout" who needs test shots, "u think ur school would like to see them", a "sister" who hands the child to her "brother
// (19)"; an app asked for "for squad invites" is for the group.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { newLines, quietedAlerts, signalsWith, stageWeight } from "./chat.ts";

const v53 = loadModel("v53");
const v54 = loadModel("v54");

describe("v54 lines from published warning signs", () => {
  newLines(
    v53,
    v54,
    [
      ["just say ur 18 when u sign up", "isolation"],
      ["zeg gewoon dat je 18 bent", "isolation"],
      ["sla mijn nummer op als lisa", "isolation"],
      ["rename me in ur phone", "isolation"],
      ["what do u wear to bed", "sexual"],
      ["when do ur parents go to bed", "risk"],
      ["hoe laat gaan je ouders slapen", "risk"],
      ["kun je stiekem naar buiten", "risk"],
    ],
    [
      ["sla me op als mama", "isolation"],
      ["just say ur sorry", "isolation"],
      ["what do u want for dinner", "sexual"],
    ],
  );
});

describe("v54 lines read in h74", () => {
  newLines(
    v53,
    v54,
    [
      ["ur built like a dancer", "sexual"],
      ["dm me and send a few more clips, only for me first", "images"],
      ["nu jij, maar dan zonder shirt, is eerlijk", "sexual"],
      ["ur turn now, without the hoodie", "sexual"],
      ["voor je portfolio heb ik een paar testfoto's nodig", "images"],
      ["we just need a few test shots", "images"],
      ["vertel het pas als je getekend hebt", "isolation"],
      ["mijn broer (19) vindt jou ook echt leuk", "trust"],
      ["mag hij je ook appen?", "isolation"],
      ["can he add u?", "isolation"],
    ],
    [
      ["send a few more pics of the frame", "images"],
      ["wie is er vanavond thuis voor het eten?", "risk"],
      ["my brother thinks ur song is cute", "trust"],
    ],
  );

  it.each(["u think ur school would like to see them", "how would ur mom feel if she saw these"])("%s is a threat to expose images", (text) => {
    const rules = (m: typeof v54) => signalsWith(m, text).signals.map((s) => s.rule);
    expect(rules(v53).some((r) => r.includes(".sextortion."))).toBe(false);
    expect(rules(v54).some((r) => r.includes(".sextortion."))).toBe(true);
  });

  it("an app asked for squad invites weighs less as moving to a private chat", () => {
    const text = "same 😂 u got snap? easier for squad invites";
    expect(stageWeight(v54, text, "isolation")).toBeLessThan(stageWeight(v53, text, "isolation"));
    expect(stageWeight(v54, "u got snap?", "isolation")).toBe(stageWeight(v53, "u got snap?", "isolation"));
  });

  quietedAlerts(v53, v54, [
    [
      "two 14-year-old gamers who swap snap for the squad",
      [
        ["a", "gg that last round was wild"],
        ["b", "haha ja gg, jij was cracked"],
        ["a", "manchester. how old r u btw, u sound my age"],
        ["b", "14, jij?"],
        ["a", "same 😂 u got snap? easier for squad invites"],
        ["b", "ja, ik zet m in de squad chat zodat iedereen hem heeft"],
        ["a", "bet. teach me dutch swear words next game"],
      ],
    ],
  ], "v54");

  it("'wie is er vanavond alleen thuis?' asked of a group is a clear check on who is alone", () => {
    const text = "amai buren 😄 en wie is er vanavond alleen thuis? dan kunnen we langer gamen";
    expect(stageWeight(v54, text, "risk")).toBeGreaterThan(stageWeight(v53, text, "risk"));
  });
});
