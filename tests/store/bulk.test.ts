// The batch statement (messages, their signals and engine states in one statement, rows as one
// JSON parameter): what goes in comes back, on both backends, whatever the text holds.
import { describe, expect, it } from "vitest";
import { asc } from "drizzle-orm";
import { bulkInsertScoredMessages, bulkSaveRiskStates } from "../../src/store/bulk.ts";
import { upsertChannel, upsertCommunity, upsertParticipant } from "../../src/store/communities.ts";
import { loadRiskStates } from "../../src/store/risk-states.ts";
import { messages, messageSignals } from "../../src/store/schema.ts";
import { testBackends, useTestDatabase } from "../fixtures/db.ts";

describe.each(testBackends())("batch statement on $name", (backend) => {
  const getDb = useTestDatabase(backend);

  async function place() {
    const db = getDb().db;
    const c = await upsertCommunity(db, "discord", "g");
    return { db, channel: await upsertChannel(db, c, "discord", "c", "group"), author: await upsertParticipant(db, "discord", "a") };
  }

  it("stores text, mentions, scores and signals as given, in order, and skips a duplicate", async () => {
    const { db, channel, author } = await place();
    const awkward = 'quotes " and \\ backslash, {braces}, "json": [1], 😀 emoji, \u2028 line sep, tab\t, ünïcödé';
    const row = (id: string, text: string, sec: number) => ({
      message: { channelId: channel, authorId: author, platformMessageId: id, text, sentAt: new Date(Date.UTC(2026, 0, 1, 0, 0, sec)), mentions: ["x", "y"], attachments: 2, replyToPlatformId: "0" },
      verdict: { score: 0.25, lang: "en", signals: [{ stage: "trust" as const, weight: 0.5, evidence: awkward, rule: "r1" }] },
    });
    const got = await bulkInsertScoredMessages(db, [row("1", awkward, 1), row("2", "second", 2)]);
    expect([...got.keys()]).toEqual([`${channel}:1`, `${channel}:2`]);
    const rows = await db.select().from(messages).orderBy(asc(messages.id));
    expect(rows.map((r) => [r.platformMessageId, r.text, r.mentions, r.attachments, r.replyToPlatformId, r.lang])).toEqual([
      ["1", awkward, ["x", "y"], 2, "0", "en"],
      ["2", "second", ["x", "y"], 2, "0", "en"],
    ]);
    expect(rows[0]!.score).toBeCloseTo(0.25);
    expect(rows[0]!.sentAt.toISOString()).toBe("2026-01-01T00:00:01.000Z");
    expect(rows[0]!.id).toBeLessThan(rows[1]!.id);
    const signals = await db.select().from(messageSignals).orderBy(asc(messageSignals.messageId));
    expect(signals.map((s) => [s.messageId, s.evidence])).toEqual([
      [rows[0]!.id, awkward],
      [rows[1]!.id, awkward],
    ]);
    // A second delivery of message 1 is not stored again, nor are its signals.
    const again = await bulkInsertScoredMessages(db, [row("1", "other", 1), row("3", "third", 3)]);
    expect([...again.keys()]).toEqual([`${channel}:3`]);
    expect((await db.select().from(messageSignals)).length).toBe(3);
  });

  it("writes half an emoji (a lone surrogate) as U+FFFD instead of failing the batch", async () => {
    const { db, channel, author } = await place();
    const cut = "😀".slice(0, 1);
    const state = { stages: { trust: { evidence: `ok ${cut}` } } };
    await bulkInsertScoredMessages(
      db,
      [{ message: { channelId: channel, authorId: author, platformMessageId: "1", text: "fine", sentAt: new Date() }, verdict: { score: 0.1, lang: "en", signals: [{ stage: "trust", weight: 0.4, evidence: `a ${cut}`, rule: "r" }] } }],
      { list: [{ key: "pair:k", kind: "pair", platform: "discord", score: 0.1, state, json: JSON.stringify(state) }], modelVersion: "v" },
    );
    expect((await db.select().from(messageSignals))[0]!.evidence).toBe("a \uFFFD");
    const [st] = await loadRiskStates(db, ["pair:k"], "v");
    expect(st!.state).toEqual({ stages: { trust: { evidence: "ok \uFFFD" } } });
  });

  it("upserts engine states given as JSON, the newest version winning", async () => {
    const { db } = await place();
    const s = (n: number) => ({ key: `conv:${n % 2}`, kind: "conversation" as const, platform: "telegram", score: n / 10, state: { n, text: 'a "quote"' }, json: JSON.stringify({ n, text: 'a "quote"' }) });
    await bulkSaveRiskStates(db, [s(1), s(2)], "v1");
    await bulkSaveRiskStates(db, [s(3)], "v1");
    const got = await loadRiskStates(db, ["conv:0", "conv:1"], "v1");
    expect(Object.fromEntries(got.map((g) => [g.key, g.state]))).toEqual({ "conv:0": { n: 2, text: 'a "quote"' }, "conv:1": { n: 3, text: 'a "quote"' } });
    expect(got.find((g) => g.key === "conv:1")!.score).toBeCloseTo(0.3);
  });

  it("writes a flush of more states than one statement takes, every one of them", async () => {
    const { db } = await place();
    const keys = Array.from({ length: 1234 }, (_, i) => `pair:${i}`);
    const states = keys.map((key, i) => ({ key, kind: "pair" as const, platform: "discord", score: (i % 10) / 10, state: { i }, json: JSON.stringify({ i }) }));
    await bulkSaveRiskStates(db, states, "v1");
    const got = await loadRiskStates(db, keys, "v1");
    expect(got).toHaveLength(1234);
    expect(new Map(got.map((g) => [g.key, (g.state as { i: number }).i])).get("pair:1233")).toBe(1233);
  });
});
