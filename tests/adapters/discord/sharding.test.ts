// Two Haven processes, each running the Discord adapter for one shard of two, sharing one
// database (as under discord.js' ShardingManager with one Postgres). The fake Discord routes
// each guild's events only to the shard owning it ((guild_id >> 22) % 2), like Discord.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHaven, type Haven } from "../../../src/app.ts";
import { silentLogger } from "../../../src/log.ts";
import type { HavenService } from "../../../src/types.ts";
import { startDiscord, type RunningDiscord } from "../../../adapters/discord/index.ts";
import { testBackends, useTestDatabase } from "../../fixtures/db.ts";
import { eventually, FakeDiscord, Permissions, type ApiMessage, type FakeChannel, type FakeGuild, type FakeUser } from "../../fakes/discord/index.ts";

interface Place {
  guild: FakeGuild;
  general: FakeChannel;
  mods: FakeChannel;
  suspect: FakeUser;
  child: FakeUser;
  moderator: FakeUser;
}

interface ShardProcess {
  haven: Haven;
  discord: RunningDiscord;
  /** Guild ids of the messages this process handed to its pipeline. */
  ingested: string[];
}

describe.each(testBackends())("Discord sharding ($name)", (backend) => {
  const database = useTestDatabase(backend);
  let fake: FakeDiscord;
  let processes: ShardProcess[] = [];

  beforeEach(async () => {
    fake = await FakeDiscord.start({ shards: 2, maxConcurrency: 2 });
    processes = [];
  });
  afterEach(async () => {
    for (const p of processes) {
      await p.discord.stop();
      await p.haven.stop();
    }
    await fake.close();
  });

  function place(name: string, shard: number): Place {
    const guild = fake.addGuild(name, { shard: [shard, 2] });
    const modRole = fake.addRole(guild, "Moderators", Permissions.ManageMessages);
    return {
      guild,
      general: fake.addChannel(guild, "general"),
      mods: fake.addChannel(guild, "mod-alerts"),
      suspect: fake.addMember(guild, "sunny_mentor"),
      child: fake.addMember(guild, "pixelpip"),
      moderator: fake.addMember(guild, "mod_ann", [modRole]),
    };
  }

  async function startShard(shard: number): Promise<ShardProcess> {
    const haven = await createHaven({ database: database(), log: silentLogger, outbox: { baseDelayMs: 1, maxDelayMs: 5 }, retentionEveryMs: 0 });
    const ingested: string[] = [];
    const service = new Proxy(haven.service, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop === "ingest") {
          return (...args: Parameters<HavenService["ingest"]>) => {
            ingested.push(args[0].communityId);
            return target.ingest(...args);
          };
        }
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const discord = await startDiscord({ token: fake.token, apiBase: fake.apiBase, service, log: silentLogger, shards: [shard], shardCount: 2 });
    const p = { haven, discord, ingested };
    processes.push(p);
    return p;
  }

  const script = (p: Place) => [
    { author: p.suspect, text: "hey your dragon sprite is amazing, you're really talented" },
    { author: p.child, text: "thanks!! took me all weekend" },
    { author: p.suspect, text: "you're so mature for your age. how old are you btw? what school do you go to?" },
    { author: p.child, text: "12, i'm in 7th grade" },
    { author: p.suspect, text: "you can trust me. this is just between us, don't tell your parents ok" },
    { author: p.suspect, text: "let's move to snapchat, it's more private there" },
    { author: p.suspect, text: "are you home alone right now? send me a pic of you, just for me" },
  ];
  const alertsIn = (p: Place): ApiMessage[] =>
    fake.messagesIn(p.mods).filter((m) => (m.author as { id: string }).id === fake.botUser.id && (m.embeds as unknown[]).length > 0);

  it("each shard identifies with its id, gets only its guilds' events, and every alert is delivered once", async () => {
    const zero = place("Shard Zero Club", 0);
    const one = place("Shard One Club", 1);
    const admin = { via: "cli" as const, id: "test", rights: ["configure" as const] };
    const [a, b] = [await startShard(0), await startShard(1)];
    for (const p of [zero, one]) await a.haven.service.changeSettings("discord", p.guild.id, { modChannel: p.mods.id }, admin);

    // One IDENTIFY per shard, each naming its shard; each client holds only its own guild.
    const identifies = fake.gateway.received.filter((r) => r.op === 2).map((r) => (r.d as { shard: [number, number] }).shard);
    expect(identifies.sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect([...a.discord.client.guilds.cache.keys()]).toEqual([zero.guild.id]);
    expect([...b.discord.client.guilds.cache.keys()]).toEqual([one.guild.id]);
    // Commands are registered in each guild by the shard that owns it.
    expect(zero.guild.commands.map((c) => c.name)).toEqual(["haven"]);
    expect(one.guild.commands.map((c) => c.name)).toEqual(["haven"]);

    for (const p of [zero, one]) {
      const sent = script(p).map((l) => fake.userTypes(p.general, l.author, l.text));
      await eventually(async () => (await a.haven.service.lastMessageId("discord", p.general.id)) === sent.at(-1)!.id, `messages stored in ${p.guild.name}`);
    }
    expect(new Set(a.ingested)).toEqual(new Set([zero.guild.id]));
    expect(new Set(b.ingested)).toEqual(new Set([one.guild.id]));
    expect(a.ingested).toHaveLength(script(zero).length);

    // Either process may deliver either alert (REST only); each is delivered exactly once.
    await Promise.all([a.haven.drainOutbox(), b.haven.drainOutbox()]);
    await Promise.all([a.haven.drainOutbox(), b.haven.drainOutbox()]);
    expect(alertsIn(zero)).toHaveLength(1);
    expect(alertsIn(one)).toHaveLength(1);

    // A button press in shard 1's guild reaches shard 1's process and decides the case.
    const [alert] = alertsIn(one);
    const confirm = (alert!.components as { components: { label: string; custom_id: string }[] }[])[0]!.components.find((c) => c.label === "Confirm")!;
    const press = fake.pressButton(alert!, confirm.custom_id, one.moderator);
    await eventually(() => press.response, "an answer to the press");
    expect(String(press.response!.content)).toMatch(/^Done/);
    const caseId = Number(/#(\d+)/.exec(String((alert!.embeds as { title: string }[])[0]!.title))![1]);
    expect((await b.haven.service.getCase(caseId, { platform: "discord", communityId: one.guild.id }))?.status).toBe("confirmed");
  });
});
