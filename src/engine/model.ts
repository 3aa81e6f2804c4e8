// A model is a versioned folder of data under models/: lexicons per language, scoring
// parameters, and trained rule weights. loadModel reads and compiles it once.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { HavenError, STAGES, type Lang, type Stage } from "../types.ts";
import { Classifier, classifierSchema } from "./classifier.ts";
import { loadExplicit, type ExplicitLexicon } from "./explicit.ts";
import { parseLexicon, type Rule } from "./lexicon.ts";
import { RuleIndex } from "./prefilter.ts";
import { EN_FUNCTION_WORDS, NL_FUNCTION_WORDS } from "./lang.ts";
import { EXPLICIT_EN, EXPLICIT_NL, PHRASE_EN, PHRASE_NL, WORD_EN, WORD_NL, WordIndex } from "./words.ts";

export const LANGS: readonly Lang[] = ["en", "nl"];
type WarningStage = Exclude<Stage, "age">;

const stageRecord = z.object(Object.fromEntries(STAGES.filter((s) => s !== "age").map((s) => [s, z.number()])) as Record<WarningStage, z.ZodNumber>);

/** How stage evidence becomes a score (see score.ts). */
export const scoringSchema = z.object({
  halfLifeDays: z.number().positive(),
  /** Evidence below this strength does not count as a stage seen. */
  presentAt: z.number().min(0).max(1),
  stageWeight: stageRecord,
  bias: z.number(),
  evidence: z.number(),
  perExtraStage: z.number(),
  perExtraCore: z.number(),
  minorTarget: z.number(),
  childCue: z.number(),
  adultToMinor: z.number(),
  oneSided: z.number(),
  adultTarget: z.number(),
  actorMinor: z.number(),
  perExtraTarget: z.number(),
  maxTargetBonus: z.number(),
  copyPaste: z.number(),
  /** log-odds added for a threat to expose images (sextortion): it must alert on its own; models before v5 have none */
  sextortion: z.number().min(0).default(0),
  /** log-odds taken off when the target answered in kind ("miss u too"); models before v15 have none */
  mutual: z.number().min(0).optional(),
  /**
   * Nothing says the target is a child (no minor age or school year, no child-like reply): the
   * pair needs this many distinct warning stages to alert; models before v16 have none.
   */
  unknownAgeMinStages: z.number().int().min(0).optional(),
  /**
   * Nothing says the target is a child and the target gives the warning signs back with at least
   * this much stage strength (couples, friends): only a threat or strong sexual evidence alerts;
   * models before v16 have none.
   */
  unknownAgeReciprocal: z.number().min(0).optional(),
  /**
   * Nothing says the target is a child and the target speaks of adult life ("home from work",
   * "my roommate", "vergaderingen") with at least this strength: capped like an adult target;
   * models before v17 have none.
   */
  unknownAgeAdultHint: z.number().min(0).optional(),
  /**
   * Family (called mom, grandma… or who knows the parents): a strong picture request breaks the
   * cap only with secrecy or sexual evidence beside it (relatives ask for pictures openly);
   * models before v17 let it break the cap alone.
   */
  familySecretImages: z.boolean().optional(),
  /**
   * A peer (the actor gave a minor's age, or claimed the target's with "same") asking about kissing
   * stays capped like other teen talk unless a picture request or a threat stands beside it;
   * models before v18 let any sexual evidence break the peer cap.
   */
  peerKissTalk: z.boolean().optional(),
  /**
   * A "peer" who gave an age at least two years above the target's own (15 to a 13-year-old) and
   * arranges a meeting kept from others (isolation and meeting both present) is not held by the peer
   * cap; models before v21 held every stated minor within the two-year gap alike.
   */
  peerGapSecretMeeting: z.boolean().optional(),
  /**
   * The same "peer", two or more years older, who keeps the contact secret and checks who is home or
   * watching (isolation and risk both present) is not held either: v47, read from a "15-year-old" gamer
   * working on a 7th grader; same-age teens (within two years) stay held.
   */
  peerGapSecretRisk: z.boolean().optional(),
  /**
   * An adult who speaks of the child's parents as people they know ("your mum said", "your dad gave me your number"),
   * never called mom or grandma, is held like family; since v59 not when they also keep something from those parents
   * with a clear line ("don't tell your mum", "she doesn't need to know", "no need to involve your parents") and check
   * who is home or come round (risk or meeting): carpool parents, babysitters, committee members who groom with the
   * parents' trust. Models before v59 held them like relatives.
   */
  openCovert: z.boolean().optional(),
  /**
   * Right after the other's age question, a reply that opens with a number is that age ("31, accountant",
   * "13 bijna 14"): an adult's (18-69) or a minor's (8-17), as sure as a stated age; models before v21 read
   * only the lexicon's age patterns.
   */
  ageAnswer: z.boolean().optional(),
  /**
   * Corroboration: a pair alerts only when at least two warning stages reach this strength (or on a
   * threat to expose images). Two faint signs ("send me a pic when you're there", "call me if
   * anything feels off") are a parent's or a tutor's day as often as a groomer's; models before v25 have none.
   */
  corroboratedAt: z.number().min(0).max(1).optional(),
  /**
   * A message that speaks of the other's age ("good for 12", "anyone under 13?") still says the
   * author's own adult age when it states one ("23 m"); models before v27 dropped every age in it.
   */
  askedKeepsAdult: z.boolean().optional(),
  /**
   * A family word right after a greeting or yes/no/thanks addresses the reader whatever follows
   * ("ja oma tot 8 uur"), unless a verb makes it someone talked about; models before v28 needed a
   * first or second person, a plea or a question after it.
   */
  leadAddress: z.boolean().optional(),
  /**
   * A school year a child names ("groep 8", "7th grade", "brugklas") counts as its usual age where ages are compared
   * (a "peer" more than two years older is no peer); models before v36 compared only ages given as numbers.
   */
  schoolYearAge: z.boolean().optional(),
  /**
   * A grade said alone as the answer to "what grade r u in?" ("7th", the lexicon's `bare_grade`) counts as that
   * grade's age as "7th grade" does (v47); models before read only a grade named with "grade".
   */
  bareGradeAge: z.boolean().optional(),
  /**
   * Stage evidence of the trained classifier (classifier.json, since v24) is its probability times
   * this factor; models without it give the classifier no say (0).
   */
  classifierWeight: z.number().min(0).max(1).optional(),
  /** highest log-odds of a pair with no core stage */
  softOnlyCap: z.number(),
  explicitWeight: z.number().min(0).max(1),
  attachmentWeight: z.number().min(0).max(1),
});
export type Scoring = z.infer<typeof scoringSchema>;

const weightsSchema = z.object({
  /** Trained weight per rule id; rules not listed keep their lexicon weight. */
  rules: z.record(z.string(), z.number().min(0).max(1)).default({}),
  scoring: scoringSchema.partial().default({}),
});

export interface Model {
  version: string;
  rules: Rule[];
  /** which rules can match a text (by trigrams of their required literals) */
  index: RuleIndex;
  /** function words and explicit words, looked up in one pass (signals.ts) */
  words: WordIndex;
  /** explicit vocabulary of every language, and of each language alone (a community watching one) */
  explicit: ExplicitLexicon;
  explicitByLang: Record<Lang, ExplicitLexicon>;
  scoring: Scoring;
  /** the trained stage classifier (classifier.json), when the version has one */
  classifier?: Classifier;
}

/** The repository's models/ folder (src/engine/../../models). */
export function defaultModelsDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "../../models");
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new HavenError(`Cannot read model file ${file}: ${(err as Error).message}`, "model.read", "run `haven train` to rebuild the model");
  }
}

/** Resolve "current" (models/current holds a version name) to a version folder name. */
export function resolveVersion(version: string, dir: string): string {
  if (version !== "current") return version;
  const pointer = join(dir, "current");
  if (!existsSync(pointer)) throw new HavenError(`No models/current in ${dir}`, "model.version", "write a version name (e.g. v1) into models/current");
  return readFileSync(pointer, "utf8").trim();
}

/** `priorsOnly`: ignore the version's weights.json (training starts from the lexicons and scoring priors). */
export function loadModel(version = "current", dir: string = defaultModelsDir(), opts: { priorsOnly?: boolean } = {}): Model {
  const name = resolveVersion(version, dir);
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name)) throw new HavenError(`Bad model version name "${name}"`, "model.version");
  const folder = join(dir, name);
  if (!existsSync(folder)) throw new HavenError(`Model version ${name} not found in ${dir}`, "model.version", "list models/ for the versions there are");
  const rules: Rule[] = [];
  for (const lang of LANGS) {
    const file = join(folder, `lexicon.${lang}.txt`);
    if (existsSync(file)) rules.push(...parseLexicon(readFileSync(file, "utf8"), lang, file));
  }
  const base = scoringSchema.safeParse(readJson(join(folder, "scoring.json")));
  if (!base.success) throw new HavenError(`${folder}/scoring.json: ${base.error.issues[0]?.path.join(".")} ${base.error.issues[0]?.message}`, "model.scoring");
  let scoring = base.data;
  const weightsFile = join(folder, "weights.json");
  if (!opts.priorsOnly && existsSync(weightsFile)) {
    const w = weightsSchema.safeParse(readJson(weightsFile));
    if (!w.success) throw new HavenError(`${weightsFile}: ${w.error.issues[0]?.path.join(".")} ${w.error.issues[0]?.message}`, "model.weights");
    for (const r of rules) {
      const trained = w.data.rules[r.id];
      if (trained !== undefined) r.weight = trained;
    }
    scoring = { ...scoring, ...w.data.scoring };
  }
  const explicitByLang = Object.fromEntries(LANGS.map((l) => [l, loadExplicit([l])])) as Record<Lang, ExplicitLexicon>;
  const model: Model = { version: name, rules, index: new RuleIndex(rules.map((r) => r.source)), words: wordIndex(explicitByLang), explicit: loadExplicit(LANGS), explicitByLang, scoring };
  const classifierFile = join(folder, "classifier.json");
  if (existsSync(classifierFile)) {
    const c = classifierSchema.safeParse(readJson(classifierFile));
    if (!c.success) throw new HavenError(`${classifierFile}: ${c.error.issues[0]?.path.join(".")} ${c.error.issues[0]?.message}`, "model.classifier");
    model.classifier = new Classifier(c.data);
  }
  return model;
}

/** Function words of both languages and the explicit word lists, for one pass over a message's words. */
function wordIndex(explicit: Record<Lang, ExplicitLexicon>): WordIndex {
  const index = new WordIndex();
  for (const w of NL_FUNCTION_WORDS) index.add(w, WORD_NL);
  for (const w of EN_FUNCTION_WORDS) index.add(w, WORD_EN);
  for (const w of explicit.en.words) index.add(w, EXPLICIT_EN);
  for (const w of explicit.nl.words) index.add(w, EXPLICIT_NL);
  for (const w of explicit.en.firstWords) index.add(w, PHRASE_EN);
  for (const w of explicit.nl.firstWords) index.add(w, PHRASE_NL);
  return index;
}
