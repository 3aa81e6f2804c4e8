// `haven export CASE_ID [--out FILE]`: the case's evidence report as JSON with a SHA-256
// digest of its body. Every export is recorded in the audit log.
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { recordAudit } from "../store/audit.ts";
import { buildCaseReport, type CaseReport } from "../store/case-report.ts";
import { getCaseRow } from "../store/cases.ts";
import type { Db } from "../store/db.ts";
import { HavenError } from "../types.ts";
import { action, openConfiguredDatabase } from "./run.ts";

/** Builds the report and records who exported it; null when the case does not exist. */
export async function exportCase(db: Db, caseId: number, actor: string): Promise<CaseReport | null> {
  const report = await buildCaseReport(db, caseId);
  if (!report) return null;
  const row = await getCaseRow(db, caseId);
  await recordAudit(db, {
    actor,
    action: "case.export",
    communityId: row?.communityId ?? null,
    subject: `case:${caseId}`,
    details: { digest: report.digest.value, messages: (report.body.messages as unknown[]).length },
  });
  return report;
}

export function registerExport(program: Command): void {
  program
    .command("export")
    .description("write a case's evidence report (JSON with a SHA-256 digest) for a hotline or the police; no media, ever")
    .argument("<case>", "case id")
    .option("--out <file>", "write to this file instead of standard output")
    .action(
      action(async ({ env, log }, caseArg: string, opts: { out?: string }) => {
        const caseId = Number(caseArg);
        if (!Number.isInteger(caseId) || caseId <= 0) throw new HavenError(`Invalid case id "${caseArg}"`, "cli.args", "give the case number, e.g. haven export 12");
        const database = await openConfiguredDatabase(env);
        try {
          const user = process.env.USER ?? "unknown";
          const report = await exportCase(database.db, caseId, `cli:${user}`);
          if (!report) throw new HavenError(`Case ${caseId} not found`, "cli.not_found", "list cases in the console");
          const json = `${JSON.stringify(report, null, 2)}\n`;
          if (opts.out) {
            writeFileSync(opts.out, json, { mode: 0o600 });
            log.info({ case: caseId, file: opts.out, sha256: report.digest.value }, "case report written");
          } else {
            process.stdout.write(json);
          }
        } finally {
          await database.close();
        }
      }),
    );
}
