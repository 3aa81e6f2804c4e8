import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/config/settings.ts";
import { readConversations } from "../../src/corpus/format.ts";
import { report, runConversations } from "../../src/engine/evaluate.ts";
import { loadModel } from "../../src/engine/index.ts";

// Five conversations: two visible progressions (EN, NL), a "grooming" one with nothing visible
// (always missed), a parent checking in (quiet), and grooming text labelled benign (a false alert).
const fixture = resolve(import.meta.dirname, "../fixtures/eval-small.jsonl");
const KEYS = ["conversations", "precision", "recall", "f05", "f1", "suspectAccuracy", "latencyMedian", "latencyP90", "falseAlertsPer10k", "byLang"];

describe("eval", () => {
  it("reports the known figures of the fixture", () => {
    const outcomes = runConversations(readConversations(fixture), loadModel(), DEFAULT_SETTINGS);
    const r = report(outcomes);
    expect(r).toMatchObject({ conversations: 5, grooming: 3, benign: 2, messages: 34, benignMessages: 14, suspectAccuracy: 1 });
    expect(r.precision).toBeCloseTo(2 / 3);
    expect(r.recall).toBeCloseTo(2 / 3);
    expect(r.f05).toBeCloseTo(2 / 3);
    expect(r.f1).toBeCloseTo(2 / 3);
    const falseAlerts = outcomes.find((o) => o.id === "eval-b2")!.alerts.length;
    expect(falseAlerts).toBeGreaterThan(0);
    expect(r.falseAlertsPer10k).toBeCloseTo((falseAlerts * 10_000) / 14);
    expect(outcomes.find((o) => o.id === "eval-b1")!.alerts).toEqual([]);
    expect(outcomes.find((o) => o.id === "eval-g3")!.alerts).toEqual([]);
    expect(r.latencyMedian).not.toBeNull();
    expect(r.latencyMedian!).toBeLessThanOrEqual(3);
    expect(r.byLang.nl).toMatchObject({ conversations: 1, precision: 1, recall: 1 });
    expect(r.byLang.en).toMatchObject({ conversations: 4, precision: 0.5, recall: 0.5 });
  });

  it("reports precision and recall as null, not 0, where they are undefined", () => {
    const convs = readConversations(fixture);
    const quiet = report(runConversations(convs.filter((c) => c.id === "eval-b1"), loadModel(), DEFAULT_SETTINGS));
    expect(quiet).toMatchObject({ conversations: 1, grooming: 0, precision: null, recall: null, f05: null, f1: null, suspectAccuracy: null, falseAlertsPer10k: 0 });
    // Benign only, with a false alert: precision is a real 0, recall stays undefined.
    const noisy = report(runConversations(convs.filter((c) => c.label === "benign"), loadModel(), DEFAULT_SETTINGS));
    expect(noisy.precision).toBe(0);
    expect(noisy.recall).toBeNull();
    expect(noisy.falseAlertsPer10k).toBeGreaterThan(0);
  });

  it("prints exactly one JSON object with the contract's keys on stdout with --json", () => {
    const out = execFileSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "eval", fixture, "--json"], {
      cwd: resolve(import.meta.dirname, "../.."),
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    const lines = out.trim().split("\n");
    expect(lines).toHaveLength(1);
    const parsed = JSON.parse(lines[0]!) as Record<string, unknown>;
    for (const k of KEYS) expect(parsed).toHaveProperty(k);
    expect(parsed.conversations).toBe(5);
  });
});
