// adapters/discord/shardManager.ts with discord.js' real ShardingManager: it asks the fake
// Discord for the recommended shard count, forks one tsx process per shard, and each process's
// adapter identifies as its shard and receives only its own guilds' messages.
import type { Shard, ShardingManager } from "discord.js";
import { fileURLToPath } from "node:url";
import { afterEach, expect, it } from "vitest";
import { recommendedShards, shardEnvironment, startShardManager } from "../../../adapters/discord/shardManager.ts";
import { silentLogger } from "../../../src/log.ts";
import { eventually, FakeDiscord } from "../../fakes/discord/index.ts";

interface Report {
  event: string;
  shards?: number[];
  guilds?: string[];
  guildId?: string;
  text?: string;
}

let fake: FakeDiscord | undefined;
let manager: ShardingManager | undefined;
const savedApiBase = process.env.DISCORD_API_BASE;

afterEach(async () => {
  for (const shard of manager?.shards.values() ?? []) shard.kill();
  manager = undefined;
  await fake?.close();
  if (savedApiBase === undefined) delete process.env.DISCORD_API_BASE;
  else process.env.DISCORD_API_BASE = savedApiBase;
});

it("spawns one process per recommended shard; each gets only its own guilds' messages", { timeout: 120_000 }, async () => {
  fake = await FakeDiscord.start({ shards: 2, maxConcurrency: 2 });
  const zero = fake.addGuild("Shard Zero Club", { shard: [0, 2] });
  const one = fake.addGuild("Shard One Club", { shard: [1, 2] });
  const general = { 0: fake.addChannel(zero, "general"), 1: fake.addChannel(one, "general") };
  const people = { 0: fake.addMember(zero, "ann"), 1: fake.addMember(one, "bob") };
  expect(await recommendedShards(fake.token, fake.apiBase)).toBe(2);

  // Shard processes inherit this process's environment.
  process.env.DISCORD_API_BASE = fake.apiBase;
  const reports = new Map<number, Report[]>();
  const file = fileURLToPath(new URL("./shardProcess.ts", import.meta.url));
  const listen = (shard: Shard) => {
    reports.set(shard.id, []);
    shard.on("message", (m: Report & { haven?: boolean }) => void (m.haven && reports.get(shard.id)!.push(m)));
  };
  manager = await startShardManager({ token: fake.token, apiBase: fake.apiBase, file, shardArgs: [], spawnDelayMs: 0, log: silentLogger, onShard: listen });
  expect(manager.totalShards).toBe(2);
  const ready = (id: number) => reports.get(id)?.find((r) => r.event === "ready");
  await eventually(() => ready(0) && ready(1), "both shard processes ready");
  expect(ready(0)).toMatchObject({ shards: [0], guilds: [zero.id] });
  expect(ready(1)).toMatchObject({ shards: [1], guilds: [one.id] });
  const identifies = fake.gateway.received.filter((r) => r.op === 2).map((r) => (r.d as { shard: number[] }).shard);
  expect(identifies.sort()).toEqual([
    [0, 2],
    [1, 2],
  ]);

  fake.userTypes(general[0], people[0], "hello from shard zero's guild");
  fake.userTypes(general[1], people[1], "hello from shard one's guild");
  const ingested = (id: number) => reports.get(id)!.filter((r) => r.event === "ingest");
  await eventually(() => ingested(0).length && ingested(1).length, "each process to ingest its message");
  expect(ingested(0).map((r) => r.guildId)).toEqual([zero.id]);
  expect(ingested(1).map((r) => r.guildId)).toEqual([one.id]);
});

it("refuses to shard on the embedded database and keeps Telegram and the console port out of shard processes", () => {
  expect(() => shardEnvironment({ DISCORD_TOKEN: "t" })).toThrow(/DATABASE_URL/);
  const env = shardEnvironment({ DISCORD_TOKEN: "t", DATABASE_URL: "postgres://db/haven", TELEGRAM_TOKEN: "x", HAVEN_CONSOLE_PORT: "8787" });
  expect(env.TELEGRAM_TOKEN).toBeUndefined();
  expect(env.HAVEN_CONSOLE_PORT).toBe("0");
  expect(env.DATABASE_URL).toBe("postgres://db/haven");
});
