// Builds engine input for tests: a DM (or channel) as (author, text) lines a minute apart.
import { expect, it } from "vitest";
import { decideAlert } from "../../src/alerts/policy.ts";
import { DEFAULT_SETTINGS } from "../../src/config/settings.ts";
import { normalize, RiskEngine, type Model } from "../../src/engine/index.ts";
import { detectSignals } from "../../src/engine/signals.ts";
import type { Conversation } from "../../src/corpus/format.ts";
import type { ChatMessage, Platform, Stage } from "../../src/types.ts";

export const T0 = Date.parse("2026-03-01T18:00:00Z");

export function dm(channel: string, lines: [author: string, text: string][], start = T0, platform: Platform = "discord"): ChatMessage[] {
  return lines.map(([author, text], i) => ({
    platform,
    communityId: "g1",
    channelId: channel,
    channelKind: "dm",
    messageId: `${channel}-m${i}`,
    authorId: author,
    text,
    ts: start + i * 60_000,
  }));
}

/**
 * One test per [text, stage, counts] case: a counting phrase carries the stage above 0.5
 * (at 0.5 or above with `orEqual`), a near miss stays below 0.3.
 */
export function stageCases(cases: [text: string, stage: string, counts: boolean][], stageOf: (text: string, stage: string) => number, orEqual = false): void {
  for (const [text, stage, counts] of cases) {
    it(`${counts ? "counts" : "no"} ${stage}: ${text}`, () => {
      if (!counts) expect(stageOf(text, stage)).toBeLessThan(0.3);
      else if (orEqual) expect(stageOf(text, stage)).toBeGreaterThanOrEqual(0.5);
      else expect(stageOf(text, stage)).toBeGreaterThan(0.5);
    });
  }
}

/** Whether `actor` is alerted on at some message (default settings, no case memory) while `model` observes the messages in order. */
export function alertsWith(model: Model, msgs: ChatMessage[], actor = "a"): boolean {
  const engine = new RiskEngine(model);
  let alerted = false;
  for (const msg of msgs) {
    const top = engine.observe(msg).top;
    if (top && top.subject.actor === actor && decideAlert(top, null, DEFAULT_SETTINGS, msg.ts).alert) alerted = true;
  }
  return alerted;
}

/** The signals `model` finds in `text`. */
export const signalsWith = (model: Model, text: string) => detectSignals(model, normalize(text));

/** The weight `model` gives `stage` in `text` (0 when no signal of that stage). */
export const stageWeight = (model: Model, text: string, stage: string) => signalsWith(model, text).signals.find((s) => s.stage === stage)?.weight ?? 0;

/**
 * A labelled DM in the corpus format: `u1` is the suspect of a grooming one, `u2` the child;
 * lines are (author, text, stages) a minute apart.
 */
export function labelledDm(id: string, label: "grooming" | "benign", lines: [author: string, text: string, stages?: Stage[]][]): Conversation {
  return {
    id,
    lang: "en",
    platform: "discord",
    channel: { id: `c-${id}`, kind: "dm" },
    scenario: null,
    label,
    suspect: label === "grooming" ? "u1" : null,
    targets: label === "grooming" ? ["u2"] : [],
    onset: label === "grooming" ? 0 : null,
    roles: { u1: "adult", u2: "child" },
    notes: "",
    messages: lines.map(([author, text, stages], i) => ({ id: `m${i}`, author, text, ts: new Date(Date.UTC(2026, 0, 1, 10, i)).toISOString(), stages: stages ?? [] })),
  } as Conversation;
}

export type LineCase = [text: string, stage: string];

/** Lines the earlier model did not read and the newer one reads; near misses the newer one leaves alone. */
export function newLines(before: Model, after: Model, reads: LineCase[], nearMisses: LineCase[]): void {
  it.each(reads)("%s reads as %s", (text, stage) => {
    expect(stageWeight(before, text, stage)).toBe(0);
    expect(stageWeight(after, text, stage)).toBeGreaterThanOrEqual(0.45);
  });
  it.each(nearMisses)("%s does not read as %s", (text, stage) => {
    expect(stageWeight(after, text, stage)).toBeLessThan(0.3);
  });
}

export type ChatLines = readonly (readonly [author: string, text: string])[];

type ChatCases = readonly (readonly [what: string, lines: ChatLines])[];

/** Conversations (as DMs, actor "a") the earlier model did not alert on and the newer one does. */
export function newAlerts(before: Model, after: Model, cases: ChatCases, versions = "the newer model"): void {
  alertChanges(before, after, cases, `alerts in ${versions}, not before`, true);
}

/** Conversations (as DMs, actor "a") the earlier model alerted on and the newer one no longer does. */
export function quietedAlerts(before: Model, after: Model, cases: ChatCases, versions = "the newer model"): void {
  alertChanges(before, after, cases, `no longer alerts in ${versions}`, false);
}

function alertChanges(before: Model, after: Model, cases: ChatCases, title: string, alertsAfter: boolean): void {
  it.each(cases)(`%s ${title}`, (_what, lines) => {
    const msgs = () => dm("n1", lines.map(([a, t]) => [a, t] as [string, string]));
    expect(alertsWith(before, msgs())).toBe(!alertsAfter);
    expect(alertsWith(after, msgs())).toBe(alertsAfter);
  });
}

