// "What would this threshold have done?": the community's stored conversations replayed
// through a fresh engine, alerts counted at each threshold and checked against labels.
import { createHash } from "node:crypto";
import { and, asc, desc, eq, isNotNull, isNull } from "drizzle-orm";
import type { CommunitySettings } from "../config/settings.ts";
import type { Db } from "../store/db.ts";
import { cases, channels, communities, labels, messages, participants } from "../store/schema.ts";
import type { Assessment, ChatMessage, Platform } from "../types.ts";
import type { EngineRunner } from "./engine-runner.ts";
import { alertsFor } from "./replay.ts";
import type { CurvePoint } from "./views/charts.ts";
import { storedChatMessage } from "../store/messages.ts";

export interface WhatIfFigures {
  threshold: number;
  alerts: number;
  suspectsAlerted: number;
  /** Alerted suspects whose case reviewers labelled grooming / not grooming. */
  labelledGrooming: number;
  labelledBenign: number;
  unlabelled: number;
  /** Suspects labelled grooming that would not have been alerted. */
  missed: number;
  precision: number | null;
  recall: number | null;
}

export interface WhatIf {
  messages: number;
  labelledSuspects: { grooming: number; benign: number };
  at: WhatIfFigures;
  curve: CurvePoint[];
}

export const MAX_REPLAY_MESSAGES = 20_000;

async function storedMessages(db: Db, communityId: number, platform: Platform, communityPlatformId: string): Promise<ChatMessage[]> {
  const rows = await db
    .select({ m: messages, author: participants.platformId, channel: channels.platformId, kind: channels.kind })
    .from(messages)
    .innerJoin(channels, eq(channels.id, messages.channelId))
    .innerJoin(participants, eq(participants.id, messages.authorId))
    .where(and(eq(channels.communityId, communityId), isNotNull(messages.text), isNull(messages.deletedAt)))
    .orderBy(asc(messages.sentAt), asc(messages.id))
    .limit(MAX_REPLAY_MESSAGES);
  return rows.map((r) => storedChatMessage(r.m, { platform, communityId: communityPlatformId, channelId: r.channel, channelKind: r.kind }, r.author));
}

/** The latest human label per suspect (platform id); grooming wins over benign across cases. */
async function suspectLabels(db: Db, communityId: number): Promise<Map<string, "grooming" | "benign">> {
  const rows = await db
    .select({ caseId: labels.caseId, label: labels.label, suspect: participants.platformId })
    .from(labels)
    .innerJoin(cases, eq(cases.id, labels.caseId))
    .innerJoin(participants, eq(participants.id, cases.suspectId))
    .where(and(eq(cases.communityId, communityId), isNull(labels.messageId)))
    .orderBy(desc(labels.id));
  const perCase = new Map<number, { label: string; suspect: string }>();
  for (const r of rows) if (!perCase.has(r.caseId)) perCase.set(r.caseId, r);
  const out = new Map<string, "grooming" | "benign">();
  for (const { label, suspect } of perCase.values()) {
    if (label === "grooming") out.set(suspect, "grooming");
    else if (label === "benign" && !out.has(suspect)) out.set(suspect, "benign");
  }
  return out;
}

function figures(msgs: ChatMessage[], assessments: Assessment[], settings: CommunitySettings, truth: Map<string, "grooming" | "benign">): WhatIfFigures {
  const alerts = alertsFor(msgs, assessments, { ...settings, mode: "live" });
  const alerted = new Set(alerts.map((a) => a.actor));
  let labelledGrooming = 0;
  let labelledBenign = 0;
  for (const actor of alerted) {
    const t = truth.get(actor);
    if (t === "grooming") labelledGrooming++;
    else if (t === "benign") labelledBenign++;
  }
  const totalGrooming = [...truth.values()].filter((t) => t === "grooming").length;
  return {
    threshold: settings.threshold,
    alerts: alerts.length,
    suspectsAlerted: alerted.size,
    labelledGrooming,
    labelledBenign,
    unlabelled: alerted.size - labelledGrooming - labelledBenign,
    missed: totalGrooming - labelledGrooming,
    precision: labelledGrooming + labelledBenign ? labelledGrooming / (labelledGrooming + labelledBenign) : null,
    recall: totalGrooming ? labelledGrooming / totalGrooming : null,
  };
}

// Replays are the slow part (seconds for a busy community) and an admin tries several
// thresholds in a row: keep the last few, keyed by what was replayed.
const replays = new WeakMap<EngineRunner, Map<string, Assessment[]>>();
const KEEP_REPLAYS = 8;

async function cachedReplay(engine: EngineRunner, communityId: number, msgs: ChatMessage[]): Promise<Assessment[]> {
  // Keyed by a digest of what is replayed, so an edit, a deletion or retention changes it.
  const digest = createHash("sha256");
  for (const m of msgs) digest.update(`${m.channelId}\u0000${m.messageId}\u0000${m.ts}\u0000${m.text}\u0001`);
  const key = `${communityId}:${msgs.length}:${digest.digest("base64")}`;
  let cache = replays.get(engine);
  if (!cache) replays.set(engine, (cache = new Map()));
  const hit = cache.get(key);
  if (hit) return hit;
  const assessments = await engine.replay(msgs);
  cache.set(key, assessments);
  if (cache.size > KEEP_REPLAYS) cache.delete(cache.keys().next().value!);
  return assessments;
}

export async function whatIf(db: Db, engine: EngineRunner, communityId: number, settings: CommunitySettings): Promise<WhatIf> {
  const rows = await db.select().from(communities).where(eq(communities.id, communityId)).limit(1);
  const community = rows[0];
  if (!community) return { messages: 0, labelledSuspects: { grooming: 0, benign: 0 }, at: figures([], [], settings, new Map()), curve: [] };
  const msgs = await storedMessages(db, communityId, community.platform as Platform, community.platformId);
  const truth = await suspectLabels(db, communityId);
  const assessments = await cachedReplay(engine, communityId, msgs);
  const curve: CurvePoint[] = [];
  for (let i = 1; i <= 19; i++) {
    const f = figures(msgs, assessments, { ...settings, threshold: i / 20 }, truth);
    curve.push({ threshold: i / 20, precision: f.precision, recall: f.recall });
  }
  const values = [...truth.values()];
  return {
    messages: msgs.length,
    labelledSuspects: { grooming: values.filter((v) => v === "grooming").length, benign: values.filter((v) => v === "benign").length },
    at: figures(msgs, assessments, settings, truth),
    curve,
  };
}
