// `haven start` as a new user runs it: no tokens, embedded database, console up, clean stop.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const dataDir = mkdtempSync(join(tmpdir(), "haven-start-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("haven start", () => {
  it("starts on the embedded database with no tokens, serves the console, says how to add platforms, and stops on SIGTERM", async () => {
    const env = { ...process.env, CI: "true", HAVEN_DATA_DIR: dataDir, HAVEN_CONSOLE_PORT: "0" } as NodeJS.ProcessEnv;
    delete env.DATABASE_URL;
    delete env.DISCORD_TOKEN;
    delete env.TELEGRAM_TOKEN;
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "start"], { env, stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    child.stderr.on("data", (d: Buffer) => (log += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

    const deadline = Date.now() + 100_000;
    while (!log.includes("Haven is running") && Date.now() < deadline && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(log).toContain("Haven is running");
    expect(log).toMatch(/set DISCORD_TOKEN/);
    expect(log).toMatch(/set TELEGRAM_TOKEN/);
    expect(log).toMatch(/\/setup\/[A-Za-z0-9_-]{16,}/);
    const url = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(log)?.[1];
    expect(url).toBeDefined();
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 120_000);
});
