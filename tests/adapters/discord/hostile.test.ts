// Hostile or broken input from Discord's side: payloads Discord should never send, huge
// text, message kinds Haven does not know, and API errors while answering. The adapter logs
// and goes on; it never crashes (vitest fails the run on an unhandled rejection) and never
// loses the next ordinary message.
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testBackends, useTestDatabase } from "../../fixtures/db.ts";
import { Intents } from "../../fakes/discord/index.ts";
import { alertMessages, buttonsOf, eventually, groomingScript, recordingLogger, startWorld, typeScript, waitStored, type World } from "./harness.ts";

describe.each(testBackends())("Discord adapter under hostile input ($name)", (backend) => {
  const database = useTestDatabase(backend);
  let w: World;
  let logged: ReturnType<typeof recordingLogger>;

  beforeEach(async () => {
    logged = recordingLogger();
    w = await startWorld(database(), { log: logged.log });
  });
  afterEach(async () => {
    await w.close();
  });

  async function storedIds(): Promise<string[]> {
    const result = await database().db.execute(sql`select platform_message_id as id from messages order by id`);
    const rows = ((result as unknown as { rows?: unknown[] }).rows ?? (result as unknown as unknown[])) as { id: string }[];
    return rows.map((r) => r.id);
  }
  const logsMatching = (re: RegExp) => logged.lines.filter((l) => re.test(l.msg));

  it("malformed gateway payloads are logged and dropped; the next message is stored", async () => {
    const gw = w.fake.gateway;
    const g = w.guild.id;
    gw.sendRaw("this is not json {");
    gw.sendRaw(JSON.stringify({ op: 42, d: null }));
    gw.dispatchUnchecked(g, "MESSAGE_CREATE", {});
    gw.dispatchUnchecked(g, "MESSAGE_CREATE", { id: "1", channel_id: w.general.id, guild_id: g });
    // discord.js throws inside its own listener on this one: without the guard, an unhandled rejection.
    gw.dispatchUnchecked(g, "MESSAGE_CREATE", { id: "2", channel_id: w.general.id, guild_id: g, author: null, content: 12 });
    gw.dispatchUnchecked(g, "MESSAGE_UPDATE", { id: "3", channel_id: "999", guild_id: g, content: "x" });
    gw.dispatchUnchecked(g, "MESSAGE_DELETE", {});
    gw.dispatchUnchecked(g, "INTERACTION_CREATE", { id: "4", type: 99, token: "t", version: 1 });
    gw.dispatchUnchecked(g, "SOMETHING_DISCORD_ADDS_LATER", { anything: true });
    const after = w.fake.userTypes(w.general, w.child, "still here after the noise");
    await waitStored(w, w.general, after.id);
    expect(await storedIds()).toEqual([after.id]);
    expect(logsMatching(/malformed gateway event/).map((l) => l.event)).toContain("MESSAGE_CREATE");
  });

  it("huge text and unknown message kinds do not stop the adapter", async () => {
    // Discord caps a message at 4,000 characters; a payload far beyond it is stored, not fatal.
    const huge = w.fake.userTypes(w.general, w.member, "lorem ipsum ".repeat(20_000));
    // A sticker-only message, a poll and a message type discord.js does not know.
    for (const extra of [{ sticker_items: [{ id: "1", name: "wave", format_type: 1 }] }, { poll: { question: { text: "pizza?" }, answers: [] } }, { type: 255 }]) {
      const m = w.fake.world.buildMessage({ channelId: w.general.id, authorId: w.member.id, content: "" });
      Object.assign(m, extra);
      w.fake.world.storeMessage(m);
      w.fake.gateway.dispatchGuildEvent(w.guild.id, "MESSAGE_CREATE", m, Intents.GuildMessages);
    }
    const after = w.fake.userTypes(w.general, w.child, "and a normal message");
    await waitStored(w, w.general, after.id);
    expect(await storedIds()).toEqual([huge.id, after.id]);
  });

  it("an API error while answering a button or registering commands is logged, and the next press works", async () => {
    await typeScript(w, w.general, groomingScript(w));
    await w.haven.drainOutbox();
    const [alert] = await eventually(() => (alertMessages(w).length ? alertMessages(w) : null), "an alert");
    const confirm = buttonsOf(alert!).find((b) => b.label === "Confirm")!.custom_id;
    // Discord forgets the interaction (answered too late): the acknowledgement fails with 404.
    w.fake.failNext({ method: "POST", path: "/interactions/", status: 404, count: 1 });
    w.fake.pressButton(alert!, confirm, w.moderator);
    await eventually(() => logsMatching(/answering interaction .* failed/).length > 0, "the failure logged");
    // Unacknowledged, so nothing was decided: the moderator presses again.
    const caseId = Number(/#(\d+)/.exec(String((alert!.embeds as { title: string }[])[0]!.title))![1]);
    expect((await w.haven.service.getCase(caseId, { platform: "discord", communityId: w.guild.id }))?.status).toBe("open");
    // Joining a guild where commands may not be registered (bot invited without applications.commands).
    w.fake.failNext({ method: "PUT", path: "/commands", status: 403, count: 1 });
    w.fake.addGuild("No Commands Club");
    await eventually(() => logsMatching(/registering commands in .* failed/).length > 0, "the registration failure logged");
    const retry = w.fake.pressButton(alert!, confirm, w.moderator);
    await eventually(() => retry.response, "an answer to the second press");
    expect(String(retry.response!.content)).toMatch(/^Done/);
    expect((await w.haven.service.getCase(caseId, { platform: "discord", communityId: w.guild.id }))?.status).toBe("confirmed");
  });
});
