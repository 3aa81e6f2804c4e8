// discord.js Message → Haven ChatMessage. Typed structurally so it can be tested with plain
// objects; only text and metadata cross over (attachments are counted, never fetched).
import type { ChatMessage } from "../../src/types.ts";

interface KeyedCollection {
  keys(): Iterable<string>;
}

export interface DiscordMessageLike {
  id: string;
  guildId: string | null;
  channelId: string;
  content: string;
  createdTimestamp: number;
  webhookId?: string | null;
  system?: boolean;
  author: { id: string; bot: boolean; username: string; globalName?: string | null } | null;
  member?: { displayName?: string; roles: { cache: KeyedCollection } } | null;
  guild?: { name: string } | null;
  channel?: { name?: string | null } | null;
  reference?: { messageId?: string | null; channelId?: string | null; guildId?: string | null } | null;
  mentions?: { users: KeyedCollection } | null;
  attachments?: { size: number } | null;
}

export function jumpLink(guildId: string, channelId: string, messageId: string): string {
  return `https://discord.com/channels/${guildId}/${channelId}/${messageId}`;
}

/** Why a message is not for Haven, or null when it is. */
export function skipReason(m: DiscordMessageLike): string | null {
  if (!m.guildId) return "not in a server";
  if (!m.author) return "no author (partial message)";
  if (m.webhookId) return "webhook";
  if (m.author.bot) return "bot";
  if (m.system) return "system message";
  if (!m.content && !(m.attachments?.size ?? 0)) return "no text and no attachments";
  return null;
}

export function toChatMessage(m: DiscordMessageLike): ChatMessage | null {
  if (skipReason(m) !== null) return null;
  const guildId = m.guildId!;
  const author = m.author!;
  const ref = m.reference;
  // A reference into another channel is a forward/crosspost, not a reply in this conversation.
  const sameChannel = ref?.messageId && (!ref.channelId || ref.channelId === m.channelId);
  const msg: ChatMessage = {
    platform: "discord",
    communityId: guildId,
    channelId: m.channelId,
    channelKind: "group",
    messageId: m.id,
    authorId: author.id,
    authorName: m.member?.displayName ?? author.globalName ?? author.username,
    text: m.content,
    ts: m.createdTimestamp,
    replyToId: sameChannel ? ref!.messageId! : null,
    mentions: m.mentions ? [...m.mentions.users.keys()] : [],
    attachments: m.attachments?.size ?? 0,
    link: jumpLink(guildId, m.channelId, m.id),
    forwardedFrom: ref?.messageId && !sameChannel ? `${ref.channelId ?? "?"}/${ref.messageId}` : null,
  };
  if (m.guild?.name) msg.communityName = m.guild.name;
  if (m.channel?.name) msg.channelName = m.channel.name;
  return msg;
}

/** Role ids of the author, for the pipeline's exempt-role check. */
export function authorRoles(m: DiscordMessageLike): string[] {
  // discord.js lists @everyone (the guild's own id) among a member's roles; it exempts nobody.
  return m.member ? [...m.member.roles.cache.keys()].filter((id) => id !== m.guildId) : [];
}
