// What one shard process runs in the ShardingManager test: the real adapter (startDiscord, no
// shard options, so discord.js takes SHARDS / SHARD_COUNT from the environment the manager
// set) with a stub Haven that reports every ingested message to the manager over IPC.
import { startDiscord } from "../../../adapters/discord/index.ts";
import { silentLogger } from "../../../src/log.ts";
import type { ChatMessage, HavenService } from "../../../src/types.ts";

const tell = (message: Record<string, unknown>) => process.send?.({ haven: true, ...message });

const service = {
  registerSink: () => undefined,
  lastMessageId: async () => null,
  ingest: async (msg: ChatMessage) => {
    tell({ event: "ingest", guildId: msg.communityId, text: msg.text });
    return { stored: true, scored: false, assessment: null, alertIds: [] };
  },
} as unknown as HavenService;

const running = await startDiscord({ token: process.env.DISCORD_TOKEN!, apiBase: process.env.DISCORD_API_BASE!, service, log: silentLogger });
tell({ event: "ready", shards: [...running.client.ws.shards.keys()], guilds: [...running.client.guilds.cache.keys()] });
process.once("SIGTERM", () => void running.stop().then(() => process.exit(0)));
