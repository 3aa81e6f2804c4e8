// `haven purge`: removes message text past each community's retention now (start runs it hourly).
import type { Command } from "commander";
import { purgeExpired } from "../store/retention.ts";
import { action, openConfiguredDatabase } from "./run.ts";

export function registerPurge(program: Command): void {
  program
    .command("purge")
    .description("remove message text past each community's retention (retentionDays; caseRetentionDays for closed cases); scores and labels stay")
    .action(
      action(async ({ env }) => {
        const database = await openConfiguredDatabase(env);
        try {
          const r = await purgeExpired(database.db, new Date(), `cli:${process.env.USER ?? "unknown"}`);
          process.stdout.write(`removed the text of ${r.messages} messages outside cases and ${r.caseMessages} messages of closed cases\n`);
        } finally {
          await database.close();
        }
      }),
    );
}
