import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideAlert } from "../../src/alerts/policy.ts";
import { DEFAULT_SETTINGS } from "../../src/config/settings.ts";
import { loadModel, normalize, RiskEngine, type PersistedState } from "../../src/engine/index.ts";
import type { Assessment, ChatMessage } from "../../src/types.ts";
import { dm, T0 } from "./chat.ts";

const model = loadModel();


const alerts = (as: Assessment[]) => as.filter((a) => a.top && decideAlert(a.top, null, DEFAULT_SETTINGS, 0).alert);
const run = (msgs: ChatMessage[], engine = new RiskEngine(model)) => msgs.map((m) => engine.observe(m));

const grooming = dm("c1", [
  ["adult", "hey saw ur drawing, ur really talented"],
  ["kid", "thank u!!"],
  ["adult", "how old r u?"],
  ["kid", "im 12"],
  ["adult", "ur so mature for ur age honestly"],
  ["adult", "dont tell ur parents we talk ok, they wouldnt get it"],
  ["adult", "r u home alone rn?"],
  ["kid", "ya until 6"],
  ["adult", "send me a pic of u"],
]);

describe("RiskEngine", () => {
  it("alerts on a progression and names the adult as actor, the child as target", () => {
    const as = run(grooming);
    const raised = alerts(as);
    expect(raised.length).toBeGreaterThan(0);
    const first = raised[0]!.top!;
    expect(first.subject.actor).toBe("adult");
    expect(first.targets).toEqual(["kid"]);
    expect(as.findIndex((a) => a === raised[0])).toBeLessThanOrEqual(6);
  });

  it("explains a score: stages, the messages and evidence that carried them, and their contributions", () => {
    const top = run(grooming).at(-1)!.top!;
    expect(top.stages).toEqual(expect.arrayContaining(["trust", "isolation", "risk", "images", "age"]));
    const byStage = new Map(top.reasons.map((r) => [r.stage, r]));
    expect(byStage.get("risk")).toMatchObject({ messageId: "c1-m6", conversationId: "c1", evidence: expect.stringContaining("alone") });
    expect(normalize(grooming[6]!.text)).toContain(byStage.get("risk")!.evidence);
    expect(byStage.get("risk")!.rule).toMatch(/^en\.risk\./);
    expect(byStage.get("images")?.messageId).toBe("c1-m8");
    for (const r of top.reasons) expect(r.contribution).toBeGreaterThanOrEqual(0);
    const total = top.reasons.reduce((a, r) => a + r.contribution, 0);
    expect(total).toBeLessThanOrEqual(top.score + 1e-9);
    expect(total).toBeGreaterThan(0.3);
  });

  it("alerts on a Dutch progression", () => {
    const as = run(
      dm("c2", [
        ["u1", "hey schatje, hoe oud ben je?"],
        ["u2", "ik ben 12"],
        ["u1", "je bent echt volwassen voor je leeftijd"],
        ["u1", "niet aan je ouders zeggen he dat we praten"],
        ["u1", "ben je alleen thuis?"],
        ["u2", "ja"],
        ["u1", "stuur eens een foto van jezelf"],
      ]),
    );
    expect(alerts(as).map((a) => a.top!.subject.actor)).toContain("u1");
  });

  it.each([
    ["a parent checking in", [["mom", "are you home alone? dad's flight got delayed"], ["kid", "ya"], ["mom", "lock the door please and don't open it for anyone"], ["mom", "send me a pic of the receipt when the pizza comes"]]],
    ["a lone ambiguous request", [["a", "send a pic"], ["b", "of what lol"], ["a", "of your homework, i'll check it"]]],
    ["adults flirting", [["a", "that date was fun, im 31 btw"], ["b", "im 29 lol"], ["a", "send a pic of that jacket"], ["a", "i'll pick u up at 8"]]],
    ["teens trading ages and snaps", [["t1", "how old r u"], ["t2", "14 u?"], ["t1", "same 14 lol"], ["t1", "add me on snap"], ["t2", "ok whats ur @"]]],
    ["Flemish teens", [["a", "hoe oud bn je"], ["b", "14 en gij"], ["a", "ook 14 haha"], ["a", "add me op snap"], ["b", "ok"]]],
    ["a sibling home alone", [["sis", "r u alone at home? mom said shes late"], ["bro", "ya"], ["sis", "ok lock the door ill be home at 7"], ["sis", "dont tell mom i borrowed her car lol"]]],
  ] as [string, [string, string][]][])("does not alert on %s", (_name, lines) => {
    expect(alerts(run(dm("c3", lines)))).toEqual([]);
  });

  it("alerts on a fake peer who asks for pictures and secrecy", () => {
    const as = run(
      dm("fp", [
        ["u1", "hey im 15 btw"],
        ["u2", "im 13"],
        ["u1", "ur really cute"],
        ["u1", "dont tell ur parents we talk ok"],
        ["u1", "send me a pic of u"],
        ["u2", "idk"],
      ]),
    );
    expect(alerts(as).map((a) => a.top!.subject.actor)).toContain("u1");
  });

  it("alerts on old chat slang and evasion", () => {
    const as = run(
      dm("slang", [
        ["u1", "asl?"],
        ["u2", "13 f"],
        ["u1", "u got a webcam?"],
        ["u1", "r u a l o n e rn? ur parents home?"],
        ["u2", "ya"],
        ["u1", "dont tell ur mom, wanna meet? i could pick u up"],
      ]),
    );
    expect(alerts(as).map((a) => a.top!.subject.actor)).toContain("u1");
  });

  it("one actor approaching several children raises the actor's risk", () => {
    const opener = (child: string): [string, string][] => [
      ["adult", "hey how old r u?"],
      [child, "im 12"],
      ["adult", "cool. add me on snap, easier there"],
    ];
    const one = new RiskEngine(model);
    const single = run(dm("d1", opener("k1")), one).at(-1)!.top!;
    const many = new RiskEngine(model);
    let last: Assessment | undefined;
    ["k1", "k2", "k3"].forEach((k, i) => (last = run(dm(`d${i}`, opener(k), T0 + i * 3_600_000), many).at(-1)));
    expect(last!.top!.subject).toEqual({ kind: "actor", actor: "adult" });
    expect(last!.top!.targets).toEqual(expect.arrayContaining(["k1", "k2", "k3"]));
    expect(last!.top!.score).toBeGreaterThan(single.score);
  });

  it("gives the same scores after eviction and hydration as without eviction", () => {
    const convs = [0, 1, 2, 3, 4, 5, 6, 7].flatMap((i) => dm(`e${i}`, grooming.map((m) => [m.authorId === "kid" ? `kid${i}` : "adult", m.text]), T0 + i * 1000));
    convs.sort((a, b) => a.ts - b.ts);
    const reference = run(convs).map((a) => a.top?.score ?? null);

    const store = new Map<string, PersistedState>();
    const small = new RiskEngine(model, { maxTrackedStates: 16, onEvict: (s) => store.set(s.key, s) });
    const scores = convs.map((m) => {
      for (let pass = 0; pass < 2; pass++) {
        for (const key of small.keysFor(m)) {
          const saved = store.get(key);
          if (!small.isLoaded(key) && saved) small.hydrate(saved);
        }
      }
      const a = small.observe(m);
      for (const s of small.drainDirty()) store.set(s.key, s);
      return a.top?.score ?? null;
    });
    expect(store.size).toBeGreaterThan(16);
    expect(scores).toEqual(reference);
  });

  it("hydrates states stored in the older layout (message id lists, nested reasons, target records)", () => {
    const engine = new RiskEngine(model);
    engine.hydrate({
      key: "c|discord|old",
      kind: "conversation",
      platform: "discord",
      score: 0,
      state: { kind: "conversation", platform: "discord", channelId: "old", recent: ["kid", "adult"], msgs: [["m1", "kid"], ["m2", "adult"]], en: 2, nl: 0, pend: {}, lastTs: T0, score: 0 },
    });
    const stage = { s: 0.8, ts: T0, f: T0, r: { m: "m2", c: "old", e: "how old are u", r: "en.personal.how_old", w: 0.8 } };
    engine.hydrate({
      key: "p|discord|adult|kid",
      kind: "pair",
      platform: "discord",
      score: 0.1,
      state: { kind: "pair", platform: "discord", actor: "adult", target: "kid", stages: { personal: stage }, tMinor: 0.9, tChild: 0, tAdult: 0, aAdult: 0, aMinor: 0, convs: ["old"], lastTs: T0, score: 0.1 },
    });
    engine.hydrate({
      key: "a|discord|adult",
      kind: "actor",
      platform: "discord",
      score: 0.1,
      state: { kind: "actor", platform: "discord", id: "adult", minor: 0, adult: 0, child: 0, targets: { kid: { z: -2, ev: 0.5, st: ["personal", "age"], ts: T0, convs: ["old"] } }, copies: [[123, ["old", "other"]]], lastTs: T0, score: 0.1 },
    });
    // A reply to the child's old message is addressed to the child, and the old evidence still counts.
    const a = engine.observe({ platform: "discord", communityId: "g1", channelId: "old", channelKind: "dm", messageId: "m3", authorId: "adult", text: "r u home alone rn? dont tell ur parents", ts: T0 + 60_000, replyToId: "m1" });
    expect(a.top?.targets).toContain("kid");
    const personal = a.top!.reasons.find((r) => r.stage === "personal");
    expect(personal).toMatchObject({ messageId: "m2", evidence: "how old are u" });
    expect(a.top!.stages).toEqual(expect.arrayContaining(["personal", "risk", "isolation", "age"]));
  });

  it("drains the states a message changed, once", () => {
    const engine = new RiskEngine(model);
    engine.observe(grooming[0]!);
    engine.observe(grooming[1]!);
    engine.observe(grooming[2]!);
    const drained = engine.drainDirty();
    expect(drained.map((s) => s.kind).sort()).toEqual(expect.arrayContaining(["actor", "conversation", "pair"]));
    for (const s of drained) expect(s.platform).toBe("discord");
    expect(engine.drainDirty()).toEqual([]);
  });

  it("names the changed states without serialising them; a snapshot after the last message equals the last drained version", () => {
    const perMessage = new RiskEngine(model);
    const batched = new RiskEngine(model);
    const lastDrained = new Map<string, string>();
    const changed = new Set<string>();
    for (const m of grooming) {
      perMessage.observe(m);
      for (const s of perMessage.drainDirty()) lastDrained.set(s.key, s.json!);
      batched.observe(m);
      for (const k of batched.drainDirtyKeys()) changed.add(k);
    }
    expect([...changed].sort()).toEqual([...lastDrained.keys()].sort());
    for (const k of changed) expect(batched.snapshot(k)!.json).toBe(lastDrained.get(k));
    expect(batched.drainDirtyKeys()).toEqual([]);
    expect(batched.snapshot("conv:nowhere")).toBeUndefined();
  });

  it("evicts idle state by message time, not by the clock", () => {
    const evicted: string[] = [];
    const engine = new RiskEngine(model, { idleMs: 3_600_000, onEvict: (s) => evicted.push(s.key) });
    run(grooming, engine);
    expect(evicted).toEqual([]);
    engine.observe({ ...grooming[0]!, channelId: "later", messageId: "x", ts: T0 + 86_400_000 });
    expect(evicted.length).toBeGreaterThan(0);
  });

  it("evicts idle state a few states per message, going on with the next message until none is left", () => {
    const evicted: string[] = [];
    const engine = new RiskEngine(model, { idleMs: 3_600_000, onEvict: (s) => evicted.push(s.key) });
    // 30 quiet DMs, each leaving a conversation, two actors and pair state behind.
    for (let i = 0; i < 30; i++) engine.observe({ ...grooming[0]!, channelId: `dm-${i}`, authorId: `a${i}`, messageId: `q${i}`, ts: T0 + i });
    const idle = engine.size;
    const later = (i: number) => engine.observe({ ...grooming[0]!, channelId: "later", authorId: "z", messageId: `l${i}`, ts: T0 + 86_400_000 + i });
    later(0);
    // One message pays for a few evictions only (each one is serialised for the store)...
    expect(evicted.length).toBeGreaterThan(0);
    expect(evicted.length).toBeLessThanOrEqual(8);
    // ...and the next ones go on without waiting a minute of message time.
    for (let i = 1; i < 40 && evicted.length < idle; i++) later(i);
    expect(evicted.length).toBe(idle);
    expect(new Set(evicted).size).toBe(idle);
  });

  const words = ["hey", "u", "ur", "pic", "send", "alone", "home", "how old", "im 12", "snap", "secret", "dont tell", "meet", "ik ben 13", "foto", "stuur", "thuis", "lol", "cam", "🤫", "s e n d"];
  const message = fc.record({
    author: fc.constantFrom("a", "b", "c"),
    text: fc.oneof(fc.array(fc.constantFrom(...words), { maxLength: 8 }).map((w) => w.join(" ")), fc.string({ maxLength: 30 })),
    gap: fc.integer({ min: 0, max: 86_400_000 }),
    kind: fc.constantFrom("dm" as const, "group" as const),
  });

  it("keeps scores within [0, 1] and is deterministic", () => {
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 20 }), (items) => {
        let ts = T0;
        const msgs: ChatMessage[] = items.map((it, i) => {
          ts += it.gap;
          return { platform: "telegram", communityId: "g", channelId: "c", channelKind: it.kind, messageId: `m${i}`, authorId: it.author, text: it.text, ts };
        });
        const a = run(msgs);
        const b = run(msgs);
        expect(b).toEqual(a);
        for (const x of a) {
          if (!x.top) continue;
          expect(x.top.score).toBeGreaterThanOrEqual(0);
          expect(x.top.score).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 60 },
    );
  });
});
