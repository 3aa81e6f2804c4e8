import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readConversations } from "../../src/corpus/format.ts";
import { loadModel, normalize } from "../../src/engine/index.ts";
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
