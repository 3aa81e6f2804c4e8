import type { Command } from "commander";
import { action, openConfiguredDatabase } from "./run.ts";

export function registerMigrate(program: Command): void {
  program
    .command("migrate")
    .description("apply pending database migrations (start does this too) and exit")
    .action(
      action(async ({ env, log }) => {
        const database = await openConfiguredDatabase(env);
        log.info({ backend: database.backend, location: database.location }, "database is up to date");
        await database.close();
      }),
    );
}
