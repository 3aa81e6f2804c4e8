// haven export-labels: labelled cases come out as corpus-format conversations that the
// corpus reader (and so eval/train) accepts, with people renamed and truth from the labels.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { exportLabels } from "../../src/cli/export-labels.ts";
import { readConversations } from "../../src/corpus/format.ts";
import { auditLog, labels } from "../../src/store/schema.ts";
import { testBackends, useTestDatabase } from "../fixtures/db.ts";
import { pickConversations, seedCase, seedCommunity } from "../review/seed.ts";

const dir = mkdtempSync(join(tmpdir(), "haven-export-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(testBackends())("export-labels ($name)", (backend) => {
  const getDb = useTestDatabase(backend);

  it("writes grooming and not-grooming cases in the conversation format, skipping unsure ones", async () => {
    const db = getDb().db;
    const community = await seedCommunity(db, "guild-a", "Art Club");
    const { grooming, benign } = pickConversations();
    const g = grooming[0]!;
    const b = benign[0]!;
    const gc = await seedCase(db, community, g, { score: 0.9 });
    const bc = await seedCase(db, community, b, { score: 0.6 });
    const uc = await seedCase(db, community, grooming[1]!, { score: 0.7 });
    await seedCase(db, community, grooming[2]!, { score: 0.7 }); // never labelled
    // A reviewer first said unsure, then grooming; the latest label counts.
    await db.insert(labels).values([
      { caseId: gc.caseId, label: "unsure", source: "reviewer", actor: "console:rita" },
      { caseId: gc.caseId, label: "grooming", source: "reviewer", actor: "console:rita" },
      { caseId: bc.caseId, label: "benign", source: "moderator", actor: "discord:mod1" },
      { caseId: uc.caseId, label: "unsure", source: "reviewer", actor: "console:rita" },
    ]);
    // A stage correction on the second message of the grooming case overrides the engine's stages.
    await db.insert(labels).values({ caseId: gc.caseId, messageId: gc.messageIds[1]!, label: "grooming", stages: ["personal"], source: "reviewer", actor: "console:rita" });

    const file = join(dir, `labels-${backend.name}.jsonl`);
    const stats = await exportLabels(db, file);
    expect(stats).toEqual({ conversations: 2, grooming: 1, benign: 1, skipped: 1 });

    const out = readConversations(file);
    expect(out.map((c) => c.id).sort()).toEqual([`case-${bc.caseId}`, `case-${gc.caseId}`].sort());
    const eg = out.find((c) => c.id === `case-${gc.caseId}`)!;
    expect(eg).toMatchObject({ label: "grooming", suspect: "u1", lang: g.lang, platform: "discord" });
    expect(eg.channel.kind).toBe(g.channel.kind);
    expect(eg.messages.map((m) => m.text)).toEqual(g.messages.map((m) => m.text));
    expect(eg.targets).toEqual(["u2"]);
    expect(eg.roles).toMatchObject({ u1: "adult", u2: "child" });
    expect(eg.messages[1]!.stages).toEqual(["personal"]);
    const onset = g.messages.findIndex((m, i) => i !== 1 && m.author === g.suspect && (m.stages ?? []).some((s) => s !== "age"));
    const corrected = g.messages[1]!.author === g.suspect ? 1 : Number.POSITIVE_INFINITY;
    expect(eg.onset).toBe(Math.min(onset, corrected));
    // No platform ids leave the database.
    expect(readFileSync(file, "utf8")).not.toContain(gc.suspectPlatformId);

    const eb = out.find((c) => c.id === `case-${bc.caseId}`)!;
    expect(eb).toMatchObject({ label: "benign", suspect: null, targets: [], onset: null });
    expect(eb.messages.flatMap((m) => m.stages ?? []).every((s) => s === "age")).toBe(true);

    const audit = await db.select().from(auditLog).where(eq(auditLog.action, "labels.export"));
    expect(audit).toHaveLength(1);
  });

  it("names the file it cannot write", async () => {
    await expect(exportLabels(getDb().db, join(dir, "missing-dir", "x.jsonl"))).rejects.toThrow(/Cannot write .*missing-dir/);
  });
});
