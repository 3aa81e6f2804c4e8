import { describe, expect, it } from "vitest";
import { authorRoles, jumpLink, skipReason, toChatMessage, type DiscordMessageLike } from "../../../adapters/discord/toMessage.ts";

const keys = (...ids: string[]) => ({ keys: () => ids[Symbol.iterator]() });

function message(over: Partial<DiscordMessageLike> = {}): DiscordMessageLike {
  return {
    id: "300",
    guildId: "100",
    channelId: "200",
    content: "hello",
    createdTimestamp: 1_700_000_000_000,
    webhookId: null,
    system: false,
    author: { id: "42", bot: false, username: "pixelpip", globalName: "Pip" },
    member: { displayName: "Pip the Artist", roles: { cache: keys("100", "555") } },
    guild: { name: "Pixel Art Club" },
    channel: { name: "general" },
    reference: null,
    mentions: { users: keys("43", "44") },
    attachments: { size: 2 },
    ...over,
  };
}

describe("toChatMessage", () => {
  it("maps author, channel, timestamps, mentions, attachment count and the jump link", () => {
    expect(toChatMessage(message())).toEqual({
      platform: "discord",
      communityId: "100",
      communityName: "Pixel Art Club",
      channelId: "200",
      channelName: "general",
      channelKind: "group",
      messageId: "300",
      authorId: "42",
      authorName: "Pip the Artist",
      text: "hello",
      ts: 1_700_000_000_000,
      replyToId: null,
      mentions: ["43", "44"],
      attachments: 2,
      link: "https://discord.com/channels/100/200/300",
      forwardedFrom: null,
    });
  });

  it("a reference in the same channel is a reply; one into another channel is a forward", () => {
    expect(toChatMessage(message({ reference: { messageId: "299", channelId: "200", guildId: "100" } }))).toMatchObject({ replyToId: "299", forwardedFrom: null });
    expect(toChatMessage(message({ reference: { messageId: "9", channelId: "777", guildId: "100" } }))).toMatchObject({ replyToId: null, forwardedFrom: "777/9" });
  });

  it("falls back to the global name, then the username, without a member", () => {
    expect(toChatMessage(message({ member: null }))?.authorName).toBe("Pip");
    expect(toChatMessage(message({ member: null, author: { id: "42", bot: false, username: "pixelpip", globalName: null } }))?.authorName).toBe("pixelpip");
  });

  it("skips bots, webhooks, system messages, DMs and empty messages", () => {
    expect(skipReason(message({ author: { id: "1", bot: true, username: "b" } }))).toBe("bot");
    expect(skipReason(message({ webhookId: "9" }))).toBe("webhook");
    expect(skipReason(message({ system: true }))).toBe("system message");
    expect(skipReason(message({ guildId: null }))).toBe("not in a server");
    expect(skipReason(message({ content: "", attachments: { size: 0 } }))).toBe("no text and no attachments");
    expect(toChatMessage(message({ webhookId: "9" }))).toBeNull();
    // An image without text still counts (attachments are a signal), its text empty.
    expect(toChatMessage(message({ content: "", attachments: { size: 1 } }))).toMatchObject({ text: "", attachments: 1 });
  });

  it("author roles leave out @everyone (the guild id)", () => {
    expect(authorRoles(message())).toEqual(["555"]);
    expect(authorRoles(message({ member: null }))).toEqual([]);
  });

  it("builds Discord jump links", () => {
    expect(jumpLink("1", "2", "3")).toBe("https://discord.com/channels/1/2/3");
  });
});
