// Fitting the stage classifier (classifier.ts) from labelled conversations: per warning stage a
// one-vs-rest logistic regression (L2, classes balanced) over a message's normalised words and
// adjacent word pairs (function words only in pairs), scaled by 1/sqrt of the message's terms. Positives: the suspect's messages labelled with the stage in grooming
// conversations; negatives: every other message (benign conversations carry the hard negatives).
// With `stem`, counts are pooled by natural's Porter stems (stems.ts) while fitting, and each kept
// stem feature is written out as the surface words and pairs that carried it in the data: the
// engine never runs a stemmer. Each stage's threshold is calibrated on out-of-fold probabilities
// (conversations of a scenario stay in one fold). Deterministic: no randomness, fixed orders.
import type { Conversation } from "../corpus/format.ts";
import type { Lang } from "../types.ts";
import { CLASSIFIER_STAGES, classifierWords, termScale, type ClassifierData } from "./classifier.ts";
import { loadExplicit } from "./explicit.ts";
import { EN_FUNCTION_WORDS, NL_FUNCTION_WORDS } from "./lang.ts";
import { normalize } from "./normalize.ts";
import { stem } from "./stems.ts";

export interface ClassifierOptions {
  /** pool word forms by their stems while fitting (default true) */
  stem?: boolean;
  /** features kept in the file, strongest first (default 4000) */
  maxFeatures?: number;
  /** a kept feature weighs at least this much in some stage that can pass (default 0.05) */
  minWeight?: number;
  /** a feature must occur in this many messages (default 3): rare words and names are not learnt */
  minCount?: number;
  /** L2 penalty per sample (default 1e-5) */
  l2?: number;
  iterations?: number;
  /** folds for calibrating thresholds (default 3; 0: threshold `minThreshold`) */
  calibrationFolds?: number;
  /** no stage threshold below this probability (default 0.5) */
  minThreshold?: number;
  /** out-of-fold message precision a stage's threshold must reach (default 0.9); a stage that never does gets threshold 1 (off) */
  precision?: number;
}

const K = CLASSIFIER_STAGES.length;

interface Sample {
  /** feature keys (unique), sorted */
  keys: number[];
  /** bit s: positive for stage s */
  y: number;
  /** 1/sqrt(terms): the message's words and pairs, stored or not (as classifier.ts scales at run time) */
  scale: number;
  group: number;
}

interface Corpus {
  samples: Sample[];
  keyNames: string[];
  /** per key: surface term -> count */
  surface: Map<string, number>[];
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

function buildCorpus(convs: Conversation[], useStem: boolean, minCount: number): Corpus {
  const explicit = loadExplicit(["en", "nl"]).words;
  const stemCache = new Map<string, string>();
  // Pooling key: the word without what punctuation normalising left ("ok?" with "ok"), stemmed.
  const stemOf = (surface: string, lang: Lang) => {
    const w = surface.replace(/[^\p{L}\p{N}]+/gu, "") || surface;
    if (!useStem || /\d/.test(w)) return w;
    const k = `${lang}:${w}`;
    let s = stemCache.get(k);
    if (s === undefined) {
      s = stem(w, lang);
      stemCache.set(k, s);
    }
    return s;
  };
  // keys by name: unigram stems "w", pairs "a b"
  const ids = new Map<string, number>();
  const names: string[] = [];
  const df: number[] = [];
  const surface: Map<string, number>[] = [];
  const raw: { keys: number[]; y: number; group: number; scale: number }[] = [];
  const groups = new Map<string, number>();
  for (const c of convs) {
    const lang: Lang = c.lang === "nl" ? "nl" : "en";
    const gk = c.scenario ? `s:${c.scenario}` : `c:${c.id}`;
    if (!groups.has(gk)) groups.set(gk, groups.size);
    const group = groups.get(gk)!;
    for (const m of c.messages) {
      const words = classifierWords(normalize(m.text));
      let y = 0;
      if (c.label === "grooming" && m.author === c.suspect) {
        for (let s = 0; s < K; s++) if (m.stages?.includes(CLASSIFIER_STAGES[s]!)) y |= 1 << s;
      }
      const stems = words.map((w) => stemOf(w, lang));
      const bare = words.map((w) => w.replace(/[^\p{L}\p{N}]+/gu, ""));
      const seen = new Set<number>();
      const note = (name: string, term: string) => {
        let id = ids.get(name);
        if (id === undefined) {
          id = names.length;
          ids.set(name, id);
          names.push(name);
          df.push(0);
          surface.push(new Map());
        }
        const forms = surface[id]!;
        forms.set(term, (forms.get(term) ?? 0) + 1);
        if (!seen.has(id)) {
          seen.add(id);
          df[id]!++;
        }
      };
      for (let i = 0; i < words.length; i++) {
        if (explicit.has(bare[i]!)) continue;
        // Function words alone say nothing of a stage (long ordinary messages add up many); in a pair they may ("just you").
        if (!EN_FUNCTION_WORDS.has(bare[i]!) && !NL_FUNCTION_WORDS.has(bare[i]!)) note(stems[i]!, words[i]!);
        if (i > 0 && !explicit.has(bare[i - 1]!)) note(`${stems[i - 1]} ${stems[i]}`, `${words[i - 1]} ${words[i]}`);
      }
      raw.push({ keys: [...seen], y, group, scale: termScale(words.length) });
    }
  }
  // Keep features seen in at least minCount messages, renumbered.
  const remap = new Int32Array(names.length).fill(-1);
  const keyNames: string[] = [];
  const kept: Map<string, number>[] = [];
  for (let i = 0; i < names.length; i++) {
    if (df[i]! < minCount) continue;
    remap[i] = keyNames.length;
    keyNames.push(names[i]!);
    kept.push(surface[i]!);
  }
  const samples = raw.map((r) => ({ y: r.y, group: r.group, scale: r.scale, keys: r.keys.map((k) => remap[k]!).filter((k) => k >= 0).sort((a, b) => a - b) }));
  return { samples, keyNames, surface: kept };
}

/**
 * Class-balanced L2 logistic regression for one stage by full-batch gradient descent with
 * AdaGrad steps (sparse binary features). Returns [bias, ...weights].
 */
function fitStage(samples: Sample[], dim: number, stage: number, l2: number, iterations: number): Float64Array {
  const bit = 1 << stage;
  let pos = 0;
  for (const s of samples) if (s.y & bit) pos++;
  const n = samples.length;
  const w = new Float64Array(dim + 1);
  if (pos === 0 || pos === n) {
    w[0] = pos === 0 ? -8 : 8;
    return w;
  }
  const wPos = n / (2 * pos);
  const wNeg = n / (2 * (n - pos));
  const g = new Float64Array(dim + 1);
  const acc = new Float64Array(dim + 1);
  const rate = 0.5;
  for (let it = 0; it < iterations; it++) {
    g.fill(0);
    for (const s of samples) {
      let sum = 0;
      for (const k of s.keys) sum += w[k + 1]!;
      const z = w[0]! + sum * s.scale;
      const y = s.y & bit ? 1 : 0;
      const err = (1 / (1 + Math.exp(-z)) - y) * (y ? wPos : wNeg);
      g[0]! += err;
      const e = err * s.scale;
      for (const k of s.keys) g[k + 1]! += e;
    }
    for (let j = 0; j <= dim; j++) {
      const gj = g[j]! / n + (j > 0 ? l2 * w[j]! : 0);
      if (gj === 0) continue;
      acc[j]! += gj * gj;
      w[j]! -= (rate * gj) / (Math.sqrt(acc[j]!) + 1e-8);
    }
  }
  return w;
}

function fitAll(samples: Sample[], dim: number, l2: number, iterations: number): Float64Array[] {
  return CLASSIFIER_STAGES.map((_, s) => fitStage(samples, dim, s, l2, iterations));
}

const F05 = (tp: number, fp: number, fn: number) => (tp === 0 ? 0 : (1.25 * tp) / (1.25 * tp + 0.25 * fn + fp));

/** Per stage the probability threshold with the best out-of-fold F0.5 over messages among those with at least `precision` (and at least `min`). */
function calibrate(corpus: Corpus, folds: number, l2: number, iterations: number, min: number, precision: number): { t: number; f: number; p: number; r: number }[] {
  if (folds < 2) return CLASSIFIER_STAGES.map(() => ({ t: min, f: 0, p: 0, r: 0 }));
  const dim = corpus.keyNames.length;
  const oof: Float64Array[] = CLASSIFIER_STAGES.map(() => new Float64Array(corpus.samples.length));
  for (let f = 0; f < folds; f++) {
    const trainSet = corpus.samples.filter((s) => s.group % folds !== f);
    const ws = fitAll(trainSet, dim, l2, iterations);
    corpus.samples.forEach((s, i) => {
      if (s.group % folds !== f) return;
      for (let st = 0; st < K; st++) {
        const w = ws[st]!;
        let sum = 0;
        for (const k of s.keys) sum += w[k + 1]!;
        oof[st]![i] = 1 / (1 + Math.exp(-(w[0]! + sum * s.scale)));
      }
    });
  }
  return CLASSIFIER_STAGES.map((_, st) => {
    let best = { t: 1, f: -1, p: 0, r: 0 }; // f -1: no threshold reaches the precision (stage off)
    for (let t = min; t < 0.991; t += 0.025) {
      let tp = 0;
      let fp = 0;
      let fn = 0;
      corpus.samples.forEach((s, i) => {
        const y = (s.y >> st) & 1;
        const hit = oof[st]![i]! >= t;
        if (hit && y) tp++;
        else if (hit) fp++;
        else if (y) fn++;
      });
      const f = F05(tp, fp, fn);
      // The lowest threshold whose out-of-fold precision reaches the target (the engine's rules
      // are the first judges; the classifier may only add evidence it is sure of), else none.
      if (tp / Math.max(1, tp + fp) < precision || tp < 3) continue;
      if (f > best.f + 1e-9) best = { t: round(t, 3), f: round(f, 3), p: round(tp / Math.max(1, tp + fp), 3), r: round(tp / Math.max(1, tp + fn), 3) };
    }
    return best;
  });
}

/** Fits the classifier; `null` when the data has no labelled warning message. */
export function fitClassifier(convs: Conversation[], opts: ClassifierOptions = {}): ClassifierData | null {
  const useStem = opts.stem ?? true;
  const minCount = opts.minCount ?? 3;
  const l2 = opts.l2 ?? 1e-5;
  const iterations = opts.iterations ?? 600;
  const corpus = buildCorpus(convs, useStem, minCount);
  if (!corpus.samples.some((s) => s.y !== 0)) return null;
  const dim = corpus.keyNames.length;
  const ws = fitAll(corpus.samples, dim, l2, iterations);
  const calibration = calibrate(corpus, opts.calibrationFolds ?? 3, l2, iterations, opts.minThreshold ?? 0.5, opts.precision ?? 0.9);
  // Strongest keys first (largest weight in a stage that can pass its threshold), each written as
  // the surface forms that carried it; stages that never reach the precision keep only their bias.
  const active = calibration.map((c) => c.t < 1);
  const order = corpus.keyNames.map((_, k) => k);
  const strength = order.map((k) => Math.max(0, ...ws.filter((_, s) => active[s]).map((w) => Math.abs(w[k + 1]!))));
  order.sort((a, b) => strength[b]! - strength[a]! || (corpus.keyNames[a]! < corpus.keyNames[b]! ? -1 : 1));
  const max = opts.maxFeatures ?? 4000;
  const features: [string, number[]][] = [];
  const written = new Set<string>();
  for (const k of order) {
    if (features.length >= max || strength[k]! < (opts.minWeight ?? 0.05)) break;
    const vec = ws.map((w, s) => (active[s] ? round(w[k + 1]!, 3) : 0));
    const forms = [...corpus.surface[k]!].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    for (const [term] of forms) {
      if (written.has(term) || features.length >= max) continue;
      written.add(term);
      features.push([term, vec]);
    }
  }
  features.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return {
    format: 1,
    stages: [...CLASSIFIER_STAGES],
    bias: ws.map((w) => round(w[0]!, 3)),
    threshold: calibration.map((c) => c.t),
    features,
    meta: {
      messages: corpus.samples.length,
      positives: Object.fromEntries(CLASSIFIER_STAGES.map((st, s) => [st, corpus.samples.filter((x) => (x.y >> s) & 1).length])),
      stem: useStem,
      minCount,
      l2,
      iterations,
      candidateFeatures: dim,
      /** out-of-fold message-level figures per stage at its threshold */
      outOfFold: Object.fromEntries(CLASSIFIER_STAGES.map((st, s) => [st, { f05: calibration[s]!.f, precision: calibration[s]!.p, recall: calibration[s]!.r }])),
    },
  };
}
