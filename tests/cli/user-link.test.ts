// An owner who lost their password gets back in with `haven user-link`, run on the server.
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log.ts";
import { createConsoleApp } from "../../src/review/server.ts";
import { createHaven } from "../../src/app.ts";
import { openDatabase, pgliteDir } from "../../src/store/db.ts";
import { auditLog } from "../../src/store/schema.ts";
import { ConsoleClient } from "../review/client.ts";
import { seedUser } from "../review/seed.ts";

const run = promisify(execFile);

describe("haven user-link", () => {
  it("prints a one-time link that sets a new password and ends the old sessions; unknown names are refused", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "haven-userlink-"));
    const env = { ...process.env, HAVEN_DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "warn", HAVEN_PUBLIC_URL: "http://console.test" };
    let database = await openDatabase({ dataDir: pgliteDir(dataDir) });
    const ownerId = await seedUser(database.db, "olga", "forgotten-password", [], true);
    await database.close();

    const unknown = await run("npx", ["tsx", "src/cli/main.ts", "user-link", "nobody"], { env }).catch((e: { code: number; stderr: string }) => e);
    expect((unknown as { code: number }).code).toBe(1);
    expect((unknown as { stderr: string }).stderr).toContain("no console account named nobody");

    const { stdout } = await run("npx", ["tsx", "src/cli/main.ts", "user-link", "olga"], { env });
    const link = stdout.trim();
    expect(link).toMatch(/^http:\/\/console\.test\/setup\/[\w-]+$/);

    database = await openDatabase({ dataDir: pgliteDir(dataDir) });
    const haven = await createHaven({ database, log: silentLogger });
    try {
      const app = createConsoleApp({ database, service: haven.service, log: silentLogger, publicUrl: "http://console.test", engine: { replay: async () => [] } });
      const path = new URL(link).pathname;
      const olga = new ConsoleClient(app);
      await olga.page(path);
      expect((await olga.form(path, { password: "a-brand-new-password", confirm: "a-brand-new-password" })).status).toBe(303);
      expect((await new ConsoleClient(app).signIn("olga", "forgotten-password")).status).not.toBe(303);
      expect((await new ConsoleClient(app).signIn("olga", "a-brand-new-password")).status).toBe(303);
      // The link works once.
      expect((await new ConsoleClient(app).page(path)).status).toBe(404);
      const actions = (await database.db.select().from(auditLog).where(eq(auditLog.subject, `user:${ownerId}`))).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(["user.link", "user.password_set"]));
    } finally {
      await haven.stop();
      await database.close();
    }
  }, 240_000);
});
