// Model v16: when nothing says the target is a child (no minor age or school year, no child-like
// reply), two warning stages do not alert, and a target who gives the warning signs back
// (couples, friends) is capped like family. A disclosed minor age lifts
// both. Also v16's fix of the surprise suppression. EN and NL, each with its near miss.
import { describe, expect, it } from "vitest";
import { decideAlert } from "../../src/alerts/policy.ts";
import { DEFAULT_SETTINGS } from "../../src/config/settings.ts";
import { loadModel, normalize, RiskEngine } from "../../src/engine/index.ts";
import { detectSignals } from "../../src/engine/signals.ts";
import type { ChatMessage } from "../../src/types.ts";
import { dm } from "./chat.ts";

const model = loadModel("v16");

function alertsOn(msgs: ChatMessage[], actor = "a", m = model): boolean {
  const engine = new RiskEngine(m);
  let alerted = false;
  for (const msg of msgs) {
    const top = engine.observe(msg).top;
    if (top && top.subject.actor === actor && decideAlert(top, null, DEFAULT_SETTINGS, msg.ts).alert) alerted = true;
  }
  return alerted;
}

/** Two people who both keep secrets, ask for pictures and plan to meet; `age` is the other's reply to the first line. */
const twoWay = (lang: "en" | "nl", age: string): ChatMessage[] =>
  lang === "en"
    ? dm(`two-way-en-${age}`, [
        ["a", "heyy r ur parents home"],
        ["c", age],
        ["a", "can i come over? dont tell anyone lol"],
        ["c", "ok but dont tell anyone either, send me a pic of ur fit first"],
        ["a", "sent. ur turn send a pic"],
        ["c", "omw. lets meet at the park after"],
        ["a", "ok ill pick u up at 7"],
      ])
    : dm(`two-way-nl-${age}`, [
        ["a", "hey zijn je ouders thuis"],
        ["c", age],
        ["a", "mag ik langskomen? zeg het tegen niemand"],
        ["c", "ok maar zeg jij ook niks, stuur eerst een foto van je outfit"],
        ["a", "gestuurd. stuur jij ook een foto"],
        ["c", "komt eraan. zullen we daarna afspreken in het park"],
        ["a", "ok ik kom je halen om 7 uur"],
      ]);

/** One side only: flattery, secrecy, home alone, a picture. `reply` is the other's answer to the warmth. */
const oneWay = (lang: "en" | "nl", reply: string): ChatMessage[] =>
  lang === "en"
    ? dm(`one-way-en-${reply}`, [
        ["a", "ur way more mature than the others on the server"],
        ["c", reply],
        ["a", "dont tell ur parents about me, they wouldnt get it"],
        ["c", "ok"],
        ["a", "r u home alone now? send me a pic"],
        ["c", "brb"],
      ])
    : dm(`one-way-nl-${reply}`, [
        ["a", "je bent veel volwassener dan de anderen op de server"],
        ["c", reply],
        ["a", "zeg niks tegen je ouders over mij, ze snappen het toch niet"],
        ["c", "ok"],
        ["a", "ben je nu alleen thuis? stuur eens een foto"],
        ["c", "zo terug"],
      ]);

describe("v16: nothing says the target is a child", () => {
  for (const lang of ["en", "nl"] as const) {
    it(`a two-way chat of secrets, pictures and plans does not alert; with a minor's age it does (${lang})`, () => {
      expect(alertsOn(twoWay(lang, lang === "en" ? "no theyre out" : "nee ze zijn weg"))).toBe(false);
      expect(alertsOn(twoWay(lang, lang === "en" ? "no theyre out, im 13 btw" : "nee ze zijn weg, ik ben 13"))).toBe(true);
      // v15 alerted on the ageless two-way chat: the rule is what keeps it quiet.
      expect(alertsOn(twoWay(lang, lang === "en" ? "no theyre out" : "nee ze zijn weg"), "a", loadModel("v15"))).toBe(true);
    });

    it(`one side working on the other alerts without an age, even when the child answers warmth in kind (${lang})`, () => {
      expect(alertsOn(oneWay(lang, "lol thanks"))).toBe(true);
      // Groomed children say "u too" as well: an answer in kind alone does not cap an ageless pair.
      expect(alertsOn(oneWay(lang, lang === "en" ? "aw u too" : "aww jij ook"))).toBe(true);
    });
  }

  it("two warning stages alone do not alert without an age; with a minor's age they do (EN, NL)", () => {
    const two = (age: string, lang: "en" | "nl") =>
      dm(`two-${lang}-${age}`, lang === "en"
        ? [["a", "r u alone rn?"], ["c", `ya ${age}`.trim()], ["a", "can u keep a secret"], ["c", "ya"], ["a", "delete this chat after ok"], ["c", "ok"]]
        : [["a", "ben je alleen?"], ["c", `ja ${age}`.trim()], ["a", "kan je iets geheim houden"], ["c", "ja"], ["a", "wis dit gesprek straks"], ["c", "ok"]]);
    expect(alertsOn(two("", "en"))).toBe(false);
    expect(alertsOn(two("im 12", "en"))).toBe(true);
    expect(alertsOn(two("", "nl"))).toBe(false);
    expect(alertsOn(two("ik ben 12", "nl"))).toBe(true);
  });

  it("a threat to expose pictures alerts whatever the age and the answers in kind (every version)", () => {
    const threat = dm("threat", [
      ["a", "hey miss u"],
      ["c", "miss u too"],
      ["a", "send me 50 or i send ur pics to ur whole school"],
      ["c", "please dont"],
    ]);
    expect(alertsOn(threat)).toBe(true);
    expect(alertsOn(threat, "a", loadModel("v15"))).toBe(true);
  });
});

describe("v16: a parent who drives, fetches or must say yes is a child's life (minor hint)", () => {
  const minor = (text: string) => detectSignals(model, normalize(text)).minor;
  it("said of one's own parent (EN, NL)", () => {
    for (const t of ["ill ask my mom", "i'd have to ask my dad first", "my mom can drive me at 7", "my dad will pick me up after", "ik vraag het aan mijn mama", "ik moet het eerst aan mijn papa vragen", "mijn mama brengt me om 7u", "mijn papa komt me ophalen"]) {
      expect(minor(t), t).toBeGreaterThan(0);
    }
  });
  it("not a parent's own errand or a past ride, nor someone else's parent (near misses)", () => {
    for (const t of ["ask my mom if she wants coffee", "my mom drove me to school in 1998", "can your mom drive you", "ik bracht mijn mama naar het station", "vraag het aan je mama"]) {
      expect(minor(t), t).toBe(0);
    }
  });
  it("lifts the unknown-age cap when the target says it", () => {
    const two = (reply: string) => dm(`ask-${reply}`, [["a", "r u alone rn?"], ["c", reply], ["a", "can u keep a secret"], ["c", "ya"], ["a", "delete this chat after ok"], ["c", "ok"]]);
    expect(alertsOn(two("ya"))).toBe(false);
    expect(alertsOn(two("ya till my mom can pick me up"))).toBe(true);
  });
});

describe("v16: a secret kept for a surprise, a birthday or a present (EN)", () => {
  const isolation = (text: string) => detectSignals(model, normalize(text)).signals.find((s) => s.stage === "isolation")?.weight ?? 0;
  it("softens the secret at the end of a message too", () => {
    expect(isolation("dont tell anyone, its your birthday surprise")).toBeLessThan(0.3);
    expect(isolation("dont tell anyone its a surprise party")).toBeLessThan(0.3);
    expect(isolation("shh dont tell dad, its a present for him")).toBeLessThan(0.3);
  });
  it("not a surprise for the child, nor a secret about us", () => {
    expect(isolation("dont tell anyone about us, i have a surprise for you")).toBeGreaterThan(0.6);
    expect(isolation("dont tell anyone, its our secret")).toBeGreaterThan(0.6);
  });
});
