// Privacy: message text is kept only as long as it is needed. Text of messages that never
// became evidence in a case goes after the community's retentionDays; text of closed
// cases after caseRetentionDays. Scores, signals and labels stay without the text.
// Erasure removes one person's text and name everywhere, on request.
import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { Reason } from "../types.ts";
import { recordAudit } from "./audit.ts";
import type { Db } from "./db.ts";
import { caseTargetIds, linkCaseConversation } from "./cases.ts";
import { alerts, cases, channels, communities, messageSignals, messages, participants } from "./schema.ts";
import { loadSettings } from "./settings.ts";

const DAY = 86_400_000;

export interface PurgeResult {
  /** Texts removed from messages that were in no case. */
  messages: number;
  /** Texts removed from messages of closed cases. */
  caseMessages: number;
}

function affected(result: unknown): number {
  const r = result as { rowCount?: number | null; affectedRows?: number };
  return r.rowCount ?? r.affectedRows ?? 0;
}

export async function purgeExpired(db: Db, now: Date = new Date(), actor = "system:retention"): Promise<PurgeResult> {
  const total: PurgeResult = { messages: 0, caseMessages: 0 };
  const list = await db.select({ id: communities.id }).from(communities);
  for (const { id } of list) {
    const { settings } = await loadSettings(db, id);
    // An open case keeps the whole conversation around its evidence, up to now.
    const open = await db.select({ id: cases.id, suspectId: cases.suspectId }).from(cases).where(and(eq(cases.communityId, id), eq(cases.status, "open")));
    for (const k of open) await linkCaseConversation(db, k.id, id, k.suspectId, [k.suspectId, ...(await caseTargetIds(db, k.id))], now);
    const loose = await db.execute(sql`
      update ${messages} m set text = null, text_purged_at = ${now.toISOString()}::timestamptz
      where m.text is not null
        and m.sent_at < ${new Date(now.getTime() - settings.retentionDays * DAY).toISOString()}::timestamptz
        and m.channel_id in (select c.id from ${channels} c where c.community_id = ${id})
        and not exists (select 1 from case_messages cm where cm.message_id = m.id)`);
    // Evidence of a closed case goes once every case holding it is closed and past retention.
    const closedBefore = new Date(now.getTime() - settings.caseRetentionDays * DAY).toISOString();
    const closed = await db.execute(sql`
      update ${messages} m set text = null, text_purged_at = ${now.toISOString()}::timestamptz
      where m.text is not null
        and m.channel_id in (select c.id from ${channels} c where c.community_id = ${id})
        and exists (select 1 from case_messages cm where cm.message_id = m.id)
        and not exists (
          select 1 from case_messages cm join cases k on k.id = cm.case_id
          where cm.message_id = m.id
            and (k.status = 'open' or k.decided_at is null or k.decided_at >= ${closedBefore}::timestamptz))`);
    const counts = { messages: affected(loose), caseMessages: affected(closed) };
    if (counts.messages || counts.caseMessages) {
      await recordAudit(db, { actor, action: "retention.purge", communityId: id, details: { ...counts, retentionDays: settings.retentionDays, caseRetentionDays: settings.caseRetentionDays } });
    }
    total.messages += counts.messages;
    total.caseMessages += counts.caseMessages;
  }
  return total;
}

export interface EraseResult {
  found: boolean;
  messages: number;
}

/** Removes a person's message text, stage evidence quoted from it, and display name; leaves an audit entry. */
export async function eraseUser(db: Db, platform: string, userId: string, actor: string, now: Date = new Date()): Promise<EraseResult> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const [person] = await t
      .select({ id: participants.id })
      .from(participants)
      .where(and(eq(participants.platform, platform), eq(participants.platformId, userId)))
      .limit(1);
    if (!person) {
      await recordAudit(t, { actor, action: "user.erase", subject: `user:${platform}:${userId}`, details: { found: false } });
      return { found: false, messages: 0 };
    }
    const own = await t
      .select({ id: messages.id, platformMessageId: messages.platformMessageId, communityId: channels.communityId, channel: channels.platformId })
      .from(messages)
      .innerJoin(channels, eq(channels.id, messages.channelId))
      .where(eq(messages.authorId, person.id));
    const ids = own.map((m) => m.id);
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      await t.update(messages).set({ text: null, textPurgedAt: now }).where(and(inArray(messages.id, chunk), isNotNull(messages.text)));
      await t.update(messageSignals).set({ evidence: "" }).where(inArray(messageSignals.messageId, chunk));
    }
    // Alerts keep their reasons for audit, without the quoted words of this person's messages.
    const communityIds = [...new Set(own.map((m) => m.communityId))];
    if (communityIds.length) {
      const theirs = new Set(own.map((m) => `${m.channel}\u0000${m.platformMessageId}`));
      const theirIds = new Set(own.map((m) => m.platformMessageId));
      const rows = await t.select({ id: alerts.id, reasons: alerts.reasons }).from(alerts).where(inArray(alerts.communityId, communityIds));
      for (const a of rows) {
        const reasons = (a.reasons as Reason[]) ?? [];
        let touched = false;
        const cleaned = reasons.map((r) => {
          const mine = theirs.has(`${r.conversationId}\u0000${r.messageId}`) || (theirIds.has(r.messageId) && !own.some((m) => m.channel === r.conversationId));
          if (!mine || !r.evidence) return r;
          touched = true;
          return { ...r, evidence: "" };
        });
        if (touched) await t.update(alerts).set({ reasons: cleaned }).where(eq(alerts.id, a.id));
      }
    }
    await t.update(participants).set({ displayName: null, erasedAt: now }).where(eq(participants.id, person.id));
    await recordAudit(t, { actor, action: "user.erase", subject: `user:${platform}:${userId}`, details: { found: true, messages: ids.length } });
    return { found: true, messages: ids.length };
  });
}

/** For tests and the console: messages whose text is gone. */
export async function purgedCount(db: Db): Promise<number> {
  const rows = await db.select({ n: sql<number>`count(*)` }).from(messages).where(isNotNull(messages.textPurgedAt));
  return Number(rows[0]?.n ?? 0);
}
