// /haven slash commands through the real discord.js client: registered per guild, change
// settings for Manage Server only, answer ephemerally.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testBackends, useTestDatabase } from "../../fixtures/db.ts";
import { Intents, Permissions, type InteractionRecord } from "../../fakes/discord/index.ts";
import { alertMessages, eventually, groomingScript, startWorld, typeScript, type World } from "./harness.ts";

describe.each(testBackends())("Discord /haven commands ($name)", (backend) => {
  const database = useTestDatabase(backend);
  let w: World;

  beforeEach(async () => {
    w = await startWorld(database(), { configure: false });
  });
  afterEach(async () => {
    await w.close();
  });

  const answer = async (record: InteractionRecord) => {
    await eventually(() => record.response, "an answer to the command");
    expect(record.response).toMatchObject({ flags: 64 }); // ephemeral
    return String(record.response!.content);
  };
  const settings = () => w.haven.service.getSettings("discord", w.guild.id);

  it("registers /haven in each guild on start and when joining a new guild", async () => {
    const names = (w.guild.commands[0]?.options as { name: string }[]).map((o) => o.name);
    expect(names).toEqual(["setup", "threshold", "mode", "exempt", "retention", "actions", "status", "case"]);
    const joined = w.fake.addGuild("Second Server");
    await eventually(() => joined.commands.length === 1, "commands registered in the joined guild");
    expect(joined.commands[0]?.name).toBe("haven");
  });

  it("an admin sets the mod channel, threshold, mode, retention and exemptions", async () => {
    const saved = await answer(w.fake.runSlashCommand(w.general, w.admin, "haven", "setup", { mod_channel: w.modChannel.id, mode: "shadow" }));
    expect(saved).toMatch(/^Saved/);
    expect(saved).not.toMatch(/cannot post/);
    expect(await answer(w.fake.runSlashCommand(w.general, w.admin, "haven", "threshold", { value: 0.45 }))).toMatch(/^Saved/);
    expect(await answer(w.fake.runSlashCommand(w.general, w.admin, "haven", "retention", { days: 14 }))).toMatch(/^Saved/);
    expect(await answer(w.fake.runSlashCommand(w.general, w.admin, "haven", "exempt", { role: w.modRole.id }))).toMatch(/^Saved/);
    expect(await answer(w.fake.runSlashCommand(w.general, w.admin, "haven", "actions", { ban: true }))).toMatch(/^Saved/);
    expect(await settings()).toMatchObject({ modChannel: w.modChannel.id, mode: "shadow", threshold: 0.45, retentionDays: 14, exemptRoles: [w.modRole.id], platformActions: ["ban"] });
    expect(await answer(w.fake.runSlashCommand(w.general, w.admin, "haven", "mode", { mode: "live" }))).toMatch(/^Saved/);
    expect(await answer(w.fake.runSlashCommand(w.general, w.admin, "haven", "exempt", { role: w.modRole.id, remove: true }))).toMatch(/^Saved/);
    expect(await settings()).toMatchObject({ mode: "live", exemptRoles: [] });
  });

  it("refuses setting changes from a moderator without Manage Server, and Discord hides /haven from plain members", async () => {
    const before = await settings();
    expect(await answer(w.fake.runSlashCommand(w.general, w.moderator, "haven", "threshold", { value: 0.1 }))).toMatch(/Manage Server/);
    expect(await answer(w.fake.runSlashCommand(w.general, w.moderator, "haven", "setup", { mod_channel: w.general.id }))).toMatch(/Manage Server/);
    expect(await settings()).toEqual(before);
    // default_member_permissions (Manage Messages) keeps the command from plain members.
    expect(() => w.fake.runSlashCommand(w.general, w.member, "haven", "status", {})).toThrow(/lacks the permissions/);
  });

  it("setup warns when Haven may not post in the chosen channel", async () => {
    // The bot's role loses Send Messages and Embed Links (an admin tightened it).
    const role = [...w.guild.roles.values()].find((r) => r.name === "Haven")!;
    role.permissions = Permissions.ViewChannel | Permissions.ReadMessageHistory;
    w.fake.gateway.dispatchGuildEvent(w.guild.id, "GUILD_ROLE_UPDATE", { guild_id: w.guild.id, role: w.fake.world.apiRole(role) }, Intents.Guilds);
    await eventually(() => w.discord.client.guilds.cache.get(w.guild.id)?.roles.cache.get(role.id)?.permissions.bitfield === role.permissions, "the role update");
    const text = await answer(w.fake.runSlashCommand(w.general, w.admin, "haven", "setup", { mod_channel: w.modChannel.id }));
    expect(text).toMatch(/^Saved/);
    expect(text).toMatch(/cannot post alerts in <#\d+> yet: it lacks \*\*Send Messages\*\*, \*\*Embed Links\*\*/);
    expect((await settings()).modChannel).toBe(w.modChannel.id);
  });

  it("an invalid value is refused with the setting's name", async () => {
    const text = await answer(w.fake.runSlashCommand(w.general, w.admin, "haven", "threshold", { value: 1.5 }));
    expect(text).toMatch(/Not saved.*threshold/);
    expect((await settings()).threshold).toBe(0.6);
  });

  it("status and case show this server's open cases to moderators", async () => {
    await answer(w.fake.runSlashCommand(w.general, w.admin, "haven", "setup", { mod_channel: w.modChannel.id }));
    await typeScript(w, w.general, groomingScript(w));
    await w.haven.drainOutbox();
    await eventually(() => alertMessages(w).length === 1, "the alert");
    const status = await answer(w.fake.runSlashCommand(w.general, w.moderator, "haven", "status", {}));
    expect(status).toMatch(/Open cases: \*\*1\*\*/);
    expect(status).toContain(`<#${w.modChannel.id}>`);
    const shown = await answer(w.fake.runSlashCommand(w.general, w.moderator, "haven", "case", { id: 1 }));
    expect(shown).toMatch(/Case #1\*\*: open/);
    expect(shown).toContain(`<@${w.suspect.id}>`);
    expect(await answer(w.fake.runSlashCommand(w.general, w.moderator, "haven", "case", { id: 999 }))).toMatch(/not found/);
  });

  it("an exempt channel is neither scored nor kept: grooming there raises no alert", async () => {
    await answer(w.fake.runSlashCommand(w.general, w.admin, "haven", "setup", { mod_channel: w.modChannel.id }));
    await answer(w.fake.runSlashCommand(w.general, w.admin, "haven", "exempt", { channel: w.general.id }));
    const script = groomingScript(w);
    for (const line of script) w.fake.userTypes(w.general, line.author, line.text);
    // A watched channel's message after them on the gateway: once it is stored, they were seen.
    const other = w.fake.addChannel(w.guild, "other");
    await typeScript(w, other, [{ author: script[0]!.author, text: "anyone up for a game" }]);
    await w.haven.drainOutbox();
    expect(alertMessages(w)).toHaveLength(0);
    expect(await w.haven.service.lastMessageId("discord", w.general.id)).toBeNull();
  });

  it("exempting a channel exempts its threads too, and only its own", async () => {
    await answer(w.fake.runSlashCommand(w.general, w.admin, "haven", "setup", { mod_channel: w.modChannel.id }));
    const staff = w.fake.addChannel(w.guild, "staff");
    await answer(w.fake.runSlashCommand(w.general, w.admin, "haven", "exempt", { channel: staff.id }));
    const staffThread = w.fake.addChannel(w.guild, "case-review", { thread: true, parent: staff });
    const openThread = w.fake.addChannel(w.guild, "sprites", { thread: true, parent: w.general });
    // The exempt thread's messages come first on the gateway; the watched thread's after them.
    for (const line of groomingScript(w)) w.fake.userTypes(staffThread, line.author, line.text);
    const watched = await typeScript(w, openThread, groomingScript(w));
    await w.haven.drainOutbox();
    const [alert, ...more] = await eventually(() => (alertMessages(w).length ? alertMessages(w) : null), "the alert from the watched thread");
    expect(more).toHaveLength(0);
    expect(JSON.stringify(alert!.embeds)).toContain(`<#${openThread.id}>`);
    expect(await w.haven.service.lastMessageId("discord", openThread.id)).toBe(watched.at(-1)!.id);
    expect(await w.haven.service.lastMessageId("discord", staffThread.id)).toBeNull();
  });

  it("an exempt role is not scored: a staff member's messages raise no alert", async () => {
    await answer(w.fake.runSlashCommand(w.general, w.admin, "haven", "setup", { mod_channel: w.modChannel.id }));
    await answer(w.fake.runSlashCommand(w.general, w.admin, "haven", "exempt", { role: w.modRole.id }));
    const script = groomingScript(w).map((l) => ({ ...l, author: l.author.id === w.suspect.id ? w.moderator : l.author }));
    await typeScript(w, w.general, script);
    await w.haven.drainOutbox();
    expect(alertMessages(w)).toHaveLength(0);
  });
});
