// Everything the case view shows, read straight from the store: the case, its people,
// the conversation timeline with the engine's evidence, alerts, labels, notes, decisions.
import { and, asc, desc, eq, inArray, isNull, like, notInArray, or } from "drizzle-orm";
import type { Db } from "../../store/db.ts";
import { alerts, auditLog, caseMessages, caseNotes, cases, caseTargets, channels, communities, labels, messages, messageSignals, participants } from "../../store/schema.ts";
import type { CaseStatus, Stage } from "../../types.ts";

export interface Person {
  id: number;
  platformId: string;
  name: string | null;
}

export interface CaseHeader {
  id: number;
  communityId: number;
  communityName: string | null;
  communityPlatformId: string;
  platform: string;
  status: CaseStatus;
  score: number;
  stages: Stage[];
  lang: string | null;
  channelId: number | null;
  openedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  claimedBy: number | null;
  suspect: Person;
  targets: Person[];
}

export interface TimelineSignal {
  stage: Stage;
  weight: number;
  evidence: string;
  rule: string;
}

export interface TimelineMessage {
  id: number;
  platformMessageId: string;
  channelId: number;
  channelPlatformId: string;
  channelKind: "group" | "dm";
  channelName: string | null;
  author: Person;
  bySuspect: boolean;
  sentAt: Date;
  text: string | null;
  score: number | null;
  lang: string | null;
  attachments: number;
  link: string | null;
  inCase: boolean;
  signals: TimelineSignal[];
  /** The latest reviewer stage correction, if any. */
  correctedStages: Stage[] | null;
}

export async function loadCaseHeader(db: Db, caseId: number): Promise<CaseHeader | null> {
  const rows = await db
    .select({ c: cases, community: communities, suspect: participants })
    .from(cases)
    .innerJoin(communities, eq(communities.id, cases.communityId))
    .innerJoin(participants, eq(participants.id, cases.suspectId))
    .where(eq(cases.id, caseId))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  const targets = await db
    .select({ id: participants.id, platformId: participants.platformId, name: participants.displayName })
    .from(caseTargets)
    .innerJoin(participants, eq(participants.id, caseTargets.participantId))
    .where(eq(caseTargets.caseId, caseId))
    .orderBy(participants.id);
  return {
    id: row.c.id,
    communityId: row.c.communityId,
    communityName: row.community.name,
    communityPlatformId: row.community.platformId,
    platform: row.community.platform,
    status: row.c.status,
    score: row.c.score,
    stages: row.c.stages,
    lang: row.c.lang,
    channelId: row.c.channelId,
    openedAt: row.c.openedAt,
    decidedBy: row.c.decidedBy,
    decidedAt: row.c.decidedAt,
    claimedBy: row.c.claimedBy,
    suspect: { id: row.suspect.id, platformId: row.suspect.platformId, name: row.suspect.displayName },
    targets,
  };
}

/** The conversation between the suspect and the targets in the case's channels, oldest first. */
export async function loadTimeline(db: Db, header: CaseHeader, limit = 500): Promise<TimelineMessage[]> {
  const inCase = await db.select({ messageId: caseMessages.messageId, channelId: messages.channelId }).from(caseMessages).innerJoin(messages, eq(messages.id, caseMessages.messageId)).where(eq(caseMessages.caseId, header.id));
  const channelIds = [...new Set([...inCase.map((m) => m.channelId), ...(header.channelId ? [header.channelId] : [])])];
  if (channelIds.length === 0) return [];
  const people = [header.suspect.id, ...header.targets.map((t) => t.id)];
  const caseIds = new Set(inCase.map((m) => m.messageId));
  const rows = await db
    .select({ m: messages, author: participants, channel: channels })
    .from(messages)
    .innerJoin(participants, eq(participants.id, messages.authorId))
    .innerJoin(channels, eq(channels.id, messages.channelId))
    .where(and(inArray(messages.channelId, channelIds), or(inArray(messages.authorId, people), caseIds.size ? inArray(messages.id, [...caseIds]) : undefined)))
    .orderBy(desc(messages.sentAt), desc(messages.id))
    .limit(limit);
  rows.reverse();
  const ids = rows.map((r) => r.m.id);
  const signals = ids.length ? await db.select().from(messageSignals).where(inArray(messageSignals.messageId, ids)) : [];
  const corrections = ids.length
    ? await db.select().from(labels).where(and(eq(labels.caseId, header.id), inArray(labels.messageId, ids))).orderBy(asc(labels.id))
    : [];
  const corrected = new Map<number, Stage[]>();
  for (const l of corrections) if (l.messageId !== null) corrected.set(l.messageId, l.stages ?? []);
  return rows.map((r) => ({
    id: r.m.id,
    platformMessageId: r.m.platformMessageId,
    channelId: r.channel.id,
    channelPlatformId: r.channel.platformId,
    channelKind: r.channel.kind,
    channelName: r.channel.name,
    author: { id: r.author.id, platformId: r.author.platformId, name: r.author.displayName },
    bySuspect: r.author.id === header.suspect.id,
    sentAt: r.m.sentAt,
    text: r.m.text,
    score: r.m.score,
    lang: r.m.lang,
    attachments: r.m.attachments,
    link: r.m.link,
    inCase: caseIds.has(r.m.id),
    signals: signals.filter((s) => s.messageId === r.m.id).map((s) => ({ stage: s.stage, weight: s.weight, evidence: s.evidence, rule: s.rule })),
    correctedStages: corrected.get(r.m.id) ?? null,
  }));
}

export async function loadCaseAlerts(db: Db, caseId: number) {
  return db
    .select({ id: alerts.id, trigger: alerts.trigger, mode: alerts.mode, score: alerts.score, threshold: alerts.threshold, stages: alerts.stages, deliveryState: alerts.deliveryState, createdAt: alerts.createdAt })
    .from(alerts)
    .where(eq(alerts.caseId, caseId))
    .orderBy(asc(alerts.id));
}

export async function loadCaseLabels(db: Db, caseId: number) {
  return db.select().from(labels).where(and(eq(labels.caseId, caseId), isNull(labels.messageId))).orderBy(asc(labels.id));
}

export async function loadCaseNotes(db: Db, caseId: number) {
  return db.select().from(caseNotes).where(eq(caseNotes.caseId, caseId)).orderBy(asc(caseNotes.id));
}

/** Decisions and labels on the case, from the audit trail (any path: console, chat buttons, CLI). */
export async function loadCaseHistory(db: Db, caseId: number) {
  return db
    .select({ at: auditLog.at, actor: auditLog.actor, action: auditLog.action, details: auditLog.details })
    .from(auditLog)
    // Views and reveals are for the audit log; the case shows what was decided and said.
    .where(and(eq(auditLog.subject, `case:${caseId}`), or(like(auditLog.action, "case.%"), like(auditLog.action, "alert.%")), notInArray(auditLog.action, ["case.view", "case.reveal", "case.export"])))
    .orderBy(asc(auditLog.id))
    .limit(200);
}
