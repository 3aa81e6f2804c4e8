// Replays stored or pasted messages through a fresh engine and the alert policy, without
// storing anything: the playground and the threshold what-if both stand on this.
import { decideAlert, type CaseMemory } from "../alerts/policy.ts";
import type { CommunitySettings } from "../config/settings.ts";
import type { Assessment, ChatMessage } from "../types.ts";

export interface ReplayedAlert {
  index: number;
  actor: string;
  score: number;
  trigger: "new" | "rise" | "severe";
}

/** Runs the policy over assessments in order, remembering one case per suspect as the pipeline does. */
export function alertsFor(messages: ChatMessage[], assessments: Assessment[], settings: CommunitySettings): ReplayedAlert[] {
  const memory = new Map<string, CaseMemory>();
  const out: ReplayedAlert[] = [];
  assessments.forEach((a, index) => {
    const top = a.top;
    if (!top) return;
    const actor = top.subject.actor;
    const now = messages[index]?.ts ?? 0;
    const mem = memory.get(actor) ?? null;
    const decision = decideAlert(top, mem, settings, now, messages[index]?.channelId, messages[index]?.authorId);
    if (!decision.alert) return;
    out.push({ index, actor, score: top.score, trigger: decision.trigger });
    memory.set(actor, { lastAlertScore: top.score, lastAlertAt: now, stages: [...new Set([...(mem?.stages ?? []), ...top.stages])] });
  });
  return out;
}
