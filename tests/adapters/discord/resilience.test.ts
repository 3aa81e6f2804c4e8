// Failures on the Discord side: REST errors on delivery, gateway drops with and without a
// resumable session, and the message events Haven must record or ignore.
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testBackends, useTestDatabase } from "../../fixtures/db.ts";
import { Intents } from "../../fakes/discord/index.ts";
import { snowflakeTime } from "../../fakes/discord/snowflake.ts";
import { alertMessages, eventually, groomingScript, startWorld, typeScript, waitStored, type World } from "./harness.ts";

describe.each(testBackends())("Discord resilience ($name)", (backend) => {
  const database = useTestDatabase(backend);
  let w: World;

  beforeEach(async () => {
    w = await startWorld(database());
  });
  afterEach(async () => {
    await w.close();
  });

  async function storedMessages(): Promise<{ id: string; text: string | null; edited: boolean; deleted: boolean }[]> {
    const result = await database().db.execute(
      sql`select platform_message_id as id, text, edited_at is not null as edited, deleted_at is not null as deleted from messages order by id`,
    );
    return ((result as unknown as { rows?: unknown[] }).rows ?? (result as unknown as unknown[])) as { id: string; text: string | null; edited: boolean; deleted: boolean }[];
  }

  it("a delivery that fails with 500s beyond discord.js' own retries stays in the outbox and is delivered once", async () => {
    // discord.js retries a 5xx three times; four failures make the delivery itself fail.
    w.fake.failNext({ method: "POST", path: `/channels/${w.modChannel.id}/messages`, status: 500, count: 4 });
    await typeScript(w, w.general, groomingScript(w));
    await eventually(async () => {
      await w.haven.drainOutbox();
      return alertMessages(w).length > 0;
    }, "the alert after retries");
    await w.haven.drainOutbox();
    const posts = w.fake.calls({ method: "POST", path: `/channels/${w.modChannel.id}/messages` });
    expect(posts.slice(0, 5).map((c) => c.status)).toEqual([500, 500, 500, 500, 200]);
    expect(alertMessages(w)).toHaveLength(1);
  });

  it("a 429 with retry-after is waited out by discord.js and the alert is delivered once", async () => {
    w.fake.failNext({ method: "POST", path: `/channels/${w.modChannel.id}/messages`, status: 429, count: 1, retryAfter: 0.05 });
    await typeScript(w, w.general, groomingScript(w));
    await w.haven.drainOutbox();
    await eventually(() => alertMessages(w).length === 1, "the alert");
    expect(w.fake.calls({ method: "POST", path: `/channels/${w.modChannel.id}/messages` })[0]?.status).toBe(429);
    expect(alertMessages(w)).toHaveLength(1);
  });

  it("a dropped gateway connection is resumed and messages sent meanwhile are replayed, none lost", async () => {
    const script = groomingScript(w);
    const first = await typeScript(w, w.general, script.slice(0, 4));
    w.fake.dropConnection({ resumable: true });
    // Typed while the bot is disconnected (same tick as the drop).
    const during = script.slice(4).map((l) => w.fake.userTypes(w.general, l.author, l.text));
    await waitStored(w, w.general, during.at(-1)!.id);
    expect(w.fake.opsReceived(6)).toBeGreaterThanOrEqual(1); // RESUME
    expect(w.fake.opsReceived(2)).toBe(1); // no second IDENTIFY
    expect((await storedMessages()).map((m) => m.id)).toEqual([...first, ...during].map((m) => m.id));
    await w.haven.drainOutbox();
    await eventually(() => alertMessages(w).length === 1, "the alert");
  });

  it("when Discord refuses the resume, the bot re-identifies and back-fills the missed messages through REST", { timeout: 60_000 }, async () => {
    const first = await typeScript(w, w.general, groomingScript(w).slice(0, 3));
    w.fake.dropConnection({ resumable: false });
    const missed = [
      w.fake.userTypes(w.general, w.child, "are you still there?"),
      w.fake.userTypes(w.general, w.suspect, "yes, sorry my internet dropped"),
    ];
    // The identify throttle makes the second IDENTIFY wait up to ~6.5 s. Under load READY and
    // GUILD_CREATE can be handled out of order inside discord.js, which then waits its
    // waitGuildTimeout (15 s) before the shard is ready and the back-fill starts: allow for both.
    await eventually(async () => (await w.haven.service.lastMessageId("discord", w.general.id)) === missed[1]!.id, "back-filled messages", 35_000);
    expect(w.fake.opsReceived(2)).toBe(2);
    const fetches = w.fake.calls({ method: "GET", path: `/channels/${w.general.id}/messages` });
    expect(fetches.some((c) => c.query.after === first.at(-1)!.id)).toBe(true);
    expect((await storedMessages()).map((m) => m.id)).toEqual([...first, ...missed].map((m) => m.id));
  });

  it("records edits and deletions, and skips bots and webhooks", async () => {
    const [a, b] = await typeScript(w, w.general, [
      { author: w.child, text: "first draft of my sprite" },
      { author: w.suspect, text: "looks good" },
    ]);
    w.fake.userEdits(a!, "final version of my sprite");
    w.fake.userDeletes(b!);
    const helper = w.fake.addMember(w.guild, "helper-bot", [], { bot: true });
    w.fake.userTypes(w.general, helper, "beep, I am a bot");
    w.fake.userTypes(w.general, w.member, "posted by a webhook", { webhookId: "123456789012345678" });
    const last = w.fake.userTypes(w.general, w.member, "a person again");
    await waitStored(w, w.general, last.id);
    await eventually(async () => {
      const rows = await storedMessages();
      return rows.find((r) => r.id === a!.id)?.edited && rows.find((r) => r.id === b!.id)?.deleted;
    }, "edit and deletion recorded");
    const rows = await storedMessages();
    expect(rows.map((r) => r.id)).toEqual([a!.id, b!.id, last.id]);
    expect(rows[0]?.text).toBe("final version of my sprite");
  });

  it("hands Haven the author, channel, reply, mentions, attachment count, time and roles of a real discord.js message", async () => {
    const [first] = await typeScript(w, w.general, [{ author: w.child, text: "finished my sprite" }]);
    const reply = w.fake.userTypes(w.general, w.moderator, "looks great <@" + w.child.id + ">", { replyTo: first!.id, mentions: [w.child], attachments: 2 });
    await waitStored(w, w.general, reply.id);
    const seen = w.ingested.find((i) => i.msg.messageId === reply.id)!;
    expect(seen.msg).toMatchObject({
      platform: "discord",
      communityId: w.guild.id,
      communityName: "Pixel Art Club",
      channelId: w.general.id,
      channelName: "general",
      channelKind: "group",
      authorId: w.moderator.id,
      authorName: "mod_ann",
      replyToId: first!.id,
      mentions: [w.child.id],
      attachments: 2,
      forwardedFrom: null,
      link: `https://discord.com/channels/${w.guild.id}/${w.general.id}/${reply.id}`,
    });
    // Milliseconds, from the id like Discord's own clients (the snowflake carries the creation time).
    expect(seen.msg.ts).toBe(snowflakeTime(reply.id));
    expect(seen.roles).toEqual([w.modRole.id]);
  });

  it("an update that is not an edit (a link preview unfolding) does not mark the message edited", async () => {
    const [linked] = await typeScript(w, w.general, [{ author: w.child, text: "my gallery: https://example.org/sprites" }]);
    // What Discord sends once it has fetched the preview: same content, an embed, no edited_timestamp.
    w.fake.gateway.dispatchGuildEvent(w.guild.id, "MESSAGE_UPDATE", { ...linked!, embeds: [{ type: "link", url: "https://example.org/sprites", title: "Sprites" }] }, Intents.GuildMessages);
    const next = w.fake.userTypes(w.general, w.member, "nice!");
    await waitStored(w, w.general, next.id);
    expect((await storedMessages()).map((r) => r.edited)).toEqual([false, false]);
    // A real edit after it still is one.
    w.fake.userEdits(linked!, "my gallery (updated): https://example.org/sprites");
    await eventually(async () => (await storedMessages())[0]?.edited, "the real edit recorded");
    expect((await storedMessages())[0]?.text).toBe("my gallery (updated): https://example.org/sprites");
  });
});
