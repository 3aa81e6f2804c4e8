// v25's corroboration: a pair alerts only when two warning stages carry clear evidence (or on a
// threat to expose images). Faint signs in two or three stages are a parent's, tutor's or
// friend's day as often as a groomer's; v23 alerted on them. Phrasings are our own.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { alertsWith, dm, labelledDm, T0 } from "./chat.ts";

const v23 = loadModel("v23");
const v25 = loadModel("v25");

describe("v25 corroboration", () => {
  it("a parent's faint photo request, parents-home question and 'call me' to a 12-year-old no longer alert", () => {
    const msgs = dm("d1", [
      ["a", "made it to the party? send me a pic when ur there"],
      ["k", "im 12 not a baby lol. here"],
      ["a", "are her parents home?"],
      ["k", "yes her mum is"],
      ["a", "ok. call me if anything feels off"],
    ]);
    expect(alertsWith(v23, msgs)).toBe(true);
    expect(alertsWith(v25, msgs)).toBe(false);
  });

  it("two clear stages still alert: secrecy about the two of them and a picture of the child", () => {
    const msgs = dm("d2", [
      ["a", "hey how old are u"],
      ["k", "im 12"],
      ["a", "dont tell ur parents about us ok? they wouldnt get it"],
      ["k", "ok"],
      ["a", "send me a pic of u in ur room"],
    ]);
    expect(alertsWith(v25, msgs)).toBe(true);
  });

  it("a threat to expose images alerts on its own", () => {
    const msgs = dm("d3", [
      ["k", "pls stop messaging me"],
      ["a", "send 3 more or i post the ones u sent to everyone at ur school"],
    ]);
    expect(alertsWith(v25, msgs)).toBe(true);
  });

  it("faint lines thrown to several children still add up at the actor", () => {
    const lines = (k: string, i: number) =>
      dm(`f${i}`, [
        ["a", "hey how old r u"],
        [k, "12"],
        ["a", "send me a pic when ur home"],
        [k, "why"],
        ["a", "call me if u want"],
      ], T0 + i * 600_000);
    // One child alone: faint, held; three: fishing.
    expect(alertsWith(v25, lines("k1", 0))).toBe(false);
    expect(alertsWith(v25, ["k1", "k2", "k3"].flatMap(lines))).toBe(true);
  });
});

describe("a first alert waits for the suspect's own next message", () => {
  it("same-age friends: the child's age would have carried the score over the line; the friend answers in kind and nothing alerts", async () => {
    const { runConversations, report } = await import("../../src/engine/evaluate.ts");
    const { DEFAULT_SETTINGS } = await import("../../src/config/settings.ts");
    const lines: [string, string][] = [
      ["u1", "whats ur snap, ill add u"],
      ["u2", "its in my bio"],
      ["u1", "r ur parents home? can u stay on late"],
      ["u2", "my mom says 10 max on school nights, im 13"],
      ["u1", "lol same im 13 too she'd kill me"],
      ["u2", "ok tmrw"],
    ];
    const conv = labelledDm("peers", "benign", lines);
    const outcome = runConversations([conv], v25, DEFAULT_SETTINGS)[0]!;
    expect(outcome.alerts).toEqual([]);
    expect(report([outcome]).falseAlertsPer10k).toBe(0);
  });
});
