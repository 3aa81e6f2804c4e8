// A trained text classifier per warning stage (since v24, models/<v>/classifier.json, written by
// `haven train --classifier`, see train-classifier.ts): one-vs-rest logistic regression over the
// normalised message's words and adjacent word pairs. At run time each word's hash is computed while
// scanning (the FNV hashing of words.ts), a pair's hash is combined from its two words' hashes (no
// string is built), and both are looked up in an open-addressing table of typed arrays; the stage's
// log-odds are the bias plus the weights found. Only when a stage passes its threshold is the text
// cut into words again, to name the words that carried it (signals.ts).
import { z } from "zod";
import { HavenError } from "../types.ts";
import { WARNING_STAGES } from "./score.ts";
import { FNV, finish, hashStep } from "./words.ts";

export const CLASSIFIER_STAGES = WARNING_STAGES;
const K = CLASSIFIER_STAGES.length;

/** classifier.json: per stage a bias and a probability threshold; per feature (a word, or two words joined by a space) its weights in stage order. */
export const classifierSchema = z.object({
  format: z.literal(1),
  stages: z.array(z.string()).length(K),
  bias: z.array(z.number()).length(K),
  threshold: z.array(z.number().min(0).max(1)).length(K),
  features: z.array(z.tuple([z.string().min(1), z.array(z.number()).length(K)])),
  /** how it was fitted (informative) */
  meta: z.record(z.string(), z.unknown()).optional(),
});
export type ClassifierData = z.infer<typeof classifierSchema>;

/** A word is letters (any non-ASCII letter too) and digits; an apostrophe inside is skipped ("don't" = "dont"), anything else ends it. */
function charClass(c: number): number {
  // 0 separator, 1 word character, 2 skipped (apostrophes)
  if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) return 1;
  if (c === 39 || c === 0x2019) return 2;
  if (c < 0xc0) return (c >= 65 && c <= 90) ? 1 : 0;
  if ((c >= 0x2000 && c <= 0x2bff) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xd800 && c <= 0xdfff) || c === 0xfeff) return 0;
  return 1;
}

/** The words of a normalised text as the classifier sees them (training and explanations; run time hashes the same characters). */
export function classifierWords(text: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < text.length; i++) {
    const k = charClass(text.charCodeAt(i));
    if (k === 1) cur += text[i];
    else if (k === 0 && cur) {
      out.push(cur);
      cur = "";
    }
  }
  if (cur) out.push(cur);
  return out;
}

export function wordHash(word: string): number {
  let h = FNV;
  for (let i = 0; i < word.length; i++) h = hashStep(h, word.charCodeAt(i));
  return finish(h);
}

/** A word pair's key from its words' keys (no string built). */
export const pairHash = (a: number, b: number): number => finish(Math.imul(a ^ Math.imul(b + 0x3c6ef372, 0x9e3779b1), 0x01000193) ^ (b >>> 7));

function featureHash(term: string): number {
  const sp = term.indexOf(" ");
  return sp < 0 ? wordHash(term) : pairHash(wordHash(term.slice(0, sp)), wordHash(term.slice(sp + 1)));
}

const logit = (p: number) => Math.log(p / (1 - p));

export class Classifier {
  readonly stages = CLASSIFIER_STAGES;
  readonly bias: Float64Array;
  /** log-odds each stage must reach (its probability threshold) */
  readonly cut: Float64Array;
  readonly threshold: number[];
  /** log-odds of the last `scan`, per stage */
  readonly z = new Float64Array(K);
  private readonly keys: Int32Array;
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly weights: Float32Array;
  private readonly terms: Map<string, number>;

  constructor(readonly data: ClassifierData) {
    for (let s = 0; s < K; s++) if (data.stages[s] !== CLASSIFIER_STAGES[s]) throw new HavenError(`classifier.json: stage ${s} is ${data.stages[s]}, expected ${CLASSIFIER_STAGES[s]}`, "model.classifier");
    this.bias = Float64Array.from(data.bias);
    this.threshold = data.threshold;
    this.cut = Float64Array.from(data.threshold, (p) => (p <= 0 ? -Infinity : p >= 1 ? Infinity : logit(p)));
    let size = 1024;
    while (size < data.features.length * 4) size *= 2;
    this.mask = size - 1;
    this.keys = new Int32Array(size);
    this.slots = new Int32Array(size);
    this.weights = new Float32Array(data.features.length * K);
    this.terms = new Map();
    data.features.forEach(([term, w], f) => {
      this.terms.set(term, f);
      for (let s = 0; s < K; s++) this.weights[f * K + s] = w[s]!;
      const key = featureHash(term) + 1;
      let i = key & this.mask;
      while (this.keys[i] !== 0 && this.keys[i] !== key) i = (i + 1) & this.mask;
      if (this.keys[i] === key) return; // a hash collision between two stored terms: the first keeps it
      this.keys[i] = key;
      this.slots[i] = f;
    });
  }

  private add(key: number): void {
    const k = key + 1;
    const keys = this.keys;
    let i = k & this.mask;
    for (;;) {
      const at = keys[i]!;
      if (at === k) break;
      if (at === 0) return;
      i = (i + 1) & this.mask;
    }
    const w = this.weights;
    const z = this.z;
    const base = this.slots[i]! * K;
    for (let s = 0; s < K; s++) z[s]! += w[base + s]!;
  }

  /** Fills `z` with the text's log-odds per stage; returns whether some stage reached its cut. */
  scan(text: string): boolean {
    const z = this.z;
    z.set(this.bias);
    let h = FNV;
    let inWord = false;
    let prev = -1;
    for (let i = 0; i <= text.length; i++) {
      const c = i < text.length ? text.charCodeAt(i) : 32;
      // ASCII lowercase letters and digits first: most characters are
      if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
        h = hashStep(h, c);
        inWord = true;
        continue;
      }
      const k = charClass(c);
      if (k === 1) {
        h = hashStep(h, c);
        inWord = true;
        continue;
      }
      if (k === 2 || !inWord) continue;
      const key = finish(h);
      this.add(key);
      if (prev >= 0) this.add(pairHash(prev, key));
      prev = key;
      h = FNV;
      inWord = false;
    }
    const cut = this.cut;
    for (let s = 0; s < K; s++) if (z[s]! >= cut[s]!) return true;
    return false;
  }

  /** The stage's probability for the last scan. */
  probability(stage: number): number {
    return 1 / (1 + Math.exp(-this.z[stage]!));
  }

  /** The words and word pairs of a text that weigh most for a stage, strongest first. */
  topTerms(text: string, stage: number, n = 3): string[] {
    const words = classifierWords(text);
    const found: [string, number][] = [];
    const seen = new Set<string>();
    const look = (term: string) => {
      const f = this.terms.get(term);
      if (f === undefined || seen.has(term)) return;
      seen.add(term);
      const w = this.weights[f * K + stage]!;
      if (w > 0) found.push([term, w]);
    };
    for (let i = 0; i < words.length; i++) {
      look(words[i]!);
      if (i > 0) look(`${words[i - 1]} ${words[i]}`);
    }
    found.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    return found.slice(0, n).map(([t]) => t);
  }
}
