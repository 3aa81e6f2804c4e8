// Haven on Discord: turns guild messages into Haven messages, delivers alerts with buttons,
// and serves /haven commands. Everything goes through HavenService; nothing here scores.
import { Events, MessageFlags, type Client, type ClientOptions, type Interaction } from "discord.js";
import type { Logger } from "../../src/log.ts";
import type { HavenService } from "../../src/types.ts";
import { backfillShard } from "./backfill.ts";
import { handleButton } from "./buttons.ts";
import { createClient } from "./client.ts";
import { handleCommand, registerCommands } from "./commands.ts";
import { ingestDelete, ingestEdit, ingestMessage } from "./ingest.ts";
import { guardPackets } from "./packetGuard.ts";
import { DiscordAlertSink } from "./sendAlert.ts";

export { createClient, HAVEN_INTENTS } from "./client.ts";
export { DiscordAlertSink, renderAlert } from "./sendAlert.ts";
export { havenCommand } from "./commands.ts";
export { rightsFromPermissions } from "./rights.ts";
export { toChatMessage } from "./toMessage.ts";

export interface StartDiscordOptions {
  token: string;
  /** REST base, e.g. http://127.0.0.1:PORT/api for a local fake or a proxy (DISCORD_API_BASE). */
  apiBase?: string;
  service: HavenService;
  log: Logger;
  /** Shard ids for this process; under discord.js' ShardingManager leave unset (it passes them in the environment). */
  shards?: ClientOptions["shards"];
  shardCount?: number;
}

export interface RunningDiscord {
  client: Client;
  stop(): Promise<void>;
}

export async function startDiscord(opts: StartDiscordOptions): Promise<RunningDiscord> {
  const { service } = opts;
  const log = opts.log.child({ platform: "discord" });
  const client = createClient({
    ...(opts.apiBase ? { apiBase: opts.apiBase } : {}),
    ...(opts.shards !== undefined ? { shards: opts.shards } : {}),
    ...(opts.shardCount !== undefined ? { shardCount: opts.shardCount } : {}),
  });
  service.registerSink(new DiscordAlertSink(client, service, log));
  if (!guardPackets(client, log)) log.warn("discord: cannot guard against malformed gateway events with this discord.js version; one could crash the process");

  // Every handler catches: a failure is logged with what it was doing, never an unhandled rejection.
  const guard = (what: string, run: () => Promise<unknown>) => {
    run().catch((error: unknown) => log.error({ err: error instanceof Error ? error.message : String(error) }, `discord: ${what} failed`));
  };

  client.on(Events.MessageCreate, (message) => guard(`ingesting message ${message.id}`, () => ingestMessage(message, service, log)));
  client.on(Events.MessageUpdate, (_old, message) => guard(`recording edit of ${message.id}`, () => ingestEdit(message, service)));
  client.on(Events.MessageDelete, (message) => guard(`recording deletion of ${message.id}`, () => ingestDelete(message, service)));
  client.on(Events.MessageBulkDelete, (messages) =>
    guard("recording a bulk deletion", async () => {
      for (const message of messages.values()) await ingestDelete(message, service);
    }),
  );
  client.on(Events.InteractionCreate, (interaction) => guard(`answering interaction ${interaction.id}`, () => onInteraction(interaction, service, log)));
  client.on(Events.GuildCreate, (guild) => guard(`registering commands in ${guild.id}`, () => registerCommands(client, guild.id)));
  // A shard is ready after start-up or after Discord refused a resume: catch up through REST.
  client.on(Events.ShardReady, (shardId) => guard(`back-filling shard ${shardId}`, () => backfillShard(client, shardId, service, log)));
  client.on(Events.ShardResume, (shardId, replayed) => log.info({ shardId, replayed }, "discord: gateway session resumed"));
  client.on(Events.ShardReconnecting, (shardId) => log.warn({ shardId }, "discord: gateway reconnecting"));
  client.on(Events.ShardError, (error, shardId) => log.warn({ shardId, err: error.message }, "discord: gateway error"));
  client.on(Events.Error, (error) => log.error({ err: error.message }, "discord: client error"));
  client.on(Events.Warn, (message) => log.warn(message));

  const ready = new Promise<void>((resolve) => {
    client.once(Events.ClientReady, (c) => {
      const guilds = [...c.guilds.cache.keys()];
      void Promise.allSettled(guilds.map((id) => registerCommands(c, id))).then((results) => {
        results.forEach((r, i) => {
          if (r.status === "rejected") log.error({ guildId: guilds[i], err: String(r.reason) }, "discord: registering /haven failed; it will be retried on the next start");
        });
        log.info({ user: c.user.tag, guilds: guilds.length }, "discord: ready");
        resolve();
      });
    });
  });
  try {
    await client.login(opts.token);
  } catch (error) {
    await client.destroy();
    throw new Error(`Discord login failed: ${error instanceof Error ? error.message : String(error)} — check DISCORD_TOKEN (Bot token from the Developer Portal) and that the privileged intents are enabled`);
  }
  await ready;
  return {
    client,
    async stop() {
      // Before destroy, which forgets the shards.
      haltReconnects(client);
      await client.destroy();
    },
  };
}

async function onInteraction(interaction: Interaction, service: HavenService, log: Logger): Promise<void> {
  try {
    if (interaction.isButton()) await handleButton(interaction, service, log);
    else if (interaction.isChatInputCommand()) await handleCommand(interaction, service, log);
  } catch (error) {
    // Tell the person something went wrong rather than leaving "interaction failed".
    const sorry = "Haven could not do that just now; please try again.";
    if (interaction.isRepliable() && !interaction.replied) {
      const done = interaction.deferred ? interaction.editReply({ content: sorry }) : interaction.reply({ content: sorry, flags: MessageFlags.Ephemeral });
      await done.catch(() => undefined);
    }
    throw error;
  }
}

/**
 * discord.js 14 / @discordjs/ws 1.x: a shard destroyed between two reconnect attempts (the
 * gateway unreachable) is idle, ignores the destroy, and reconnects again 500 ms later for
 * ever, keeping the process alive after stop(). Turn the pending reconnect into a no-op.
 * Internals, so guarded: if they change, this does nothing.
 */
function haltReconnects(client: Client): void {
  try {
    const manager = (client.ws as unknown as { _ws?: { strategy?: { shards?: Map<number, { internalConnect?: unknown }> } } })._ws;
    for (const shard of manager?.strategy?.shards?.values() ?? []) {
      if (typeof shard.internalConnect === "function") shard.internalConnect = async () => undefined;
    }
  } catch {
    // best effort only
  }
}
