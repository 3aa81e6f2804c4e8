// `haven export-labels --out FILE.jsonl`: the cases people labelled, as corpus-format
// conversations that `haven train` and `haven eval` read.
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import type { Command } from "commander";
import { labelledConversations, type ExportStats } from "../review/export/labelled-conversations.ts";
import { recordAudit } from "../store/audit.ts";
import type { Db } from "../store/db.ts";
import { HavenError } from "../types.ts";
import { action, openConfiguredDatabase } from "./run.ts";

/** Writes every labelled case to `file` (JSONL); returns what was written. */
export async function exportLabels(db: Db, file: string): Promise<ExportStats> {
  const stats: ExportStats = { conversations: 0, grooming: 0, benign: 0, skipped: 0 };
  const out = createWriteStream(file, { encoding: "utf8" });
  const failed = new Promise<never>((_, reject) =>
    out.once("error", (err: NodeJS.ErrnoException) => reject(new HavenError(`Cannot write ${file}: ${err.code ?? err.message}`, "cli.export", "check the directory exists and is writable"))),
  );
  const write = async () => {
    for await (const conv of labelledConversations(db, stats)) {
      if (!out.write(`${JSON.stringify(conv)}\n`)) await once(out, "drain");
    }
    out.end();
    await once(out, "finish");
  };
  await Promise.race([write(), failed]);
  await recordAudit(db, { actor: "cli", action: "labels.export", details: { ...stats } });
  return stats;
}

export function registerExportLabels(program: Command): void {
  program
    .command("export-labels")
    .description("write the cases reviewers and moderators labelled as JSONL conversations, for haven train")
    .requiredOption("--out <file>", "where to write the JSONL")
    .action(
      action(async ({ env, log }, opts: { out: string }) => {
        const database = await openConfiguredDatabase(env);
        try {
          const stats = await exportLabels(database.db, opts.out);
          log.info({ ...stats, out: opts.out }, "labels exported");
          process.stdout.write(`wrote ${stats.conversations} conversations (${stats.grooming} grooming, ${stats.benign} not grooming) to ${opts.out}; skipped ${stats.skipped} unsure or empty case(s)\n`);
        } finally {
          await database.close();
        }
      }),
    );
}
