// When does a risk score become an alert? Pure: the same score, case memory, settings
// and time always give the same decision, so eval, replay and the live pipeline agree.
import type { CommunitySettings } from "../config/settings.ts";
import type { RiskScore, Stage } from "../types.ts";

/** What the policy remembers of an open case about the same suspect. */
export interface CaseMemory {
  lastAlertScore: number | null;
  /** Milliseconds since the epoch (message time, never the wall clock). */
  lastAlertAt: number | null;
  /** Stages already seen in the case. */
  stages: Stage[];
  /**
   * Targets (children) the case already names; absent when unknown (then no target is new).
   * The case gains every target its suspect's scores name, alerted or not.
   */
  targets?: readonly string[];
  /**
   * Conversations (channel ids, as the engine names them) where the case has alerted; absent
   * when unknown (then no conversation is new).
   */
  conversations?: readonly string[];
}

export type AlertDecision = { alert: false; why: string } | { alert: true; trigger: "new" | "rise" | "severe" };

/** Distinct warning stages; an age disclosure alone is context, not a warning sign. */
export function warningStages(stages: readonly Stage[]): Stage[] {
  return [...new Set(stages)].filter((s) => s !== "age");
}

/** The score carries a sextortion threat: coercion evidence from a lexicon rule of kind sextortion. */
export function isSextortion(score: RiskScore): boolean {
  return score.reasons.some((r) => r.stage === "coercion" && r.rule.includes(".sextortion."));
}

/**
 * `conversationId`: the channel of the message that produced the score. A case alerts once in
 * each channel where its suspect's scored evidence lies (see `newConversation`).
 * `authorId`: who wrote that message. A first alert waits for the suspect's own next message
 * when the score crossed on someone else's (see `raisedByOther`).
 */
export function decideAlert(score: RiskScore, memory: CaseMemory | null, settings: CommunitySettings, now: number, conversationId?: string, authorId?: string): AlertDecision {
  if (settings.mode === "off") return { alert: false, why: "mode is off" };
  const stages = warningStages(score.stages);
  if (score.score < settings.threshold) {
    return { alert: false, why: `score ${score.score.toFixed(2)} below threshold ${settings.threshold}` };
  }
  // A threat to expose a child's images is the most urgent case there is and comes with no
  // progression of its own (coercion and images): a community's minStages does not hold it back.
  if (stages.length < settings.minStages && !isSextortion(score)) {
    return { alert: false, why: `${stages.length} stage(s), ${settings.minStages} needed` };
  }
  if (!memory || memory.lastAlertAt === null) {
    if (raisedByOther(score, authorId)) return { alert: false, why: `waits for ${score.subject.actor}'s next message: the score rose on another's` };
    return { alert: true, trigger: "new" };
  }

  // A severe stage new to the case re-alerts at once: it is what moderators must not miss.
  const known = new Set(memory.stages);
  if (stages.some((s) => settings.severeStages.includes(s) && !known.has(s))) return { alert: true, trigger: "severe" };
  // The suspect turns to a child the case does not name yet (an adult fishing in several
  // channels): that child's moderators must hear of it, cooldown or not. A new target opens a
  // new line of the case, so the trigger is "new".
  const target = newTarget(score, memory);
  if (target !== null) return { alert: true, trigger: "new" };
  // The suspect works on a child in a channel where the case has not alerted yet (the child may
  // be named already, by a score that never alerted, or from a group the two share): that
  // channel's moderators must hear of it too, once; later messages there keep the cooldown.
  if (newConversation(score, memory, conversationId)) return { alert: true, trigger: "new" };

  const sinceLast = now - memory.lastAlertAt;
  if (sinceLast < settings.cooldownMinutes * 60_000) {
    return { alert: false, why: "in cooldown since the last alert" };
  }
  const last = memory.lastAlertScore ?? 0;
  if (score.score - last >= settings.realertStep - 1e-9) return { alert: true, trigger: "rise" };
  return { alert: false, why: `score rose ${(score.score - last).toFixed(2)}, less than the re-alert step ${settings.realertStep}` };
}

/**
 * The message that carried a suspect's score over the line was the other person's: most often a
 * child saying their age ("im 15") to someone whose earlier messages read as an adult's. Peers
 * answer in kind at once ("same lol im 14"), which caps the pair; an adult does not. So a first
 * alert waits for the suspect's own next message, one message later. A threat never waits.
 */
function raisedByOther(score: RiskScore, authorId: string | undefined): boolean {
  return authorId !== undefined && authorId !== score.subject.actor && !isSextortion(score);
}

/** A target the score names that the case does not have yet, or null. */
export function newTarget(score: RiskScore, memory: CaseMemory): string | null {
  if (!memory.targets) return null;
  for (const t of score.targets) if (t !== score.subject.actor && !memory.targets.includes(t)) return t;
  return null;
}

/**
 * The message's channel has no alert of this case yet and the score's evidence lies in it (a
 * pair there, or an actor with a pair there): a channel the suspect only passes through, or
 * evidence from elsewhere alone, opens no new line.
 */
export function newConversation(score: RiskScore, memory: CaseMemory, conversationId: string | undefined): boolean {
  if (conversationId === undefined || !memory.conversations) return false;
  return !memory.conversations.includes(conversationId) && score.conversationIds.includes(conversationId);
}
