// Automatic platform actions: Haven acts on its own only when an admin configured it to,
// only on live alerts at or above the configured score, once per case, audited and shown.
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { createHaven, type Haven } from "../../src/app.ts";
import { AUTOMATIC_ACTOR } from "../../src/alerts/platform-action.ts";
import { auditLog, outbox } from "../../src/store/schema.ts";
import { testBackends, useTestDatabase } from "../fixtures/db.ts";
import { FakeEngine } from "./fake-engine.ts";
import { admin, CaptureSink, msg, resetClock } from "./helpers.ts";

describe.each(testBackends())("automatic actions on $name", (backend) => {
  const getDb = useTestDatabase(backend);
  let haven: Haven;
  let sink: CaptureSink;

  async function start(settings: Record<string, unknown>) {
    haven = await createHaven({ database: getDb(), engine: new FakeEngine(), outbox: { baseDelayMs: 0, maxAttempts: 5 } });
    sink = new CaptureSink();
    haven.service.registerSink(sink);
    await haven.service.changeSettings("discord", "g1", { modChannel: "mods", ...settings }, admin);
  }

  /** Crosses the alert (0.75 after three stages), then a severe stage re-alerts higher (1.0). */
  async function groom() {
    const s = haven.service;
    await s.ingest(msg("1", "kid", "hi everyone"));
    await s.ingest(msg("2", "adult", "you draw so well #trust"));
    await s.ingest(msg("3", "adult", "how old are you #personal"));
    const first = await s.ingest(msg("4", "adult", "dont tell your mom #isolation"));
    const second = await s.ingest(msg("5", "adult", "send me a photo #images"));
    return [...first.alertIds, ...second.alertIds];
  }

  const automaticAudit = async () => (await getDb().db.select().from(auditLog).where(eq(auditLog.actor, AUTOMATIC_ACTOR))).map((r) => r.action).sort();

  beforeEach(() => resetClock());

  it("takes no action on its own by default", async () => {
    await start({});
    expect(await groom()).toHaveLength(2);
    await haven.drainOutbox();
    expect(sink.delivered).toHaveLength(2);
    expect(sink.actions).toEqual([]);
    expect(await automaticAudit()).toEqual([]);
    expect(sink.delivered.at(-1)!.alert.automatic).toEqual([]);
  });

  it("acts once per case when a live alert reaches the configured score, audited and shown on the alert", async () => {
    await start({ autoActions: ["timeout", "delete"], autoActionScore: 0.7, timeoutMinutes: 30 });
    expect(await groom()).toHaveLength(2);
    await haven.drainOutbox();
    // The first alert (0.75) already qualifies; the re-alert does not repeat the actions.
    expect(sink.actions).toEqual([
      { kind: "timeout", communityId: "g1", userId: "adult", durationSeconds: 1800 },
      { kind: "delete", communityId: "g1", userId: "adult", channelId: "c1", messageId: "4" },
    ]);
    expect(await automaticAudit()).toEqual(["case.delete", "case.timeout"]);
    expect(sink.delivered[0]!.alert.automatic).toEqual(["delete", "timeout"]);
    const rows = await getDb().db.select().from(outbox).where(eq(outbox.kind, "platform_action"));
    expect(rows).toHaveLength(2);
  });

  it("waits for a higher score when the alert is below the automatic score", async () => {
    await start({ autoActions: ["ban"], autoActionScore: 0.95 });
    const s = haven.service;
    await s.ingest(msg("1", "kid", "hi everyone"));
    await s.ingest(msg("2", "adult", "you draw so well #trust"));
    await s.ingest(msg("3", "adult", "how old are you #personal"));
    expect((await s.ingest(msg("4", "adult", "dont tell your mom #isolation"))).alertIds).toHaveLength(1);
    await haven.drainOutbox();
    // 0.75 alerts without an action ...
    expect(sink.actions).toEqual([]);
    expect(sink.delivered[0]!.alert.automatic).toEqual([]);
    // ... the severe re-alert at 1.0 bans.
    expect((await s.ingest(msg("5", "adult", "send me a photo #images"))).alertIds).toHaveLength(1);
    await haven.drainOutbox();
    expect(sink.actions).toEqual([{ kind: "ban", communityId: "g1", userId: "adult" }]);
    expect(sink.delivered.at(-1)!.alert.automatic).toEqual(["ban"]);
  });

  it("never acts in shadow mode", async () => {
    await start({ autoActions: ["ban"], autoActionScore: 0.5, mode: "shadow" });
    await groom();
    await haven.drainOutbox();
    expect(sink.actions).toEqual([]);
    expect(await automaticAudit()).toEqual([]);
  });
});
