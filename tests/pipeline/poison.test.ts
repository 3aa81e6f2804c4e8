// Poison messages at the pipeline boundary: malformed ones are refused with a logged reason,
// oversized or damaged text is repaired, and none of them blocks the messages behind it.
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createHaven } from "../../src/app.ts";
import { MAX_TEXT } from "../../src/pipeline/validate.ts";
import { messages } from "../../src/store/schema.ts";
import { HavenError, type ChatMessage } from "../../src/types.ts";
import { testBackends, useTestDatabase } from "../fixtures/db.ts";
import { FakeEngine } from "./fake-engine.ts";
import { msg, resetClock } from "./helpers.ts";

function capturingLogger() {
  const lines: { msg: string; reason?: string; notes?: string[] }[] = [];
  const log = pino({ level: "warn" }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { log, lines };
}

function nested(depth: number): unknown {
  let o: unknown = "x";
  for (let i = 0; i < depth; i++) o = { a: o, list: [o] };
  return o;
}

describe.each(testBackends())("poison messages on $name", (backend) => {
  const getDb = useTestDatabase(backend);

  it("refuses malformed messages with a logged reason, repairs damaged text, and keeps the stream flowing", async () => {
    resetClock();
    const { log, lines } = capturingLogger();
    const haven = await createHaven({ database: getDb(), engine: new FakeEngine(), log, retentionEveryMs: 0 });
    const s = haven.service;
    const poison: unknown[] = [
      { ...msg("p1", "adult", "no channel"), channelId: undefined },
      { ...msg("p2", "adult", "nested"), mentions: [nested(200)] },
      { ...msg("p3", "adult", "object text"), text: nested(50) },
      { ...msg("p4", "adult", "bad time"), ts: Number.NaN },
      { ...msg("p5", "adult", "bad id"), authorId: "ad\u0000ult" },
      "not a message at all",
      null,
    ];
    const good: ChatMessage[] = [
      msg("1", "kid", "hello"),
      msg("2", "adult", "x".repeat(1_000_000)),
      msg("3", "adult", "broken \uD800 surrogate and \uDC00 another"),
      msg("4", "adult", "nul\u0000inside #trust"),
      msg("5", "kid", "bye"),
    ];
    // Interleaved and all at once, as a busy adapter would hand them over.
    const mixed = good.flatMap((g, i) => [g, ...(poison[i] !== undefined ? [poison[i]] : []), ...(i === good.length - 1 ? poison.slice(good.length) : [])]);
    const outcomes = await Promise.allSettled(mixed.map((m) => s.ingest(m as ChatMessage)));
    const refused = outcomes.filter((o) => o.status === "rejected").map((o) => (o as PromiseRejectedResult).reason);
    expect(refused).toHaveLength(poison.length);
    for (const r of refused) {
      expect(r).toBeInstanceOf(HavenError);
      expect((r as HavenError).code).toBe("message.invalid");
    }
    expect(outcomes.filter((o) => o.status === "fulfilled").every((o) => (o as PromiseFulfilledResult<{ stored: boolean }>).value.stored)).toBe(true);

    const rows = await getDb().db.select().from(messages).orderBy(messages.id);
    expect(rows.map((r) => r.platformMessageId)).toEqual(["1", "2", "3", "4", "5"]);
    expect(rows[1]!.text).toHaveLength(MAX_TEXT);
    expect(rows[2]!.text).toBe("broken \uFFFD surrogate and \uFFFD another");
    expect(rows[3]!.text).toBe("nulinside #trust");
    expect(rows.every((r) => r.scoredAt !== null)).toBe(true);

    const rejected = lines.filter((l) => l.msg === "message rejected");
    expect(rejected).toHaveLength(poison.length);
    expect(rejected.map((l) => l.reason)).toEqual(expect.arrayContaining([expect.stringMatching(/^channelId/), expect.stringMatching(/^mentions/), expect.stringMatching(/^text/), expect.stringMatching(/^ts/), expect.stringMatching(/^authorId/)]));
    const repaired = lines.filter((l) => l.msg === "message repaired before storing").flatMap((l) => l.notes ?? []);
    expect(repaired).toEqual(expect.arrayContaining([expect.stringMatching(/text truncated from 1000000/), expect.stringMatching(/lone surrogates/), expect.stringMatching(/NUL/)]));
    await haven.stop();
  });

  it("repairs the text of an edit the same way", async () => {
    resetClock();
    const haven = await createHaven({ database: getDb(), engine: new FakeEngine(), retentionEveryMs: 0 });
    await haven.service.ingest(msg("1", "kid", "hello"));
    const r = await haven.service.editMessage({ platform: "discord", channelId: "c1", messageId: "1" }, "y".repeat(50_000) + "\uD800", Date.parse("2026-03-02T00:00:00Z"));
    expect(r.stored).toBe(true);
    const [row] = await getDb().db.select().from(messages);
    expect(row!.text).toBe("y".repeat(MAX_TEXT));
    await haven.stop();
  });
});
