// Stage evidence in one message: every lexicon rule of the watched languages (chat mixes them),
// benign-context suppressions, the explicit word list, and hints about who is the child.
import type { Lang, Stage, StageSignal } from "../types.ts";
import { CLASSIFIER_STAGES } from "./classifier.ts";
import { langOf } from "./lang.ts";
import type { Model } from "./model.ts";
import { EXPLICIT_EN, EXPLICIT_NL, PHRASE_EN, PHRASE_NL } from "./words.ts";

export interface MessageSignals {
  lang: Lang | null;
  /** Strongest evidence per warning stage, plus "age" for a disclosure. */
  signals: StageSignal[];
  /** The author disclosed a minor's age or school year (0..1). */
  minor: number;
  /** The author disclosed an adult age (0..1). */
  adult: number;
  /** The message sounds like a hesitant child (0..1). */
  child: number;
  /** The author speaks of the other person's parents as people they know or defer to ("your mom said", "ask your dad if"): 0..1. */
  open: number;
  /** The author answers warmth or plans in kind ("miss you too", "ik ook"): 0..1. */
  mutual: number;
  /** The author speaks of the addressed person's own adult life ("roomie still away?", "hoe is het met je huisgenoot"): 0..1 (lexicon kind adult_other, since v19). */
  otherAdult: number;
  /** The author asks whether the other is a child (lexicon kind ask_minor, since v19): the minor hint a yes right after gives the answerer, 0..1. */
  askMinor: number;
  /** A bare yes (lexicon kind yes, since v19): 0..1. */
  yes: number;
}

const EVIDENCE_MAX = 60;
/** A warning phrase inside quotation marks is quoted (a lesson, a warning, a report), not said to anyone. */
const QUOTED = 0.2;
const QUOTE_CHARS = /["\u201c\u201d\u201e]/;

/** The quoted parts of a raw message ("…", “…”, „…”), normalised like the text; null when it has none. */
export function quotedParts(raw: string, norm: (t: string) => string): string[] | null {
  if (!QUOTE_CHARS.test(raw)) return null;
  const parts: string[] = [];
  let open = -1;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x22 ? open < 0 : c === 0x201c || c === 0x201e) open = i;
    else if ((c === 0x22 || c === 0x201d) && open >= 0) {
      const part = norm(raw.slice(open + 1, i));
      if (part) parts.push(part);
      open = -1;
    }
  }
  return parts.length > 0 ? parts : null;
}

function indexOf(best: readonly StageSignal[], stage: Stage): number {
  for (let i = 0; i < best.length; i++) if (best[i]!.stage === stage) return i;
  return -1;
}

/**
 * Sets a stage's evidence: in place at `at` (the stage keeps its position; its factor is 1 again,
 * as a threat to expose images needs), or appended when `at` < 0.
 */
function put(best: StageSignal[], damp: number[], at: number, signal: StageSignal): void {
  if (at >= 0) {
    best[at] = signal;
    damp[at] = 1;
  } else {
    best.push(signal);
    damp.push(1);
  }
}

function isQuoted(quoted: string[] | null, match: string): boolean {
  if (!quoted) return false;
  for (const q of quoted) if (q.includes(match)) return true;
  return false;
}

/**
 * `langHint` is the conversation's language so far, for messages with no language clue of their
 * own. English messages are matched with the English rules only, others with both languages'.
 * `watched`: the languages the community watches (default all); other languages' rules and word
 * lists give no evidence, language-neutral rules ("any:" in the lexicon) and attachments still do.
 * `quoted`: the message's quoted parts, normalised (`quotedParts`): evidence found only inside them counts little.
 */
export function detectSignals(
  model: Model,
  text: string,
  attachments = 0,
  langHint: Lang | null = null,
  watched: readonly Lang[] | null = null,
  quoted: string[] | null = null,
): MessageSignals {
  const watchEn = !watched || watched.includes("en");
  const watchNl = !watched || watched.includes("nl");
  const words = model.words;
  // The classifier (since v24) takes its words from the same scan.
  const clf = model.classifier && (model.scoring.classifierWeight ?? 0) > 0 ? model.classifier : null;
  if (text) {
    if (clf) clf.begin();
    words.scan(text, (watchEn ? EXPLICIT_EN : 0) | (watchNl ? EXPLICIT_NL : 0), clf);
  }
  const lang = text ? langOf(words.nl, words.en) : null;
  // In a Dutch conversation an English-looking line ("wis onze chat ok") still gets both languages' rules.
  const englishOnly = (lang ?? langHint) === "en" && langHint !== "nl";
  const skipEn = !watchEn;
  const skipNl = englishOnly || !watchNl;
  // Strongest evidence per stage in the order stages first showed (as a Map would keep them), and
  // each one's benign-context factor: most messages show no stage, and two Maps a message cost more than the rest.
  const best: StageSignal[] = [];
  const damp: number[] = [];
  let minor = 0;
  let adult = 0;
  let child = 0;
  let open = 0;
  let mutual = 0;
  let otherAdult = 0;
  let askMinor = 0;
  let yes = 0;
  let asked = false;
  let ageEvidence: StageSignal | null = null;
  let adultEvidence: StageSignal | null = null;
  let extortion: StageSignal | null = null;
  if (text) {
    const suppressions: number[] = [];
    for (const id of model.index.candidates(text)) {
      const rule = model.rules[id]!;
      // Dutch and Flemish chat borrows English freely; English chat rarely borrows Dutch.
      if ((rule.lang === "en" ? skipEn : skipNl) && !rule.neutral) continue;
      if (rule.kind.type === "suppress") {
        suppressions.push(id);
        continue;
      }
      const m = rule.re.exec(text);
      if (!m) continue;
      const k = rule.kind;
      const evidence = m[0].slice(0, EVIDENCE_MAX);
      if (k.type === "stage") {
        const weight = isQuoted(quoted, m[0]) ? rule.weight * QUOTED : rule.weight;
        const at = indexOf(best, k.stage);
        if (at < 0 || weight > best[at]!.weight) put(best, damp, at, { stage: k.stage, weight, evidence, rule: rule.id });
      } else if (k.type === "sextortion") {
        if (!extortion || rule.weight > extortion.weight) extortion = { stage: "coercion", weight: rule.weight, evidence, rule: rule.id };
      } else if (k.type === "child") {
        child = Math.max(child, rule.weight);
      } else if (k.type === "open") {
        open = Math.max(open, rule.weight);
      } else if (k.type === "mutual") {
        mutual = Math.max(mutual, rule.weight);
      } else if (k.type === "asked") {
        asked = true;
      } else if (k.type === "adult_other") {
        otherAdult = Math.max(otherAdult, rule.weight);
      } else if (k.type === "ask_minor") {
        askMinor = Math.max(askMinor, rule.weight);
        asked = true;
      } else if (k.type === "yes") {
        yes = Math.max(yes, rule.weight);
      } else {
        if (k.type === "minor") minor = Math.max(minor, rule.weight);
        else {
          adult = Math.max(adult, rule.weight);
          if (!adultEvidence || rule.weight > adultEvidence.weight) adultEvidence = { stage: "age", weight: rule.weight, evidence, rule: rule.id };
        }
        if (!ageEvidence || rule.weight > ageEvidence.weight) ageEvidence = { stage: "age", weight: rule.weight, evidence, rule: rule.id };
      }
    }
    // The trained classifier (classifier.json, since v24): a stage whose probability passes its
    // calibrated threshold and whose weighted probability beats the rules' evidence for it. Its
    // evidence names the words that carried it; the suppressions below damp it as they damp rules.
    const clfWeight = model.scoring.classifierWeight ?? 0;
    const clfLang = lang ?? langHint;
    if (clf && clf.end() && (!watched || !clfLang || watched.includes(clfLang))) {
      for (let s = 0; s < CLASSIFIER_STAGES.length; s++) {
        if (clf.z[s]! < clf.cut[s]!) continue;
        const stage = CLASSIFIER_STAGES[s]!;
        let weight = clfWeight * clf.probability(s);
        const at = indexOf(best, stage);
        if (at >= 0 && best[at]!.weight >= weight) continue;
        const terms = clf.topTerms(text, s);
        if (terms.length === 0) continue; // the bias alone never speaks
        if (isQuoted(quoted, terms[0]!)) {
          weight *= QUOTED;
          if (at >= 0 && best[at]!.weight >= weight) continue;
        }
        put(best, damp, at, { stage, weight, evidence: terms.join(", ").slice(0, EVIDENCE_MAX), rule: `clf:${stage}` });
      }
    }
    // Benign context only matters for stages this message showed.
    for (const id of suppressions) {
      const rule = model.rules[id]!;
      if (rule.kind.type !== "suppress") continue;
      const at = indexOf(best, rule.kind.stage);
      if (at < 0 || !rule.re.test(text)) continue;
      damp[at] = Math.min(damp[at]!, rule.weight);
    }
    // A threat to expose images is coercion about images, after the suppressions: benign context
    // ("the group", "from the party") cannot soften a threat that names its audience.
    // Its rule names the evidence, so the pair knows it was sextortion (engine.ts).
    if (extortion) {
      for (const stage of ["coercion", "images"] as const) {
        const at = indexOf(best, stage);
        const weight = Math.max(extortion.weight, at >= 0 ? best[at]!.weight * damp[at]! : 0);
        put(best, damp, at, { ...extortion, stage, weight });
      }
    }
    const explicit = watchEn && watchNl ? model.explicit : watchEn ? model.explicitByLang.en : watchNl ? model.explicitByLang.nl : null;
    if (explicit && indexOf(best, "sexual") < 0) {
      // A listed word (the first in the message), else a listed phrase when one's first word is there.
      const phraseStart = (words.seen & ((watchEn ? PHRASE_EN : 0) | (watchNl ? PHRASE_NL : 0))) !== 0;
      const hit = words.first ?? (phraseStart ? (explicit.phrases?.exec(text)?.[0] ?? null) : null);
      if (hit) put(best, damp, -1, { stage: "sexual", weight: model.scoring.explicitWeight, evidence: hit, rule: "list.sexual.naughty-words" });
    }
  }
  if (attachments > 0 && indexOf(best, "images") < 0) {
    put(best, damp, -1, { stage: "images", weight: model.scoring.attachmentWeight, evidence: `${attachments} attachment(s)`, rule: "meta.images.attachment" });
  }
  const signals: StageSignal[] = [];
  for (let i = 0; i < best.length; i++) {
    const s = best[i]!;
    const factor = damp[i]!;
    signals.push(factor < 1 ? { ...s, weight: s.weight * factor } : s);
  }
  // Ages asked of a group ("anyone under 13?", "who's in 6th or 7th grade?") are not the author's own.
  // Since v27 (`askedKeepsAdult`) an adult age beside them is still the author's own: "23 m. u type
  // really good for 12" is the chat-room opening, a 23-year-old answering a 12-year-old's a/s/l.
  if (asked) {
    minor = 0;
    if (model.scoring.askedKeepsAdult === true && adultEvidence) ageEvidence = adultEvidence;
    else {
      adult = 0;
      ageEvidence = null;
    }
  }
  // Someone stating both a minor and an adult age (e.g. "im 14, my brother is 19") counts as the minor one.
  if (minor > 0 && adult > 0) adult = 0;
  if (ageEvidence) signals.push(ageEvidence);
  return { lang, signals, minor, adult, child, open, mutual, otherAdult, askMinor, yes };
}
