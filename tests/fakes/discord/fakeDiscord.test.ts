// The fake must be faithful enough for the real discord.js client: these drive discord.js
// through it and check what each side saw.
import { Client, Events, GatewayIntentBits, Partials, type Message } from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventually, FakeDiscord, Permissions, type FakeChannel, type FakeGuild, type FakeUser } from "./index.ts";

describe("fake Discord with the real discord.js client", () => {
  let fake: FakeDiscord;
  let client: Client;
  let guild: FakeGuild;
  let general: FakeChannel;
  let alice: FakeUser;
  const seen: Message[] = [];

  beforeEach(async () => {
    fake = await FakeDiscord.start();
    guild = fake.addGuild("Art Club");
    general = fake.addChannel(guild, "general");
    alice = fake.addMember(guild, "alice");
    seen.length = 0;
    client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent, GatewayIntentBits.GuildMembers],
      partials: [Partials.Message, Partials.Channel],
      rest: { api: fake.apiBase },
    });
    client.on(Events.MessageCreate, (m) => void seen.push(m));
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(fake.token);
    await ready;
  });

  afterEach(async () => {
    await client.destroy();
    await fake.close();
  });

  it("identifies, receives the guild with channels and members, and sees typed messages", async () => {
    const cached = client.guilds.cache.get(guild.id);
    expect(cached?.name).toBe("Art Club");
    expect(cached?.channels.cache.get(general.id)?.name).toBe("general");
    expect(cached?.members.cache.get(alice.id)?.user.username).toBe("alice");
    expect(fake.opsReceived(2)).toBe(1);

    const sent = fake.userTypes(general, alice, "hello there", { attachments: 2 });
    const message = await eventually(() => seen.find((m) => m.id === sent.id), "messageCreate");
    expect(message.content).toBe("hello there");
    expect(message.attachments.size).toBe(2);
    expect(message.author.id).toBe(alice.id);
    expect(message.member?.id).toBe(alice.id);
  });

  it("stores what the bot posts and serves it back through channel history", async () => {
    const channel = client.channels.cache.get(general.id);
    if (!channel?.isSendable()) throw new Error("general is not sendable");
    const posted = await channel.send({ content: "from the bot" });
    expect(fake.messagesIn(general).map((m) => m.id)).toContain(posted.id);
    const typed = fake.userTypes(general, alice, "after the bot");
    if (!channel.isTextBased()) throw new Error("not text");
    const page = await channel.messages.fetch({ after: posted.id, limit: 100 });
    expect([...page.keys()]).toEqual([typed.id]);
  });

  it("resumes a dropped connection and replays what was missed", async () => {
    fake.dropConnection({ resumable: true });
    const missed = fake.userTypes(general, alice, "while you were away");
    await eventually(() => seen.find((m) => m.id === missed.id), "replayed message");
    expect(fake.opsReceived(6)).toBe(1);
    expect(fake.opsReceived(2)).toBe(1);
  });

  it("answers 500 then succeeds; discord.js retries on its own", async () => {
    fake.failNext({ method: "POST", path: "/messages", status: 500, count: 1 });
    const channel = client.channels.cache.get(general.id);
    if (!channel?.isSendable()) throw new Error("general is not sendable");
    await channel.send("retried");
    expect(fake.calls({ method: "POST", path: "/messages" }).map((c) => c.status)).toEqual([500, 200]);
    expect(fake.messagesIn(general).filter((m) => m.content === "retried")).toHaveLength(1);
  });

  it("answers 429 with retry-after and discord.js waits and retries", async () => {
    fake.failNext({ method: "POST", path: "/messages", status: 429, count: 1, retryAfter: 0.05 });
    const channel = client.channels.cache.get(general.id);
    if (!channel?.isSendable()) throw new Error("general is not sendable");
    await channel.send("after the limit");
    expect(fake.calls({ method: "POST", path: "/messages" }).map((c) => c.status)).toEqual([429, 200]);
  });

  it("computes member permissions from roles in interactions", async () => {
    const mods = fake.addRole(guild, "mods", Permissions.ManageMessages);
    const bob = fake.addMember(guild, "bob", [mods]);
    await client.application!.commands.set([{ name: "ping", description: "ping" }], guild.id);
    const got = new Promise<bigint>((resolve) =>
      client.once(Events.InteractionCreate, (i) => {
        resolve(i.memberPermissions?.bitfield ?? 0n);
        if (i.isChatInputCommand()) void i.reply({ content: "pong", flags: 64 });
      }),
    );
    const record = fake.runSlashCommand(general, bob, "ping", null);
    expect(await got).toBe(Permissions.ManageMessages);
    await eventually(() => record.response, "reply");
    expect(record.callbacks[0]).toMatchObject({ type: 4, data: { content: "pong", flags: 64 } });
  });
});

describe("fake Discord interactions and heartbeats", () => {
  it("updates the message a button belongs to (callback type 7) and acknowledges heartbeats", async () => {
    const fake = await FakeDiscord.start({ heartbeatInterval: 50 });
    const guild = fake.addGuild("Club");
    const channel = fake.addChannel(guild, "general");
    const bob = fake.addMember(guild, "bob");
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase } });
    try {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(fake.token);
      await ready;
      client.on(Events.InteractionCreate, (i) => {
        if (i.isButton()) void i.update({ content: `pressed by ${i.user.username}`, components: [] });
      });
      const sendable = client.channels.cache.get(channel.id);
      if (!sendable?.isSendable()) throw new Error("not sendable");
      const posted = await sendable.send({ content: "press me", components: [{ type: 1, components: [{ type: 2, style: 1, label: "Go", custom_id: "go" }] }] });
      const press = fake.pressButton({ id: posted.id, channel_id: channel.id }, "go", bob);
      await eventually(() => press.callbacks.length, "the update");
      expect(press.callbacks[0]?.type).toBe(7);
      const stored = fake.messagesIn(channel).find((m) => m.id === posted.id)!;
      expect(stored.content).toBe("pressed by bob");
      expect(stored.components).toEqual([]);
      await eventually(() => fake.opsReceived(1) >= 2 && client.ws.ping >= 0, "heartbeats acknowledged");
    } finally {
      await client.destroy();
      await fake.close();
    }
  });
});

describe("fake Discord sharding", () => {
  it("routes each guild to the shard that owns it ((guild_id >> 22) % shards)", async () => {
    const fake = await FakeDiscord.start({ shards: 2, maxConcurrency: 2 });
    // Snowflakes from consecutive milliseconds land on different shards; make sure both shards own one.
    const guilds: FakeGuild[] = [];
    while (new Set(guilds.map((g) => Number((BigInt(g.id) >> 22n) % 2n))).size < 2) {
      guilds.push(fake.addGuild(`guild ${guilds.length}`));
      await new Promise((r) => setTimeout(r, 2));
    }
    const client = new Client({ intents: [GatewayIntentBits.Guilds], shards: "auto", rest: { api: fake.apiBase } });
    try {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(fake.token);
      await ready;
      expect(client.ws.shards.size).toBe(2);
      expect(fake.opsReceived(2)).toBe(2);
      for (const g of guilds) {
        expect(client.guilds.cache.get(g.id)?.shardId).toBe(Number((BigInt(g.id) >> 22n) % 2n));
      }
    } finally {
      await client.destroy();
      await fake.close();
    }
  });
});
