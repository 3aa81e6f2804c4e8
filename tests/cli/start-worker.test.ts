// `haven start --worker-name`: one worker of several on one Postgres. It leases the
// partitions, and gives them back when it stops; the embedded database refuses it.
import { spawn } from "node:child_process";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Database } from "../../src/store/db.ts";
import { leases } from "../../src/store/schema.ts";
import { testBackends } from "../fixtures/db.ts";

function start(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "start", ...args], { env, stdio: ["ignore", "ignore", "pipe"] });
  const out = { log: "" };
  child.stderr.on("data", (d: Buffer) => (out.log += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, out, exited };
}

function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env, CI: "true", HAVEN_CONSOLE_PORT: "0" } as NodeJS.ProcessEnv;
  delete env.DATABASE_URL;
  delete env.DISCORD_TOKEN;
  delete env.TELEGRAM_TOKEN;
  delete env.HAVEN_WORKER;
  return env;
}

describe("haven start as a scale-out worker", () => {
  it("refuses a worker name on the embedded database, which one process holds", async () => {
    const { out, exited } = start(["--worker-name", "w1"], baseEnv());
    expect(await exited).toBe(1);
    expect(out.log).toMatch(/worker name needs DATABASE_URL/);
  }, 60_000);

  const postgres = testBackends().find((b) => b.name === "postgres");
  it.skipIf(!postgres)("on Postgres, leases every partition under its name (HAVEN_WORKER) and gives them back on SIGTERM", async () => {
    const database: Database = await postgres!.open();
    try {
      const u = new URL(process.env.DATABASE_URL!);
      u.pathname = `/${database.location.split("/").pop()}`;
      const { child, out, exited } = start([], { ...baseEnv(), DATABASE_URL: u.toString(), HAVEN_WORKER: "telegram-1" });
      const owned = async () =>
        (await database.db.select().from(leases).where(sql`${leases.owner} = 'telegram-1' and ${leases.partition} >= 0`)).length;
      const deadline = Date.now() + 100_000;
      while ((!out.log.includes("Haven is running") || (await owned()) === 0) && Date.now() < deadline && child.exitCode === null) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(out.log).toContain("scale-out: worker telegram-1");
      expect(await owned()).toBe(64);
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(await owned()).toBe(0);
    } finally {
      await database.close();
    }
  }, 120_000);
});
