import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalize } from "../../src/engine/normalize.ts";

describe("normalize", () => {
  it.each([
    ["Ꮪend рhоtо", "send photo"], // Cherokee S, Cyrillic р/о
    ["se\u200bnd a p\u200dic", "send a pic"], // zero-width space and joiner
    ["s3nd a p1c", "send a pic"], // leetspeak
    ["s e n d a p i c", "send a pic"], // spaced letters
    ["s.e.n.d n00dz", "send noodz"],
    ["pleeease r u aloneee", "please are u alone"], // stretched letters, shorthand
    ["wyd rn", "what are you doing right now"],
    ["ＳＥＮＤ ＰＩＣ", "send pic"], // full-width
    ["📸 🤫 🏠", "camera shh home"],
    ["ben je alleen thuis?", "ben je alleen thuis?"],
  ])("%j → %j", (input, expected) => {
    expect(normalize(input)).toBe(expected);
  });

  it("keeps ages and numbers that are not leetspeak", () => {
    expect(normalize("13 f. u?")).toBe("13 f u?");
    expect(normalize("im 12, 7th grade")).toBe("im 12 7th grade");
  });

  it("never throws and is idempotent on arbitrary Unicode", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 80 }), (s) => {
        const once = normalize(s);
        expect(normalize(once)).toBe(once);
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), (s) => {
        const once = normalize(s);
        expect(normalize(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it("tolerates non-strings", () => {
    expect(normalize(undefined as unknown as string)).toBe("");
  });
});
