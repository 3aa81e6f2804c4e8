// Stored messages and their stage signals. Text and metadata only; never media.
import { and, desc, eq, sql } from "drizzle-orm";
import type { ChatMessage, Platform, StageSignal } from "../types.ts";
import type { Db } from "./db.ts";
import { channels, messageSignals, messages } from "./schema.ts";

export interface NewMessage {
  channelId: number;
  platformMessageId: string;
  authorId: number;
  sentAt: Date;
  text: string;
  replyToPlatformId?: string | null;
  mentions?: string[];
  attachments?: number;
  link?: string | null;
  forwardedFrom?: string | null;
}

/** Inserts a message; returns its row id, or null when (channel, platform id) is already stored. */
export async function insertMessage(db: Db, m: NewMessage): Promise<number | null> {
  const rows = await db
    .insert(messages)
    .values({
      channelId: m.channelId,
      platformMessageId: m.platformMessageId,
      authorId: m.authorId,
      sentAt: m.sentAt,
      text: m.text,
      replyToPlatformId: m.replyToPlatformId ?? null,
      mentions: m.mentions ?? [],
      attachments: m.attachments ?? 0,
      link: m.link ?? null,
      forwardedFrom: m.forwardedFrom ?? null,
    })
    .onConflictDoNothing({ target: [messages.channelId, messages.platformMessageId] })
    .returning({ id: messages.id });
  return rows[0]?.id ?? null;
}

export interface MessageLocation {
  id: number;
  channelId: number;
  communityId: number;
  authorId: number;
  scoredAt: Date | null;
}

export async function findMessage(db: Db, platform: Platform, channelPlatformId: string, platformMessageId: string): Promise<MessageLocation | null> {
  const rows = await db
    .select({
      id: messages.id,
      channelId: messages.channelId,
      communityId: channels.communityId,
      authorId: messages.authorId,
      scoredAt: messages.scoredAt,
    })
    .from(messages)
    .innerJoin(channels, eq(channels.id, messages.channelId))
    .where(and(eq(channels.platform, platform), eq(channels.platformId, channelPlatformId), eq(messages.platformMessageId, platformMessageId)))
    .limit(1);
  return rows[0] ?? null;
}

/** Records the engine's verdict on a message: score, language and stage signals (replacing earlier ones after an edit). */
export async function saveAssessment(
  db: Db,
  messageId: number,
  score: number | null,
  lang: string | null,
  signals: StageSignal[],
  opts: { replace: boolean } = { replace: true },
): Promise<void> {
  await db.update(messages).set({ score, lang, scoredAt: sql`now()` }).where(eq(messages.id, messageId));
  // A message scored for the first time has no signals to replace: save the round trip.
  if (opts.replace) await db.delete(messageSignals).where(eq(messageSignals.messageId, messageId));
  if (signals.length) {
    // One row per (stage, rule): the strongest evidence wins when a rule fires twice.
    const best = new Map<string, StageSignal>();
    for (const s of signals) {
      const k = `${s.stage}\u0000${s.rule}`;
      const prev = best.get(k);
      if (!prev || s.weight > prev.weight) best.set(k, s);
    }
    await db.insert(messageSignals).values(
      [...best.values()].map((s) => ({ messageId, stage: s.stage, weight: s.weight, evidence: s.evidence, rule: s.rule })),
    );
  }
}

export async function updateMessageText(db: Db, messageId: number, text: string, editedAt: Date): Promise<void> {
  await db.update(messages).set({ text, editedAt }).where(eq(messages.id, messageId));
}

export async function markMessageDeleted(db: Db, messageId: number, deletedAt: Date): Promise<void> {
  await db.update(messages).set({ deletedAt }).where(eq(messages.id, messageId));
}

/** The newest stored platform message id of a channel (for back-filling after a reconnect). */
export async function lastMessageId(db: Db, platform: Platform, channelPlatformId: string): Promise<string | null> {
  const rows = await db
    .select({ id: messages.platformMessageId })
    .from(messages)
    .innerJoin(channels, eq(channels.id, messages.channelId))
    .where(and(eq(channels.platform, platform), eq(channels.platformId, channelPlatformId)))
    .orderBy(desc(messages.sentAt), desc(messages.id))
    .limit(1);
  return rows[0]?.id ?? null;
}

/** A stored message as the adapter gave it (for scoring again: handovers, edits, the what-if replay). */
export function storedChatMessage(
  m: typeof messages.$inferSelect,
  where: { platform: Platform; communityId: string; channelId: string; channelKind: ChatMessage["channelKind"] },
  authorId: string,
): ChatMessage {
  return {
    ...where,
    messageId: m.platformMessageId,
    authorId,
    text: m.text ?? "",
    ts: m.sentAt.getTime(),
    replyToId: m.replyToPlatformId,
    mentions: m.mentions,
    attachments: m.attachments,
    link: m.link,
    forwardedFrom: m.forwardedFrom,
  };
}
