import { eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createHaven } from "../../src/app.ts";
import { eraseUser, purgeExpired } from "../../src/store/retention.ts";
import { alerts, auditLog, cases, labels, messageSignals, messages, participants } from "../../src/store/schema.ts";
import { testBackends, useTestDatabase } from "../fixtures/db.ts";
import { FakeEngine } from "../pipeline/fake-engine.ts";
import { admin, moderator, msg, resetClock } from "../pipeline/helpers.ts";

const DAY = 86_400_000;

describe.each(testBackends())("retention and erasure on $name", (backend) => {
  const getDb = useTestDatabase(backend);

  async function world() {
    resetClock();
    const haven = await createHaven({ database: getDb(), engine: new FakeEngine() });
    const s = haven.service;
    await s.changeSettings("discord", "g1", { retentionDays: 30, caseRetentionDays: 90 }, admin);
    // A grooming pattern that becomes a case, and chatter that never does.
    await s.ingest(msg("1", "kid", "hi"));
    await s.ingest(msg("2", "adult", "#trust"));
    await s.ingest(msg("3", "adult", "#personal"));
    await s.ingest(msg("4", "adult", "#isolation"));
    await s.ingest(msg("5", "other", "what a game last night", { channelId: "c2" }));
    await haven.stop();
    const [c] = await getDb().db.select().from(cases);
    return { haven, caseId: c!.id, start: Date.parse("2026-03-01T10:00:00Z") };
  }

  const text = async (id: string) => (await getDb().db.select().from(messages).where(eq(messages.platformMessageId, id)))[0]!.text;

  it("removes text of messages outside cases after retentionDays, keeps case evidence, scores and signals", async () => {
    const { start } = await world();
    const db = getDb().db;
    expect(await purgeExpired(db, new Date(start + 29 * DAY))).toEqual({ messages: 0, caseMessages: 0 });
    const r = await purgeExpired(db, new Date(start + 31 * DAY));
    // The child's "hi" and the other channel's chatter were no evidence: their text goes.
    expect(r).toEqual({ messages: 2, caseMessages: 0 });
    expect(await text("1")).toBeNull();
    expect(await text("5")).toBeNull();
    expect(await text("4")).toBe("#isolation");
    expect((await db.select().from(messages).where(isNull(messages.text))).every((m) => m.textPurgedAt !== null)).toBe(true);
    expect(await db.select().from(messageSignals)).toHaveLength(3);
    expect((await db.select().from(auditLog).where(eq(auditLog.action, "retention.purge")))).toHaveLength(1);
  });

  it("removes the text of a closed case after caseRetentionDays, not of an open one; labels stay", async () => {
    const { haven, caseId, start } = await world();
    const db = getDb().db;
    expect((await purgeExpired(db, new Date(start + 400 * DAY))).caseMessages).toBe(0);
    expect(await text("4")).toBe("#isolation");
    await haven.service.act({ caseId, kind: "dismiss", actor: moderator });
    const decided = (await db.select().from(cases))[0]!.decidedAt!.getTime();
    expect((await purgeExpired(db, new Date(decided + 89 * DAY))).caseMessages).toBe(0);
    expect((await purgeExpired(db, new Date(decided + 91 * DAY))).caseMessages).toBe(3);
    expect(await text("2")).toBeNull();
    expect(await db.select().from(labels)).toHaveLength(1);
    expect((await db.select().from(cases))[0]!.score).toBeGreaterThan(0);
  });

  it("erases a user's text, quoted evidence and name everywhere, and audits it", async () => {
    await world();
    const db = getDb().db;
    const r = await eraseUser(db, "discord", "adult", "cli:dpo");
    expect(r).toEqual({ found: true, messages: 3 });
    for (const id of ["2", "3", "4"]) expect(await text(id)).toBeNull();
    expect(await text("1")).toBe("hi");
    expect((await db.select().from(messageSignals)).every((s) => s.evidence === "")).toBe(true);
    const [a] = await db.select().from(alerts);
    expect((a!.reasons as { evidence: string }[]).every((x) => x.evidence === "")).toBe(true);
    const [p] = await db.select().from(participants).where(eq(participants.platformId, "adult"));
    expect(p).toMatchObject({ displayName: null });
    expect(p!.erasedAt).not.toBeNull();
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "user.erase"))).toMatchObject([{ actor: "cli:dpo", subject: "user:discord:adult" }]);
    // The case and its score remain for the moderators' record.
    expect(await db.select().from(cases)).toHaveLength(1);
    expect(await eraseUser(db, "discord", "nobody", "cli:dpo")).toEqual({ found: false, messages: 0 });
  });
});
