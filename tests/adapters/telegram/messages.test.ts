// What the real grammY bot hands to Haven for the message kinds a group sees, through the
// fake Bot API: captions with media counted, replies, mentions (text_mention ids and learnt
// @usernames), forwards; and the moderators' group link requiring the same admin on both sides.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testBackends, useTestDatabase } from "../../fixtures/db.ts";
import { waitFor } from "../../fakes/telegram/index.ts";
import { GROOMING } from "./conversations.ts";
import { alertsIn, botReply, link, say, startWorld, type World } from "./harness.ts";

const T0 = 1_780_000_000;

describe.each(testBackends())("telegram messages and linking ($name)", (backend) => {
  const db = useTestDatabase(backend);
  let w: World;

  beforeEach(async () => {
    w = await startWorld(db());
  });
  afterEach(async () => {
    await w.stop();
  });

  it("hands over captions, attachment counts, replies, mentions and forwards", async () => {
    const first = w.api.userSends(w.group, w.other, "hi all, i'm omar", { date: T0 });
    const photo = w.api.userSends(w.group, w.suspect, "drew this for you Tia, @omar_plays look", { attachment: "photo", textMentions: [w.child], replyTo: first, date: T0 + 60 });
    const forwarded = w.api.userSends(w.group, w.suspect, "read this", { forwardFrom: w.other, date: T0 + 120 });
    const sticker = w.api.userSends(w.group, w.child, "", { attachment: "sticker", date: T0 + 180 });
    await waitFor("four messages ingested", () => w.done.messages.length === 4);
    const byId = (id: number) => w.done.messages.find((m) => m.messageId === String(id))!;
    expect(byId(photo.message_id)).toMatchObject({
      text: "drew this for you Tia, @omar_plays look",
      attachments: 1,
      replyToId: String(first.message_id),
      authorId: String(w.suspect.id),
      ts: (T0 + 60) * 1000,
      channelKind: "group",
    });
    // Tia has no username: a text_mention carries her id; @omar_plays was learnt from his message.
    expect(new Set(byId(photo.message_id).mentions)).toEqual(new Set([String(w.child.id), String(w.other.id)]));
    expect(byId(photo.message_id).link).toBe(`https://t.me/c/${String(w.group.id).slice(4)}/${photo.message_id}`);
    expect(byId(forwarded.message_id).forwardedFrom).toBe(String(w.other.id));
    expect(byId(sticker.message_id)).toMatchObject({ text: "", attachments: 1 });
  });

  it("refuses /haven_modchat from an admin of the watched group who is not an admin of the moderators' chat", async () => {
    w.api.setMember(w.group, w.helper, "administrator");
    w.api.userSends(w.group, w.helper, "/haven_link");
    const code = /\/haven_modchat (\S+)/.exec((await botReply(w, w.group, 0, "the code")).text ?? "")![1]!;
    w.api.userSends(w.modChat, w.helper, `/haven_modchat ${code}`);
    expect((await botReply(w, w.modChat, 0, "the refusal")).text).toMatch(/must be an admin of this chat/);
    expect((await w.service.getSettings("telegram", String(w.group.id))).modChannel).toBeNull();
  });

  it("Escalate from the alert: the message shows who decided and drops the decision buttons", async () => {
    await link(w);
    await say(w, GROOMING.slice(0, 9), T0);
    await w.haven.drainOutbox();
    const alert = alertsIn(w)[0]!;
    const caseId = Number(/case #(\d+)/.exec(alert.text!)![1]);
    const data = (label: string) => {
      const b = alert.reply_markup?.inline_keyboard.flat().find((x) => x.text.includes(label));
      return b && "callback_data" in b ? b.callback_data! : "";
    };
    const q = w.api.pressButton(alert, data("Escalate"), w.owner);
    await waitFor("the answer", () => w.api.callbackAnswer(q)?.answered);
    expect((await w.service.getCase(caseId, { platform: "telegram", communityId: String(w.group.id) }))?.status).toBe("escalated");
    await w.haven.drainOutbox();
    const shown = w.api.messagesIn(w.modChat).find((m) => m.message_id === alert.message_id)!;
    expect(shown.text).toMatch(/Escalated by .*olivia_owner/);
    expect(shown.reply_markup).toBeUndefined();
  });
});
