// After a fresh session (start-up, or a resume Discord refused) the gateway does not replay
// what was said meanwhile: fetch it through REST from the last stored message of each
// channel. Ingesting a message twice is harmless (the pipeline ignores duplicates).
import type { Client, Guild, Message } from "discord.js";
import type { Logger } from "../../src/log.ts";
import type { HavenService } from "../../src/types.ts";
import { ingestMessage } from "./ingest.ts";

const PAGE = 100;
/** Per channel and pass; a longer outage is better handled by an operator than by hammering the API. */
const MAX_PAGES = 20;

interface FetchableChannel {
  id: string;
  messages: { fetch(opts: { after: string; limit: number; cache?: boolean }): Promise<Map<string, Message>> };
}

export async function backfillGuild(guild: Guild, service: HavenService, log: Logger): Promise<number> {
  let total = 0;
  const channels = [...guild.channels.cache.values()].filter((c) => c.isTextBased() && !c.isVoiceBased());
  const beforeIngest = (await needsRoles(guild.id, service, log)) ? ensureMember : undefined;
  for (const channel of channels) {
    try {
      total += await backfillChannel(channel as unknown as FetchableChannel, service, log, beforeIngest);
    } catch (error) {
      log.warn({ guildId: guild.id, channelId: channel.id, err: String(error) }, "discord: back-fill of a channel failed; its missed messages stay missed until the next reconnect");
    }
  }
  return total;
}

export async function backfillChannel(
  channel: FetchableChannel,
  service: HavenService,
  log: Logger,
  beforeIngest?: (message: Message) => Promise<void>,
): Promise<number> {
  let after = await service.lastMessageId("discord", channel.id);
  if (!after) return 0; // never seen: nothing to catch up with
  let stored = 0;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const batch = await channel.messages.fetch({ after, limit: PAGE, cache: false });
    // Discord lists newest first; the pipeline wants them in order.
    const ordered = [...batch.values()].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    for (const message of ordered) {
      if (beforeIngest) await beforeIngest(message);
      if (await ingestMessage(message, service, log)) stored += 1;
    }
    if (batch.size < PAGE || !ordered.length) break;
    after = ordered.at(-1)!.id;
  }
  if (stored) log.info({ channelId: channel.id, stored }, "discord: back-filled messages missed while disconnected");
  return stored;
}

export async function backfillShard(client: Client, shardId: number, service: HavenService, log: Logger): Promise<void> {
  for (const guild of client.guilds.cache.values()) {
    if (guild.shardId === shardId) await backfillGuild(guild, service, log);
  }
}

/**
 * Messages from REST carry no member object, and in a large guild discord.js' member cache
 * holds few members; without the author's roles an exempt (staff) role would be ignored. When
 * the guild exempts roles (or its settings cannot be read), fetch each unknown author once.
 */
async function needsRoles(guildId: string, service: HavenService, log: Logger): Promise<boolean> {
  try {
    return (await service.getSettings("discord", guildId)).exemptRoles.length > 0;
  } catch (error) {
    log.warn({ guildId, err: String(error) }, "discord: could not read settings before back-fill; fetching authors' roles to be safe");
    return true;
  }
}

async function ensureMember(message: Message): Promise<void> {
  if (message.member || !message.guild || !message.author || message.author.bot || message.webhookId) return;
  // Cached afterwards, so message.member resolves; a member who left has no roles to exempt.
  await message.guild.members.fetch(message.author.id).catch(() => undefined);
}
