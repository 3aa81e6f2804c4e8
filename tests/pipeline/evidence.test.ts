// A case keeps its whole conversation: every message of the suspect that carried a warning
// sign and the targets' replies in between are linked to the case, so retention does not
// strip the case timeline while the case is open (or before its case retention ends).
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createHaven } from "../../src/app.ts";
import { purgeExpired } from "../../src/store/retention.ts";
import { caseMessages, cases, messages } from "../../src/store/schema.ts";
import { testBackends, useTestDatabase } from "../fixtures/db.ts";
import { FakeEngine } from "./fake-engine.ts";
import { admin, CaptureSink, moderator, msg, resetClock } from "./helpers.ts";

describe.each(testBackends())("case evidence on $name", (backend) => {
  const getDb = useTestDatabase(backend);

  it("links the suspect's warning signs and the conversation around them, up to the decision", async () => {
    resetClock();
    const haven = await createHaven({ database: getDb(), engine: new FakeEngine(), retentionEveryMs: 0 });
    haven.service.registerSink(new CaptureSink());
    const s = haven.service;
    await s.changeSettings("discord", "g1", { modChannel: "mods", retentionDays: 1 }, admin);
    const stream = [
      msg("1", "kid", "hi everyone"),
      msg("2", "adult", "you draw so well #trust"),
      msg("3", "kid", "thanks!"),
      msg("4", "other", "unrelated chatter", { channelId: "c2" }),
      msg("5", "adult", "how old are you #personal"),
      msg("6", "kid", "13"),
      msg("7", "adult", "dont tell your mom #isolation"),
      msg("8", "kid", "ok"),
      msg("9", "adult", "good"),
    ];
    for (const m of stream) await s.ingest(m);
    const db = getDb().db;
    const [kase] = await db.select().from(cases);
    const linked = async () =>
      (await db.select({ id: messages.platformMessageId }).from(caseMessages).innerJoin(messages, eq(messages.id, caseMessages.messageId)).where(eq(caseMessages.caseId, kase!.id)))
        .map((r) => r.id)
        .sort();
    // At the alert (message 7): the suspect's signs and the child's replies since the first one.
    expect(await linked()).toEqual(["2", "3", "5", "6", "7"]);

    // An open case keeps everything said after the alert, too, once retention looks at it.
    const later = new Date(stream.at(-1)!.ts + 3 * 86_400_000);
    await purgeExpired(db, later);
    expect(await linked()).toEqual(["2", "3", "5", "6", "7", "8", "9"]);
    const texts = new Map((await db.select().from(messages)).map((m) => [m.platformMessageId, m.text]));
    expect(texts.get("6")).toBe("13");
    expect(texts.get("9")).toBe("good");
    // Chatter that is no part of the case goes after retentionDays.
    expect(texts.get("4")).toBeNull();
    expect(texts.get("1")).toBeNull();

    // A message after the purge is linked when a moderator decides.
    await s.ingest(msg("10", "kid", "are you there?"));
    expect((await s.act({ caseId: kase!.id, kind: "confirm", actor: moderator })).ok).toBe(true);
    expect(await linked()).toContain("10");
    await haven.stop();
  });
});
