import { describe, expect, it } from "vitest";
import { messageLink, toChatMessage, toEdit } from "../../../adapters/telegram/toMessage.ts";

const supergroup = { id: -1001234567890, type: "supergroup", title: "Art Club" };
const sam = { id: 42, is_bot: false, first_name: "Sam", last_name: "Doe", username: "sam_gamer" };

describe("toChatMessage", () => {
  it("translates a supergroup message: ids as strings, seconds to ms, t.me/c link, reply", () => {
    const msg = toChatMessage({ message_id: 7, date: 1_780_000_000, chat: supergroup, from: sam, text: "hi", reply_to_message: { message_id: 5 } });
    expect(msg).toEqual({
      platform: "telegram",
      communityId: "-1001234567890",
      communityName: "Art Club",
      channelId: "-1001234567890",
      channelName: "Art Club",
      channelKind: "group",
      messageId: "7",
      authorId: "42",
      authorName: "Sam Doe",
      text: "hi",
      ts: 1_780_000_000_000,
      replyToId: "5",
      mentions: [],
      attachments: 0,
      link: "https://t.me/c/1234567890/7",
      forwardedFrom: null,
    });
  });

  it("takes mentions from entities: text_mention ids, known @usernames as ids, unknown ones as names", () => {
    const text = "hey Tia and @omar_plays and @nobody_here";
    const msg = toChatMessage(
      {
        message_id: 1,
        date: 1,
        chat: supergroup,
        from: sam,
        text,
        entities: [
          { type: "text_mention", offset: 4, length: 3, user: { id: 99, is_bot: false, first_name: "Tia" } },
          { type: "mention", offset: text.indexOf("@omar"), length: "@omar_plays".length },
          { type: "mention", offset: text.indexOf("@nobody"), length: "@nobody_here".length },
        ],
      },
      (name) => (name === "omar_plays" ? "77" : undefined),
    );
    expect(msg?.mentions).toEqual(["99", "77", "@nobody_here"]);
  });

  it("counts attachments and uses the caption as text, never the media", () => {
    const photo = [{ file_id: "a", file_unique_id: "a", width: 1, height: 1 }, { file_id: "b", file_unique_id: "b", width: 9, height: 9 }];
    const msg = toChatMessage({ message_id: 2, date: 1, chat: supergroup, from: sam, photo, caption: "look", caption_entities: [] });
    expect(msg?.attachments).toBe(1);
    expect(msg?.text).toBe("look");
    const sticker = toChatMessage({ message_id: 3, date: 1, chat: supergroup, from: sam, sticker: { file_id: "s" } });
    expect(sticker).toMatchObject({ text: "", attachments: 1 });
  });

  it("records who a message was forwarded from", () => {
    const base = { message_id: 4, date: 1, chat: supergroup, from: sam, text: "fwd" };
    expect(toChatMessage({ ...base, forward_origin: { type: "user", date: 1, sender_user: { id: 5, is_bot: false, first_name: "X" } } })?.forwardedFrom).toBe("5");
    expect(toChatMessage({ ...base, forward_origin: { type: "hidden_user", date: 1, sender_user_name: "Anon" } })?.forwardedFrom).toBe("Anon");
    expect(toChatMessage({ ...base, forward_origin: { type: "channel", date: 1, chat: { id: -100777, type: "channel" }, message_id: 1 } })?.forwardedFrom).toBe("-100777");
  });

  it("links public supergroups by username and basic groups not at all", () => {
    expect(messageLink({ id: -1009, type: "supergroup", username: "artclub" }, 3)).toBe("https://t.me/artclub/3");
    expect(messageLink({ id: -4001, type: "group" }, 3)).toBeNull();
    const basic = toChatMessage({ message_id: 1, date: 1, chat: { id: -4001, type: "group", title: "Old" }, from: sam, text: "x" });
    expect(basic?.link).toBeNull();
  });

  it("skips private chats, bots, service messages and malformed input without throwing", () => {
    expect(toChatMessage({ message_id: 1, date: 1, chat: { id: 42, type: "private" }, from: sam, text: "x" })).toBeNull();
    expect(toChatMessage({ message_id: 1, date: 1, chat: supergroup, from: { ...sam, is_bot: true }, text: "x" })).toBeNull();
    expect(toChatMessage({ message_id: 1, date: 1, chat: supergroup, from: sam, new_chat_members: [sam] })).toBeNull();
    for (const bad of [null, 5, "x", {}, { message_id: "1", date: 1, chat: supergroup, from: sam, text: "x" }, { message_id: 1, date: 1, chat: null, text: "x" }]) {
      expect(toChatMessage(bad)).toBeNull();
    }
  });

  it("does not treat a forum topic's root as a reply", () => {
    const msg = toChatMessage({ message_id: 9, date: 1, chat: supergroup, from: sam, text: "x", reply_to_message: { message_id: 2, forum_topic_created: { name: "t" } } });
    expect(msg?.replyToId).toBeNull();
  });
});

describe("toEdit", () => {
  it("gives the message ref, the new text and the edit time in ms", () => {
    expect(toEdit({ message_id: 7, date: 1, edit_date: 1_780_000_100, chat: supergroup, from: sam, text: "new" })).toEqual({
      ref: { platform: "telegram", channelId: "-1001234567890", messageId: "7" },
      text: "new",
      editedAt: 1_780_000_100_000,
    });
    expect(toEdit({ message_id: 7, date: 1, chat: { id: 42, type: "private" }, text: "x" })).toBeNull();
    expect(toEdit({ nonsense: true })).toBeNull();
  });
});
