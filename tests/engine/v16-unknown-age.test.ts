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
import { dm, stageCases, alertsWith, signalsWith, stageWeight } from "./chat.ts";

const model = loadModel("v16");

const alertsOn = (msgs: ChatMessage[], actor = "a", m = model) => alertsWith(m, msgs, actor);

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

describe("v16: general families (cover stories for rides, parents' timetable, location, group fishing, mods)", () => {
  const sig = (text: string) => signalsWith(model, text);
  const stageOf = (text: string, stage: string) => stageWeight(model, text, stage);
  const cases: [string, string, boolean][] = [
    // [text, stage, counts]
    ["tell her jakes dad is driving u home", "isolation", true],
    ["just say a friends mum is picking you up", "isolation", true],
    ["zeg da ge met nen vriend meerijdt", "isolation", true],
    ["zeg tegen je mama dat je bij een vriendin slaapt", "isolation", true],
    ["my dad is driving you home after practice", "isolation", false],
    ["say ur phone died if they ask", "isolation", true],
    ["zeg dat je gsm leeg was", "isolation", true],
    ["my phone died sorry", "isolation", false],
    ["when does ur mum usually get home", "risk", true],
    ["what time do they get back", "risk", true],
    ["hoe laat komt je mama thuis", "risk", true],
    ["when does the bus get there", "risk", false],
    ["turn off ur location before u leave", "risk", true],
    ["do ur parents have ur location", "risk", true],
    ["zet je locatie uit", "risk", true],
    ["turn on your location so i know you got home", "risk", false],
    ["turn off snap map so creeps cant see where u live", "risk", false],
    ["zet je locatie uit op snap, vreemden kunnen je volgen", "risk", false],
    ["turn off ur location so ur parents cant see where u are", "risk", true],
    ["zet je locatie uit zodat je mama het niet ziet", "risk", true],
    ["anyone under 13? dm me", "personal", true],
    ["only for the younger ones lol", "personal", true],
    ["wie zit er nog in de basisschool?", "personal", true],
    ["enkel voor de jongsten", "personal", true],
    ["only for the mods", "personal", false],
    ["dont ping the mods about it", "isolation", true],
    ["zeg niks tegen de mods", "isolation", true],
    ["ping the mods if it happens again", "isolation", false],
  ];
  stageCases(cases, stageOf);

  it("a youth team is a child's age; a coach's own team line is no answer (EN, NL)", () => {
    expect(sig("under 11s at westfield").minor).toBeGreaterThan(0.5);
    expect(sig("i play for the u12s").minor).toBeGreaterThan(0.5);
    expect(sig("u12 van kv brugge").minor).toBeGreaterThan(0.5);
    expect(sig("ik speel bij de u11").minor).toBeGreaterThan(0.5);
    expect(sig("training for the under 12s moves to 6").minor).toBe(0);
    expect(sig("de u12 traint vandaag niet").minor).toBe(0);
  });

  it("a short Flemish age-and-sex answer is a minor's age; a match score is not (NL)", () => {
    expect(sig("13 v").minor).toBeGreaterThan(0.8);
    expect(sig("12j en gij?").minor).toBeGreaterThan(0.8);
    expect(sig("10 v 10 op zaterdag").minor).toBe(0);
    expect(sig("31 v").minor).toBe(0);
  });

  it("'wie zijt gij' is a child's wary question (NL)", () => {
    expect(sig("wie zijt gij").child).toBeGreaterThan(0);
    expect(sig("wie is er zaterdag").child).toBe(0);
  });

  it("ages asked of a group are not the asker's own (EN, NL); a disclosure stays one", () => {
    expect(sig("who's in year 7 or 8 here?").minor).toBe(0);
    expect(sig("wie zit er nog in 't lager of 1ste middelbaar?").minor).toBe(0);
    expect(sig("im in year 7").minor).toBeGreaterThan(0.5);
    expect(sig("ik zit in 1ste middelbaar").minor).toBeGreaterThan(0.5);
  });

  it("asking the child's parent to get in touch is open, and its 'message me' no move to private (EN, NL)", () => {
    expect(sig("can you ask your dad to message me about the form").open).toBeGreaterThan(0);
    expect(stageOf("can you ask your dad to message me about the form", "isolation")).toBeLessThan(0.3);
    expect(sig("vraag aan je mama om mij te bellen").open).toBeGreaterThan(0);
    expect(stageOf("message me and dont tell your dad", "isolation")).toBeGreaterThan(0.5);
    expect(sig("dont ask your dad to message me").open).toBe(0);
  });

  it("a grandparent who says who is writing is open; a stranger claiming an uncle is not (EN, NL)", () => {
    expect(sig("hi sweetie it's grandma, did you get the card").open).toBeGreaterThan(0);
    expect(sig("hallo schat, hier is oma").open).toBeGreaterThan(0);
    expect(sig("hey its your uncle rob lol").open).toBe(0);
  });
});

describe("v16: a pair held by who the two are does not make its actor risky", () => {
  it("a coach who writes to several pupils, each about their parents, does not alert as an actor", () => {
    const engine = new RiskEngine(model);
    const pupils = ["p1", "p2", "p3"];
    let alerted = false;
    let minute = 0;
    for (const p of pupils) {
      for (const [author, text] of [
        ["a", "great swim today, send me the video of your turns"],
        [p, "ok coach"],
        ["a", "can you ask your mum to message me about the trip form?"],
        [p, "will do, im 12 btw if u need it for the form"],
        ["a", "thanks! dm me if anything changes"],
        [p, "ok"],
      ] as [string, string][]) {
        const top = engine.observe({ platform: "discord", communityId: "g1", channelId: `dm-${p}`, channelKind: "dm", messageId: `${p}-${minute}`, authorId: author, text, ts: Date.parse("2026-03-01T18:00:00Z") + minute++ * 60_000 }).top;
        if (top && top.subject.actor === "a" && decideAlert(top, null, DEFAULT_SETTINGS, 0).alert) alerted = true;
      }
    }
    expect(alerted).toBe(false);
  });
});

describe("engine: a group message that speaks to a few of those present reaches each of them", () => {
  const group = (lines: [string, string][]): ChatMessage[] => dm("grp", lines).map((m) => ({ ...m, channelKind: "group" as const }));
  const run = (msgs: ChatMessage[]) => {
    const engine = new RiskEngine(model);
    let last = null as ReturnType<RiskEngine["observe"]>["top"];
    let alerted = false;
    for (const m of msgs) {
      last = engine.observe(m).top;
      if (last && last.subject.actor === "a" && decideAlert(last, null, DEFAULT_SETTINGS, m.ts).alert) alerted = true;
    }
    return { last, alerted };
  };
  const lines = (address: string): [string, string][] => [
    ["a", "free game codes for the younger ones, anyone under 13?"],
    ["k1", "im 11"],
    ["k2", "12!"],
    ["t", "why only under 13 lol"],
    ["a", address],
  ];
  for (const [lang, plural, single] of [
    ["en", "dm me u two, dont tell the mods about it", "dm me, dont tell the mods about it"],
    ["nl", "stuur mij een pb jullie twee, zeg niks tegen de mods", "stuur mij een pb, zeg niks tegen de mods"],
  ] as const) {
    it(`"${plural}" lands on the children who answered, not only on the last speaker (${lang})`, () => {
      const few = run(group(lines(plural)));
      expect(few.last?.targets).toEqual(expect.arrayContaining(["k1", "k2"]));
      expect(few.alerted).toBe(true);
      const one = run(group(lines(single)));
      expect(one.last?.targets ?? []).not.toContain("k2");
    });
  }
});

describe("engine: a DM opener who speaks of the child's parents as people they know", () => {
  const chat = (lang: "en" | "nl", opener: string): ChatMessage[] =>
    dm(`opener-${lang}-${opener.length}`, lang === "en"
      ? [["a", opener], ["c", "hi, im 12"], ["a", "are you home alone after school?"], ["c", "ya till 6"], ["a", "ill pick you up friday, keep it a secret from everyone ok"], ["c", "ok"], ["a", "send me a pic of the card"]]
      : [["a", opener], ["c", "hoi, ik ben 12"], ["a", "ben je alleen thuis na school?"], ["c", "ja tot 6"], ["a", "ik haal je vrijdag op, hou het geheim voor iedereen"], ["c", "ok"], ["a", "stuur eens een foto van de kaart"]]);
  it("is capped like family once the child answers, though the cue came before anyone else spoke (EN, NL)", () => {
    expect(alertsOn(chat("en", "hi its grandma, your mum said you got a new phone"))).toBe(false);
    expect(alertsOn(chat("en", "hi, saw your drawings, you got a new phone?"))).toBe(true);
    expect(alertsOn(chat("nl", "hallo, hier is oma, je mama zei dat je een nieuwe gsm hebt"))).toBe(false);
    expect(alertsOn(chat("nl", "hallo, ik zag je tekeningen, heb je een nieuwe gsm?"))).toBe(true);
  });
});
