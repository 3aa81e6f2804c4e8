import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runReplay } from "../../src/cli/replay.ts";
import { readConversations } from "../../src/corpus/format.ts";
import { alerts, cases, outbox } from "../../src/store/schema.ts";
import { testBackends, useTestDatabase } from "../fixtures/db.ts";
import { DEV_CORPUS } from "../fixtures/dev-corpus.ts";

const DEV = DEV_CORPUS;
const dev = readConversations(DEV);
const pick = (...ids: string[]) => dev.filter((c) => ids.includes(c.id));

describe.each(testBackends())("haven replay on $name", (backend) => {
  const getDb = useTestDatabase(backend);

  it("a dev grooming conversation opens one case about its suspect, alerts once and re-alerts only on rises or severe stages", async () => {
    const convs = pick("dev-0001", "dev-0003");
    const result = await runReplay(getDb(), convs);
    expect(result.messages).toBe(convs.reduce((n, c) => n + c.messages.length, 0));
    for (const conv of convs) {
      const mine = result.alerts.filter((a) => a.conversation === conv.id);
      expect(mine.length).toBeGreaterThanOrEqual(1);
      // Not one alert per message: one case, one first alert, re-alerts only for a reason.
      expect(new Set(mine.map((a) => a.case)).size).toBe(1);
      expect(mine.map((a) => a.trigger).filter((t) => t === "new")).toHaveLength(1);
      expect(mine[0]!.trigger).toBe("new");
      expect(mine.length).toBeLessThan(conv.messages.length / 4);
      for (const a of mine) {
        expect(a.suspect).toBe(conv.suspect);
        expect(a.targets).toEqual(conv.targets);
      }
    }
    const db = getDb().db;
    expect(await db.select().from(cases)).toHaveLength(2);
    // Everything raised was delivered through the outbox.
    const rows = await db.select().from(outbox);
    expect(rows.length).toBe(result.alerts.length);
    expect(rows.every((r) => r.deliveredAt !== null)).toBe(true);
    expect((await db.select().from(alerts)).every((a) => a.deliveryState === "delivered")).toBe(true);
  });

  it("an actor approaching several children across channels is one case naming all of them", async () => {
    const convs = dev.filter((c) => c.scenario === "dev-es01");
    const result = await runReplay(getDb(), convs);
    expect(result.alerts.length).toBeGreaterThanOrEqual(1);
    expect(new Set(result.alerts.map((a) => a.case)).size).toBe(1);
    const all = new Set(convs.flatMap((c) => c.targets));
    expect(new Set(result.alerts.at(-1)!.targets)).toEqual(all);
    expect(result.alerts.every((a) => a.suspect === "u6")).toBe(true);
  });
});

describe("haven replay command", () => {
  it("--json prints one object per alert with the conversation, case, suspect, targets, score and stages", async () => {
    const dir = mkdtempSync(join(tmpdir(), "haven-replay-"));
    const file = join(dir, "one.jsonl");
    writeFileSync(file, `${JSON.stringify(pick("dev-0003")[0])}\n${JSON.stringify(pick("dev-0004")[0])}\n`);
    const { stdout, stderr } = await promisify(execFile)("npx", ["tsx", "src/cli/main.ts", "replay", file, "--memory", "--json"], {
      env: { ...process.env, LOG_LEVEL: "warn", DATABASE_URL: "" },
    });
    const lines = stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const l of lines) {
      expect(l).toMatchObject({ conversation: "dev-0003", suspect: "u1", targets: ["u2"] });
      expect(typeof l.case).toBe("number");
      expect(l.score).toBeGreaterThanOrEqual(0.6);
      expect(Array.isArray(l.stages)).toBe(true);
    }
    expect(stderr).toMatch(/replayed 20 messages of 2 conversations/);
  }, 120_000);
});
