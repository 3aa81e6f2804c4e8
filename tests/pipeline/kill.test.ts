// A worker killed with SIGKILL mid-stream and restarted (the platform redelivering what it
// had not acknowledged) ends with the same cases and alerts as a worker never killed: no
// alert lost, none duplicated, each delivered once.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createHaven } from "../../src/app.ts";
import type { Database } from "../../src/store/db.ts";
import { alerts, cases, messages, outbox } from "../../src/store/schema.ts";
import { testBackends } from "../fixtures/db.ts";
import { FakeEngine } from "./fake-engine.ts";
import { killStream } from "./fixtures/kill-stream.ts";
import { admin, CaptureSink } from "./helpers.ts";

const child = fileURLToPath(new URL("./fixtures/kill-child.ts", import.meta.url));
const postgres = testBackends().find((b) => b.name === "postgres");

function urlOf(database: Database): string {
  const u = new URL(process.env.DATABASE_URL!);
  u.pathname = `/${database.location.split("/").pop()}`;
  return u.toString();
}

/** Runs the worker; with `killAfter`, SIGKILLs it once it acknowledged that many messages. */
function runWorker(url: string, killAfter?: number): Promise<{ acked: number; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", "tsx", child, url], { stdio: ["ignore", "pipe", "inherit"] });
    let acked = 0;
    let killed = false;
    let buf = "";
    p.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split("\n");
      buf = lines.pop()!;
      for (const l of lines) {
        if (/^\d+$/.test(l)) acked++;
        if (killAfter !== undefined && acked >= killAfter && !killed) {
          killed = true;
          p.kill("SIGKILL");
        }
      }
    });
    p.on("error", reject);
    p.on("exit", (code, signal) => {
      if (signal === "SIGKILL" || code === 0) resolve({ acked, killed });
      else reject(new Error(`worker exited with ${code ?? signal}`));
    });
  });
}

async function outcome(database: Database) {
  const db = database.db;
  const rows = await db.select().from(alerts).orderBy(alerts.id);
  const msgs = new Map((await db.select().from(messages)).map((m) => [m.id, m.platformMessageId]));
  const haven = await createHaven({ database, engine: new FakeEngine(), outbox: { baseDelayMs: 0 }, retentionEveryMs: 0 });
  const sink = new CaptureSink();
  haven.service.registerSink(sink);
  for (const g of ["g1", "g2", "g3"]) await haven.service.changeSettings("discord", g, { modChannel: "mods" }, admin);
  await haven.drainOutbox();
  await haven.stop();
  return {
    messages: msgs.size,
    cases: (await db.select().from(cases)).length,
    alerts: rows.map((a) => `${msgs.get(a.triggerMessageId!)}:${a.trigger}:${a.stages.join("+")}`).sort(),
    outbox: (await db.select().from(outbox)).filter((o) => o.kind === "alert").length,
    delivered: sink.delivered.map((d) => d.alert.alertId).sort((a, b) => a - b),
    alertIds: rows.map((a) => a.id),
  };
}

describe.runIf(postgres)("a worker killed with SIGKILL on postgres", () => {
  it("loses and duplicates no alert after a restart", async () => {
    const reference = await postgres!.open();
    const victim = await postgres!.open();
    try {
      const total = killStream().length;
      expect((await runWorker(urlOf(reference))).acked).toBe(total);
      // Killed at several points; each restart redelivers the whole stream.
      for (const at of [7, 19]) {
        const run = await runWorker(urlOf(victim), at);
        expect(run.killed).toBe(true);
      }
      expect((await runWorker(urlOf(victim))).acked).toBe(total);

      const want = await outcome(reference);
      const got = await outcome(victim);
      expect(want.alerts).toHaveLength(6);
      expect(got.messages).toBe(total);
      expect(got.cases).toBe(want.cases);
      expect(got.alerts).toEqual(want.alerts);
      expect(got.outbox).toBe(got.alertIds.length);
      // Every alert delivered exactly once.
      expect(got.delivered).toEqual(got.alertIds);
    } finally {
      await reference.close();
      await victim.close();
    }
  }, 120_000);
});
