// Parses the lexicon files of a model (models/<version>/lexicon.<lang>.txt): one rule a line,
// "KIND WEIGHT ID PATTERN", with "define NAME PATTERN" macros. Patterns are compiled once.
import { HavenError, STAGES, type Lang, type Stage } from "../types.ts";

export type RuleKind =
  | { type: "stage"; stage: Exclude<Stage, "age"> }
  | { type: "minor" }
  | { type: "adult" }
  | { type: "child" }
  | { type: "open" }
  | { type: "mutual" }
  /** a threat to expose images the child sent (sextortion): stages coercion and images, and urgent on its own */
  | { type: "sextortion" }
  /** ages or school years in the message are asked of others ("anyone under 13?", "wie zit er nog in 't lager?"), not disclosed */
  | { type: "asked" }
  /** the author speaks of the addressed person's own adult life ("roomie still away?", "how's your wife", "je huisgenoot"): that person is an adult (since v19) */
  | { type: "adult_other" }
  /** a question whether the other is a child ("zit je nog op de basisschool?", "r u in middle school?"): asked, not the author's age; a yes right after is the answerer's minor hint of this weight (since v19) */
  | { type: "ask_minor" }
  /** a bare yes ("ja", "yep", "klopt"): answers such a question (since v19) */
  | { type: "yes" }
  | { type: "suppress"; stage: Exclude<Stage, "age"> };

export interface Rule {
  /** "<lang>.<kind>.<name>", stable across versions so trained weights can refer to it. */
  id: string;
  lang: Lang;
  kind: RuleKind;
  weight: number;
  re: RegExp;
  /** the expanded pattern, without the whole-word wrapper (for the prefilter) */
  source: string;
  /** language-neutral ("any:" before the kind: bare age numbers, "asl"): kept whatever languages a community watches */
  neutral: boolean;
}

const WARNING_STAGES = new Set<string>(STAGES.filter((s) => s !== "age"));

function parseKind(word: string): RuleKind | null {
  if (word === "minor" || word === "adult" || word === "child" || word === "sextortion" || word === "open" || word === "mutual" || word === "asked" || word === "adult_other" || word === "ask_minor" || word === "yes") return { type: word };
  if (word.startsWith("suppress:")) {
    const stage = word.slice("suppress:".length);
    return WARNING_STAGES.has(stage) ? { type: "suppress", stage: stage as Exclude<Stage, "age"> } : null;
  }
  return WARNING_STAGES.has(word) ? { type: "stage", stage: word as Exclude<Stage, "age"> } : null;
}

/** Parse one lexicon file; errors name the file and line so a model author can fix it. */
export function parseLexicon(text: string, lang: Lang, source: string): Rule[] {
  const macros = new Map<string, string>();
  const rules: Rule[] = [];
  const expand = (pattern: string, line: number) =>
    pattern.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
      const body = macros.get(name);
      if (body === undefined) throw new HavenError(`${source}:${line}: unknown macro {${name}}`, "model.lexicon", "define it above its first use");
      return body;
    });
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const define = /^define\s+([a-z_]+)\s+(.+)$/.exec(line);
    if (define) {
      macros.set(define[1]!, expand(define[2]!, i + 1));
      return;
    }
    const m = /^(\S+)\s+([0-9.]+)\s+([a-z0-9_]+)\s+(.+)$/.exec(line);
    if (!m) throw new HavenError(`${source}:${i + 1}: expected "KIND WEIGHT ID PATTERN"`, "model.lexicon");
    const neutral = m[1]!.startsWith("any:");
    const kind = parseKind(neutral ? m[1]!.slice(4) : m[1]!);
    if (!kind) throw new HavenError(`${source}:${i + 1}: unknown kind ${m[1]}`, "model.lexicon", `use a stage name, minor, adult, adult_other, ask_minor, yes, child, open, mutual, asked, sextortion or suppress:<stage>`);
    const weight = Number(m[2]);
    if (!(weight >= 0 && weight <= 1)) throw new HavenError(`${source}:${i + 1}: weight must be within 0..1`, "model.lexicon");
    const kindName = kind.type === "stage" ? kind.stage : kind.type === "suppress" ? `suppress-${kind.stage}` : kind.type;
    let re: RegExp;
    const pattern = expand(m[4]!, i + 1);
    try {
      // Whole words only: no letter or digit may touch the match on either side. Normalised text
      // is one line, so "^" means the message's start; a leading "^" outside the group lets the
      // regex engine try position 0 only instead of every position.
      re = new RegExp(`${anchoredAtStart(pattern) ? "^" : ""}\\b(?:${pattern})(?![a-z0-9])`);
    } catch (err) {
      throw new HavenError(`${source}:${i + 1}: bad pattern (${(err as Error).message})`, "model.lexicon");
    }
    rules.push({ id: `${lang}.${kindName}.${m[3]}`, lang, kind, weight, re, source: pattern, neutral });
  });
  const seen = new Set<string>();
  for (const r of rules) {
    if (seen.has(r.id)) throw new HavenError(`${source}: duplicate rule id ${r.id}`, "model.lexicon");
    seen.add(r.id);
  }
  return rules;
}

/** Every top-level alternative of the pattern starts with "^". */
export function anchoredAtStart(pattern: string): boolean {
  let depth = 0;
  let branchStart = true;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (branchStart && depth === 0 && c !== "^") return false;
    branchStart = false;
    if (c === "\\") i++;
    else if (c === "[") {
      while (i < pattern.length && pattern[i] !== "]") i += pattern[i] === "\\" ? 2 : 1;
    } else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth === 0) branchStart = true;
  }
  return !branchStart;
}
