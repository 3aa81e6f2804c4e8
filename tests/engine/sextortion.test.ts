import { describe, expect, it } from "vitest";
import { decideAlert } from "../../src/alerts/policy.ts";
import { applySettingsChange, DEFAULT_SETTINGS } from "../../src/config/settings.ts";
import { loadModel, normalize, RiskEngine } from "../../src/engine/index.ts";
import { detectSignals } from "../../src/engine/signals.ts";
import type { Assessment } from "../../src/types.ts";
import { dm as chatDm, T0 } from "./chat.ts";

// Sextortion: a threat to expose images the child sent, or to show them to friends, family,
// school or the internet, unless the child sends more, pays or obeys. It must alert on its own,
// without the grooming progression that usually comes before it.
const model = loadModel();
const dm = (channel: string, lines: [author: string, text: string][]) => chatDm(channel, lines, T0, "telegram");


const alerted = (a: Assessment) => a.top !== null && decideAlert(a.top, null, DEFAULT_SETTINGS, 0).alert;
const isSextortion = (rule: string) => rule.includes(".sextortion.");
const sextortionRules = (text: string) =>
  detectSignals(model, normalize(text))
    .signals.filter((s) => isSextortion(s.rule))
    .map((s) => s.stage);

const threats = {
  en: [
    "send more or i send these to ur friends",
    "pay or everyone sees",
    "do what i say or your parents get them",
    "if u dont send more pics ill post the ones u sent",
    "send 50 on paypal or i post them",
    "pay $100 in gift cards or it goes to all ur followers",
    "remember those pics u sent me? would be a shame if ur mom saw them",
    "i have ur vids, so u better do what i say",
    "dont tell anyone or i post it everywhere",
    "u want ur whole class to see these?",
  ],
  nl: [
    "als je niet meer stuurt zet ik ze online",
    "stuur meer of ik stuur ze naar je vrienden",
    "betaal of iedereen ziet ze",
    "doe wat ik zeg of je ouders krijgen ze",
    "als je niet betaalt stuur ik je foto's naar je klas",
    "als jij me blokt zet ik ze ff op insta",
    "ik heb je fotos nog, doe wat ik zeg",
    "zou zonde zijn als je mama die foto's ziet",
  ],
};

describe("sextortion", () => {
  it.each([...threats.en.map((t) => ["en", t]), ...threats.nl.map((t) => ["nl", t])])("%s: %j is coercion about images", (_, text) => {
    expect(sextortionRules(text).sort()).toEqual(["coercion", "images"]);
  });

  it.each([...threats.en, ...threats.nl])("%j alerts on its own, naming the one who threatens", (text) => {
    const as = new RiskEngine(model);
    const msgs = dm("c1", [
      ["kid", "hey"],
      ["adult", "hi"],
      ["adult", text],
    ]);
    const last = msgs.map((m) => as.observe(m)).at(-1)!;
    expect(alerted(last)).toBe(true);
    expect(last.top!.subject.actor).toBe("adult");
    expect(last.top!.targets).toEqual(["kid"]);
    const coercion = last.top!.reasons.find((r) => r.stage === "coercion")!;
    expect(coercion.rule).toMatch(/^(en|nl)\.sextortion\./);
    expect(coercion.messageId).toBe("c1-m2");
  });

  it.each([threats.en[0]!, threats.nl[0]!])("%j alerts where the community asks for three stages; a two-stage chat does not", (text) => {
    const three = applySettingsChange(DEFAULT_SETTINGS, { minStages: 3 });
    const engine = new RiskEngine(model);
    const last = dm("c5", [["kid", "hey"], ["adult", "hi"], ["adult", text]]).map((m) => engine.observe(m)).at(-1)!;
    expect(decideAlert(last.top!, null, three, 0).alert).toBe(true);
    const other = new RiskEngine(model);
    const plain = dm("c6", [["kid", "im 13"], ["adult", "dont tell ur parents about us"], ["adult", "send me a pic of u"]]).map((m) => other.observe(m)).at(-1)!;
    expect(decideAlert(plain.top!, null, three, 0).alert).toBe(false);
  });

  it("a held-pictures remark is not enough; the threat that follows alerts", () => {
    const engine = new RiskEngine(model);
    const as = dm("c2", [
      ["kid", "hey"],
      ["adult", "i still have ur pics"],
      ["kid", "??"],
      ["adult", "do what i say or your parents get them"],
    ]).map((m) => engine.observe(m));
    expect(as.map(alerted)).toEqual([false, false, false, true]);
  });

  it("is remembered through eviction and hydration", () => {
    const msgs = dm("c3", [
      ["kid", "hoi"],
      ["adult", "hey"],
      ["adult", "betaal of iedereen ziet ze"],
      ["kid", "nee"],
    ]);
    const live = new RiskEngine(model);
    const expected = msgs.map((m) => live.observe(m).top?.score ?? null);
    const first = new RiskEngine(model);
    for (const m of msgs.slice(0, 3)) first.observe(m);
    const second = new RiskEngine(model);
    for (const s of first.drainDirty()) second.hydrate(s);
    expect(second.observe(msgs[3]!).top?.score).toBeCloseTo(expected[3]!, 9);
    expect(alerted(second.observe({ ...msgs[3]!, messageId: "again", text: "hallo?" }))).toBe(true);
  });

  const nearMisses: [string, [string, string][]][] = [
    ["a parent's rule", [["mom", "if you don't clean your room no phone"], ["kid", "ugh fine"], ["mom", "and do your homework or i tell dad"]]],
    ["friends after a party", [["a", "that party was insane"], ["b", "lol ya"], ["a", "i'll send the pics to everyone tonight"], ["b", "send the pics from the party"], ["a", "send them or i'll send yours to the group chat lol"]]],
    ["a sibling", [["sis", "pay me back or i'm telling mom"], ["bro", "i'll tell mom you took my charger"], ["sis", "i still have your pics from the beach lol"]]],
    ["a child pushing back", [["kid", "stop messaging me or i'll show this to everyone"], ["other", "chill"], ["kid", "leave me alone or i'll send these screenshots to the mods"]]],
    ["een ouder", [["mama", "als je je kamer niet opruimt geen gsm"], ["kind", "ok"], ["mama", "ik zeg het tegen papa"]]],
    ["vrienden na een feest", [["a", "stuur de foto's van het feest naar de groep"], ["b", "ik zet de foto's van het kamp online"], ["a", "als je niet komt zet ik de foto's van het feest online"]]],
  ];

  it.each(nearMisses)("near miss, %s: no sextortion and no alert", (_, lines) => {
    const engine = new RiskEngine(model);
    for (const m of dm("c4", lines)) {
      const a = engine.observe(m);
      expect(a.signals.filter((s) => isSextortion(s.rule))).toEqual([]);
      expect(alerted(a)).toBe(false);
    }
  });
});
