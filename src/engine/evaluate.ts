// Evaluation on labelled conversations, as the pipeline would alert: each message goes
// through the engine, its top score through the alert policy with one case memory per
// suspect actor. Scenario groups share one engine; other conversations get fresh state.
import { decideAlert, type CaseMemory } from "../alerts/policy.ts";
import type { CommunitySettings } from "../config/settings.ts";
import { localAuthorId, streamGroups, type Conversation } from "../corpus/format.ts";
import type { RiskScore, Stage } from "../types.ts";
import { RiskEngine } from "./engine.ts";
import type { Model } from "./model.ts";

export interface Figures {
  conversations: number;
  grooming: number;
  benign: number;
  messages: number;
  benignMessages: number;
  /** null when undefined: no alerts at all (precision), no grooming conversations (recall) */
  precision: number | null;
  recall: number | null;
  f05: number | null;
  f1: number | null;
  /** null when no grooming conversation was alerted on */
  suspectAccuracy: number | null;
  latencyMedian: number | null;
  latencyP90: number | null;
  falseAlertsPer10k: number;
}

export interface EvalReport extends Figures {
  byLang: Record<string, Figures>;
}

export interface ConversationOutcome {
  id: string;
  lang: string;
  label: "grooming" | "benign";
  suspect: string | null;
  onset: number | null;
  messages: number;
  /** alerts raised on this conversation's messages: index, local actor id, score, stages */
  alerts: { index: number; actor: string; score: number; stages: Stage[] }[];
  /** highest top score seen, and what kept it from alerting */
  peak: { index: number; actor: string; score: number; stages: Stage[]; why: string } | null;
}

export function runConversations(convs: Conversation[], model: Model, settings: CommunitySettings, onMessage?: () => void): ConversationOutcome[] {
  const outcomes = new Map<string, ConversationOutcome>();
  for (const c of convs) {
    outcomes.set(c.id, { id: c.id, lang: c.lang, label: c.label, suspect: c.suspect, onset: c.onset, messages: c.messages.length, alerts: [], peak: null });
  }
  for (const group of streamGroups(convs)) {
    const engine = new RiskEngine(model, { maxTrackedStates: 2048, idleMs: Number.MAX_SAFE_INTEGER });
    const memories = new Map<string, CaseMemory>();
    for (const item of group) {
      const a = engine.observe(item.message);
      onMessage?.();
      const top: RiskScore | null = a.top;
      if (!top) continue;
      const out = outcomes.get(item.conversation.id)!;
      const actor = top.subject.actor;
      const memory = memories.get(actor) ?? null;
      const channel = item.message.channelId;
      const decision = decideAlert(top, memory, settings, item.message.ts, channel, item.message.authorId);
      // As the pipeline's open case: it gains every target its suspect's scores name, alerted or not.
      const targets = memory || decision.alert ? unionTargets(memory?.targets, top.targets) : undefined;
      if (decision.alert) {
        const conversations = unionTargets(memory?.conversations, [channel]);
        memories.set(actor, { lastAlertScore: top.score, lastAlertAt: item.message.ts, stages: [...new Set([...(memory?.stages ?? []), ...top.stages])], targets, conversations });
        out.alerts.push({ index: item.index, actor: localAuthorId(actor), score: top.score, stages: top.stages });
      } else {
        if (memory && targets !== memory.targets) memories.set(actor, { ...memory, targets });
        if (!out.peak || top.score > out.peak.score) out.peak = { index: item.index, actor: localAuthorId(actor), score: top.score, stages: top.stages, why: decision.why };
      }
    }
  }
  return [...outcomes.values()];
}

/** `known` with `more` added (targets, channels); the same array when nothing is new. */
function unionTargets(known: readonly string[] | undefined, more: readonly string[]): readonly string[] {
  const add = more.filter((t) => !known?.includes(t));
  return add.length === 0 && known ? known : [...(known ?? []), ...new Set(add)];
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
/** A ratio that is undefined (null, not 0) when its denominator is 0. */
const share = (a: number, b: number): number | null => (b === 0 ? null : a / b);

function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

export function figures(outcomes: ConversationOutcome[]): Figures {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let alerted = 0;
  let rightSuspect = 0;
  let benignAlerts = 0;
  let benignMessages = 0;
  let messages = 0;
  const latencies: number[] = [];
  for (const o of outcomes) {
    messages += o.messages;
    if (o.label === "benign") {
      benignMessages += o.messages;
      benignAlerts += o.alerts.length;
      if (o.alerts.length > 0) fp++;
      continue;
    }
    if (o.alerts.length > 0) {
      alerted++;
      if (o.alerts[0]!.actor === o.suspect) rightSuspect++;
    }
    const first = o.alerts.find((a) => a.actor === o.suspect);
    if (first) {
      tp++;
      latencies.push(first.index - (o.onset ?? 0));
    } else fn++;
  }
  const precision = share(tp, tp + fp);
  const recall = share(tp, tp + fn);
  const fb = (b: number) => (precision === null || recall === null ? null : precision + recall === 0 ? 0 : ((1 + b * b) * precision * recall) / (b * b * precision + recall));
  latencies.sort((a, b) => a - b);
  return {
    conversations: outcomes.length,
    grooming: tp + fn,
    benign: outcomes.length - tp - fn,
    messages,
    benignMessages,
    precision,
    recall,
    f05: fb(0.5),
    f1: fb(1),
    suspectAccuracy: share(rightSuspect, alerted),
    latencyMedian: quantile(latencies, 0.5),
    latencyP90: quantile(latencies, 0.9),
    falseAlertsPer10k: ratio(benignAlerts * 10_000, benignMessages),
  };
}

export function report(outcomes: ConversationOutcome[]): EvalReport {
  const byLang: Record<string, Figures> = {};
  for (const lang of [...new Set(outcomes.map((o) => o.lang))].sort()) byLang[lang] = figures(outcomes.filter((o) => o.lang === lang));
  return { ...figures(outcomes), byLang };
}
