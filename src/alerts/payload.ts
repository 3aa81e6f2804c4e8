// Builds what an adapter renders for an alert, from the stored case: who, where, how
// risky, the stage timeline, and the messages that carried the most weight (truncated,
// never media), with the actions moderators may take.
import { and, asc, eq, inArray, like } from "drizzle-orm";
import type { AlertPayload, Excerpt, ModeratorActionKind, Platform, PlatformActionKind, Reason, Stage } from "../types.ts";
import { autoActionKey } from "./platform-action.ts";
import { DECISIONS } from "../types.ts";
import type { Db } from "../store/db.ts";
import { getAlert } from "../store/alerts.ts";
import { caseTargetsOf, getCaseRow, refKey, resolveMessageRefs } from "../store/cases.ts";
import { loadSettings } from "../store/settings.ts";
import { caseMessages, channels, communities, messageSignals, messages, outbox, participants } from "../store/schema.ts";

export const EXCERPT_CHARS = 300;

export function truncate(text: string, max = EXCERPT_CHARS): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** Messages ranked by their summed contribution to the score, strongest first. */
export function rankEvidence(reasons: Reason[]): { conversationId: string; messageId: string; weight: number; stages: Stage[] }[] {
  const by = new Map<string, { conversationId: string; messageId: string; weight: number; stages: Stage[] }>();
  for (const r of reasons) {
    const k = refKey(r);
    const e = by.get(k) ?? { conversationId: r.conversationId, messageId: r.messageId, weight: 0, stages: [] };
    e.weight += r.contribution;
    if (!e.stages.includes(r.stage)) e.stages.push(r.stage);
    by.set(k, e);
  }
  return [...by.values()].sort((a, b) => b.weight - a.weight);
}

export async function buildAlertPayload(db: Db, alertId: number): Promise<AlertPayload | null> {
  const alert = await getAlert(db, alertId);
  if (!alert) return null;
  const kase = await getCaseRow(db, alert.caseId);
  if (!kase) return null;
  const [community] = await db.select().from(communities).where(eq(communities.id, kase.communityId)).limit(1);
  if (!community) return null;
  const channel = kase.channelId
    ? (await db.select().from(channels).where(eq(channels.id, kase.channelId)).limit(1))[0]
    : undefined;
  const [suspect] = await db.select().from(participants).where(eq(participants.id, kase.suspectId)).limit(1);
  const targets = await caseTargetsOf(db, kase.id);
  const { settings } = await loadSettings(db, kase.communityId);

  const ranked = rankEvidence((alert.reasons as Reason[]) ?? []).slice(0, settings.maxExcerpts);
  const ids = await resolveMessageRefs(db, kase.communityId, ranked);
  const rowIds = [...new Set([...ids.values()])];
  const rows = rowIds.length
    ? await db
        .select({ id: messages.id, platformMessageId: messages.platformMessageId, text: messages.text, sentAt: messages.sentAt, link: messages.link, author: participants.platformId })
        .from(messages)
        .innerJoin(participants, eq(participants.id, messages.authorId))
        .where(inArray(messages.id, rowIds))
    : [];
  const excerpts: Excerpt[] = [];
  for (const e of ranked) {
    const row = rows.find((r) => r.id === ids.get(refKey(e)));
    if (!row) continue;
    excerpts.push({
      messageId: row.platformMessageId,
      authorId: row.author,
      ts: row.sentAt.getTime(),
      text: row.text === null ? "[text removed]" : truncate(row.text),
      stages: e.stages,
      link: row.link,
    });
  }
  excerpts.sort((a, b) => a.ts - b.ts);

  const actions: ModeratorActionKind[] = [...DECISIONS, ...settings.platformActions];
  return {
    alertId: alert.id,
    caseId: kase.id,
    platform: community.platform as Platform,
    communityId: community.platformId,
    communityName: community.name,
    channelId: channel?.platformId ?? "",
    channelName: channel?.name ?? null,
    suspect: { id: suspect?.platformId ?? "", name: suspect?.displayName ?? null },
    targets: targets.map((t) => ({ id: t.id, name: t.name })),
    score: alert.score,
    threshold: alert.threshold,
    timeline: await caseTimeline(db, kase.id),
    excerpts,
    actions,
    trigger: alert.trigger,
    status: kase.status,
    decidedBy: kase.decidedBy,
    automatic: await automaticActions(db, kase.id),
  };
}

/** Actions Haven requested on its own for the case (their outbox rows, see platform-action.ts). */
async function automaticActions(db: Db, caseId: number): Promise<PlatformActionKind[]> {
  const prefix = autoActionKey(caseId, "" as PlatformActionKind);
  const rows = await db.select({ key: outbox.idempotencyKey }).from(outbox).where(like(outbox.idempotencyKey, `${prefix}%`));
  return rows.map((r) => r.key.slice(prefix.length) as PlatformActionKind).sort();
}

/** Each stage of a case with the first linked message that showed it, in order of time. */
export async function caseTimeline(db: Db, caseId: number): Promise<{ stage: Stage; ts: number; messageId: string }[]> {
  const rows = await db
    .select({ stage: messageSignals.stage, sentAt: messages.sentAt, messageId: messages.platformMessageId })
    .from(caseMessages)
    .innerJoin(messages, eq(messages.id, caseMessages.messageId))
    .innerJoin(messageSignals, and(eq(messageSignals.messageId, messages.id)))
    .where(eq(caseMessages.caseId, caseId))
    .orderBy(asc(messages.sentAt), asc(messages.id));
  const seen = new Set<Stage>();
  const out: { stage: Stage; ts: number; messageId: string }[] = [];
  for (const r of rows) {
    if (seen.has(r.stage)) continue;
    seen.add(r.stage);
    out.push({ stage: r.stage, ts: r.sentAt.getTime(), messageId: r.messageId });
  }
  return out;
}
