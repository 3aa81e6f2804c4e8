// The real grammY bot (runner, auto-retry) against the fake Bot API, with a real Haven
// (pipeline, engine, outbox) on the test database.
import { createServer } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testBackends, useTestDatabase } from "../../fixtures/db.ts";
import { waitFor } from "../../fakes/telegram/index.ts";
import { BENIGN, GROOMING } from "./conversations.ts";
import { alertsIn, botReply, link, say, startWorld, type World } from "./harness.ts";

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

const T0 = 1_780_000_000; // seconds, like Telegram dates
const UP_TO_ALONE = GROOMING.slice(0, 9);
const PHOTO_REQUEST = GROOMING.slice(9);

function buttonData(msg: { reply_markup?: { inline_keyboard: { text: string; callback_data?: string }[][] } }, label: string): string {
  const b = msg.reply_markup?.inline_keyboard.flat().find((x) => x.text.includes(label));
  if (!b?.callback_data) throw new Error(`no "${label}" button on the alert`);
  return b.callback_data;
}

describe.each(testBackends())("telegram adapter end to end ($name)", (backend) => {
  const db = useTestDatabase(backend);
  let w: World;

  beforeEach(async () => {
    w = await startWorld(db());
  });
  afterEach(async () => {
    await w?.stop();
  });

  it("links a group to its moderators' chat and posts one alert there for a grooming conversation, none in the group", async () => {
    await link(w);
    expect((await w.service.getSettings("telegram", String(w.group.id))).modChannel).toBe(String(w.modChat.id));
    expect(w.api.myCommands(JSON.stringify({ type: "all_chat_administrators" }))?.map((c) => (c as { command: string }).command)).toContain("haven_link");
    const groupBotMessages = w.api.botMessagesIn(w.group).length;

    await say(w, UP_TO_ALONE, T0);
    await w.haven.drainOutbox();
    const alerts = alertsIn(w);
    expect(alerts).toHaveLength(1);
    const alert = alerts[0]!;
    expect(alert.text).toContain("Sam");
    expect(alert.text).toContain("Tia");
    expect(alert.text).toMatch(/case #\d+/);
    expect(alert.text).toMatch(/Score: \d\.\d\d \(threshold 0\.60\)/);
    // Evidence links point at the supergroup's messages.
    const html = String(w.api.callsTo("sendMessage").filter((c) => c.ok).at(-1)!.params.text);
    expect(html).toContain(`https://t.me/c/${String(w.group.id).slice(4)}/`);
    expect(alert.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(["✅ Confirm", "✖️ Dismiss", "⚠️ Escalate"]);
    // Nothing about the case is posted in the watched group.
    expect(w.api.botMessagesIn(w.group)).toHaveLength(groupBotMessages);

    // A new severe sign on the open case follows up on the same alert message.
    await say(w, PHOTO_REQUEST, T0 + 600);
    await w.haven.drainOutbox();
    const all = alertsIn(w);
    expect(all).toHaveLength(2);
    expect(all[1]!.reply_to_message?.message_id).toBe(alert.message_id);
    expect(w.api.messagesIn(w.modChat).find((m) => m.message_id === alert.message_id)?.reply_markup).toBeUndefined();
    expect(w.api.botMessagesIn(w.group)).toHaveLength(groupBotMessages);
  });

  it("produces no alert for benign chat", async () => {
    await link(w);
    await say(w, BENIGN, T0);
    await w.haven.drainOutbox();
    expect(alertsIn(w)).toHaveLength(0);
    expect(w.done.ingested.every((r) => r.stored && r.alertIds.length === 0)).toBe(true);
  });

  it("lets admins decide with the buttons, refuses others, and shows who decided", async () => {
    await link(w);
    await say(w, UP_TO_ALONE, T0);
    await w.haven.drainOutbox();
    const alert = alertsIn(w)[0]!;
    const caseId = Number(/case #(\d+)/.exec(alert.text!)![1]);
    const scope = { platform: "telegram" as const, communityId: String(w.group.id) };

    const refused = w.api.pressButton(alert, buttonData(alert, "Confirm"), w.helper);
    await waitFor("the refusal", () => w.api.callbackAnswer(refused)?.answered);
    expect(w.api.callbackAnswer(refused)).toMatchObject({ show_alert: true });
    expect(w.api.callbackAnswer(refused)?.text).toMatch(/Only admins/);
    expect((await w.service.getCase(caseId, scope))?.status).toBe("open");

    const pressed = w.api.pressButton(alert, buttonData(alert, "Confirm"), w.owner);
    await waitFor("the confirmation", () => w.api.callbackAnswer(pressed)?.answered);
    expect((await w.service.getCase(caseId, scope))?.status).toBe("confirmed");
    await w.haven.drainOutbox();
    const shown = w.api.messagesIn(w.modChat).find((m) => m.message_id === alert.message_id)!;
    expect(shown.text).toMatch(/Confirmed by .*olivia_owner/);
    expect(shown.reply_markup).toBeUndefined();
  });

  it("mutes and bans the suspect from the alert when enabled, for admins with restrict rights only", async () => {
    await link(w);
    const owner = { via: "telegram" as const, id: String(w.owner.id), rights: ["configure" as const] };
    await w.service.changeSettings("telegram", String(w.group.id), { platformActions: ["timeout", "ban"] }, owner);
    await say(w, UP_TO_ALONE, T0);
    await w.haven.drainOutbox();
    const alert = alertsIn(w)[0]!;
    expect(alert.reply_markup?.inline_keyboard[1]?.map((b) => b.text)).toEqual(["🔇 Mute suspect", "⛔ Ban suspect"]);

    // An admin who may not restrict members is refused.
    w.api.setMember(w.group, w.helper, "administrator", { can_restrict_members: false });
    const refused = w.api.pressButton(alert, buttonData(alert, "Mute"), w.helper);
    await waitFor("the refusal", () => w.api.callbackAnswer(refused)?.answered);
    expect(w.api.callbackAnswer(refused)?.show_alert).toBe(true);
    await w.haven.drainOutbox();
    expect(w.api.member(w.group, w.suspect).status).toBe("member");

    const mute = w.api.pressButton(alert, buttonData(alert, "Mute"), w.owner);
    await waitFor("the mute answer", () => w.api.callbackAnswer(mute)?.answered);
    await w.haven.drainOutbox();
    const muted = w.api.member(w.group, w.suspect);
    expect(muted.status).toBe("restricted");
    expect(muted.status === "restricted" && muted.can_send_messages).toBe(false);

    const ban = w.api.pressButton(alert, buttonData(alert, "Ban"), w.owner);
    await waitFor("the ban answer", () => w.api.callbackAnswer(ban)?.answered);
    await w.haven.drainOutbox();
    expect(w.api.member(w.group, w.suspect).status).toBe("kicked");
  });

  it("rejects forged or foreign callback data", async () => {
    await link(w);
    await say(w, UP_TO_ALONE, T0);
    await w.haven.drainOutbox();
    const alert = alertsIn(w)[0]!;
    const caseId = Number(/case #(\d+)/.exec(alert.text!)![1]);
    const real = buttonData(alert, "Confirm");
    for (const data of ["hv:forged-token", `confirm:${caseId}`, real.slice(0, -2) + "xx"]) {
      const q = w.api.pressButton(alert, data, w.owner);
      await waitFor(`the answer to ${data}`, () => w.api.callbackAnswer(q)?.answered);
      expect(w.api.callbackAnswer(q)?.text).toMatch(/not valid/);
    }
    // A genuine token pressed from another chat (a copied message) is refused too.
    const elsewhere = w.api.userSends(w.group, w.other, "look at this");
    const q = w.api.pressButton(elsewhere, real, w.owner);
    await waitFor("the answer from the wrong chat", () => w.api.callbackAnswer(q)?.answered);
    expect(w.api.callbackAnswer(q)?.text).toMatch(/not valid/);
    expect((await w.service.getCase(caseId, { platform: "telegram", communityId: String(w.group.id) }))?.status).toBe("open");
  });

  it("changes settings by command only for admins, in the group or in the moderators' chat", async () => {
    await link(w);
    const groupId = String(w.group.id);
    let n = w.api.botMessagesIn(w.group).length;
    w.api.userSends(w.group, w.helper, "/haven_threshold 0.9");
    expect((await botReply(w, w.group, n++, "refusal")).text).toMatch(/Only admins/);
    expect((await w.service.getSettings("telegram", groupId)).threshold).toBe(0.6);

    w.api.userSends(w.group, w.owner, "/haven_threshold 0.75");
    expect((await botReply(w, w.group, n++, "threshold reply")).text).toMatch(/0\.75/);
    expect((await w.service.getSettings("telegram", groupId)).threshold).toBe(0.75);

    w.api.userSends(w.group, w.owner, "/haven_threshold 5");
    expect((await botReply(w, w.group, n++, "invalid threshold reply")).text).toMatch(/threshold/);
    expect((await w.service.getSettings("telegram", groupId)).threshold).toBe(0.75);

    // In the moderators' chat, commands apply to the linked group.
    let m = w.api.botMessagesIn(w.modChat).length;
    w.api.userSends(w.modChat, w.owner, "/haven_mode shadow");
    expect((await botReply(w, w.modChat, m++, "mode reply")).text).toMatch(/shadow/);
    expect((await w.service.getSettings("telegram", groupId)).mode).toBe("shadow");
    w.api.userSends(w.modChat, w.owner, "/haven_retention 14");
    await botReply(w, w.modChat, m++, "retention reply");
    expect((await w.service.getSettings("telegram", groupId)).retentionDays).toBe(14);
    w.api.userSends(w.modChat, w.helper, "/haven_mode off");
    expect((await botReply(w, w.modChat, m++, "refusal in mod chat")).text).toMatch(/Only admins/);
    expect((await w.service.getSettings("telegram", groupId)).mode).toBe("shadow");
    w.api.userSends(w.modChat, w.owner, "/haven_status");
    const status = await botReply(w, w.modChat, m++, "status");
    expect(status.text).toMatch(/Mode: shadow · threshold 0\.75/);
    expect(status.text).toMatch(/Open cases: 0/);
    // The moderators' own talk is not scored.
    const ingested = w.done.ingested.length;
    w.api.userSends(w.modChat, w.owner, "are you home alone? send me a photo");
    w.api.userSends(w.modChat, w.owner, "/haven_status");
    await botReply(w, w.modChat, m++, "second status");
    expect(w.done.ingested.length).toBe(ingested);
  });

  it("shows case details only in the moderators' chat", async () => {
    await link(w);
    await say(w, UP_TO_ALONE, T0);
    await w.haven.drainOutbox();
    const caseId = Number(/case #(\d+)/.exec(alertsIn(w)[0]!.text!)![1]);
    const n = w.api.botMessagesIn(w.group).length;
    w.api.userSends(w.group, w.owner, `/haven_case ${caseId}`);
    expect((await botReply(w, w.group, n, "refusal in the group")).text).toMatch(/only in the moderators' chat/);
    const m = w.api.botMessagesIn(w.modChat).length;
    w.api.userSends(w.modChat, w.owner, `/haven_case ${caseId}`);
    const shown = await botReply(w, w.modChat, m, "case in the mod chat");
    expect(shown.text).toContain(`Case #${caseId}`);
    expect(shown.text).toContain("Sam");
  });

  it("retries a delivery after Telegram's retry_after on 429", async () => {
    await link(w);
    await say(w, UP_TO_ALONE, T0);
    const sendsBefore = w.api.callsTo("sendMessage").length;
    w.api.injectError("sendMessage", { code: 429, retry_after: 1 });
    await w.haven.drainOutbox();
    const sends = w.api.callsTo("sendMessage").slice(sendsBefore);
    expect(sends.map((c) => c.error_code ?? 200)).toEqual([429, 200]);
    expect(alertsIn(w)).toHaveLength(1);
  });

  it("hands a delivery Telegram refuses for too long back to the outbox, which delivers it later", async () => {
    await link(w);
    await say(w, UP_TO_ALONE, T0);
    const sendsBefore = w.api.callsTo("sendMessage").length;
    // Longer than the adapter waits in-process (60 s): the call throws at once and the
    // outbox keeps the alert for its next attempt instead of blocking for an hour.
    w.api.injectError("sendMessage", { code: 429, retry_after: 3600 });
    await waitFor("the outbox to deliver on a later attempt", async () => {
      await w.haven.drainOutbox();
      return alertsIn(w).length === 1;
    });
    expect(w.api.callsTo("sendMessage").slice(sendsBefore).map((c) => c.error_code ?? 200)).toEqual([429, 200]);
  });

  it("rescores edited messages", async () => {
    await link(w);
    const sent = await say(w, [{ who: "s", text: "nice drawing" }], T0);
    expect(w.done.ingested[0]!.assessment?.signals ?? []).toHaveLength(0);
    w.api.userEdits(sent[0]!, "nice drawing. are you home alone? dont tell your parents, its our secret");
    await waitFor("the edit", () => w.done.edited.length === 1);
    const stages = new Set(w.done.edited[0]!.assessment?.signals.map((s) => s.stage));
    expect(stages.has("isolation") || stages.has("risk")).toBe(true);
  });

  it("survives malformed updates and keeps processing", async () => {
    w.api.pushRawUpdate({ message: { message_id: "x", chat: { id: w.group.id, type: "supergroup" }, text: "no sender, bad id" } });
    w.api.pushRawUpdate({ edited_message: { chat: null } });
    w.api.pushRawUpdate({ callback_query: { id: "1", from: { id: 1, is_bot: false, first_name: "X" }, chat_instance: "c", data: "hv:zzz" } });
    await say(w, [{ who: "o", text: "still here" }], T0);
    expect(w.done.ingested.at(-1)?.stored).toBe(true);
  });

  it("binds link codes to the admin who asked, never links the watched group to itself, and works once", async () => {
    let g = w.api.botMessagesIn(w.group).length;
    w.api.userSends(w.group, w.helper, "/haven_link");
    expect((await botReply(w, w.group, g++, "refusal")).text).toMatch(/Only admins/);
    w.api.userSends(w.group, w.owner, "/haven_link");
    const code = /\/haven_modchat (\S+)/.exec((await botReply(w, w.group, g++, "code")).text ?? "")![1]!;

    // Someone else (admin of the mod chat too) cannot use the owner's code.
    w.api.setMember(w.modChat, w.helper, "administrator");
    let m = w.api.botMessagesIn(w.modChat).length;
    w.api.userSends(w.modChat, w.helper, `/haven_modchat ${code}`);
    expect((await botReply(w, w.modChat, m++, "other user's refusal")).text).toMatch(/Only the admin who ran/);
    w.api.userSends(w.group, w.owner, `/haven_modchat ${code}`);
    expect((await botReply(w, w.group, g++, "self-link refusal")).text).toMatch(/never posted here/);
    expect((await w.service.getSettings("telegram", String(w.group.id))).modChannel).toBeNull();

    w.api.userSends(w.modChat, w.owner, `/haven_modchat ${code}`);
    expect((await botReply(w, w.modChat, m++, "linked")).text).toMatch(/^Linked/);
    expect((await w.service.getSettings("telegram", String(w.group.id))).modChannel).toBe(String(w.modChat.id));
    const other = w.api.createGroup("Other mods", { creator: w.owner });
    w.api.addBot(other);
    w.api.userSends(other, w.owner, `/haven_modchat ${code}`);
    expect((await botReply(w, other, 0, "reuse refusal")).text).toMatch(/unknown, used or expired/);
    expect((await w.service.getSettings("telegram", String(w.group.id))).modChannel).toBe(String(w.modChat.id));
  });

  it("receives updates by webhook when configured, checking the secret token", async () => {
    await w.stop();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/telegram-hook`;
    w = await startWorld(db(), { webhook: { url, port, secretToken: "s3cret-token" } });
    expect(w.api.callsTo("setWebhook").at(-1)?.params).toMatchObject({ url, secret_token: "s3cret-token" });
    const forged = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ update_id: 1, message: { message_id: 1, date: 1, chat: { id: w.group.id, type: "supergroup" }, from: { id: 5, is_bot: false, first_name: "X" }, text: "forged" } }) });
    expect(forged.status).toBe(401);
    await link(w);
    await say(w, UP_TO_ALONE, T0);
    expect(w.done.ingested.map((r) => r.stored)).toEqual(UP_TO_ALONE.map(() => true));
    await w.haven.drainOutbox();
    expect(alertsIn(w)).toHaveLength(1);
  });

  it("follows the moderators' basic group when Telegram upgrades it to a supergroup", async () => {
    const basic = w.api.createGroup("Mods (basic)", { type: "group", creator: w.owner });
    w.api.addBot(basic);
    w.api.userSends(w.group, w.owner, "/haven_link");
    const code = /\/haven_modchat (\S+)/.exec((await botReply(w, w.group, 0, "code")).text ?? "")![1]!;
    w.api.userSends(basic, w.owner, `/haven_modchat ${code}`);
    expect((await botReply(w, basic, 0, "linked")).text).toMatch(/^Linked/);
    const upgraded = w.api.upgradeToSupergroup(basic);
    await say(w, UP_TO_ALONE, T0);
    await w.haven.drainOutbox();
    expect(w.api.botMessagesIn(upgraded).filter((m) => m.text?.includes("Haven alert"))).toHaveLength(1);
    expect((await w.service.getSettings("telegram", String(w.group.id))).modChannel).toBe(String(upgraded.id));
  });

  it("carries a watched basic group's settings over when Telegram upgrades it to a supergroup", async () => {
    const basic = w.api.createGroup("Small club", { type: "group", creator: w.owner });
    w.api.addBot(basic, { can_restrict_members: true });
    w.api.userSends(basic, w.owner, "/haven_link");
    const code = /\/haven_modchat (\S+)/.exec((await botReply(w, basic, 0, "code")).text ?? "")![1]!;
    w.api.userSends(w.modChat, w.owner, `/haven_modchat ${code}`);
    await botReply(w, w.modChat, 0, "linked");
    w.api.userSends(basic, w.owner, "/haven_threshold 0.55");
    await botReply(w, basic, 1, "threshold set");
    const upgraded = w.api.upgradeToSupergroup(basic);
    const settings = await waitFor("settings on the new id", async () => {
      const s = await w.service.getSettings("telegram", String(upgraded.id));
      return s.modChannel ? s : null;
    });
    expect(settings).toMatchObject({ modChannel: String(w.modChat.id), threshold: 0.55 });
  });
});
