// Builds engine input for tests: a DM (or channel) as (author, text) lines a minute apart.
import type { ChatMessage, Platform } from "../../src/types.ts";

export const T0 = Date.parse("2026-03-01T18:00:00Z");

export function dm(channel: string, lines: [author: string, text: string][], start = T0, platform: Platform = "discord"): ChatMessage[] {
  return lines.map(([author, text], i) => ({
    platform,
    communityId: "g1",
    channelId: channel,
    channelKind: "dm",
    messageId: `${channel}-m${i}`,
    authorId: author,
    text,
    ts: start + i * 60_000,
  }));
}
