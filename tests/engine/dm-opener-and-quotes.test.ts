// A DM opener's warning signs count as soon as the other person answers, and warning phrases
// quoted in a lesson or a warning ("…") count little. Engine behaviour, any model version.
import { describe, expect, it } from "vitest";
import { loadModel, normalize, RiskEngine } from "../../src/engine/index.ts";
import { detectSignals, quotedParts } from "../../src/engine/signals.ts";
import type { ChatMessage } from "../../src/types.ts";
import { dm } from "./chat.ts";

const model = loadModel();

function tops(msgs: ChatMessage[]) {
  const engine = new RiskEngine(model);
  return msgs.map((m) => engine.observe(m).top);
}

describe("a DM opener's evidence lands when the other answers", () => {
  const cases: [string, string, string][] = [
    ["en", "hey, you can trust me. dont tell your parents we talk ok", "ok"],
    ["nl", "hoi, niet aan je ouders zeggen dat we praten he", "oke"],
  ];
  it.each(cases)("%s: the answer already scores the opener", (_lang, opener, answer) => {
    const [, onAnswer] = tops(dm("d1", [["a", opener], ["c", answer]]));
    expect(onAnswer?.subject.actor).toBe("a");
    expect(onAnswer?.stages).toContain("isolation");
  });
  it("a plain opener leaves nothing to score", () => {
    const [, onAnswer] = tops(dm("d2", [["a", "hey how are you"], ["c", "good"]]));
    expect(onAnswer).toBeNull();
  });
});

describe("quoted warning phrases", () => {
  it("quotedParts finds straight and curly quotes, normalised", () => {
    expect(quotedParts('red flags: "Are you HOME alone", \u201cdont tell ur parents\u201d', normalize)).toEqual(["are you home alone", "dont tell your parents"]);
    expect(quotedParts("no quotes here", normalize)).toBeNull();
    expect(quotedParts('an open " quote', normalize)).toBeNull();
  });
  const pairs: [string, string][] = [
    ['the article lists red flags: "are you home alone", "dont tell your parents"', "are you home alone? dont tell your parents"],
    ['de les gaat over zinnen als "ben je alleen thuis" en "niet aan je ouders zeggen"', "ben je alleen thuis? niet aan je ouders zeggen"],
  ];
  it.each(pairs)("quoted counts far less than said: %s", (quotedRaw, said) => {
    const weight = (raw: string) => {
      const s = detectSignals(model, normalize(raw), 0, null, null, quotedParts(raw, normalize));
      return s.signals.filter((x) => x.stage !== "age").reduce((t, x) => t + x.weight, 0);
    };
    expect(weight(said)).toBeGreaterThan(1);
    expect(weight(quotedRaw)).toBeLessThan(weight(said) * 0.3);
  });
  it("a cover story in quotes keeps the words around it", () => {
    const raw = 'if they ask just say "at a friends". dont tell your parents';
    const s = detectSignals(model, normalize(raw), 0, null, null, quotedParts(raw, normalize));
    expect(s.signals.find((x) => x.stage === "isolation")?.weight ?? 0).toBeGreaterThan(0.5);
  });
});
