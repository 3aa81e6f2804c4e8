// Builders shared by pipeline tests: messages, a capturing sink, actors.
import type { Actor, AlertPayload, AlertSink, ChatMessage, Platform, PlatformActionKind } from "../../src/types.ts";

let clock = Date.parse("2026-03-01T10:00:00Z");

export function resetClock(): void {
  clock = Date.parse("2026-03-01T10:00:00Z");
}

/** A message in community "g1", channel "c1", one minute after the previous one. */
export function msg(id: string, author: string, text: string, over: Partial<ChatMessage> = {}): ChatMessage {
  clock += 60_000;
  return {
    platform: "discord",
    communityId: "g1",
    communityName: "Guild One",
    channelId: "c1",
    channelName: "general",
    channelKind: "group",
    messageId: id,
    authorId: author,
    authorName: `name-${author}`,
    text,
    ts: clock,
    link: `https://chat.example/c1/${id}`,
    ...over,
  };
}

/** Moves the message clock forward (to leave a cooldown). */
export function advance(ms: number): void {
  clock += ms;
}

export interface Delivered {
  alert: AlertPayload;
  destination: string;
  previousRef: string | null;
  ref: string;
}

export class CaptureSink implements AlertSink {
  readonly delivered: Delivered[] = [];
  readonly decisions: { alert: AlertPayload; destination: string; ref: string }[] = [];
  readonly actions: { kind: PlatformActionKind; communityId: string; userId: string; channelId?: string; messageId?: string; durationSeconds?: number }[] = [];
  /** Fail this many of the next deliveries. */
  failNext = 0;
  private n = 0;

  constructor(readonly platform: Platform = "discord") {}

  async deliverAlert(alert: AlertPayload, destination: string, previousRef: string | null): Promise<{ ref: string }> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error("platform unavailable (test)");
    }
    const ref = previousRef ?? `ref-${++this.n}`;
    this.delivered.push({ alert, destination, previousRef, ref });
    return { ref };
  }
  async showDecision(alert: AlertPayload, destination: string, ref: string): Promise<void> {
    this.decisions.push({ alert, destination, ref });
  }
  async performAction(action: { kind: PlatformActionKind; communityId: string; userId: string; channelId?: string; messageId?: string; durationSeconds?: number }): Promise<void> {
    this.actions.push(action);
  }
}

export const admin: Actor = { via: "discord", id: "admin1", name: "Admin", rights: ["decide", "configure", "timeout", "ban", "delete"] };
export const moderator: Actor = { via: "discord", id: "mod1", name: "Mod", rights: ["decide"] };
export const nobody: Actor = { via: "discord", id: "user9", rights: [] };
