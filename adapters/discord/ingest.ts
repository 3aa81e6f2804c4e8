// Message events → the pipeline: creates, edits and deletions.
import type { Message, OmitPartialGroupDMChannel, PartialMessage } from "discord.js";
import type { Logger } from "../../src/log.ts";
import type { HavenService } from "../../src/types.ts";
import { authorRoles, toChatMessage, type DiscordMessageLike } from "./toMessage.ts";

type AnyMessage = OmitPartialGroupDMChannel<Message | PartialMessage> | Message;

export async function ingestMessage(message: AnyMessage, service: HavenService, log: Logger): Promise<boolean> {
  const like = message as unknown as DiscordMessageLike;
  const msg = toChatMessage(like);
  if (!msg) return false;
  if (await inExemptParent(message, msg.communityId, service)) return false;
  const result = await service.ingest(msg, { authorRoles: authorRoles(like) });
  if (result.alertIds.length) log.info({ guildId: msg.communityId, channelId: msg.channelId, alerts: result.alertIds }, "discord: message raised alerts");
  return result.stored;
}

export async function ingestEdit(message: AnyMessage, service: HavenService): Promise<void> {
  // Edits of bots and webhooks are as irrelevant as their messages. Discord also sends updates
  // that are not edits (a link preview unfolding, a pin): those carry no edited timestamp.
  if (!message.guildId || message.author?.bot || message.webhookId || message.content === null || !message.editedTimestamp) return;
  await service.editMessage(
    { platform: "discord", channelId: message.channelId, messageId: message.id },
    message.content,
    message.editedTimestamp,
  );
}

export async function ingestDelete(message: { id: string; channelId: string; guildId: string | null }, service: HavenService): Promise<void> {
  if (!message.guildId) return;
  await service.deleteMessage({ platform: "discord", channelId: message.channelId, messageId: message.id }, Date.now());
}

/**
 * Exempting a channel exempts its threads too (a staff channel's threads are staff talk). The
 * pipeline knows only the thread's own id, so the adapter checks the parent; threads only, so
 * ordinary messages cost no extra settings read.
 */
async function inExemptParent(message: AnyMessage, guildId: string, service: HavenService): Promise<boolean> {
  const channel = message.channel as { isThread?: () => boolean; parentId?: string | null } | null;
  const parentId = channel?.isThread?.() ? channel.parentId : null;
  if (!parentId) return false;
  // The pipeline takes a channel's messages in the order they are handed over; checks of one
  // thread run one after another, so each message reaches service.ingest in gateway order.
  return inOrder(message.channelId, async () => (await service.getSettings("discord", guildId)).exemptChannels.includes(parentId));
}

const chains = new Map<string, Promise<unknown>>();

function inOrder<T>(key: string, step: () => Promise<T>): Promise<T> {
  const result = (chains.get(key) ?? Promise.resolve()).then(step);
  const tail = result.catch(() => undefined);
  chains.set(key, tail);
  void tail.then(() => {
    if (chains.get(key) === tail) chains.delete(key);
  });
  return result;
}
