// A trained text classifier per warning stage (since v24, models/<v>/classifier.json, written by
// `haven train --classifier`, see train-classifier.ts): one-vs-rest logistic regression over the
// normalised message's words and adjacent word pairs. At run time it gets each word's hash from the
// scan words.ts already makes (no pass of its own), a pair's hash is combined from its two words'
// hashes (no string is built), and both are looked up in an open-addressing table of typed arrays
// (only the stages whose threshold can be reached are summed); the stage's
// log-odds are the bias plus the weights found, times 1/sqrt of the message's words and pairs. Only when a stage passes its threshold is the text
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

/**
 * The words of a normalised text as the classifier sees them: as words.ts cuts them, between
 * spaces (normalising already dropped most punctuation; what is left, "ok?", is part of the word).
 */
export function classifierWords(text: string): string[] {
  return text.split(" ").filter((w) => w.length > 0);
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

const PRESENT_BITS = 16;
const PRESENT_MASK = (1 << PRESENT_BITS) - 1;
const logit = (p: number) => Math.log(p / (1 - p));

/**
 * A message's weights count 1/sqrt(terms), its words and word pairs (stored or not): a long
 * message does not add up many weak words into a stage (a bag of words would). Format 1.
 */
export const termScale = (words: number): number => 1 / Math.sqrt(Math.max(1, 2 * words - 1));

export class Classifier {
  readonly stages = CLASSIFIER_STAGES;
  readonly bias: Float64Array;
  /** log-odds each stage must reach (its probability threshold; a threshold of 1 turns the stage off) */
  readonly cut: Float64Array;
  readonly threshold: number[];
  /** log-odds of the last `scan`, per stage (stages that are off keep their bias) */
  readonly z = new Float64Array(K);
  /** the stages that can pass, and their weights per feature (the others are never summed) */
  private readonly active: Int32Array;
  /** open addressing: [key + 1, first weight's index] per slot */
  private readonly table: Int32Array;
  private readonly mask: number;
  /** one bit per low 16 bits of a stored key (8 KB, stays in cache): most word pairs are not stored and stop there */
  private readonly present: Int32Array;
  private readonly weights: Float64Array;
  private readonly sums: Float64Array;
  private readonly all: Float32Array;
  private readonly terms: Map<string, number>;

  constructor(readonly data: ClassifierData) {
    for (let s = 0; s < K; s++) if (data.stages[s] !== CLASSIFIER_STAGES[s]) throw new HavenError(`classifier.json: stage ${s} is ${data.stages[s]}, expected ${CLASSIFIER_STAGES[s]}`, "model.classifier");
    this.bias = Float64Array.from(data.bias);
    this.threshold = data.threshold;
    this.cut = Float64Array.from(data.threshold, (p) => (p <= 0 ? -Infinity : p >= 1 ? Infinity : logit(p)));
    this.active = Int32Array.from(CLASSIFIER_STAGES.map((_, s) => s).filter((s) => this.cut[s]! < Infinity));
    const A = this.active.length;
    this.sums = new Float64Array(A);
    // Only features that weigh in some active stage are looked up at run time.
    const live = data.features.filter(([, w]) => A > 0 && [...this.active].some((s) => w[s] !== 0));
    let size = 1024;
    while (size < live.length * 4) size *= 2;
    this.mask = size - 1;
    this.table = new Int32Array(size * 2);
    this.present = new Int32Array(1 << (PRESENT_BITS - 5));
    this.weights = new Float64Array(live.length * A);
    live.forEach(([term, w], f) => {
      for (let a = 0; a < A; a++) this.weights[f * A + a] = w[this.active[a]!]!;
      const key = featureHash(term) + 1;
      let i = key & this.mask;
      while (this.table[2 * i] !== 0 && this.table[2 * i] !== key) i = (i + 1) & this.mask;
      if (this.table[2 * i] === key) return; // a hash collision between two stored terms: the first keeps it
      this.table[2 * i] = key;
      this.table[2 * i + 1] = f * A;
      this.present[(key & PRESENT_MASK) >>> 5]! |= 1 << (key & 31);
    });
    // Every stage's weights by term, for explanations.
    this.all = new Float32Array(data.features.length * K);
    this.terms = new Map();
    data.features.forEach(([term, w], f) => {
      this.terms.set(term, f);
      for (let s = 0; s < K; s++) this.all[f * K + s] = w[s]!;
    });
  }

  /** Adds a term's weights when it is stored; 1 when it was. */
  private add(key: number): number {
    const k = key + 1;
    if ((this.present[(k & PRESENT_MASK) >>> 5]! & (1 << (k & 31))) === 0) return 0;
    const table = this.table;
    const mask = this.mask;
    let i = k & mask;
    for (;;) {
      const at = table[2 * i]!;
      if (at === k) break;
      if (at === 0) return 0;
      i = (i + 1) & mask;
    }
    const w = this.weights;
    const sums = this.sums;
    const base = table[2 * i + 1]!;
    for (let a = 0; a < sums.length; a++) sums[a]! += w[base + a]!;
    return 1;
  }

  private prev = -1;
  private words = 0;
  private hits = 0;

  /** Starts a message: `word` each of its words' hashes in order (WordIndex.scan does), then `end`. */
  begin(): void {
    this.sums.fill(0);
    this.prev = -1;
    this.words = 0;
    this.hits = 0;
  }

  word(key: number): void {
    if (this.sums.length === 0) return;
    const prev = this.prev;
    this.hits += this.add(key);
    if (prev >= 0) this.hits += this.add(pairHash(prev, key));
    this.prev = key;
    this.words++;
  }

  /** Fills `z` with the message's log-odds per stage; returns whether some stage reached its cut. */
  end(): boolean {
    const z = this.z;
    z.set(this.bias);
    if (this.hits === 0) return false;
    const sums = this.sums;
    const scale = termScale(this.words);
    const cut = this.cut;
    const active = this.active;
    let passed = false;
    for (let a = 0; a < active.length; a++) {
      const s = active[a]!;
      const v = z[s]! + sums[a]! * scale;
      z[s] = v;
      if (v >= cut[s]!) passed = true;
    }
    return passed;
  }

  /** `begin`, the text's words, `end` (the engine gets the words from WordIndex.scan instead). */
  scan(text: string): boolean {
    this.begin();
    for (const w of classifierWords(text)) this.word(wordHash(w));
    return this.end();
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
      const w = this.all[f * K + stage]!;
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
