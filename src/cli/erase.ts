// `haven erase --platform P --user ID`: a person's right to erasure. Removes their message
// text, the evidence quoted from it, and their display name; leaves an audit entry.
import type { Command } from "commander";
import { eraseUser } from "../store/retention.ts";
import { HavenError, PLATFORMS } from "../types.ts";
import { action, openConfiguredDatabase } from "./run.ts";

export function registerErase(program: Command): void {
  program
    .command("erase")
    .description("erase a user's message text and display name everywhere (an audit entry records the erasure)")
    .requiredOption("--platform <platform>", `one of ${PLATFORMS.join(", ")}`)
    .requiredOption("--user <id>", "the user's platform id")
    .action(
      action(async ({ env }, opts: { platform: string; user: string }) => {
        if (!(PLATFORMS as readonly string[]).includes(opts.platform)) {
          throw new HavenError(`Unknown platform "${opts.platform}"`, "cli.args", `use one of ${PLATFORMS.join(", ")}`);
        }
        const database = await openConfiguredDatabase(env);
        try {
          const r = await eraseUser(database.db, opts.platform, opts.user, `cli:${process.env.USER ?? "unknown"}`);
          process.stdout.write(
            r.found ? `erased ${opts.platform} user ${opts.user}: text of ${r.messages} messages and their display name\n` : `no ${opts.platform} user ${opts.user} is stored; recorded the request\n`,
          );
        } finally {
          await database.close();
        }
      }),
    );
}
