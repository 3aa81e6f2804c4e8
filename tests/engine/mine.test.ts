import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { formatCandidates, mineCandidates } from "../../src/engine/mine.ts";
import { stem, tokens } from "../../src/engine/stems.ts";
import { labelledDm as conv } from "./chat.ts";

describe("stems (natural)", () => {
  it("tokenises and stems English and Dutch so that word forms meet", () => {
    expect(tokens("r u home alone?", "en")).toEqual(["r", "u", "home", "alone"]);
    expect(stem("pictures", "en")).toBe(stem("picture", "en"));
    expect(stem("Secrets", "en")).toBe(stem("secret", "en"));
    expect(stem("vrienden", "nl")).toBe(stem("vriend", "nl"));
  });
});

describe("mineCandidates", () => {
  const model = loadModel(undefined, undefined, { priorsOnly: true });
  const convs = [
    conv("g1", "grooming", [
      ["u1", "tell me about your blorfs", ["personal"]],
      ["u2", "lol ok"],
      ["u1", "which blorf is your favourite", ["personal"]],
    ]),
    conv("g2", "grooming", [["u1", "got any blorfing plans today", ["personal"]]]),
    conv("b1", "benign", [
      ["u1", "favourite plans for today?"],
      ["u2", "homework"],
    ]),
  ];

  it("suggests the stem the missed warning messages share, with its forms, and not ordinary words", () => {
    const list = mineCandidates(convs, model);
    const blorf = list.find((c) => c.stem === stem("blorf", "en"));
    expect(blorf).toMatchObject({ stage: "personal", lang: "en", missed: 3, background: 0 });
    expect(new Set(blorf!.forms)).toEqual(new Set(["blorfs", "blorf", "blorfing"]));
    // "plans" and "today" also occur in the benign chat: not distinctive.
    expect(list.some((c) => c.stem === stem("plans", "en"))).toBe(false);
    expect(formatCandidates(list)).toContain(`personal\ten\t${blorf!.stem}\t3\t0\t`);
  });

  it("does not suggest words of messages a rule of their stage already matched", () => {
    // "how old are you" is a personal-stage rule: its words are not suggestions.
    const covered = [1, 2, 3].map((i) => conv(`p${i}`, "grooming", [["u1", "how old are you zanzibarian", ["personal"]]]));
    expect(mineCandidates(covered, model).some((c) => c.stem === stem("zanzibarian", "en"))).toBe(false);
  });
});
