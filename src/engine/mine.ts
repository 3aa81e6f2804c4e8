// Suggestions for lexicon authors (written by `haven train`, never loaded by the engine): the
// word stems that labelled warning messages of a stage carry when no rule of that stage
// matched them, against how often the same stems occur in ordinary messages. natural
// tokenises and stems (stems.ts), so "pictures", "picture" and "pic's" count together. A
// person turns a suggestion into a general pattern; nothing here becomes a rule by itself.
import type { Conversation } from "../corpus/format.ts";
import type { Lang, Stage } from "../types.ts";
import { EN_FUNCTION_WORDS, NL_FUNCTION_WORDS } from "./lang.ts";
import type { Model } from "./model.ts";
import { normalize } from "./normalize.ts";
import { WARNING_STAGES } from "./score.ts";
import { stem, tokens } from "./stems.ts";

export interface Candidate {
  stage: Stage;
  lang: Lang;
  stem: string;
  /** Warning messages of the stage that no rule of it matched, carrying the stem. */
  missed: number;
  /** Ordinary messages (benign conversations, and the other people's) carrying it. */
  background: number;
  /** The word forms seen, most frequent first. */
  forms: string[];
}

const FUNCTION_WORDS: Record<Lang, Set<string>> = { en: EN_FUNCTION_WORDS, nl: NL_FUNCTION_WORDS };

/** Stems that mark missed warning messages of each stage: seen in at least `minMissed` of them and far more often there than in ordinary chat. */
export function mineCandidates(convs: Conversation[], model: Model, opts: { top?: number; minMissed?: number } = {}): Candidate[] {
  const top = opts.top ?? 15;
  const minMissed = opts.minMissed ?? 2;
  const missed = new Map<string, { n: number; forms: Map<string, number> }>();
  const missedTotal = new Map<string, number>();
  const background = new Map<string, number>();
  let backgroundTotal = 0;
  for (const c of convs) {
    const lang: Lang = c.lang === "nl" ? "nl" : "en";
    for (const m of c.messages) {
      const text = normalize(m.text);
      if (!text) continue;
      const words = new Map<string, string>();
      for (const w of tokens(text, lang)) {
        if (w.length < 3 || FUNCTION_WORDS[lang].has(w) || /^\d+$/.test(w)) continue;
        words.set(stem(w, lang), w);
      }
      const warning = c.label === "grooming" && m.author === c.suspect;
      if (!warning) {
        backgroundTotal++;
        for (const s of words.keys()) background.set(s, (background.get(s) ?? 0) + 1);
        continue;
      }
      for (const stage of m.stages ?? []) {
        if (!(WARNING_STAGES as readonly string[]).includes(stage) || coveredBy(model, stage, text)) continue;
        const bucket = `${stage}\u0000${lang}`;
        missedTotal.set(bucket, (missedTotal.get(bucket) ?? 0) + 1);
        for (const [s, form] of words) {
          const k = `${bucket}\u0000${s}`;
          const entry = missed.get(k) ?? { n: 0, forms: new Map<string, number>() };
          entry.n++;
          entry.forms.set(form, (entry.forms.get(form) ?? 0) + 1);
          missed.set(k, entry);
        }
      }
    }
  }
  const scored: (Candidate & { lift: number })[] = [];
  for (const [k, e] of missed) {
    if (e.n < minMissed) continue;
    const [stage, lang, s] = k.split("\u0000") as [Stage, Lang, string];
    const bg = background.get(s) ?? 0;
    // Smoothed rate among the stage's missed messages over the rate in ordinary messages.
    const lift = (e.n + 0.5) / (missedTotal.get(`${stage}\u0000${lang}`)! + 1) / ((bg + 0.5) / (backgroundTotal + 1));
    if (lift < 4) continue;
    const forms = [...e.forms].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([f]) => f);
    scored.push({ stage, lang, stem: s, missed: e.n, background: bg, forms, lift });
  }
  const out: Candidate[] = [];
  for (const stage of WARNING_STAGES) {
    for (const lang of ["en", "nl"] as const) {
      const list = scored.filter((x) => x.stage === stage && x.lang === lang).sort((a, b) => b.missed * Math.log(b.lift) - a.missed * Math.log(a.lift) || (a.stem < b.stem ? -1 : 1));
      for (const { lift: _lift, ...c } of list.slice(0, top)) out.push(c);
    }
  }
  return out;
}

function coveredBy(model: Model, stage: string, text: string): boolean {
  for (const r of model.rules) {
    const k = r.kind;
    const gives = k.type === "stage" ? k.stage === stage : k.type === "sextortion" ? stage === "coercion" || stage === "images" : false;
    if (gives && r.re.test(text)) return true;
  }
  return false;
}

/** The candidates as the file `haven train` writes next to a model. */
export function formatCandidates(list: Candidate[]): string {
  const head =
    "# Stems of labelled warning messages that no rule of their stage matched (haven train; natural's tokenizers and Porter stemmers).\n" +
    "# Suggestions for lexicon authors, not rules: the engine never reads this file.\n" +
    "# stage\tlang\tstem\tmissed\tbackground\tforms\n";
  return head + list.map((c) => `${c.stage}\t${c.lang}\t${c.stem}\t${c.missed}\t${c.background}\t${c.forms.slice(0, 5).join(", ")}`).join("\n") + (list.length ? "\n" : "");
}
