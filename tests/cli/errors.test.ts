// The CLI as a user meets it: bad configuration gives one clear line and a non-zero exit.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

function haven(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    env: { ...process.env, ...env, CI: "true" },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stderr: r.stderr };
}

describe("haven CLI errors", () => {
  it("an unreachable DATABASE_URL names the host, never the password, and exits non-zero", () => {
    const r = haven(["migrate"], { DATABASE_URL: "postgres://haven:s3cretpw@127.0.0.1:1/haven" });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("127.0.0.1:1");
    expect(r.stderr).not.toContain("s3cretpw");
  });

  it("a malformed DATABASE_URL is rejected with the setting's name", () => {
    const r = haven(["migrate"], { DATABASE_URL: "mysql://root@localhost/db" });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/DATABASE_URL/);
  });

  it("a bad setting stops start-up naming it", () => {
    const r = haven(["migrate"], { HAVEN_CONSOLE_PORT: "99999" });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/HAVEN_CONSOLE_PORT/);
  });
});
