import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readConversations } from "../../src/corpus/format.ts";
import { loadModel, normalize } from "../../src/engine/index.ts";
import { requiredParts, RuleIndex } from "../../src/engine/prefilter.ts";
import { DEV_CORPUS } from "../fixtures/dev-corpus.ts";

// The prefilter may let rules through that do not match, never hold back one that does.
const model = loadModel();
const missed = (text: string) => {
  const cands = new Set(model.index.candidates(text));
  return model.rules.filter((r, id) => !cands.has(id) && r.re.test(text)).map((r) => r.id);
};

describe("prefilter", () => {
  it("offers every rule that matches a dev-set message", () => {
    const texts = readConversations(DEV_CORPUS).flatMap((c) => c.messages.map((m) => normalize(m.text)));
    expect(texts.length).toBeGreaterThan(1000);
    expect(texts.flatMap(missed)).toEqual([]);
  });

  it("offers every rule that matches text made of the lexicon's own words", () => {
    const words = [...new Set(model.rules.flatMap((r) => r.source.match(/[a-z']{2,}/g) ?? []))];
    const text = fc.array(fc.oneof(fc.constantFrom(...words), fc.constantFrom("13", "u", "i", "?", "ur", "12")), { minLength: 1, maxLength: 14 }).map((w) => normalize(w.join(" ")));
    fc.assert(fc.property(text, (t) => missed(t).length === 0), { numRuns: 400 });
  });
});

// The automaton keeps full rows for shallow nodes only; deeper ones follow failure links. It must
// find exactly the rules that a plain search for each indexed literal finds.
describe("automaton", () => {
  it("finds the same rules as a plain search on dev-set messages", () => {
    const texts = readConversations(DEV_CORPUS).flatMap((c) => c.messages.map((m) => normalize(m.text)));
    const differ = texts.filter((t) => model.index.candidates(t).join() !== model.index.reference(t).join());
    expect(differ).toEqual([]);
  });

  it("finds the same rules as a plain search on text cut from the lexicon's patterns", () => {
    // Pieces of patterns, cut anywhere: literals overlap, stop short and restart (failure links).
    const sources = model.rules.map((r) => r.source.replace(/[^a-z0-9' ?]+/g, " "));
    const piece = fc.tuple(fc.constantFrom(...sources), fc.nat(), fc.integer({ min: 1, max: 12 })).map(([s, at, len]) => s.slice(at % s.length, (at % s.length) + len));
    const text = fc.array(fc.oneof(piece, fc.constantFrom(" ", "u", "13", "é", "?")), { minLength: 1, maxLength: 12 }).map((p) => p.join(""));
    fc.assert(
      fc.property(text, (t) => {
        expect(model.index.candidates(t)).toEqual(model.index.reference(t));
      }),
      { numRuns: 1000 },
    );
  });

  it("is not the same as offering every rule", () => {
    expect(model.index.reference("hello there").length).toBeLessThan(model.rules.length / 10);
    expect(model.index.candidates("are you home alone")).toEqual(model.index.reference("are you home alone"));
    expect(model.index.candidates("are you home alone").length).toBeGreaterThan(0);
  });
});

describe("required parts", () => {
  it("joins optional characters, small classes and short alternatives into whole literals", () => {
    const [first] = requiredParts("(?:i'?m|im) (?:[4-9]th|fourth) grade");
    expect(first).toHaveLength(14);
    expect(first).toEqual(expect.arrayContaining(["i'm 9th grade", "im fourth grade"]));
  });

  it("keeps what a repeated or unbounded piece is next to, and nothing across it", () => {
    // "s+" starts with one "s" after "pic" and ends with one before " now".
    expect(requiredParts("send (?:me )?pics+ now")).toEqual([["send me pics", "send pics"], ["s now"]]);
    expect(requiredParts("keep [a-z]+ secret").flat()).not.toContain("keep  secret");
  });

  it("reads no literal out of classes or escapes it does not understand", () => {
    expect(requiredParts("\\p{L}+ alone").flat()).not.toContain("{L}");
    expect(requiredParts(".* alone")).toEqual([[" alone"]]);
  });
});

describe("rule index", () => {
  const index = new RuleIndex(["secret (?:chat|talk)", "(?:are|r) (?:you|u) alone", "^why\\??$"]);
  it("offers only rules whose required parts all occur", () => {
    expect(index.candidates("this is our secret chat ok")).toEqual([0]);
    expect(index.candidates("you are not alone")).toEqual([]);
    expect(index.candidates("r u alone? secret talk")).toEqual([0, 1]);
    expect(index.candidates("why?")).toEqual([2]);
  });
});
