// End to end on Discord: messages typed into the fake reach the real pipeline and engine
// through discord.js; alerts come back as embeds with buttons in the moderators' channel.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testBackends, useTestDatabase } from "../../fixtures/db.ts";
import type { ApiMessage } from "../../fakes/discord/index.ts";
import { alertMessages, benignScript, buttonsOf, embedOf, eventually, groomingScript, startWorld, typeScript, type World } from "./harness.ts";

describe.each(testBackends())("Discord alerts ($name)", (backend) => {
  const database = useTestDatabase(backend);
  let w: World;

  beforeEach(async () => {
    w = await startWorld(database());
  });
  afterEach(async () => {
    await w.close();
  });

  it("a grooming conversation produces exactly one alert embed with decision buttons", async () => {
    const sent = await typeScript(w, w.general, groomingScript(w));
    await w.haven.drainOutbox();
    const [alert, ...more] = await eventually(() => (alertMessages(w).length ? alertMessages(w) : null), "an alert in the mod channel");
    expect(more).toHaveLength(0);
    const embed = embedOf(alert!);
    expect(embed.title).toMatch(/case #\d+/);
    const field = (name: string) => embed.fields.find((f) => f.name === name)?.value ?? "";
    expect(field("Suspect")).toContain(w.suspect.id);
    expect(field("Targets")).toContain(w.child.id);
    expect(field("Score")).toMatch(/threshold 0\.60/);
    expect(field("Stages")).toMatch(/trust/);
    // Evidence links jump back to the typed messages.
    expect(field("Evidence")).toContain(`https://discord.com/channels/${w.guild.id}/${w.general.id}/`);
    expect(sent.some((m) => field("Evidence").includes(m.id))).toBe(true);
    expect(buttonsOf(alert!).map((b) => b.label)).toEqual(["Confirm", "Dismiss", "Escalate"]);
    // Draining again delivers nothing new: one alert, not one per message.
    await w.haven.drainOutbox();
    expect(alertMessages(w)).toHaveLength(1);
  });

  it("benign chat produces no alert", async () => {
    await typeScript(w, w.general, benignScript(w));
    await w.haven.drainOutbox();
    expect(w.fake.messagesIn(w.modChannel)).toHaveLength(0);
    expect(w.fake.calls({ method: "POST", path: `/channels/${w.modChannel.id}/messages` })).toHaveLength(0);
  });

  async function alertAfterGrooming() {
    await typeScript(w, w.general, groomingScript(w));
    await w.haven.drainOutbox();
    const [alert] = await eventually(() => (alertMessages(w).length ? alertMessages(w) : null), "an alert in the mod channel");
    const caseId = Number(/#(\d+)/.exec(embedOf(alert!).title)![1]);
    return { alert: alert!, caseId };
  }
  const button = (message: ApiMessage, label: string) => buttonsOf(message).find((b) => b.label === label)!;
  const fresh = (message: ApiMessage) => w.fake.messagesIn(w.modChannel).find((m) => m.id === message.id)!;

  it("a moderator's Confirm press decides the case and the embed shows who decided, buttons disabled", async () => {
    const { alert, caseId } = await alertAfterGrooming();
    const press = w.fake.pressButton(alert, button(alert, "Confirm").custom_id, w.moderator);
    await eventually(() => press.response, "an answer to the press");
    expect(press.response).toMatchObject({ flags: 64 });
    expect(String(press.response!.content)).toMatch(/^Done/);
    const kase = await w.haven.service.getCase(caseId, { platform: "discord", communityId: w.guild.id });
    expect(kase?.status).toBe("confirmed");
    await w.haven.drainOutbox();
    const updated = await eventually(() => (embedOf(fresh(alert)).fields.find((f) => f.name === "Status")?.value.startsWith("Confirmed") ? fresh(alert) : null), "the embed to show the decision");
    expect(embedOf(updated).fields.find((f) => f.name === "Status")!.value).toContain(`<@${w.moderator.id}>`);
    const decisions = buttonsOf(updated).filter((b) => ["Confirm", "Dismiss", "Escalate"].includes(b.label));
    expect(decisions.map((b) => b.disabled)).toEqual([true, true, true]);
    expect(alertMessages(w)).toHaveLength(1);
  });

  it("the same press by a member without rights is refused and changes nothing", async () => {
    const { alert, caseId } = await alertAfterGrooming();
    const before = JSON.stringify(fresh(alert).embeds);
    const press = w.fake.pressButton(alert, button(alert, "Confirm").custom_id, w.member);
    await eventually(() => press.response, "an answer to the press");
    expect(press.response).toMatchObject({ flags: 64 });
    expect(String(press.response!.content)).toMatch(/may not/);
    const kase = await w.haven.service.getCase(caseId, { platform: "discord", communityId: w.guild.id });
    expect(kase?.status).toBe("open");
    await w.haven.drainOutbox();
    expect(JSON.stringify(fresh(alert).embeds)).toBe(before);
    expect(buttonsOf(fresh(alert)).every((b) => !b.disabled)).toBe(true);
  });

  it("a button whose token is unknown is answered as expired", async () => {
    const { alert, caseId } = await alertAfterGrooming();
    // Put a forged id on the message, as a tampered client might send.
    const forged = "haven:confirm:not-a-real-token";
    w.fake.messagesIn(w.modChannel).find((m) => m.id === alert.id)!.components = [{ type: 1, components: [{ type: 2, style: 1, label: "x", custom_id: forged }] }];
    const press = w.fake.pressButton(alert, forged, w.moderator);
    await eventually(() => press.response, "an answer");
    expect(String(press.response!.content)).toMatch(/expired/);
    expect((await w.haven.service.getCase(caseId, { platform: "discord", communityId: w.guild.id }))?.status).toBe("open");
  });

  it("with timeout and ban enabled, the alert offers them and Timeout times the suspect out", async () => {
    await w.haven.service.changeSettings("discord", w.guild.id, { platformActions: ["timeout", "ban"] }, { via: "cli", id: "test", rights: ["configure"] });
    const { alert } = await alertAfterGrooming();
    expect(buttonsOf(alert).map((b) => b.label)).toEqual(["Confirm", "Dismiss", "Escalate", "Timeout suspect", "Ban suspect"]);
    // A member without Moderate Members cannot.
    const refused = w.fake.pressButton(alert, button(alert, "Timeout suspect").custom_id, w.admin);
    await eventually(() => refused.response, "an answer");
    expect(String(refused.response!.content)).toMatch(/may not/);
    const press = w.fake.pressButton(alert, button(alert, "Timeout suspect").custom_id, w.moderator);
    await eventually(() => press.response, "an answer");
    expect(String(press.response!.content)).toMatch(/^Done/);
    await w.haven.drainOutbox();
    const call = await eventually(() => w.fake.calls({ method: "PATCH", path: `/guilds/${w.guild.id}/members/${w.suspect.id}`, status: 200 })[0], "the timeout call");
    const until = Date.parse(String((call.body as { communication_disabled_until: string }).communication_disabled_until));
    expect(until).toBeGreaterThan(Date.now() + 30 * 60_000);
    expect(w.guild.members.get(w.suspect.id)?.communicationDisabledUntil).not.toBeNull();
    expect(call.auditLogReason).toMatch(/Haven/);
    expect(w.guild.bans.size).toBe(0);
  });

  it("watches threads too: the alert points at the thread", async () => {
    const thread = w.fake.addChannel(w.guild, "dragon-sprites", { thread: true, parent: w.general });
    const sent = await typeScript(w, thread, groomingScript(w));
    await w.haven.drainOutbox();
    const [alert] = await eventually(() => (alertMessages(w).length ? alertMessages(w) : null), "an alert");
    const field = (name: string) => embedOf(alert!).fields.find((f) => f.name === name)?.value ?? "";
    expect(field("Where")).toBe(`<#${thread.id}>`);
    expect(field("Evidence")).toContain(`/${w.guild.id}/${thread.id}/`);
    expect(await w.haven.service.lastMessageId("discord", thread.id)).toBe(sent.at(-1)!.id);
  });
});
