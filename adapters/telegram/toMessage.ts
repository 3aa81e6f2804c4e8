// Telegram group messages → Haven's ChatMessage. Pure: the update is parsed with zod
// (a malformed update yields null, never a throw) and media are only counted.
import { z } from "zod";
import type { ChatMessage, MessageRef } from "../../src/types.ts";

const userSchema = z.object({ id: z.number().int(), is_bot: z.boolean().optional(), first_name: z.string(), last_name: z.string().optional(), username: z.string().optional() });
const chatSchema = z.object({ id: z.number().int(), type: z.string(), title: z.string().optional(), username: z.string().optional() });
const entitySchema = z.object({ type: z.string(), offset: z.number().int(), length: z.number().int(), user: userSchema.optional() });
const originSchema = z.object({
  type: z.string(),
  sender_user: userSchema.optional(),
  sender_user_name: z.string().optional(),
  sender_chat: chatSchema.optional(),
  chat: chatSchema.optional(),
});

/** Media kinds Haven counts (never downloads). A photo is one attachment whatever its sizes. */
const MEDIA_KEYS = ["photo", "video", "document", "sticker", "animation", "voice", "video_note", "audio"] as const;

export const telegramMessageSchema = z
  .object({
    message_id: z.number().int(),
    date: z.number().int(),
    edit_date: z.number().int().optional(),
    chat: chatSchema,
    from: userSchema.optional(),
    text: z.string().optional(),
    caption: z.string().optional(),
    entities: z.array(entitySchema).optional(),
    caption_entities: z.array(entitySchema).optional(),
    reply_to_message: z.object({ message_id: z.number().int(), forum_topic_created: z.unknown().optional() }).optional(),
    forward_origin: originSchema.optional(),
  })
  .passthrough();

export type TelegramMessage = z.infer<typeof telegramMessageSchema>;

/** Resolves an @username to a user id Haven has seen, when it has. */
export type UsernameLookup = (username: string) => string | undefined;

export function displayName(user: { first_name: string; last_name?: string | undefined; username?: string | undefined }): string {
  return [user.first_name, user.last_name].filter(Boolean).join(" ") || (user.username ? `@${user.username}` : "unknown");
}

/**
 * Link to a message: public supergroups by username, private supergroups by t.me/c/<id without -100>/<msg>.
 * Basic groups have no message links.
 */
export function messageLink(chat: { id: number; type: string; username?: string | undefined }, messageId: number): string | null {
  if (chat.type !== "supergroup" && chat.type !== "channel") return null;
  if (chat.username) return `https://t.me/${chat.username}/${messageId}`;
  const s = String(chat.id);
  if (!s.startsWith("-100")) return null;
  return `https://t.me/c/${s.slice(4)}/${messageId}`;
}

export function isGroupChat(chat: { type: string }): boolean {
  return chat.type === "group" || chat.type === "supergroup";
}

/** Translates a group/supergroup message; null for anything Haven does not score (private chats, bots, service messages, malformed). */
export function toChatMessage(raw: unknown, lookup: UsernameLookup = () => undefined): ChatMessage | null {
  const parsed = telegramMessageSchema.safeParse(raw);
  if (!parsed.success) return null;
  const m = parsed.data;
  if (!isGroupChat(m.chat) || !m.from || m.from.is_bot) return null;
  const attachments = MEDIA_KEYS.filter((k) => (m as Record<string, unknown>)[k] !== undefined).length;
  const text = m.text ?? m.caption ?? "";
  // Service messages (joins, pins, title changes) carry neither text nor media.
  if (!text && attachments === 0) return null;
  const msg: ChatMessage = {
    platform: "telegram",
    communityId: String(m.chat.id),
    channelId: String(m.chat.id),
    channelKind: "group",
    messageId: String(m.message_id),
    authorId: String(m.from.id),
    authorName: displayName(m.from),
    text,
    ts: m.date * 1000,
    replyToId: m.reply_to_message && m.reply_to_message.forum_topic_created === undefined ? String(m.reply_to_message.message_id) : null,
    mentions: mentionsOf(text, m.text !== undefined ? m.entities : m.caption_entities, lookup),
    attachments,
    link: messageLink(m.chat, m.message_id),
    forwardedFrom: forwardedFrom(m.forward_origin),
  };
  if (m.chat.title) {
    msg.communityName = m.chat.title;
    msg.channelName = m.chat.title;
  }
  return msg;
}

/** The reference and new text of an edited message, or null when it is not one Haven watches. */
export function toEdit(raw: unknown): { ref: MessageRef; text: string; editedAt: number } | null {
  const parsed = telegramMessageSchema.safeParse(raw);
  if (!parsed.success || !isGroupChat(parsed.data.chat)) return null;
  const m = parsed.data;
  return {
    ref: { platform: "telegram", channelId: String(m.chat.id), messageId: String(m.message_id) },
    text: m.text ?? m.caption ?? "",
    editedAt: (m.edit_date ?? m.date) * 1000,
  };
}

/** text_mention entities carry the user id; @username mentions resolve to ids Haven has seen, else stay "@name". */
function mentionsOf(text: string, entities: z.infer<typeof entitySchema>[] | undefined, lookup: UsernameLookup): string[] {
  const out = new Set<string>();
  for (const e of entities ?? []) {
    if (e.type === "text_mention" && e.user) out.add(String(e.user.id));
    else if (e.type === "mention") {
      const name = text.slice(e.offset + 1, e.offset + e.length);
      if (name) out.add(lookup(name.toLowerCase()) ?? `@${name}`);
    }
  }
  return [...out];
}

function forwardedFrom(origin: z.infer<typeof originSchema> | undefined): string | null {
  if (!origin) return null;
  if (origin.sender_user) return String(origin.sender_user.id);
  if (origin.sender_user_name) return origin.sender_user_name;
  if (origin.sender_chat) return String(origin.sender_chat.id);
  if (origin.chat) return String(origin.chat.id);
  return origin.type;
}
