// The discord.js client Haven needs: guild text, message content (privileged) and members
// (privileged, for roles used in exemptions). Partials let edits and deletions of messages
// sent before start-up through.
import { Client, GatewayIntentBits, Partials, type ClientOptions } from "discord.js";

export const HAVEN_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.GuildMembers,
];

export function createClient(opts: { apiBase?: string; shards?: ClientOptions["shards"]; shardCount?: number }): Client {
  return new Client({
    intents: HAVEN_INTENTS,
    partials: [Partials.Message, Partials.Channel],
    ...(opts.apiBase ? { rest: { api: opts.apiBase } } : {}),
    ...(opts.shards !== undefined ? { shards: opts.shards } : {}),
    ...(opts.shardCount !== undefined ? { shardCount: opts.shardCount } : {}),
  });
}
