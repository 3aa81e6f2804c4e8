// Training from labelled conversations: (1) each stage rule's weight is re-estimated from how
// often it fires on the suspect's labelled warning messages versus elsewhere, shrunk towards
// the lexicon's prior; (2) the score's coefficients are fitted by L2-regularised logistic
// regression on pair features (score.ts), one sample per pair per message; (3) the bias is
// shifted so that the default alert threshold gives the best F0.5 on the training data.
// Nothing here stores text: the model learns weights for general rules, never sentences.
import { DEFAULT_SETTINGS, type CommunitySettings } from "../config/settings.ts";
import { localAuthorId, streamGroups, type Conversation } from "../corpus/format.ts";
import { RiskEngine } from "./engine.ts";
import { figures, runConversations, type ConversationOutcome, type Figures } from "./evaluate.ts";
import type { Model, Scoring } from "./model.ts";
import { Classifier, type ClassifierData } from "./classifier.ts";
import { normalize } from "./normalize.ts";
import { WARNING_STAGES, type PairFeatures } from "./score.ts";
import { fitClassifier, type ClassifierOptions } from "./train-classifier.ts";

export interface TrainedWeights {
  rules: Record<string, number>;
  scoring: Partial<Scoring>;
}

/** Pseudo-count of the lexicon prior when re-estimating a rule weight. */
const PRIOR_STRENGTH = 4;

export function learnRuleWeights(convs: Conversation[], model: Model): Record<string, number> {
  const hits = new Map<string, { good: number; bad: number }>();
  for (const c of convs) {
    for (const m of c.messages) {
      const text = normalize(m.text);
      if (!text) continue;
      const bySuspect = c.label === "grooming" && m.author === c.suspect;
      const truth = new Set(m.stages ?? []);
      for (const rule of model.rules) {
        if (rule.kind.type !== "stage" || !rule.re.test(text)) continue;
        const h = hits.get(rule.id) ?? { good: 0, bad: 0 };
        if (bySuspect && truth.has(rule.kind.stage)) h.good++;
        else if (!bySuspect) h.bad++;
        else h.good += 0.5; // the suspect, but not labelled this stage: half credit
        hits.set(rule.id, h);
      }
    }
  }
  const out: Record<string, number> = {};
  for (const rule of model.rules) {
    const h = hits.get(rule.id);
    if (!h) continue;
    const w = (PRIOR_STRENGTH * rule.weight + h.good) / (PRIOR_STRENGTH + h.good + h.bad);
    out[rule.id] = Math.round(Math.min(1, Math.max(0.05, w)) * 1000) / 1000;
  }
  return out;
}

export function withWeights(base: Model, w: TrainedWeights): Model {
  return {
    ...base,
    rules: base.rules.map((r) => ({ ...r, weight: w.rules[r.id] ?? r.weight })),
    scoring: { ...base.scoring, ...w.scoring, stageWeight: { ...base.scoring.stageWeight, ...(w.scoring.stageWeight ?? {}) } },
  };
}

const FEATURE_NAMES = [...WARNING_STAGES, "extraStages", "extraCore", "tMinor", "tChild", "adultToMinor", "adultTarget", "actorMinor", "reverse"] as const;

function vector(f: PairFeatures): number[] {
  return [...WARNING_STAGES.map((s) => f.s[s]), f.extraStages, f.extraCore, f.tMinor, f.tChild, f.adultToMinor, f.adultTarget, f.actorMinor, f.reverse];
}

/** Pair samples: positive for the suspect towards a target from onset on, negative for benign chats and other authors. */
export function collectSamples(convs: Conversation[], model: Model): { x: number[][]; y: number[] } {
  const x: number[][] = [];
  const y: number[] = [];
  for (const group of streamGroups(convs)) {
    let current: { conv: Conversation; i: number } | null = null;
    const engine = new RiskEngine(model, {
      maxTrackedStates: 2048,
      idleMs: Number.MAX_SAFE_INTEGER,
      onPairScored: (pair, f) => {
        if (!current) return;
        const { conv, i } = current;
        const actor = localAuthorId(pair.actor);
        const target = localAuthorId(pair.target);
        let label: number | null;
        if (conv.label === "benign" || actor !== conv.suspect) label = 0;
        else if (conv.targets.includes(target) && i >= (conv.onset ?? 0)) label = 1;
        else label = null; // the suspect before onset: no call either way
        if (label === null) return;
        x.push(vector(f));
        y.push(label);
      },
    });
    for (const item of group) {
      current = { conv: item.conversation, i: item.index };
      engine.observe(item.message);
    }
  }
  return { x, y };
}

/**
 * Logistic regression by gradient descent; returns [bias, ...coefficients]. The L2 penalty pulls
 * towards `prior` (the hand-set model), not towards zero: a stage the labelled data rarely shows
 * before onset (sexual, images on real chats) keeps its prior weight instead of vanishing.
 */
export function fitLogistic(x: number[][], y: number[], opts: { l2?: number; iterations?: number; rate?: number; prior?: number[] } = {}): number[] {
  const dim = x[0]?.length ?? 0;
  const prior = opts.prior ?? new Array<number>(dim + 1).fill(0);
  const w = [...prior];
  const l2 = opts.l2 ?? 0.01;
  const rate = opts.rate ?? 0.5;
  const n = x.length;
  if (n === 0) return w;
  for (let it = 0; it < (opts.iterations ?? 600); it++) {
    const g = new Array<number>(dim + 1).fill(0);
    for (let i = 0; i < n; i++) {
      const xi = x[i]!;
      let z = w[0]!;
      for (let j = 0; j < dim; j++) z += w[j + 1]! * xi[j]!;
      const err = 1 / (1 + Math.exp(-z)) - y[i]!;
      g[0]! += err;
      for (let j = 0; j < dim; j++) g[j + 1]! += err * xi[j]!;
    }
    for (let j = 0; j <= dim; j++) w[j]! -= rate * (g[j]! / n + (j > 0 ? l2 * (w[j]! - prior[j]!) : 0));
  }
  return w;
}

function scoringFrom(w: number[], base: Scoring): Partial<Scoring> {
  const coef = Object.fromEntries(FEATURE_NAMES.map((name, i) => [name, Math.round(w[i + 1]! * 1000) / 1000])) as Record<(typeof FEATURE_NAMES)[number], number>;
  return {
    bias: Math.round(w[0]! * 1000) / 1000,
    evidence: 1,
    // A stage never counts less than half its prior: the labelled set is small and synthetic.
    stageWeight: Object.fromEntries(WARNING_STAGES.map((s) => [s, Math.max(0.5 * base.stageWeight[s] * base.evidence, coef[s])])) as Scoring["stageWeight"],
    perExtraStage: Math.max(0, coef.extraStages),
    perExtraCore: Math.max(0, coef.extraCore),
    minorTarget: Math.max(0, coef.tMinor),
    childCue: Math.max(0, coef.tChild),
    adultToMinor: Math.max(0, coef.adultToMinor),
    // The two context penalties are subtracted in score.ts.
    adultTarget: Math.max(0, -coef.adultTarget),
    actorMinor: Math.max(0, -coef.actorMinor),
    oneSided: Math.max(0, -coef.reverse),
    halfLifeDays: base.halfLifeDays,
  };
}

/** The model with a trained classifier whose evidence counts `weight` times its probability (or without one: null). */
export function withClassifier(model: Model, data: ClassifierData | null, weight: number): Model {
  if (!data) return model;
  return { ...model, classifier: new Classifier(data), scoring: { ...model.scoring, classifierWeight: weight } };
}

export interface TrainOptions {
  /** fit the stage classifier too (train-classifier.ts); its evidence weight in scoring.json is `weight` */
  classifier?: ClassifierOptions & { weight: number };
}

export interface TrainResult {
  /** the stage classifier, when asked for (fitted on the same conversations only) */
  classifier: ClassifierData | null;
  weights: TrainedWeights;
  samples: number;
  positives: number;
  biasShift: number;
}

/** Train rule weights and score coefficients on labelled conversations. */
export function train(convs: Conversation[], base: Model, settings: CommunitySettings = DEFAULT_SETTINGS, opts: TrainOptions = {}): TrainResult {
  const rules = learnRuleWeights(convs, base);
  const ruled = withWeights(base, { rules, scoring: {} });
  const { x, y } = collectSamples(convs, ruled);
  const init = [base.scoring.bias, ...FEATURE_NAMES.map((n) => initial(n, base.scoring))];
  const w = fitLogistic(x, y, { prior: init, l2: 0.05 });
  let scoring = scoringFrom(w, base.scoring);
  // Calibrate: shift the bias so the default threshold gives the best F0.5 on the training data,
  // charging each step towards more alerts a little: training data flatters an eager model.
  let best = { shift: 0, f: -Infinity };
  for (const shift of [-1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2]) {
    const m = withWeights(base, { rules, scoring: { ...scoring, bias: (scoring.bias ?? 0) + shift } });
    const f = (figures(runConversations(convs, m, settings)).f05 ?? 0) - 0.01 * Math.max(0, -shift);
    if (f > best.f + 1e-9 || (Math.abs(f - best.f) <= 1e-9 && Math.abs(shift) < Math.abs(best.shift))) best = { shift, f };
  }
  scoring = { ...scoring, bias: Math.round(((scoring.bias ?? 0) + best.shift) * 1000) / 1000 };
  // The classifier is fitted last and apart: the score's coefficients and bias are fitted on rule
  // evidence only (a classifier scored on its own training messages would look surer than it is).
  const classifier = opts.classifier ? fitClassifier(convs, opts.classifier) : null;
  return { classifier, weights: { rules, scoring }, samples: y.length, positives: y.filter((v) => v === 1).length, biasShift: best.shift };
}

function initial(name: (typeof FEATURE_NAMES)[number], sc: Scoring): number {
  switch (name) {
    case "extraStages":
      return sc.perExtraStage;
    case "extraCore":
      return sc.perExtraCore;
    case "tMinor":
      return sc.minorTarget;
    case "tChild":
      return sc.childCue;
    case "adultToMinor":
      return sc.adultToMinor;
    case "adultTarget":
      return -sc.adultTarget;
    case "actorMinor":
      return -sc.actorMinor;
    case "reverse":
      return -sc.oneSided;
    default:
      return sc.evidence * sc.stageWeight[name];
  }
}

/** Folds that keep a scenario's conversations together, assigned round-robin in file order. */
export function folds(convs: Conversation[], k: number): Conversation[][] {
  const groups = new Map<string, Conversation[]>();
  for (const c of convs) {
    const key = c.scenario ? `s:${c.scenario}` : `c:${c.id}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const out: Conversation[][] = Array.from({ length: k }, () => []);
  [...groups.values()].forEach((g, i) => out[i % k]!.push(...g));
  return out;
}

export interface CrossValidation {
  k: number;
  trained: Figures;
  prior: Figures;
  /** held-out outcomes of the trained models, pooled */
  outcomes: ConversationOutcome[];
}

/** k-fold cross-validation: train on k-1 folds, evaluate on the held-out fold, pool the outcomes. */
export function crossValidate(convs: Conversation[], base: Model, k = 5, settings: CommunitySettings = DEFAULT_SETTINGS, opts: TrainOptions = {}): CrossValidation {
  const parts = folds(convs, k);
  const trained: ConversationOutcome[] = [];
  const prior: ConversationOutcome[] = [];
  parts.forEach((test, i) => {
    const trainSet = parts.filter((_, j) => j !== i).flat();
    // Everything learnt, the classifier too, is fitted on the training folds only.
    const r = train(trainSet, base, settings, opts);
    trained.push(...runConversations(test, withClassifier(withWeights(base, r.weights), r.classifier, opts.classifier?.weight ?? 0), settings));
    prior.push(...runConversations(test, base, settings));
  });
  return { k, trained: figures(trained), prior: figures(prior), outcomes: trained };
}
