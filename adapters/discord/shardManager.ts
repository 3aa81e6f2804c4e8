// Haven on large Discord bots: discord.js' ShardingManager runs one `haven start` process per
// shard (it passes SHARDS / SHARD_COUNT / DISCORD_TOKEN in the environment, and discord.js'
// Client picks them up), all sharing one PostgreSQL. A guild lives on exactly one shard, so
// one process owns its conversation state; cases, settings and the outbox are shared.
//
//   DATABASE_URL=postgres://… DISCORD_TOKEN=… npx tsx adapters/discord/shardManager.ts
//
// Shard processes run Discord only: Telegram allows one poller per token and the console one
// port, so run those in one ordinary `haven start` without DISCORD_TOKEN beside this.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ShardingManager, type Shard } from "discord.js";
import { createLogger, type Logger } from "../../src/log.ts";

const DEFAULT_API = "https://discord.com/api";
const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

export interface ShardManagerOptions {
  token: string;
  /** REST base (DISCORD_API_BASE); the recommended shard count is asked there. */
  apiBase?: string;
  /** Total shards; default Discord's recommendation (GET /gateway/bot). */
  totalShards?: number;
  /** The script each shard process runs, and its arguments (default: Haven's CLI, `start`). */
  file?: string;
  shardArgs?: string[];
  /** Pause between spawning shards (Discord allows max_concurrency identifies per 5 s; default 5.5 s). */
  spawnDelayMs?: number;
  log: Logger;
  /** Called for each shard as it is created (before it is ready), e.g. to listen to its messages. */
  onShard?: (shard: Shard) => void;
}

/** Discord's recommended shard count. discord.js' own "auto" always asks discord.com, so a proxy or fake would be bypassed. */
export async function recommendedShards(token: string, apiBase = DEFAULT_API): Promise<number> {
  const res = await fetch(`${apiBase.replace(/\/+$/, "")}/v10/gateway/bot`, { headers: { authorization: `Bot ${token}` } });
  if (!res.ok) throw new Error(`GET /gateway/bot answered ${res.status}: check DISCORD_TOKEN${apiBase === DEFAULT_API ? "" : " and DISCORD_API_BASE"}`);
  const body = (await res.json()) as { shards?: unknown };
  if (typeof body.shards !== "number" || body.shards < 1) throw new Error("GET /gateway/bot gave no shard count");
  return body.shards;
}

export async function startShardManager(opts: ShardManagerOptions): Promise<ShardingManager> {
  const totalShards = opts.totalShards ?? (await recommendedShards(opts.token, opts.apiBase));
  const manager = new ShardingManager(opts.file ?? MAIN, {
    token: opts.token,
    totalShards,
    shardArgs: opts.shardArgs ?? ["start"],
    // Haven is TypeScript run by tsx; each shard process loads it the same way, with the
    // young generation Haven's workers run with (src/cli/heap.ts).
    execArgv: ["--import", "tsx", "--max-semi-space-size=8"],
    mode: "process",
    respawn: true,
  });
  manager.on("shardCreate", (shard) => {
    opts.log.info({ shardId: shard.id, totalShards }, "discord: shard process started");
    shard.on("death", () => opts.log.warn({ shardId: shard.id }, "discord: shard process died; ShardingManager respawns it"));
    opts.onShard?.(shard);
  });
  await manager.spawn({ amount: totalShards, delay: opts.spawnDelayMs ?? 5_500, timeout: 120_000 });
  return manager;
}

/** The environment shard processes inherit: Discord only, console on a free local port. */
export function shardEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (!env.DATABASE_URL) throw new Error("Sharding needs DATABASE_URL (PostgreSQL): the embedded database cannot be shared between processes");
  if (!env.DISCORD_TOKEN) throw new Error("Set DISCORD_TOKEN (the bot token from the Developer Portal)");
  const next: NodeJS.ProcessEnv = { ...env, HAVEN_CONSOLE_PORT: "0", HAVEN_CONSOLE_HOST: "127.0.0.1" };
  delete next.TELEGRAM_TOKEN;
  delete next.TELEGRAM_WEBHOOK_URL;
  return next;
}

async function main(): Promise<void> {
  const log = createLogger();
  // ShardingManager hands its own process.env (plus SHARDS…) to every shard.
  process.env = shardEnvironment(process.env);
  const total = process.env.DISCORD_TOTAL_SHARDS ? Number(process.env.DISCORD_TOTAL_SHARDS) : undefined;
  if (total !== undefined && !(Number.isInteger(total) && total > 0)) throw new Error("DISCORD_TOTAL_SHARDS must be a positive whole number");
  const manager = await startShardManager({
    token: process.env.DISCORD_TOKEN!,
    ...(process.env.DISCORD_API_BASE ? { apiBase: process.env.DISCORD_API_BASE } : {}),
    ...(total !== undefined ? { totalShards: total } : {}),
    log,
  });
  log.info({ shards: manager.shards.size }, "discord: all shards ready");
  const stop = () => {
    for (const shard of manager.shards.values()) shard.kill();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
