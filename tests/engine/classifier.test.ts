import { describe, expect, it } from "vitest";
import { Classifier, classifierSchema, classifierWords, pairHash, wordHash, type ClassifierData } from "../../src/engine/classifier.ts";
import { loadModel } from "../../src/engine/index.ts";
import { normalize } from "../../src/engine/normalize.ts";
import { detectSignals } from "../../src/engine/signals.ts";
import { withClassifier } from "../../src/engine/train.ts";
import { fitClassifier } from "../../src/engine/train-classifier.ts";
import type { Conversation } from "../../src/corpus/format.ts";
import { labelledDm as conv } from "./chat.ts";

// The suspect keeps using made-up words ("zorblax", "quindle") in messages labelled isolation;
// ordinary messages use everyday words. No lexicon rule knows either word.
const fixture: Conversation[] = [];
for (let i = 0; i < 12; i++) {
  fixture.push(
    conv(`g${i}`, "grooming", [
      ["u1", `lets zorblax quindle now ok ${i}`, ["isolation"]],
      ["u2", "what do u mean"],
      ["u1", `just zorblax quindle with me later`, ["isolation"]],
      ["u2", "ok i guess"],
      ["u1", "how was school today"],
    ]),
    conv(`b${i}`, "benign", [
      ["u1", `did u finish the maths homework ${i}`],
      ["u2", "yes it was easy"],
      ["u1", "cool see u at practice later"],
      ["u2", "ok see u"],
    ]),
  );
}
const opts = { minCount: 2, calibrationFolds: 3, precision: 0.8 };

describe("stage classifier: training", () => {
  const data = fitClassifier(fixture, opts)!;

  it("learns a word that marks a stage, and writes a valid file", () => {
    expect(classifierSchema.safeParse(JSON.parse(JSON.stringify(data))).success).toBe(true);
    const isolation = data.stages.indexOf("isolation");
    const weight = (term: string) => data.features.find(([t]) => t === term)?.[1][isolation] ?? 0;
    expect(weight("zorblax")).toBeGreaterThan(0.5);
    expect(weight("zorblax quindle")).toBeGreaterThan(0.5);
    expect(weight("homework")).toBeLessThan(0);
    const clf = new Classifier(data);
    clf.scan(normalize("wanna zorblax quindle tonight"));
    expect(clf.probability(isolation)).toBeGreaterThan(0.55);
    expect(clf.z[isolation]).toBeGreaterThanOrEqual(clf.cut[isolation]!);
    clf.scan(normalize("did u do the homework"));
    expect(clf.probability(isolation)).toBeLessThan(0.5);
  });

  it("is deterministic", () => {
    expect(JSON.stringify(fitClassifier(fixture, opts))).toBe(JSON.stringify(data));
    expect(JSON.stringify(fitClassifier([...fixture], opts))).toBe(JSON.stringify(fitClassifier(fixture, opts)));
  });

  it("hashes words and pairs at run time as the trainer cut them", () => {
    expect(classifierWords(normalize("don't tell ur mom, ok? café"))).toEqual(["don't", "tell", "your", "mom", "ok?", "cafe"]);
    // a hand-made model: one pair feature, one word feature
    const hand: ClassifierData = {
      format: 1,
      stages: ["trust", "personal", "isolation", "risk", "sexual", "images", "meeting", "coercion"],
      bias: [-2, -2, -2, -2, -2, -2, -2, -2],
      threshold: [0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6],
      features: [
        ["don't tell", [0, 0, 4, 0, 0, 0, 0, 0]],
        ["mom", [0, 0, 3, 0, 0, 0, 0, 0]],
      ],
    };
    const clf = new Classifier(hand);
    // 4 words, 3 pairs: the weights found count 1/sqrt(7)
    expect(clf.scan("don't tell ur mom")).toBe(true);
    expect(clf.z[2]).toBeCloseTo(-2 + 7 / Math.sqrt(7));
    expect(clf.z[0]).toBeCloseTo(-2);
    expect(clf.scan("tell don't ur mom")).toBe(false); // the pair is ordered
    expect(clf.z[2]).toBeCloseTo(-2 + 3 / Math.sqrt(7));
    expect(pairHash(wordHash("dont"), wordHash("tell"))).not.toBe(pairHash(wordHash("tell"), wordHash("dont")));
    // the engine hands the classifier its words from WordIndex.scan: the same log-odds
    const model = withClassifier(loadModel("v23"), hand, 0.6);
    const found = detectSignals(model, normalize("don't tell ur mom")).signals.find((x) => x.stage === "isolation");
    expect(found?.rule).toMatch(/^(clf:isolation|en\.)/);
    clf.scan(normalize("don't tell ur mom"));
    const z = clf.z[2]!;
    model.classifier!.scan(normalize("hello there"));
    model.words.scan(normalize("don't tell ur mom"), 0, (model.classifier!.begin(), model.classifier!));
    model.classifier!.end();
    expect(model.classifier!.z[2]).toBeCloseTo(z);
  });
});

describe("stage classifier: in the engine", () => {
  const base = loadModel("v23");
  const data = fitClassifier(fixture, opts)!;
  const model = withClassifier(base, data, 0.6);
  const text = normalize("wanna zorblax quindle tonight");

  it("gives stage evidence for a phrasing no rule matches, and names the words", () => {
    expect(detectSignals(base, text).signals.filter((s) => s.stage === "isolation")).toEqual([]);
    const found = detectSignals(model, text).signals.find((s) => s.stage === "isolation");
    expect(found?.rule).toBe("clf:isolation");
    expect(found!.weight).toBeGreaterThan(0.3);
    expect(found!.weight).toBeLessThanOrEqual(0.6);
    expect(found!.evidence).toContain("zorblax");
  });

  it("does not override stronger rule evidence, and is damped like rules in benign context", () => {
    const rule = detectSignals(model, normalize("dont tell ur parents ok")).signals.find((s) => s.stage === "isolation");
    expect(rule?.rule).not.toMatch(/^clf:/);
    // "don't tell dad about the cake" is damped by v23's suppress:isolation rules; the classifier's evidence is too
    const plain = detectSignals(model, normalize("zorblax quindle")).signals.find((s) => s.stage === "isolation")!;
    const damped = detectSignals(model, normalize("zorblax quindle, dont tell dad about the cake")).signals.find((s) => s.stage === "isolation")!;
    expect(damped.weight).toBeLessThan(plain.weight);
  });

  it("a model without classifier.json behaves as before", () => {
    expect(base.classifier).toBeUndefined();
    expect(base.scoring.classifierWeight).toBeUndefined();
    const again = { ...base, scoring: { ...base.scoring, classifierWeight: 0.6 } };
    for (const t of ["wanna zorblax quindle tonight", "dont tell ur parents ok", "send me a pic of u", "how old r u"]) {
      expect(detectSignals(again, normalize(t))).toEqual(detectSignals(base, normalize(t)));
    }
    // and a classifier with weight 0 gives no evidence
    expect(detectSignals(withClassifier(base, data, 0), text)).toEqual(detectSignals(base, text));
  });
});
