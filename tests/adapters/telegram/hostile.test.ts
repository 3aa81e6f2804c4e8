// Hostile or broken input from Telegram's side (malformed updates, huge text, message kinds
// Haven does not know, the Bot API failing while the bot answers) and a clean stop: the
// adapter logs and goes on, never crashes, and stop() ends its polling or webhook listener.
import { afterEach, describe, expect, it } from "vitest";
import { testBackends, useTestDatabase } from "../../fixtures/db.ts";
import { waitFor } from "../../fakes/telegram/index.ts";
import { recordingLogger } from "../recordingLogger.ts";
import { GROOMING } from "./conversations.ts";
import { alertsIn, botReply, link, say, startWorld, type World } from "./harness.ts";

const T0 = 1_780_000_000;

describe.each(testBackends())("telegram adapter under hostile input ($name)", (backend) => {
  const db = useTestDatabase(backend);
  let w: World | undefined;
  let logged: ReturnType<typeof recordingLogger>;

  async function start(extra: Parameters<typeof startWorld>[1] = {}): Promise<World> {
    logged = recordingLogger();
    w = await startWorld(db(), { log: logged.log, ...extra });
    return w;
  }
  afterEach(async () => {
    await w?.stop();
    w = undefined;
  });

  it("skips malformed updates and unknown message kinds, stores huge text, and keeps going", async () => {
    const w = await start();
    const chat = { id: w.group.id, type: "supergroup", title: "Art Club" };
    const from = { id: w.other.id, is_bot: false, first_name: "Omar" };
    const raw = [
      { message: null },
      { message: { message_id: 1, date: T0, chat: null, from, text: "no chat" } },
      { message: { message_id: 2, date: T0, chat, from, text: 12345 } },
      { edited_message: { message_id: "x", chat, text: "bad id" } },
      { callback_query: { id: "q1", from, chat_instance: "c" } },
      { callback_query: { id: "q2", from, chat_instance: "c", data: "hv:" + "x".repeat(500) } },
      { something_telegram_adds_later: { anything: true } },
      // Kinds with neither text nor counted media: nothing to score.
      { message: { message_id: 3, date: T0, chat, from, poll: { id: "p", question: "pizza?", options: [] } } },
      { message: { message_id: 4, date: T0, chat, from, dice: { emoji: "🎲", value: 3 } } },
      { message: { message_id: 5, date: T0, chat, from, story: { chat, id: 1 } } },
    ];
    for (const update of raw) w.api.pushRawUpdate(update);
    // Telegram caps text at 4,096 characters; far beyond it is still only text to store.
    w.api.pushRawUpdate({ message: { message_id: 6, date: T0, chat, from, text: "lorem ipsum ".repeat(20_000) } });
    await say(w, [{ who: "o", text: "still here" }], T0 + 60);
    await waitFor("both messages ingested", () => w.done.ingested.length === 2);
    expect(w.done.ingested.map((r) => r.stored)).toEqual([true, true]);
    // The bot answered the bad callbacks instead of leaving the spinner turning.
    await waitFor("the bad callbacks answered", () => w.api.callsTo("answerCallbackQuery").length >= 2);
    // Malformed input is skipped quietly; nothing reached the catch-all as a failure.
    expect(logged.matching(/update handler failed/)).toEqual([]);
  });

  it("logs a Bot API error while answering a command or a press, and answers the next one", async () => {
    const w = await start();
    await link(w);
    // The reply to a command is refused (say the bot may no longer post in the chat).
    w.api.injectError("sendMessage", { code: 403, description: "Forbidden: bot is not a member of the supergroup chat" });
    const n = w.api.botMessagesIn(w.modChat).length;
    w.api.userSends(w.modChat, w.owner, "/haven_status");
    await waitFor("the failure logged", () => logged.matching(/API call failed/).length > 0);
    w.api.userSends(w.modChat, w.owner, "/haven_status");
    expect((await botReply(w, w.modChat, n, "the second status")).text).toMatch(/Haven status/);

    await say(w, GROOMING.slice(0, 9), T0);
    await w.haven.drainOutbox();
    const alert = alertsIn(w)[0]!;
    const button = alert.reply_markup!.inline_keyboard.flat().find((b) => b.text.includes("Confirm"));
    const confirm = button && "callback_data" in button ? button.callback_data : "";
    // Checking the presser's rights fails (the bot was removed from the watched group): answered, not decided.
    w.api.injectError("getChatMember", { code: 403, description: "Forbidden: bot was kicked from the supergroup chat" });
    const failed = w.api.pressButton(alert, confirm, w.owner);
    await waitFor("the failed press answered", () => w.api.callbackAnswer(failed)?.answered);
    expect(w.api.callbackAnswer(failed)?.text).toMatch(/could not/);
    const caseId = Number(/case #(\d+)/.exec(alert.text!)![1]);
    const scope = { platform: "telegram" as const, communityId: String(w.group.id) };
    expect((await w.service.getCase(caseId, scope))?.status).toBe("open");
    const pressed = w.api.pressButton(alert, confirm, w.owner);
    await waitFor("the second press answered", () => w.api.callbackAnswer(pressed)?.answered);
    expect((await w.service.getCase(caseId, scope))?.status).toBe("confirmed");
  });

  it("stop() ends long polling at once, even in the middle of a long poll", async () => {
    // A long poll of 50 s: a stop() that waited for it would exceed the test's time limit.
    const w = await start({ pollTimeoutSeconds: 50 });
    await waitFor("a long poll waiting", () => w.api.pollOpen);
    await w.tg.stop();
    await waitFor("the long poll closed by the client", () => !w.api.pollOpen);
    const polls = w.api.callsTo("getUpdates").length;
    w.api.userSends(w.group, w.other, "anyone there?");
    // Proving an absence needs a wait: a running poller would have fetched this within milliseconds.
    await new Promise((r) => setTimeout(r, 300));
    expect(w.api.callsTo("getUpdates").length).toBe(polls);
    expect(w.api.pendingUpdates).toBe(1);
    expect(w.done.ingested).toHaveLength(0);
  });

  it("stop() closes the webhook listener", async () => {
    const probe = await start();
    await probe.stop();
    w = undefined;
    const { createServer } = await import("node:net");
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const port = (srv.address() as { port: number }).port;
    await new Promise((r) => srv.close(r));
    const url = `http://127.0.0.1:${port}/hook`;
    const hooked = await start({ webhook: { url, port, secretToken: "s3cret" } });
    const ok = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "s3cret" }, body: JSON.stringify({ update_id: 999_999 }) });
    expect(ok.status).toBe(200);
    await hooked.tg.stop();
    await expect(fetch(url, { method: "POST", body: "{}" })).rejects.toThrow();
  });
});
