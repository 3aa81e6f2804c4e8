// v34: an adult who asks for a parent to get in touch, or who refuses to keep a secret, is not isolating the
// child; "dm me" and "keep it secret" keep their weight everywhere else. And the Dutch ban on telling in chat word order.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { stageWeight } from "./chat.ts";

const v33 = loadModel("v33");
const v34 = loadModel("v34");

describe("v34 safeguarding context", () => {
  const faint = [
    "sorry, i need one of your parents to message me first",
    "i can't keep that a secret, i'd have to tell my manager",
    "dat kan ik niet geheimhouden, dan moet ik het melden",
  ];
  it.each(faint)("%s: isolation faint in v34, read by v33", (text) => {
    expect(stageWeight(v33, text, "isolation")).toBeGreaterThanOrEqual(0.45);
    expect(stageWeight(v34, text, "isolation")).toBeLessThan(0.3);
  });
  const stays = ["message me on snap", "keep it a secret ok", "vertel het aan niemand", "dm me, dont tell your mom"];
  it.each(stays)("%s keeps its isolation weight", (text) => {
    expect(stageWeight(v34, text, "isolation")).toBeGreaterThanOrEqual(0.45);
    expect(stageWeight(v34, text, "isolation")).toBeCloseTo(stageWeight(v33, text, "isolation"), 6);
  });
  it("reads the Dutch ban on telling in chat word order", () => {
    for (const text of ["je mag het aan niemand vertellen", "ge moogt da tegen niemand zeggen"]) {
      expect(stageWeight(v33, text, "isolation")).toBe(0);
      expect(stageWeight(v34, text, "isolation")).toBeGreaterThanOrEqual(0.45);
    }
    expect(stageWeight(v34, "je mag het aan iedereen vertellen", "isolation")).toBeLessThan(0.3);
  });
});
