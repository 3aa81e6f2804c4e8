// The playground: a pasted or uploaded conversation scored by a fresh engine and judged by
// the alert policy. Nothing is stored.
import { DEFAULT_SETTINGS, type CommunitySettings } from "../config/settings.ts";
import { parseConversations, toChatMessage } from "../corpus/format.ts";
import { HavenError, type ChatMessage, type Stage } from "../types.ts";
import type { EngineRunner } from "./engine-runner.ts";
import { alertsFor } from "./replay.ts";

export const MAX_PLAYGROUND_MESSAGES = 500;

export interface PlaygroundRow {
  author: string;
  text: string;
  stages: Stage[];
  evidence: string[];
  score: number | null;
  alert: "new" | "rise" | "severe" | null;
}

export interface PlaygroundResult {
  rows: PlaygroundRow[];
  alerts: number;
  firstAlertAt: number | null;
}

const BASE_TS = Date.UTC(2026, 0, 1, 12, 0, 0);

/** "name: text" per line; a line without a name continues the previous speaker. */
export function parsePasted(text: string, kind: "dm" | "group"): ChatMessage[] {
  const out: ChatMessage[] = [];
  let last = "someone";
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const m = /^\s*([^:]{1,40}):\s?(.*)$/.exec(line);
    const author = m ? m[1]!.trim() : last;
    const body = m ? m[2]! : line.trim();
    last = author;
    out.push({
      platform: "discord",
      communityId: "playground",
      channelId: "playground",
      channelKind: kind,
      messageId: `p${out.length}`,
      authorId: author,
      authorName: author,
      text: body,
      ts: BASE_TS + out.length * 60_000,
    });
  }
  return out;
}

/** The first conversation of a JSONL file in the corpus format (truth fields are ignored). */
export function parseJsonl(text: string): ChatMessage[] {
  const conv = parseConversations(text, "uploaded file")[0];
  if (!conv) throw new HavenError("The file has no conversation", "review.playground", "upload a JSONL file in the conversation format");
  return conv.messages.map((m) => toChatMessage(conv, m));
}

export async function runPlayground(engine: EngineRunner, msgs: ChatMessage[], settings: Partial<CommunitySettings>): Promise<PlaygroundResult> {
  if (msgs.length === 0) throw new HavenError("The conversation is empty", "review.playground", "write one message per line as name: text");
  if (msgs.length > MAX_PLAYGROUND_MESSAGES) throw new HavenError(`The conversation has ${msgs.length} messages`, "review.playground", `keep it under ${MAX_PLAYGROUND_MESSAGES}`);
  const assessments = await engine.replay(msgs);
  const alerts = alertsFor(msgs, assessments, { ...DEFAULT_SETTINGS, ...settings, mode: "live" });
  const alertAt = new Map(alerts.map((a) => [a.index, a.trigger]));
  const rows = msgs.map((m, i) => {
    const a = assessments[i];
    return {
      author: m.authorName ?? m.authorId.slice(m.authorId.lastIndexOf(":") + 1),
      text: m.text,
      stages: [...new Set((a?.signals ?? []).map((s) => s.stage))],
      evidence: (a?.signals ?? []).map((s) => s.evidence),
      score: a?.top?.score ?? null,
      alert: alertAt.get(i) ?? null,
    };
  });
  return { rows, alerts: alerts.length, firstAlertAt: alerts[0]?.index ?? null };
}
