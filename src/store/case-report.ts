// The evidence report of a case, for a hotline or the police: who, where, when, the
// messages' text, the stage timeline, the alerts, labels and decisions. Never media:
// attachment counts and platform links only. The body's SHA-256 digest (over a canonical
// JSON form: keys sorted, no whitespace) lets the receiver check nothing was altered.
import { createHash } from "node:crypto";
import { and, asc, eq, inArray, or } from "drizzle-orm";
import { caseTimeline } from "../alerts/payload.ts";
import type { Platform } from "../types.ts";
import { caseAlerts } from "./alerts.ts";
import { caseNotesOf, caseTargetsOf, getCaseRow } from "./cases.ts";
import type { Db } from "./db.ts";
import { caseLabels } from "./labels.ts";
import { auditLog, caseMessages, channels, communities, messageSignals, messages, participants } from "./schema.ts";

export const REPORT_FORMAT = "haven.case-report/1";

export interface CaseReport {
  format: typeof REPORT_FORMAT;
  body: Record<string, unknown>;
  digest: { algorithm: "sha256"; over: string; value: string };
}

/** JSON with object keys sorted at every level and no whitespace. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export function digestOf(body: unknown): string {
  return createHash("sha256").update(canonicalJson(body), "utf8").digest("hex");
}

export function verifyCaseReport(report: CaseReport): boolean {
  return report.format === REPORT_FORMAT && report.digest.algorithm === "sha256" && digestOf(report.body) === report.digest.value;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Most messages of context included besides the evidence. */
const MAX_MESSAGES = 2_000;

export async function buildCaseReport(db: Db, caseId: number, generatedAt: Date = new Date()): Promise<CaseReport | null> {
  const kase = await getCaseRow(db, caseId);
  if (!kase) return null;
  const [community] = await db.select().from(communities).where(eq(communities.id, kase.communityId));
  const [suspect] = await db.select().from(participants).where(eq(participants.id, kase.suspectId));
  const targets = await caseTargetsOf(db, caseId);
  const evidence = await db.select({ id: caseMessages.messageId }).from(caseMessages).where(eq(caseMessages.caseId, caseId));
  const evidenceIds = new Set(evidence.map((e) => e.id));

  // Context: in the channels holding evidence, what the suspect and the targets said.
  const evidenceChannels = evidenceIds.size
    ? (await db.selectDistinct({ id: messages.channelId }).from(messages).where(inArray(messages.id, [...evidenceIds]))).map((r) => r.id)
    : [];
  const people = [kase.suspectId, ...targets.map((t) => t.participantId)];
  const rows = evidenceChannels.length
    ? await db
        .select({ m: messages, channel: channels.platformId, channelName: channels.name, channelKind: channels.kind, author: participants.platformId })
        .from(messages)
        .innerJoin(channels, eq(channels.id, messages.channelId))
        .innerJoin(participants, eq(participants.id, messages.authorId))
        .where(and(inArray(messages.channelId, evidenceChannels), or(inArray(messages.authorId, people), inArray(messages.id, [...evidenceIds]))))
        .orderBy(asc(messages.sentAt), asc(messages.id))
        .limit(MAX_MESSAGES)
    : [];
  const signals = rows.length
    ? await db.select().from(messageSignals).where(inArray(messageSignals.messageId, rows.map((r) => r.m.id)))
    : [];
  const stagesOf = (id: number) => [...new Set(signals.filter((s) => s.messageId === id).map((s) => s.stage))];

  const [home] = kase.channelId ? await db.select().from(channels).where(eq(channels.id, kase.channelId)) : [];
  const decisions = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.subject, `case:${caseId}`), inArray(auditLog.action, ["case.decide", "case.timeout", "case.ban", "case.delete"])))
    .orderBy(asc(auditLog.id));

  const body = {
    generatedAt: generatedAt.toISOString(),
    platform: community!.platform as Platform,
    community: { id: community!.platformId, name: community!.name },
    channel: home ? { id: home.platformId, name: home.name, kind: home.kind } : null,
    case: {
      id: kase.id,
      status: kase.status,
      score: kase.score,
      stages: kase.stages,
      openedAt: iso(kase.openedAt),
      lastAlertAt: iso(kase.lastAlertAt),
      decidedBy: kase.decidedBy,
      decidedAt: iso(kase.decidedAt),
    },
    suspect: { id: suspect!.platformId, name: suspect!.displayName },
    targets: targets.map((t) => ({ id: t.id, name: t.name })),
    timeline: (await caseTimeline(db, caseId)).map((t) => ({ stage: t.stage, at: new Date(t.ts).toISOString(), messageId: t.messageId })),
    messages: rows.map((r) => ({
      id: r.m.platformMessageId,
      channel: r.channel,
      author: r.author,
      role: r.m.authorId === kase.suspectId ? "suspect" : "target",
      sentAt: iso(r.m.sentAt),
      editedAt: iso(r.m.editedAt),
      deletedAt: iso(r.m.deletedAt),
      text: r.m.text,
      textRemovedAt: iso(r.m.textPurgedAt),
      attachments: r.m.attachments,
      link: r.m.link,
      evidence: evidenceIds.has(r.m.id),
      stages: stagesOf(r.m.id),
    })),
    alerts: (await caseAlerts(db, caseId)).map((a) => ({
      id: a.id,
      at: iso(a.createdAt),
      trigger: a.trigger,
      mode: a.mode,
      score: a.score,
      threshold: a.threshold,
      stages: a.stages,
      modelVersion: a.modelVersion,
      delivery: a.deliveryState,
      deliveredAt: iso(a.deliveredAt),
    })),
    labels: (await caseLabels(db, caseId)).map((l) => ({ label: l.label, source: l.source, actor: l.actor, at: iso(l.createdAt), stages: l.stages })),
    decisions: decisions.map((d) => ({ action: d.action, actor: d.actor, at: iso(d.at), details: d.details })),
    notes: (await caseNotesOf(db, caseId)).map((n) => ({ author: n.author, at: iso(n.createdAt), text: n.text })),
  };
  return {
    format: REPORT_FORMAT,
    body,
    digest: { algorithm: "sha256", over: "canonical JSON of body (keys sorted, no whitespace, UTF-8)", value: digestOf(body) },
  };
}
