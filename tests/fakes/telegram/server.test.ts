// The fake must answer like Telegram, or the adapter tests prove nothing: checked here
// with grammY's own Api client and raw HTTP.
import { Api, GrammyError } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeBotApi } from "./index.ts";

let api: FakeBotApi;
let client: Api;

beforeEach(async () => {
  api = await FakeBotApi.start();
  client = new Api(api.token, { apiRoot: api.apiRoot });
});
afterEach(async () => {
  await api.stop();
});

async function failure(p: Promise<unknown>): Promise<GrammyError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof GrammyError) return err;
    throw err;
  }
  throw new Error("expected the call to fail");
}

describe("fake Telegram Bot API", () => {
  it("answers getMe and rejects a wrong token with 401", async () => {
    const me = await client.getMe();
    expect(me).toMatchObject({ id: api.botUser.id, is_bot: true, username: "haven_test_bot", can_read_all_group_messages: false });
    const wrong = new Api("1:wrong", { apiRoot: api.apiRoot });
    const err = await failure(wrong.getMe());
    expect([err.error_code, err.description]).toEqual([401, "Unauthorized"]);
  });

  it("confirms updates with offset and long-polls until one arrives", async () => {
    const group = api.createGroup("G");
    const u = api.createUser("U");
    api.addBot(group, {});
    api.userSends(group, u, "one");
    api.userSends(group, u, "two");
    const first = await client.getUpdates({ timeout: 0 });
    expect(first.map((x) => x.message?.text)).toEqual(["one", "two"]);
    expect(first.map((x) => x.message?.message_id)).toEqual([1, 2]);
    // Not confirmed yet: asked again, the same updates come back.
    expect(await client.getUpdates({ timeout: 0 })).toHaveLength(2);
    const next = first[1]!.update_id + 1;
    const waiting = client.getUpdates({ offset: next, timeout: 10 });
    const sent = api.userSends(group, u, "three");
    const got = await waiting;
    expect(got.map((x) => x.message?.text)).toEqual(["three"]);
    expect(got[0]!.message!.date).toBe(sent.date);
    expect(String(got[0]!.message!.date)).toHaveLength(10); // seconds, not ms
    expect(api.pendingUpdates).toBe(1); // "one" and "two" were confirmed by the offset
  });

  it("answers errors in Telegram's shape, with retry_after on 429", async () => {
    const err = await failure(client.sendMessage(-100999, "x"));
    expect([err.error_code, err.description]).toEqual([400, "Bad Request: chat not found"]);
    const group = api.createGroup("G");
    api.addBot(group);
    api.injectError("sendMessage", { code: 429, retry_after: 7 });
    const flood = await failure(client.sendMessage(group.id, "x"));
    expect(flood.error_code).toBe(429);
    expect(flood.parameters.retry_after).toBe(7);
    expect((await client.sendMessage(group.id, "x")).text).toBe("x");
  });

  it("checks HTML, button data and edits like Telegram", async () => {
    const group = api.createGroup("G");
    api.addBot(group);
    expect((await failure(client.sendMessage(group.id, "<b>open", { parse_mode: "HTML" }))).description).toMatch(/can't parse entities/);
    expect((await failure(client.sendMessage(group.id, "a <x> b", { parse_mode: "HTML" }))).description).toMatch(/Unsupported start tag/);
    const long = "x".repeat(65);
    const bad = await failure(client.sendMessage(group.id, "x", { reply_markup: { inline_keyboard: [[{ text: "b", callback_data: long }]] } }));
    expect(bad.description).toBe("Bad Request: BUTTON_DATA_INVALID");
    const m = await client.sendMessage(group.id, "<b>hi</b> &amp; bye", { parse_mode: "HTML", reply_markup: { inline_keyboard: [[{ text: "b", callback_data: "d" }]] } });
    expect(m.text).toBe("hi & bye");
    const same = await failure(client.editMessageText(group.id, m.message_id, "<b>hi</b> &amp; bye", { parse_mode: "HTML", reply_markup: m.reply_markup! }));
    expect(same.description).toMatch(/message is not modified/);
    const edited = await client.editMessageText(group.id, m.message_id, "done");
    expect(edited).toMatchObject({ text: "done" });
    expect((edited as { reply_markup?: unknown }).reply_markup).toBeUndefined(); // no markup given: keyboard removed
    const u = api.createUser("U");
    const theirs = api.userSends(group, u, "mine");
    expect((await failure(client.editMessageText(group.id, theirs.message_id, "x"))).description).toBe("Bad Request: message can't be edited");
  });

  it("enforces the bot's admin rights for restrict, ban and delete", async () => {
    const owner = api.createUser("O");
    const u = api.createUser("U");
    const group = api.createGroup("G", { creator: owner });
    api.addBot(group);
    const m = api.userSends(group, u, "x");
    expect((await failure(client.banChatMember(group.id, u.id))).description).toMatch(/not enough rights/);
    expect((await failure(client.deleteMessage(group.id, m.message_id))).description).toBe("Bad Request: message can't be deleted");
    api.addBot(group, { can_restrict_members: true, can_delete_messages: true });
    expect((await failure(client.banChatMember(group.id, owner.id))).description).toBe("Bad Request: can't remove chat owner");
    await client.restrictChatMember(group.id, u.id, { can_send_messages: false }, { until_date: 2_000_000_000 });
    expect(await client.getChatMember(group.id, u.id)).toMatchObject({ status: "restricted", can_send_messages: false, until_date: 2_000_000_000 });
    await client.banChatMember(group.id, u.id);
    expect((await client.getChatMember(group.id, u.id)).status).toBe("kicked");
    expect(await client.deleteMessage(group.id, m.message_id)).toBe(true);
    expect((await failure(client.deleteMessage(group.id, m.message_id))).description).toBe("Bad Request: message to delete not found");
    const admins = await client.getChatAdministrators(group.id);
    expect(admins.map((a) => a.status).sort()).toEqual(["administrator", "creator"]);
  });

  it("hides ordinary group messages from a non-admin bot in privacy mode, not commands", async () => {
    const group = api.createGroup("G");
    const u = api.createUser("U");
    api.addBot(group);
    api.userSends(group, u, "just chatting");
    api.userSends(group, u, "/haven_status");
    const got = await client.getUpdates({ timeout: 0 });
    expect(got.map((x) => x.message?.text)).toEqual(["/haven_status"]);
    expect(got[0]!.message!.entities).toEqual([{ type: "bot_command", offset: 0, length: "/haven_status".length }]);
  });

  it("accepts urlencoded form bodies and answers unknown methods with 404", async () => {
    const group = api.createGroup("G");
    api.addBot(group);
    const body = new URLSearchParams({ chat_id: String(group.id), text: "form", reply_markup: JSON.stringify({ inline_keyboard: [[{ text: "b", callback_data: "d" }]] }) });
    const res = await fetch(`${api.apiRoot}/bot${api.token}/sendMessage`, { method: "POST", body });
    const json = (await res.json()) as { ok: boolean; result: { text: string; reply_markup: unknown } };
    expect(json.ok).toBe(true);
    expect(json.result.text).toBe("form");
    expect(json.result.reply_markup).toEqual({ inline_keyboard: [[{ text: "b", callback_data: "d" }]] });
    const unknown = await fetch(`${api.apiRoot}/bot${api.token}/noSuchMethod`, { method: "POST" });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ ok: false, error_code: 404, description: "Not Found" });
  });

  it("answers a callback query once", async () => {
    const group = api.createGroup("G");
    const u = api.createUser("U");
    api.addBot(group);
    const m = await client.sendMessage(group.id, "q", { reply_markup: { inline_keyboard: [[{ text: "b", callback_data: "d" }]] } });
    const id = api.pressButton(m, "d", u);
    const [update] = await client.getUpdates({ timeout: 0 });
    expect(update?.callback_query).toMatchObject({ id, data: "d", from: { id: u.id } });
    await client.answerCallbackQuery(id, { text: "ok" });
    expect(api.callbackAnswer(id)).toMatchObject({ answered: true, text: "ok" });
    expect((await failure(client.answerCallbackQuery(id))).description).toMatch(/query is too old/);
  });

  it("refuses getUpdates while a webhook is set", async () => {
    await client.setWebhook("http://127.0.0.1:9/hook");
    expect((await failure(client.getUpdates({ timeout: 0 }))).error_code).toBe(409);
    await client.deleteWebhook();
    expect(await client.getUpdates({ timeout: 0 })).toEqual([]);
  });
});
