import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createHaven } from "../../src/app.ts";
import { exportCase } from "../../src/cli/export.ts";
import { verifyCaseReport, type CaseReport } from "../../src/store/case-report.ts";
import { openDatabase, pgliteDir, type Database } from "../../src/store/db.ts";
import { auditLog, cases } from "../../src/store/schema.ts";
import { testBackends, useTestDatabase } from "../fixtures/db.ts";
import { FakeEngine } from "../pipeline/fake-engine.ts";
import { admin, moderator, msg, resetClock } from "../pipeline/helpers.ts";

/** An independent canonical form: sorted keys, no whitespace. */
function canonical(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  return `{${Object.keys(v)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
    .join(",")}}`;
}

async function makeCase(database: Database): Promise<number> {
  resetClock();
  const haven = await createHaven({ database, engine: new FakeEngine() });
  const s = haven.service;
  await s.ingest(msg("1", "kid", "hi", { attachments: 2 }));
  await s.ingest(msg("2", "adult", "you draw so well #trust"));
  await s.ingest(msg("3", "adult", `where do you live #personal ${"long text ".repeat(50)}`));
  await s.ingest(msg("4", "adult", "dont tell your mom #isolation", { attachments: 1 }));
  await s.ingest(msg("5", "bystander", "unrelated chatter"));
  const [c] = await database.db.select().from(cases);
  await s.act({ caseId: c!.id, kind: "confirm", actor: moderator, note: "clear pattern" });
  await s.changeSettings("discord", "g1", { threshold: 0.7 }, admin);
  await haven.stop();
  return c!.id;
}

describe.each(testBackends())("case export on $name", (backend) => {
  const getDb = useTestDatabase(backend);

  it("reports the case's people, messages, timeline, alerts, labels and decisions with a digest that verifies", async () => {
    const caseId = await makeCase(getDb());
    const report = (await exportCase(getDb().db, caseId, "cli:tester"))!;
    expect(report.digest.value).toBe(createHash("sha256").update(canonical(report.body)).digest("hex"));
    expect(verifyCaseReport(report)).toBe(true);
    // A round trip through JSON (what a receiver has) still verifies; any change does not.
    const received = JSON.parse(JSON.stringify(report)) as CaseReport;
    expect(verifyCaseReport(received)).toBe(true);
    (received.body.messages as { text: string }[])[0]!.text = "altered";
    expect(verifyCaseReport(received)).toBe(false);

    const b = report.body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(b).toMatchObject({
      platform: "discord",
      community: { id: "g1", name: "Guild One" },
      channel: { id: "c1", name: "general" },
      suspect: { id: "adult", name: "name-adult" },
      targets: [{ id: "kid", name: "name-kid" }],
      case: { id: caseId, status: "confirmed", decidedBy: "discord:mod1" },
    });
    expect(b.messages.map((m: { id: string }) => m.id)).toEqual(["1", "2", "3", "4"]);
    expect(b.messages[3]).toMatchObject({ author: "adult", role: "suspect", text: "dont tell your mom #isolation", attachments: 1, link: "https://chat.example/c1/4", evidence: true, stages: ["isolation"] });
    expect(b.messages[0]).toMatchObject({ role: "target", attachments: 2, evidence: false });
    expect(b.timeline.map((t: { stage: string }) => t.stage)).toEqual(["trust", "personal", "isolation"]);
    expect(b.alerts).toHaveLength(1);
    expect(b.labels).toMatchObject([{ label: "grooming", source: "moderator", actor: "discord:mod1" }]);
    expect(b.decisions).toMatchObject([{ action: "case.decide", actor: "discord:mod1" }]);
    expect(b.notes).toMatchObject([{ text: "clear pattern" }]);
    const audit = await getDb().db.select().from(auditLog).where(eq(auditLog.action, "case.export"));
    expect(audit).toMatchObject([{ actor: "cli:tester", subject: `case:${caseId}`, details: { digest: report.digest.value } }]);
    expect(await exportCase(getDb().db, 9999, "cli:tester")).toBeNull();
  });
});

describe("haven export command", () => {
  it("writes the report to --out on the configured (embedded) database", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "haven-export-"));
    const database = await openDatabase({ dataDir: pgliteDir(dataDir) });
    const caseId = await makeCase(database);
    await database.close();
    const out = join(dataDir, "report.json");
    const run = promisify(execFile);
    await run("npx", ["tsx", "src/cli/main.ts", "export", String(caseId), "--out", out], {
      env: { ...process.env, HAVEN_DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "warn" },
    });
    const report = JSON.parse(readFileSync(out, "utf8")) as CaseReport;
    expect(verifyCaseReport(report)).toBe(true);
    expect((report.body.suspect as { id: string }).id).toBe("adult");
  }, 180_000);
});
