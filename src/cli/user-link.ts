// `haven user-link USERNAME`: a one-time link (24 hours) to set a console account's
// password. It is how an owner who lost their password gets back in: whoever can run
// Haven's CLI on its server already controls its data. Audited.
import { eq } from "drizzle-orm";
import type { Command } from "commander";
import { createLinkToken } from "../review/auth/setup-tokens.ts";
import { recordAudit } from "../store/audit.ts";
import { users } from "../store/schema.ts";
import { HavenError } from "../types.ts";
import { action, openConfiguredDatabase } from "./run.ts";

export function registerUserLink(program: Command): void {
  program
    .command("user-link")
    .description("print a one-time console link (24 h) that sets a new password for USERNAME, e.g. an owner who lost theirs")
    .argument("<username>", "the console account")
    .action(
      action(async ({ env }, username: string) => {
        const database = await openConfiguredDatabase(env);
        try {
          const rows = await database.db.select().from(users).where(eq(users.username, username)).limit(1);
          const user = rows[0];
          if (!user) throw new HavenError(`There is no console account named ${username}`, "cli.user", "check the name on the console's People page");
          if (user.disabledAt) throw new HavenError(`The account ${username} is disabled`, "cli.user", "an owner can enable it on the People page first");
          const token = await createLinkToken(database.db, "invite", { userId: user.id });
          await recordAudit(database.db, { actor: `cli:${process.env.USER ?? "unknown"}`, action: "user.link", subject: `user:${user.id}`, details: { username } });
          const base = (env.HAVEN_PUBLIC_URL ?? `http://${env.HAVEN_CONSOLE_HOST}:${env.HAVEN_CONSOLE_PORT}`).replace(/\/+$/, "");
          process.stdout.write(`${base}/setup/${token}\n`);
        } finally {
          await database.close();
        }
      }),
    );
}
