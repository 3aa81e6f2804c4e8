import { describe, expect, it } from "vitest";
import { decideAlert, type CaseMemory } from "../../src/alerts/policy.ts";
import { DEFAULT_SETTINGS, applySettingsChange } from "../../src/config/settings.ts";
import type { RiskScore, Stage } from "../../src/types.ts";

const score = (value: number, stages: Stage[]): RiskScore => ({
  subject: { kind: "pair", actor: "a", target: "c" },
  score: value,
  stages,
  reasons: [],
  targets: ["c"],
  conversationIds: ["x"],
});
const HOUR = 3_600_000;
const memory = (m: Partial<CaseMemory>): CaseMemory => ({ lastAlertScore: 0.7, lastAlertAt: 0, stages: ["trust", "personal"], ...m });

describe("decideAlert", () => {
  it("alerts when score and stage count reach the settings", () => {
    expect(decideAlert(score(0.7, ["trust", "isolation"]), null, DEFAULT_SETTINGS, 0)).toEqual({ alert: true, trigger: "new" });
  });

  it("stays quiet below the threshold", () => {
    const d = decideAlert(score(0.59, ["trust", "isolation", "images"]), null, DEFAULT_SETTINGS, 0);
    expect(d.alert).toBe(false);
  });

  it("does not count an age disclosure as a warning stage", () => {
    expect(decideAlert(score(0.9, ["images", "age"]), null, DEFAULT_SETTINGS, 0).alert).toBe(false);
  });

  it("respects the cooldown unless a new severe stage appears", () => {
    const m = memory({ lastAlertScore: 0.6, lastAlertAt: 0 });
    expect(decideAlert(score(0.9, ["trust", "personal"]), m, DEFAULT_SETTINGS, 10 * 60_000).alert).toBe(false);
    expect(decideAlert(score(0.9, ["trust", "personal", "images"]), m, DEFAULT_SETTINGS, 10 * 60_000)).toEqual({ alert: true, trigger: "severe" });
  });

  it("re-alerts after the cooldown only when the score rose by the step", () => {
    const m = memory({ lastAlertScore: 0.7, lastAlertAt: 0 });
    expect(decideAlert(score(0.8, ["trust", "personal"]), m, DEFAULT_SETTINGS, 2 * HOUR).alert).toBe(false);
    expect(decideAlert(score(0.85, ["trust", "personal"]), m, DEFAULT_SETTINGS, 2 * HOUR)).toEqual({ alert: true, trigger: "rise" });
  });

  it("alerts on a sextortion threat whatever the community's minStages; other two-stage scores wait", () => {
    const three = applySettingsChange(DEFAULT_SETTINGS, { minStages: 3 });
    const reason = (rule: string) => ({ stage: "coercion" as const, messageId: "m1", conversationId: "x", evidence: "…", rule, contribution: 0.5 });
    const threat = { ...score(0.95, ["coercion", "images"]), reasons: [reason("en.sextortion.or_post")] };
    const guilt = { ...score(0.95, ["coercion", "images"]), reasons: [reason("en.coercion.owe_me")] };
    expect(decideAlert(threat, null, three, 0)).toEqual({ alert: true, trigger: "new" });
    expect(decideAlert(guilt, null, three, 0).alert).toBe(false);
    expect(decideAlert({ ...threat, score: 0.5 }, null, three, 0).alert).toBe(false);
  });

  it("a first alert waits for the suspect's own message when the score crossed on another's (a child saying their age)", () => {
    const s = score(0.8, ["isolation", "risk", "age"]);
    const waits = decideAlert(s, null, DEFAULT_SETTINGS, 0, "x", "c");
    expect(waits.alert).toBe(false);
    expect(waits.alert === false && waits.why).toMatch(/waits for a's next message/);
    expect(decideAlert(s, null, DEFAULT_SETTINGS, 60_000, "x", "a")).toEqual({ alert: true, trigger: "new" });
    // Callers that do not say who wrote the message decide as before.
    expect(decideAlert(s, null, DEFAULT_SETTINGS, 0, "x")).toEqual({ alert: true, trigger: "new" });
    // An open case keeps its re-alert rules whoever wrote the message.
    expect(decideAlert(score(0.9, ["trust", "personal", "images"]), memory({ lastAlertAt: 0 }), DEFAULT_SETTINGS, 60_000, "x", "c")).toEqual({ alert: true, trigger: "severe" });
  });

  it("a threat to expose images never waits", () => {
    const reason = { stage: "coercion" as const, messageId: "m1", conversationId: "x", evidence: "…", rule: "en.sextortion.or_post", contribution: 0.5 };
    const threat = { ...score(0.95, ["coercion", "images"]), reasons: [reason] };
    expect(decideAlert(threat, null, DEFAULT_SETTINGS, 0, "x", "c")).toEqual({ alert: true, trigger: "new" });
  });

  it("never alerts in mode off", () => {
    const off = applySettingsChange(DEFAULT_SETTINGS, { mode: "off" });
    expect(decideAlert(score(1, ["trust", "images", "meeting"]), null, off, 0).alert).toBe(false);
  });

  it("alerts at once, in cooldown, when the score names a child the open case does not have yet", () => {
    const m = memory({ lastAlertScore: 0.9, lastAlertAt: 0, targets: ["c"] });
    const third = { ...score(0.9, ["trust", "personal"]), subject: { kind: "actor" as const, actor: "a" }, targets: ["c", "d"] };
    expect(decideAlert(third, m, DEFAULT_SETTINGS, 60_000)).toEqual({ alert: true, trigger: "new" });
  });

  it("keeps the cooldown for a child the case already names, or when the case's targets are unknown", () => {
    const named = memory({ lastAlertScore: 0.9, lastAlertAt: 0, targets: ["c", "d"] });
    const msg = { ...score(0.95, ["trust", "personal"]), targets: ["d", "c"] };
    expect(decideAlert(msg, named, DEFAULT_SETTINGS, 60_000).alert).toBe(false);
    expect(decideAlert(msg, memory({ lastAlertScore: 0.9, lastAlertAt: 0 }), DEFAULT_SETTINGS, 60_000).alert).toBe(false);
  });

  it("a new child below the threshold or with one stage does not alert", () => {
    const m = memory({ lastAlertScore: 0.9, lastAlertAt: 0, targets: ["c"] });
    expect(decideAlert({ ...score(0.5, ["trust", "personal"]), targets: ["d"] }, m, DEFAULT_SETTINGS, 60_000).alert).toBe(false);
    expect(decideAlert({ ...score(0.9, ["trust"]), targets: ["d"] }, m, DEFAULT_SETTINGS, 60_000).alert).toBe(false);
  });

  it("alerts once in a channel new to the case where the score's evidence lies, even for a child it names", () => {
    // The case alerted in group g and names child c already; the suspect now works on c in DM x.
    const m = memory({ lastAlertScore: 0.9, lastAlertAt: 0, targets: ["c"], conversations: ["g"] });
    expect(decideAlert(score(0.9, ["trust", "personal"]), m, DEFAULT_SETTINGS, 60_000, "x")).toEqual({ alert: true, trigger: "new" });
    // Once it has alerted there, the cooldown holds in that channel.
    const after = memory({ lastAlertScore: 0.9, lastAlertAt: 60_000, targets: ["c"], conversations: ["g", "x"] });
    expect(decideAlert(score(0.95, ["trust", "personal"]), after, DEFAULT_SETTINGS, 120_000, "x").alert).toBe(false);
  });

  it("no new channel alert where the score's evidence does not lie, below the threshold, or when the case's channels are unknown", () => {
    const m = memory({ lastAlertScore: 0.9, lastAlertAt: 0, targets: ["c"], conversations: ["g"] });
    // The suspect only passes through channel y (his evidence is all in x).
    expect(decideAlert(score(0.9, ["trust", "personal"]), m, DEFAULT_SETTINGS, 60_000, "y").alert).toBe(false);
    expect(decideAlert(score(0.5, ["trust", "personal"]), m, DEFAULT_SETTINGS, 60_000, "x").alert).toBe(false);
    expect(decideAlert(score(0.9, ["trust"]), m, DEFAULT_SETTINGS, 60_000, "x").alert).toBe(false);
    const unknown = memory({ lastAlertScore: 0.9, lastAlertAt: 0, targets: ["c"] });
    expect(decideAlert(score(0.9, ["trust", "personal"]), unknown, DEFAULT_SETTINGS, 60_000, "x").alert).toBe(false);
    expect(decideAlert(score(0.9, ["trust", "personal"]), m, DEFAULT_SETTINGS, 60_000).alert).toBe(false);
  });
});
