// A decision taken in chat is not overturned by a later chat button (an old alert message,
// two moderators pressing at once); escalation follows a confirmation; the console may
// change a decision deliberately, audited with what it was before.
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { createHaven, type Haven } from "../../src/app.ts";
import { auditLog, cases } from "../../src/store/schema.ts";
import type { Actor } from "../../src/types.ts";
import { testBackends, useTestDatabase } from "../fixtures/db.ts";
import { FakeEngine } from "./fake-engine.ts";
import { admin, CaptureSink, moderator, msg, resetClock } from "./helpers.ts";

describe.each(testBackends())("decision conflicts on $name", (backend) => {
  const getDb = useTestDatabase(backend);
  let haven: Haven;
  const secondMod: Actor = { via: "discord", id: "mod2", name: "Mod Two", rights: ["decide"] };
  const reviewer: Actor = { via: "console", id: "rita", name: "rita", rights: ["decide"] };

  async function openCase(): Promise<number> {
    haven = await createHaven({ database: getDb(), engine: new FakeEngine(), outbox: { baseDelayMs: 0 } });
    haven.service.registerSink(new CaptureSink());
    await haven.service.changeSettings("discord", "g1", { modChannel: "mods" }, admin);
    const s = haven.service;
    await s.ingest(msg("1", "kid", "hi"));
    await s.ingest(msg("2", "adult", "you draw so well #trust"));
    await s.ingest(msg("3", "adult", "how old are you #personal"));
    await s.ingest(msg("4", "adult", "dont tell your mom #isolation"));
    return (await getDb().db.select().from(cases))[0]!.id;
  }

  const status = async (id: number) => (await getDb().db.select().from(cases).where(eq(cases.id, id)))[0]!.status;

  beforeEach(() => resetClock());

  it("refuses a chat button that would overturn another moderator's decision", async () => {
    const id = await openCase();
    expect(await haven.service.act({ caseId: id, kind: "confirm", actor: moderator })).toMatchObject({ ok: true, status: "confirmed" });
    const late = await haven.service.act({ caseId: id, kind: "dismiss", actor: secondMod });
    expect(late).toMatchObject({ ok: false, reason: "already_decided" });
    expect(late.message).toContain("discord:mod1");
    expect(await status(id)).toBe("confirmed");
    // Pressing the same decision again is harmless.
    expect(await haven.service.act({ caseId: id, kind: "confirm", actor: secondMod })).toMatchObject({ ok: true, status: "confirmed" });
  });

  it("lets a confirmed case be escalated from chat, but not a dismissed one", async () => {
    const id = await openCase();
    await haven.service.act({ caseId: id, kind: "confirm", actor: moderator });
    expect(await haven.service.act({ caseId: id, kind: "escalate", actor: secondMod })).toMatchObject({ ok: true, status: "escalated" });
    expect(await haven.service.act({ caseId: id, kind: "dismiss", actor: moderator })).toMatchObject({ ok: false, reason: "already_decided" });
    expect(await status(id)).toBe("escalated");
  });

  it("lets the console change a decision, audited with the earlier status", async () => {
    const id = await openCase();
    await haven.service.act({ caseId: id, kind: "dismiss", actor: moderator });
    expect(await haven.service.act({ caseId: id, kind: "confirm", actor: reviewer })).toMatchObject({ ok: true, status: "confirmed" });
    const decisions = await getDb().db.select().from(auditLog).where(eq(auditLog.action, "case.decide"));
    expect(decisions.map((d) => d.details)).toEqual([
      expect.objectContaining({ decision: "dismiss", from: "open", to: "dismissed" }),
      expect.objectContaining({ decision: "confirm", from: "dismissed", to: "confirmed" }),
    ]);
  });
});
