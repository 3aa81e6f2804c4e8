// From stage evidence to a 0..1 risk score. Progression matters more than volume: several
// distinct stages, core stages (isolation, risk, sexual, images, meeting, coercion) among
// them, and a target who disclosed a minor's age push the log-odds up; one stage alone,
// or evidence carried by both sides (peers, adults flirting), stays low.
import type { Reason, RiskScore, Stage } from "../types.ts";
import type { Scoring } from "./model.ts";
import { actorAge, FAM_CALLED, FAM_HIDDEN, FAM_MUTUAL, FAM_OPEN, STAGE_BITS, targetAge, type ActorState, type PairState, type StageMark } from "./state.ts";

const CORE: ReadonlySet<Stage> = new Set(["isolation", "risk", "sexual", "images", "meeting", "coercion"]);
const SEVERE: ReadonlySet<Stage> = new Set(["sexual", "images", "coercion"]);
/** How sure an actor's own minor age must be to count as a peer ("im 14", "same 14"; a mention of "middle school" is not enough). */
const PEER_AGE = 0.85;
/** How sure a target's own adult age must be ("im 26", "29/f", "31 u?") for the pair to count as two adults. */
const ADULT_AGE = 0.8;
/** Peers are about the same age: a "15-year-old" talking to a 12-year-old is no peer. */
const PEER_GAP_YEARS = 2;
/** Sexual or image evidence this strong is not family talk ("send grandma a picture" stays well below). */
const FAMILY_SEVERE = 0.75;
/** Both ages stated outright: the actor's adult age and the target's minor age, each this sure. */
const STATED_AGES = 0.8;
/** The lexicon rules that ask age, sex and location in one go ("asl", "a/s/l", Flemish "lft"). */
const ASL_RULE = /\.personal\.(?:asl|lft)$/;
/** Kissing questions ("have u kissed anyone yet", "al iemand gekust?"): what same-age teens ask each other (v18's `peerKissTalk`). */
const KISS_RULE = /\.sexual\.(?:kiss_someone|kissed_him|ever_kiss_q|ever_kissed|gekust|al_gezoend|al_gezoend_kort|zoenen)$/;
const KISS_TEXT = /kiss|kus|zoen|tong/;
/** The same rules also catch "kiss me", sex, touching: never teen talk between peers. */
const NOT_KISS = /\bme\b|\bmij\b|sex|seks|done it|touch|gedaan|hooked|made out|aanra/;
const DAY = 86_400_000;
const AGE_BIT = 1 << STAGE_BITS.indexOf("age");

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function decayed(mark: Pick<StageMark, "s" | "ts">, now: number, halfLifeDays: number): number {
  const dt = now - mark.ts;
  return dt <= 0 ? mark.s : mark.s * Math.pow(0.5, dt / (halfLifeDays * DAY));
}

export interface PairEval {
  z: number;
  score: number;
  /** weighted evidence */
  ev: number;
  present: Stage[];
  /** log-odds from context (minor target, progression...) */
  context: number;
  features: PairFeatures;
  /**
   * Capped because of who the two are to each other (family, someone who knows the parents, an
   * adult target, a two-way bond): several such pairs do not make an actor risky (see `actorZ`).
   */
  held: boolean;
}

/** What the score of a pair is computed from; also the input of training (train.ts). */
export interface PairFeatures {
  /** decayed strength per warning stage */
  s: Record<Exclude<Stage, "age">, number>;
  extraStages: number;
  extraCore: number;
  tMinor: number;
  tChild: number;
  adultToMinor: number;
  adultTarget: number;
  /** the actor says they are a minor too (peers; also what fake peers claim) */
  actorMinor: number;
  /** stage strength carried by the other direction (peers, adults flirting both ways) */
  reverse: number;
  /** decayed strength of a threat to expose images (sextortion) */
  sextortion: number;
}

export const WARNING_STAGES = ["trust", "personal", "isolation", "risk", "sexual", "images", "meeting", "coercion"] as const;

/** Unweighted stage strength of a pair, for comparing the two directions of a conversation. */
export function pairStrength(p: PairState | undefined, now: number, sc: Scoring): number {
  if (!p) return 0;
  let total = 0;
  // for-in, not Object.values/entries: the same order without allocating arrays (scoring runs several times a message).
  for (const stage in p.stages) total += decayed(p.stages[stage as Stage]!, now, sc.halfLifeDays);
  return total;
}

export function pairFeatures(p: PairState, reverse: PairState | undefined, now: number, sc: Scoring): PairFeatures {
  const s = { trust: 0, personal: 0, isolation: 0, risk: 0, sexual: 0, images: 0, meeting: 0, coercion: 0 };
  let n = 0;
  let core = 0;
  for (const key in p.stages) {
    const stage = key as Exclude<Stage, "age">;
    const v = decayed(p.stages[stage]!, now, sc.halfLifeDays);
    s[stage] = v;
    if (v >= sc.presentAt) {
      n++;
      if (CORE.has(stage)) core++;
    }
  }
  return {
    s,
    extraStages: Math.max(0, n - 1),
    extraCore: Math.max(0, core - 1),
    tMinor: p.tMinor,
    tChild: p.tChild,
    adultToMinor: p.aAdult * p.tMinor,
    adultTarget: p.tAdult * (1 - p.tMinor),
    actorMinor: fakePeer(p) ? 0 : (p.aMinor ?? 0) * (1 - p.aAdult),
    reverse: pairStrength(reverse, now, sc),
    sextortion: p.x === undefined ? 0 : decayed({ s: p.x, ts: p.xt ?? now }, now, sc.halfLifeDays),
  };
}

/** The actor asked "asl" and both stated their ages as numbers, an adult's and a child's. */
function chatRoomOpening(p: PairState, f: PairFeatures): boolean {
  return f.adultToMinor >= STATED_AGES && targetAge(p) > 0 && ASL_RULE.test(p.stages.personal?.r ?? "");
}

/** The only severe evidence is a kissing question: no picture request, no threat, no other sexual talk on top. */
function kissTalkOnly(p: PairState, f: PairFeatures, sc: Scoring): boolean {
  const m = p.stages.sexual;
  if (!m || f.s.images >= sc.presentAt || f.s.coercion > 0 || f.sextortion > 0) return false;
  return KISS_RULE.test(m.r) && KISS_TEXT.test(m.e) && !NOT_KISS.test(m.e);
}

/**
 * v21's `peerGapSecretMeeting`: the actor's stated age is at least the peer gap above the target's
 * (15 to 13) and they set up a meeting kept from others (isolation and meeting both present); v47's
 * `peerGapSecretRisk`: or keep it secret and check who is home (isolation and risk).
 * Same-age teens who plan to meet are not older; an older "peer" who also keeps it secret is no peer.
 */
function olderPeerKeepingSecret(p: PairState, f: PairFeatures, sc: Scoring): boolean {
  if (sc.peerGapSecretMeeting !== true && sc.peerGapSecretRisk !== true) return false;
  const a = actorAge(p);
  const t = targetAge(p);
  if (!(a > 0 && t > 0 && a - t >= PEER_GAP_YEARS && f.s.isolation >= sc.presentAt)) return false;
  // v47's `peerGapSecretRisk`: a secret kept beside checks on who is home or watching counts as a secret meeting does.
  return (sc.peerGapSecretMeeting === true && f.s.meeting >= sc.presentAt) || (sc.peerGapSecretRisk === true && f.s.risk >= sc.presentAt);
}

/** The second-highest of the warning stages' strengths (0 with fewer than two). */
function secondStrongest(s: PairFeatures["s"]): number {
  let first = 0;
  let second = 0;
  for (let i = 0; i < WARNING_STAGES.length; i++) {
    const v = s[WARNING_STAGES[i]!];
    if (v > first) {
      second = first;
      first = v;
    } else if (v > second) second = v;
  }
  return second;
}

/** Both gave their age as a number and they are more than two years apart: the actor is no peer. */
function fakePeer(p: PairState): boolean {
  const a = actorAge(p);
  const t = targetAge(p);
  return a > 0 && t > 0 && Math.abs(a - t) > PEER_GAP_YEARS;
}

export function evaluatePair(p: PairState, reverse: PairState | undefined, now: number, sc: Scoring): PairEval {
  const f = pairFeatures(p, reverse, now, sc);
  let ev = 0;
  const present: Stage[] = [];
  for (let i = 0; i < WARNING_STAGES.length; i++) {
    const stage = WARNING_STAGES[i]!;
    const v = f.s[stage];
    if (v <= 0) continue;
    ev += sc.stageWeight[stage] * v;
    if (v >= sc.presentAt) present.push(stage);
  }
  let context = sc.perExtraStage * f.extraStages + sc.perExtraCore * f.extraCore;
  context += sc.minorTarget * f.tMinor + sc.childCue * f.tChild + sc.adultToMinor * f.adultToMinor;
  context -= sc.adultTarget * f.adultTarget + sc.oneSided * f.reverse + sc.actorMinor * f.actorMinor;
  // Sextortion is the most urgent case there is: it alerts without the progression before it.
  context += sc.sextortion * f.sextortion;
  let z = sc.bias + sc.evidence * ev + context;
  // Flattery and questions alone (a coach praising, a teacher asking the year) stay below the
  // threshold however many: an alert needs a core stage (isolation, risk, sexual, images, meeting, coercion).
  // Unless it is the chat-room opening: the actor asked "asl" (or "lft"), both then said their age
  // as a number, an adult's and a child's ("31 m" to "13 f"), and he flatters or probes on.
  // Mentors and relatives who happen to state their age do not open with "asl".
  if (f.extraCore === 0 && !present.some((st) => CORE.has(st)) && !(present.length >= 2 && chatRoomOpening(p, f))) z = Math.min(z, sc.softOnlyCap);
  // Someone who says they are a minor too (a peer, or a fake one) alerts only on what peers'
  // chat rarely holds: sexual talk, image requests, threats. Ages, apps and meeting up are teen talk.
  // Since v18 (`peerKissTalk`) a kissing question between them is still teen talk ("have u kissed anyone yet");
  // a picture request or a threat beside it is not.
  // Since v21 (`peerGapSecretMeeting`) an actor two or more years older who sets up a secret meeting is not held;
  // since v47 (`peerGapSecretRisk`) neither is one who keeps it secret and checks who is home.
  if (f.actorMinor >= PEER_AGE && (!present.some((st) => SEVERE.has(st)) || (sc.peerKissTalk === true && kissTalkOnly(p, f, sc))) && !olderPeerKeepingSecret(p, f, sc)) z = Math.min(z, sc.softOnlyCap);
  // Corroboration (v25): the second-strongest warning stage must be clear too. Several targets still
  // add up at the actor (the pair is not held): faint lines thrown to many children alert there.
  if (sc.corroboratedAt !== undefined && f.sextortion === 0 && secondStrongest(f.s) < sc.corroboratedAt) z = Math.min(z, sc.softOnlyCap);
  // Adults flirting with adults share every word of grooming but the child: a target who said
  // they are an adult (and never a minor) alerts only on a threat to expose images.
  let held = false;
  if (f.adultTarget >= ADULT_AGE && f.sextortion === 0) {
    z = Math.min(z, sc.softOnlyCap);
    held = true;
  }
  // The target calls the actor mom, dad, grandma…: a parent's or relative's pick-ups, age
  // questions and photo requests are family life; only a threat or strong sexual or image evidence alerts.
  // The same for an actor who speaks of the target's parents as people they know or defer to
  // ("your mom said she works late", "ask your dad if you can come"): relatives never called so,
  // coaches, neighbours. A stranger working on a child keeps the parents out of it.
  // Relatives ask for a picture of the child in the jumper they gave, openly; the same request
  // with a secret or sexual talk beside it is not family life (v17's `familySecretImages`).
  const covert = !sc.familySecretImages || f.s.isolation >= sc.presentAt || f.s.sexual >= sc.presentAt;
  // Since v59 (`openCovert`) the cap lets go of someone never called family who hides something from those
  // parents and checks who is home or comes round: grooming that rides on the parents' trust.
  const usesTrust = sc.openCovert === true && (p.fam & (FAM_CALLED | FAM_HIDDEN)) === FAM_HIDDEN && (f.s.risk >= sc.presentAt || f.s.meeting >= sc.presentAt);
  if ((p.fam & (FAM_CALLED | FAM_OPEN)) !== 0 && !usesTrust && f.sextortion === 0 && f.s.sexual < FAMILY_SEVERE && (f.s.images < FAMILY_SEVERE || !covert)) {
    z = Math.min(z, sc.softOnlyCap);
    held = true;
  }
  // Nothing says the target is a child (no minor age or school year, no child-like reply):
  // couples and friends who never state their ages share secrets, plans to meet and
  // photos. Two warning stages are then not enough, and a target who gives the signs back
  // (both sides keep secrets, ask for pictures, plan to meet) is a two-way bond: only a threat or
  // strong sexual evidence alerts. An answer in kind ("miss u too") is not enough for this:
  // groomed children give it too (it only lowers, see `mutual`). A child who discloses an age later lifts both at once.
  if (f.tMinor === 0 && f.tChild === 0 && f.sextortion === 0) {
    const few = sc.unknownAgeMinStages !== undefined && present.length < sc.unknownAgeMinStages;
    const mutual = sc.unknownAgeReciprocal !== undefined && f.reverse >= sc.unknownAgeReciprocal && f.s.sexual < FAMILY_SEVERE;
    // The target speaks of adult life (work, a roommate, meetings) and never of being a child:
    // couples who never state their ages; groomed children do not come "home from work".
    const grownUp = sc.unknownAgeAdultHint !== undefined && f.adultTarget >= sc.unknownAgeAdultHint;
    if (few || mutual || grownUp) z = Math.min(z, sc.softOnlyCap);
    if (mutual || grownUp) held = true;
  }
  // The target answers warmth and plans in kind ("miss u too", "ik ook"): a two-way bond (couples,
  // friends, relatives) rather than one side working on the other; groomed children do it too, so it only lowers.
  // A threat to expose images is never softened by it (it must alert on its own).
  if ((p.fam & FAM_MUTUAL) !== 0 && f.sextortion === 0) z -= sc.mutual ?? 0;
  if (p.tMinor > 0) present.push("age");
  return { z, score: sigmoid(z), ev, present, context, features: f, held };
}

/**
 * A pair's log-odds as its actor counts them. A pair held by who the two are to each other stays
 * below the threshold with the several-targets bonus too: a coach or relative writing to several
 * children of a club or family, each of whom knows them, is no adult fishing.
 */
export function actorZ(e: PairEval, sc: Scoring): number {
  return e.held ? Math.min(e.z, sc.softOnlyCap - sc.maxTargetBonus) : e.z;
}

/**
 * Log-odds a stage contributed to a pair's score (for explanations); 0 for a stage without
 * evidence. Worked out again from the features when asked: most scores are never explained, and
 * an array per score was a tenth of what the engine allocated.
 */
function stageLogOdds(e: PairEval, sc: Scoring, stage: Stage): number {
  if (stage === "age") return 0;
  const v = e.features.s[stage];
  return v > 0 ? sc.evidence * (sc.stageWeight[stage] * v) : 0;
}

/** Reasons of a pair, each with its share of the score above the no-evidence baseline. */
export function pairReasons(p: PairState, e: PairEval, sc: Scoring): Reason[] {
  const rise = Math.max(0, e.score - sigmoid(sc.bias));
  let sum = 0;
  for (let i = 0; i < WARNING_STAGES.length; i++) sum += stageLogOdds(e, sc, WARNING_STAGES[i]!);
  const total = sum + Math.max(0, e.context);
  const reasons: Reason[] = [];
  for (const key in p.stages) {
    const stage = key as Stage;
    const mark = p.stages[stage]!;
    const part = Math.max(0, stageLogOdds(e, sc, stage));
    reasons.push({
      stage,
      messageId: mark.m,
      conversationId: mark.c,
      evidence: mark.e,
      rule: mark.r,
      contribution: total > 0 ? (rise * part) / total : 0,
    });
  }
  sortReasons(reasons);
  return reasons;
}

/** Largest contribution first, then by stage name (plain a-z names: code order is localeCompare's order, without ICU). */
export const byContribution = (a: Reason, b: Reason) => b.contribution - a.contribution || (a.stage < b.stage ? -1 : a.stage > b.stage ? 1 : 0);

/**
 * Sorts by `byContribution` in place, stably, as Array.prototype.sort would: an insertion sort
 * (a handful of reasons) that allocates no work array and boxes no comparator results.
 */
export function sortReasons(list: Reason[]): void {
  for (let i = 1; i < list.length; i++) {
    const x = list[i]!;
    let j = i - 1;
    while (j >= 0 && byContribution(list[j]!, x) > 0) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = x;
  }
}

export function pairScore(p: PairState, e: PairEval, sc: Scoring): RiskScore {
  return {
    subject: { kind: "pair", actor: p.actor, target: p.target },
    score: e.score,
    stages: e.present,
    reasons: pairReasons(p, e, sc),
    targets: [p.target],
    conversationIds: [...p.convs],
  };
}

export interface ActorEval {
  z: number;
  score: number;
  stages: Stage[];
  targets: string[];
  best: string | null;
}

/** An actor is as risky as its worst pair, and more so when it works on several targets. */
export function evaluateActor(a: ActorState, sc: Scoring): ActorEval {
  let bestZ = -Infinity;
  let best: string | null = null;
  let engaged = 0;
  // Stages in order of first appearance, as a Set of each target's stages would give them.
  const stages: Stage[] = [];
  let seen = 0;
  const targets: string[] = [];
  for (const t of a.targets) {
    if (t.ev <= 0) continue;
    targets.push(t.id);
    if (t.z > bestZ) {
      bestZ = t.z;
      best = t.id;
    }
    if ((t.st & ~AGE_BIT) !== 0 && t.ev >= 0.5) engaged++;
    const fresh = t.st & ~seen;
    if (fresh !== 0) {
      for (let i = 0; i < STAGE_BITS.length; i++) if (fresh & (1 << i)) stages.push(STAGE_BITS[i]!);
      seen |= fresh;
    }
  }
  if (best === null) return { z: sc.bias, score: sigmoid(sc.bias), stages: [], targets: [], best: null };
  // The same text with warning signs sent into several conversations: lines thrown out to many children.
  let copied = 0;
  for (let i = 2; i < a.copies.length; i += 3) if (a.copies[i] === 1) copied = sc.copyPaste;
  const z = bestZ + Math.min(sc.maxTargetBonus, sc.perExtraTarget * Math.max(0, engaged - 1) + copied);
  return { z, score: sigmoid(z), stages, targets, best };
}
