import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { createHaven, type Haven } from "../../src/app.ts";
import { alerts, auditLog, caseMessages, caseTargets, cases, labels, messageSignals, messages, outbox, riskStates, settingsRevisions } from "../../src/store/schema.ts";
import { testBackends, useTestDatabase } from "../fixtures/db.ts";
import { FakeEngine } from "./fake-engine.ts";
import { admin, advance, CaptureSink, moderator, msg, nobody, resetClock } from "./helpers.ts";

describe.each(testBackends())("pipeline on $name", (backend) => {
  const getDb = useTestDatabase(backend);
  let engine: FakeEngine;
  let haven: Haven;
  let sink: CaptureSink;

  async function start(opts: { modChannel?: string | null; settings?: Record<string, unknown> } = {}) {
    engine = new FakeEngine();
    haven = await createHaven({ database: getDb(), engine, outbox: { baseDelayMs: 0, maxAttempts: 5 } });
    sink = new CaptureSink();
    haven.service.registerSink(sink);
    const change = { ...(opts.modChannel === null ? {} : { modChannel: opts.modChannel ?? "mods" }), ...opts.settings };
    if (Object.keys(change).length) await haven.service.changeSettings("discord", "g1", change, admin);
  }

  /** Three stages from the adult to the child: crosses the default threshold (0.6, 2 stages). */
  async function groom() {
    const s = haven.service;
    await s.ingest(msg("1", "kid", "hi everyone"));
    await s.ingest(msg("2", "adult", "you draw so well #trust"));
    await s.ingest(msg("3", "adult", "how old are you, where do you live #personal"));
    return s.ingest(msg("4", "adult", "dont tell your mom we talk #isolation"));
  }

  beforeEach(() => resetClock());

  it("stores a message once: a duplicate delivery changes nothing", async () => {
    await start();
    const first = await haven.service.ingest(msg("1", "adult", "hello #trust"));
    expect(first).toMatchObject({ stored: true, scored: true });
    const again = await haven.service.ingest({ ...msg("1", "adult", "hello #trust") });
    expect(again).toMatchObject({ stored: false, scored: false, alertIds: [] });
    const db = getDb().db;
    expect(await db.select().from(messages)).toHaveLength(1);
    expect(await db.select().from(messageSignals)).toHaveLength(1);
    expect(engine.observed).toBe(1);
    expect(await haven.service.lastMessageId("discord", "c1")).toBe("1");
  });

  it("opens one case and delivers one alert for a grooming conversation, then re-alerts once when the score rises", async () => {
    await start();
    const r = await groom();
    expect(r.alertIds).toHaveLength(1);
    // More messages without new stages: no new alert.
    await haven.service.ingest(msg("5", "adult", "#trust again"));
    await haven.service.ingest(msg("6", "kid", "ok"));
    expect(await haven.drainOutbox()).toBe(1);
    expect(await haven.drainOutbox()).toBe(0);
    const db = getDb().db;
    expect(await db.select().from(cases)).toHaveLength(1);
    expect(sink.delivered).toHaveLength(1);
    const first = sink.delivered[0]!;
    expect(first.destination).toBe("mods");
    expect(first.previousRef).toBeNull();
    expect(first.alert).toMatchObject({ trigger: "new", suspect: { id: "adult", name: "name-adult" }, targets: [{ id: "kid", name: "name-kid" }], score: 0.75, threshold: 0.6, status: "open" });
    expect(first.alert.timeline.map((t) => t.stage)).toEqual(["trust", "personal", "isolation"]);
    expect(first.alert.excerpts.map((e) => e.messageId).sort()).toEqual(["2", "3", "4"]);
    expect(first.alert.excerpts[0]!.link).toBe("https://chat.example/c1/2");
    expect(first.alert.actions).toEqual(["confirm", "dismiss", "escalate"]);

    // After the cooldown, a new stage raises the score by 0.25 ≥ the re-alert step.
    advance(2 * 3_600_000);
    const rise = await haven.service.ingest(msg("7", "adult", "lets play a game #risk"));
    expect(rise.alertIds).toHaveLength(1);
    await haven.service.ingest(msg("8", "adult", "#risk #trust"));
    expect(await haven.drainOutbox()).toBe(1);
    expect(sink.delivered).toHaveLength(2);
    expect(sink.delivered[1]!.alert.trigger).toBe("rise");
    expect(sink.delivered[1]!.previousRef).toBe(first.ref);
    expect(await db.select().from(cases)).toHaveLength(1);
    expect(await db.select().from(alerts)).toHaveLength(2);
    expect((await db.select().from(caseTargets)).length).toBe(1);
    expect((await db.select().from(caseMessages)).length).toBeGreaterThanOrEqual(4);
  });

  it("re-alerts at once on a new severe stage, even in the cooldown", async () => {
    await start();
    await groom();
    const severe = await haven.service.ingest(msg("5", "adult", "send me a pic #images"));
    expect(severe.alertIds).toHaveLength(1);
    expect((await getDb().db.select().from(alerts)).map((a) => a.trigger)).toEqual(["new", "severe"]);
  });

  it("shadow mode stores the would-be alert and delivers nothing", async () => {
    await start({ settings: { mode: "shadow" } });
    const r = await groom();
    expect(r.alertIds).toHaveLength(1);
    expect(await haven.drainOutbox()).toBe(0);
    expect(sink.delivered).toHaveLength(0);
    const db = getDb().db;
    const [a] = await db.select().from(alerts);
    expect(a).toMatchObject({ mode: "shadow", deliveryState: "shadow" });
    expect(await db.select().from(outbox)).toHaveLength(0);
  });

  it("keeps nothing of mode off and exempt channels; stores exempt users' and roles' messages without scoring them", async () => {
    await start({ settings: { exemptChannels: ["staff"], exemptUsers: ["bot"], exemptRoles: ["role-mod"] } });
    const s = haven.service;
    expect(await s.ingest(msg("1", "adult", "#trust", { channelId: "staff" }))).toMatchObject({ stored: false, scored: false });
    expect(await s.ingest(msg("2", "bot", "#trust"))).toMatchObject({ stored: true, scored: false });
    expect(await s.ingest(msg("3", "adult", "#trust"), { authorRoles: ["role-mod"] })).toMatchObject({ stored: true, scored: false });
    await s.changeSettings("discord", "g1", { mode: "off" }, admin);
    expect(await s.ingest(msg("4", "adult", "#trust"))).toMatchObject({ stored: false, scored: false });
    expect(engine.observed).toBe(0);
    const kept = (await getDb().db.select({ id: messages.platformMessageId }).from(messages)).map((m) => m.id).sort();
    expect(kept).toEqual(["2", "3"]);
  });

  it("an edit updates the text and rescores; a deletion is recorded", async () => {
    await start();
    await haven.service.ingest(msg("1", "kid", "hi"));
    await haven.service.ingest(msg("2", "adult", "nice drawing #trust"));
    await haven.service.ingest(msg("3", "adult", "where do you live #personal"));
    const edited = await haven.service.editMessage({ platform: "discord", channelId: "c1", messageId: "3" }, "where do you live, your mom cant know #personal #isolation", Date.parse("2026-03-01T11:00:00Z"));
    expect(edited).toMatchObject({ stored: true, scored: true });
    expect(edited.alertIds).toHaveLength(1);
    await haven.service.deleteMessage({ platform: "discord", channelId: "c1", messageId: "3" }, Date.parse("2026-03-01T11:05:00Z"));
    const [row] = await getDb().db.select().from(messages).where(eq(messages.platformMessageId, "3"));
    expect(row!.text).toContain("your mom cant know");
    expect(row!.editedAt).not.toBeNull();
    expect(row!.deletedAt).not.toBeNull();
    const missing = await haven.service.editMessage({ platform: "discord", channelId: "c1", messageId: "nope" }, "x", 0);
    expect(missing.stored).toBe(false);
  });

  it("dismissing labels the case a false positive, audits it and shows the decision on the alert", async () => {
    await start();
    await groom();
    await haven.drainOutbox();
    const caseId = (await getDb().db.select().from(cases))[0]!.id;
    expect(await haven.service.act({ caseId, kind: "dismiss", actor: nobody })).toMatchObject({ ok: false, reason: "forbidden" });
    expect(await haven.service.act({ caseId, kind: "dismiss", actor: moderator, scope: { platform: "discord", communityId: "other" } })).toMatchObject({ ok: false, reason: "not_found" });
    const r = await haven.service.act({ caseId, kind: "dismiss", actor: moderator, note: "they are siblings" });
    expect(r).toMatchObject({ ok: true, status: "dismissed" });
    // Retried: nothing new.
    expect(await haven.service.act({ caseId, kind: "dismiss", actor: moderator })).toMatchObject({ ok: true, status: "dismissed" });
    const db = getDb().db;
    expect(await db.select().from(labels)).toMatchObject([{ caseId, label: "benign", source: "moderator", actor: "discord:mod1" }]);
    const [kase] = await db.select().from(cases);
    expect(kase).toMatchObject({ status: "dismissed", decidedBy: "discord:mod1" });
    expect(kase!.decidedAt).not.toBeNull();
    expect((await db.select().from(auditLog).where(eq(auditLog.action, "case.decide"))).length).toBe(1);
    expect(await haven.drainOutbox()).toBe(1);
    expect(sink.decisions).toHaveLength(1);
    expect(sink.decisions[0]).toMatchObject({ ref: sink.delivered[0]!.ref, alert: { status: "dismissed", decidedBy: "discord:mod1" } });
    const summary = await haven.service.getCase(caseId, { platform: "discord", communityId: "g1" });
    expect(summary).toMatchObject({ status: "dismissed", alerts: 1, suspect: { id: "adult" } });
    expect(await haven.service.getCase(caseId, { platform: "discord", communityId: "g2" })).toBeNull();
    // After a dismissal the next evidence opens a new case.
    await haven.service.ingest(msg("9", "adult", "#coercion"));
    expect(await db.select().from(cases)).toHaveLength(2);
  });

  it("confirm and escalate label the case as grooming", async () => {
    await start();
    await groom();
    const caseId = (await getDb().db.select().from(cases))[0]!.id;
    expect(await haven.service.act({ caseId, kind: "confirm", actor: moderator })).toMatchObject({ ok: true, status: "confirmed" });
    expect(await haven.service.act({ caseId, kind: "escalate", actor: moderator })).toMatchObject({ ok: true, status: "escalated" });
    expect((await getDb().db.select().from(labels)).map((l) => l.label)).toEqual(["grooming", "grooming"]);
    expect(await haven.service.act({ caseId: 999, kind: "confirm", actor: moderator })).toMatchObject({ ok: false, reason: "not_found" });
  });

  it("platform actions need the community to enable them and the actor's right", async () => {
    await start();
    await groom();
    const caseId = (await getDb().db.select().from(cases))[0]!.id;
    expect(await haven.service.act({ caseId, kind: "ban", actor: admin })).toMatchObject({ ok: false, reason: "not_enabled" });
    await haven.service.changeSettings("discord", "g1", { platformActions: ["ban", "timeout", "delete"] }, admin);
    expect(await haven.service.act({ caseId, kind: "ban", actor: moderator })).toMatchObject({ ok: false, reason: "forbidden" });
    expect(await haven.service.act({ caseId, kind: "ban", actor: admin })).toMatchObject({ ok: true });
    expect(await haven.service.act({ caseId, kind: "timeout", actor: admin })).toMatchObject({ ok: true });
    expect(await haven.service.act({ caseId, kind: "delete", actor: admin })).toMatchObject({ ok: true });
    await haven.drainOutbox();
    expect(sink.actions).toEqual([
      { kind: "ban", communityId: "g1", userId: "adult" },
      { kind: "timeout", communityId: "g1", userId: "adult", durationSeconds: 3600 },
      { kind: "delete", communityId: "g1", userId: "adult", channelId: "c1", messageId: "4" },
    ]);
    // The alert offers the enabled actions.
    expect(sink.delivered[0]!.alert.actions).toEqual(["confirm", "dismiss", "escalate", "ban", "timeout", "delete"]);
  });

  it("a delivery that fails three times is retried and finally delivered once", async () => {
    await start();
    await groom();
    sink.failNext = 3;
    expect(await haven.drainOutbox()).toBe(1);
    expect(sink.delivered).toHaveLength(1);
    const [row] = await getDb().db.select().from(outbox);
    expect(row).toMatchObject({ attempts: 4, failedAt: null });
    expect(row!.deliveredAt).not.toBeNull();
    expect((await getDb().db.select().from(alerts))[0]).toMatchObject({ deliveryState: "delivered", platformRef: "ref-1" });
  });

  it("gives up after max attempts and keeps the row with failed_at", async () => {
    await start();
    await groom();
    sink.failNext = 100;
    expect(await haven.drainOutbox()).toBe(0);
    const [row] = await getDb().db.select().from(outbox);
    expect(row!.attempts).toBe(5);
    expect(row!.failedAt).not.toBeNull();
    expect(row!.lastError).toContain("platform unavailable");
    expect((await getDb().db.select().from(alerts))[0]!.deliveryState).toBe("failed");
  });

  it("waits without a moderators' channel or a sink, and delivers once they exist", async () => {
    await start({ modChannel: null });
    await groom();
    expect(await haven.drainOutbox()).toBe(0);
    const [row] = await getDb().db.select().from(outbox);
    expect(row).toMatchObject({ attempts: 0, deliveredAt: null, failedAt: null });
    await haven.service.changeSettings("discord", "g1", { modChannel: "mods" }, admin);
    expect(await haven.drainOutbox()).toBe(1);
    expect(sink.delivered).toHaveLength(1);
  });

  it("a restart between the case write and the delivery loses nothing and sends nothing twice", async () => {
    await start();
    await groom();
    // The first process dies before its outbox worker ran; a new one takes over.
    const engine2 = new FakeEngine();
    const second = await createHaven({ database: getDb(), engine: engine2, outbox: { baseDelayMs: 0 } });
    const sink2 = new CaptureSink();
    second.service.registerSink(sink2);
    expect(await second.drainOutbox()).toBe(1);
    expect(await second.drainOutbox()).toBe(0);
    expect(await haven.drainOutbox()).toBe(0);
    expect(sink2.delivered).toHaveLength(1);
    expect(sink.delivered).toHaveLength(0);
    // Its engine restores the actor's state from risk_states: a new severe stage re-alerts on the same case.
    expect(await getDb().db.select().from(riskStates)).toHaveLength(1);
    const more = await second.service.ingest(msg("9", "adult", "meet me after school #meeting"));
    expect(more.alertIds).toHaveLength(1);
    expect(await getDb().db.select().from(cases)).toHaveLength(1);
    const [a] = await getDb().db.select().from(alerts).where(eq(alerts.id, more.alertIds[0]!));
    expect(a!.score).toBe(1);
    await second.stop();
  });

  it("keeps settings as revisions with who changed which keys, and names a bad setting", async () => {
    await start();
    await expect(haven.service.changeSettings("discord", "g1", { threshold: 0.8 }, moderator)).rejects.toThrow(/configure/);
    await expect(haven.service.changeSettings("discord", "g1", { threshold: 7 }, admin)).rejects.toThrow(/threshold/);
    const next = await haven.service.changeSettings("discord", "g1", { threshold: 0.8, minStages: 3 }, admin);
    expect(next.threshold).toBe(0.8);
    expect((await haven.service.getSettings("discord", "g1")).minStages).toBe(3);
    const revs = await getDb().db.select().from(settingsRevisions).orderBy(settingsRevisions.revision);
    expect(revs.map((r) => [r.revision, r.changed, r.changedBy])).toEqual([
      [1, ["modChannel"], "discord:admin1"],
      [2, ["threshold", "minStages"], "discord:admin1"],
    ]);
    const status = await haven.service.status("discord", "g1");
    expect(status).toMatchObject({ revision: 2, openCases: 0, lastAlertAt: null });
    expect((await haven.service.getSettings("discord", "unknown")).threshold).toBe(0.6);
    expect((await getDb().db.select().from(auditLog).where(eq(auditLog.action, "settings.change"))).length).toBe(2);
  });

  it("stores text Postgres would refuse and truncates long excerpts in the alert", async () => {
    await start();
    const long = `${"you are so mature for your age ".repeat(30)}#trust`;
    expect(await haven.service.ingest(msg("1", "kid", "hi\u0000there", { authorName: "k\u0000id" }))).toMatchObject({ stored: true });
    await haven.service.ingest(msg("2", "adult", long, { attachments: 3 }));
    await haven.service.ingest(msg("3", "adult", "#personal"));
    await haven.service.ingest(msg("4", "adult", "#isolation"));
    await haven.drainOutbox();
    const [first] = await getDb().db.select().from(messages).where(eq(messages.platformMessageId, "1"));
    expect(first!.text).toBe("hithere");
    const excerpt = sink.delivered[0]!.alert.excerpts.find((e) => e.messageId === "2")!;
    expect([...excerpt.text].length).toBeLessThanOrEqual(300);
    expect(excerpt.text.endsWith("…")).toBe(true);
    expect(Object.keys(excerpt).sort()).toEqual(["authorId", "link", "messageId", "stages", "text", "ts"]);
  });

  it("creates opaque tokens that expire and are consumed once", async () => {
    await start();
    const t = await haven.service.createToken("link", { chat: "42" }, 60);
    expect(t).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(await haven.service.resolveToken(t, "callback")).toBeNull();
    expect(await haven.service.resolveToken(t, "link")).toEqual({ chat: "42" });
    expect(await haven.service.resolveToken(t, "link", true)).toEqual({ chat: "42" });
    expect(await haven.service.resolveToken(t, "link", true)).toBeNull();
    const expired = await haven.service.createToken("link", {}, 60);
    await getDb().db.execute(sql`update tokens set expires_at = now() - interval '1 second' where token = ${expired}`);
    expect(await haven.service.resolveToken(expired, "link")).toBeNull();
  });
});
