// Reads and writes of the store's repositories, on both backends.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, applySettingsChange } from "../../src/config/settings.ts";
import { ensureParticipants, findChannel, findCommunity, upsertChannel, upsertCommunity, upsertParticipant } from "../../src/store/communities.ts";
import { addCaseTargets, caseSummary, findOpenCase, linkCaseMessages, openCase, resolveMessageRefs, updateCaseEvidence } from "../../src/store/cases.ts";
import { findMessage, insertMessage, lastMessageId, saveAssessment } from "../../src/store/messages.ts";
import { loadRiskStates, saveRiskStates } from "../../src/store/risk-states.ts";
import { participants, messageSignals } from "../../src/store/schema.ts";
import { changedKeys, loadSettings, saveSettingsRevision, settingsHistory } from "../../src/store/settings.ts";
import { testBackends, useTestDatabase } from "../fixtures/db.ts";

describe.each(testBackends())("store repositories on $name", (backend) => {
  const getDb = useTestDatabase(backend);

  it("upserts communities, channels and participants, keeping known names", async () => {
    const db = getDb().db;
    const c = await upsertCommunity(db, "telegram", "-100", "Group");
    expect(await upsertCommunity(db, "telegram", "-100")).toBe(c);
    expect(await findCommunity(db, "telegram", "-100")).toEqual({ id: c, name: "Group" });
    expect(await findCommunity(db, "discord", "-100")).toBeNull();
    const ch = await upsertChannel(db, c, "telegram", "-100", "group", "Group");
    expect(await findChannel(db, "telegram", "-100")).toEqual({ id: ch, communityId: c });
    const p = await upsertParticipant(db, "telegram", "7", "Sam");
    expect(await upsertParticipant(db, "telegram", "7")).toBe(p);
    const ids = await ensureParticipants(db, "telegram", ["7", "8", "8"]);
    expect(ids.get("7")).toBe(p);
    expect(ids.size).toBe(2);
    // An erased person's name does not come back with their next message.
    await db.update(participants).set({ displayName: null, erasedAt: new Date() }).where(eq(participants.id, p));
    await upsertParticipant(db, "telegram", "7", "Sam again");
    expect((await db.select().from(participants).where(eq(participants.id, p)))[0]!.displayName).toBeNull();
  });

  it("stores messages once and finds them by platform ids", async () => {
    const db = getDb().db;
    const c = await upsertCommunity(db, "discord", "g");
    const ch = await upsertChannel(db, c, "discord", "c", "group");
    const a = await upsertParticipant(db, "discord", "a");
    const m = { channelId: ch, authorId: a, text: "hello", sentAt: new Date("2026-01-01T00:00:00Z"), platformMessageId: "1" };
    const id = await insertMessage(db, m);
    expect(id).toBeTypeOf("number");
    expect(await insertMessage(db, { ...m, text: "changed" })).toBeNull();
    await insertMessage(db, { ...m, platformMessageId: "2", sentAt: new Date("2026-01-01T00:01:00Z") });
    expect(await lastMessageId(db, "discord", "c")).toBe("2");
    expect(await lastMessageId(db, "discord", "other")).toBeNull();
    expect(await findMessage(db, "discord", "c", "1")).toMatchObject({ id, channelId: ch, communityId: c, authorId: a, scoredAt: null });
    await saveAssessment(db, id!, 0.4, "en", [
      { stage: "trust", weight: 0.5, evidence: "x", rule: "r1" },
      { stage: "trust", weight: 0.8, evidence: "y", rule: "r1" },
    ]);
    const signals = await db.select().from(messageSignals);
    expect(signals).toMatchObject([{ stage: "trust", weight: 0.8, evidence: "y" }]);
    expect((await findMessage(db, "discord", "c", "1"))!.scoredAt).not.toBeNull();
  });

  it("keeps settings as numbered revisions with the changed keys", async () => {
    const db = getDb().db;
    const c = await upsertCommunity(db, "discord", "g");
    expect(await loadSettings(db, c)).toEqual({ settings: DEFAULT_SETTINGS, revision: 0 });
    const next = applySettingsChange(DEFAULT_SETTINGS, { mode: "shadow" });
    expect(changedKeys(DEFAULT_SETTINGS, next)).toEqual(["mode"]);
    expect(await saveSettingsRevision(db, c, next, ["mode"], "cli")).toBe(1);
    expect(await saveSettingsRevision(db, c, { ...next, threshold: 0.9 }, ["threshold"], "console:ann")).toBe(2);
    expect((await loadSettings(db, c)).settings).toMatchObject({ mode: "shadow", threshold: 0.9 });
    expect((await settingsHistory(db, c)).map((r) => r.changedBy)).toEqual(["console:ann", "cli"]);
  });

  it("keeps engine state per model version", async () => {
    const db = getDb().db;
    await saveRiskStates(db, [{ key: "a:1", kind: "actor", platform: "discord", score: 0.2, state: { n: 1 } }], "v1");
    await saveRiskStates(db, [{ key: "a:1", kind: "actor", platform: "discord", score: 0.3, state: { n: 2 } }], "v1");
    expect(await loadRiskStates(db, ["a:1", "a:2"], "v1")).toEqual([{ key: "a:1", kind: "actor", platform: "discord", score: 0.3, state: { n: 2 } }]);
    expect(await loadRiskStates(db, ["a:1"], "v2")).toEqual([]);
  });

  it("groups evidence, targets and stages on one open case per suspect", async () => {
    const db = getDb().db;
    const c = await upsertCommunity(db, "discord", "g");
    const ch = await upsertChannel(db, c, "discord", "c", "dm");
    const ids = await ensureParticipants(db, "discord", ["adult", "kid1", "kid2"]);
    const msgId = await insertMessage(db, { channelId: ch, authorId: ids.get("adult")!, text: "x", sentAt: new Date(), platformMessageId: "m1" });
    const k = await openCase(db, { communityId: c, suspectId: ids.get("adult")!, channelId: ch, score: 0.7, stages: ["trust"], lang: "en" });
    expect((await findOpenCase(db, c, ids.get("adult")!))!.id).toBe(k.id);
    const updated = await updateCaseEvidence(db, k, 0.5, ["isolation", "trust"]);
    expect(updated).toMatchObject({ score: 0.7, stages: ["trust", "isolation"] });
    await addCaseTargets(db, k.id, [ids.get("kid1")!, ids.get("kid2")!, ids.get("kid1")!]);
    const refs = await resolveMessageRefs(db, c, [{ conversationId: "c", messageId: "m1" }, { conversationId: "zz", messageId: "m1" }, { conversationId: "c", messageId: "nope" }]);
    expect([...refs.values()]).toEqual([msgId, msgId]);
    await linkCaseMessages(db, k.id, [msgId!, msgId!]);
    const summary = await caseSummary(db, k.id, { platform: "discord", communityId: "g" });
    expect(summary).toMatchObject({ status: "open", suspect: { id: "adult" }, targets: [{ id: "kid1" }, { id: "kid2" }], alerts: 0 });
    expect(await caseSummary(db, k.id, { platform: "telegram", communityId: "g" })).toBeNull();
  });
});
