// v45 (read in fresh set h56, messy game-server chat): a child who wants to stop is guilt-tripped and told to hide the
// contact; a server owner needs the child's age "for the staff list" (a number answered to it is an age), checks for an
// own room and parents walking in, and threatens the rank; old chat's "wat" for "what"; "wanna see it sat? w me" is a
// film, "a pic of ur fit so we match" is clothes, and "dont tell anyone at school yet" is a teen's passing secret.
import { describe, expect, it } from "vitest";
import { RiskEngine, loadModel } from "../../src/engine/index.ts";
import { alertsWith, dm, newAlerts, newLines, signalsWith, stageWeight } from "./chat.ts";

const v44 = loadModel("v44");
const v45 = loadModel("v45");

describe("v45 lines", () => {
  newLines(
    v44,
    v45,
    [
      ["just dont tell her we still talk", "isolation"],
      ["make a 2nd acct so she cant see", "isolation"],
      ["if u leave i got nobody", "coercion"],
      ["just need ur age for the staff list", "personal"],
      ["ill buy u a new one, just need ur address", "personal"],
      ["dont want ur parents walking in on the call", "risk"],
      ["then dont tell him. if u tell him ur rank is gone", "coercion"],
      ["wat city u in?", "personal"],
      ["lol thats why older guys r better", "sexual"],
      ["talk on snap instead", "isolation"],
      ["discord logs everything", "risk"],
      ["is she gone a lot?", "risk"],
      ["@mia ur pfp is so pretty", "trust"],
      ["moet wel ff weten hoe oud je bent voor de stafflijst", "personal"],
      ["praat liever via snap", "isolation"],
      ["lezen ze echt je berichten?", "risk"],
      ["is ze veel weg? werkt ze laat", "risk"],
    ],
    [
      ["dont tell her i said that lol", "isolation"],
      ["make a new account for the beta", "isolation"],
      ["if u leave now u miss the bus", "coercion"],
      ["the form asks ur age and ur team", "personal"],
      ["send me ur address for the shipping", "personal"],
      ["my mom walked in on my call lol", "risk"],
      ["if u tell him about the party hes coming too", "coercion"],
      ["older games are better tbh", "sexual"],
      ["talk on snap later", "isolation"],
      ["ik weet hoe oud die game is", "personal"],
      ["ze lezen het boek voor school", "risk"],
    ],
  );
});

describe("v45: how earlier rules read", () => {
  it("a threat needs nothing after 'to see?': 'u want ur whole school to see?' is sextortion", () => {
    const text = "i still got the pics u sent. u want ur whole school to see?";
    expect(stageWeight(v44, text, "images")).toBe(0);
    expect(stageWeight(v45, text, "images")).toBeGreaterThan(0.8);
    expect(stageWeight(v45, "do u want to see?", "images")).toBe(0);
  });
  it("'ur schools group' is a class audience too", () => {
    const text = "send 50 or i post them in ur schools group";
    expect(stageWeight(v44, text, "images")).toBe(0);
    expect(stageWeight(v45, text, "images")).toBeGreaterThan(0.8);
  });
  it("'wanna see it sat? w me' is a film; 'wanna see it?' still asks", () => {
    expect(stageWeight(v44, "wanna see it sat? w me", "images")).toBeGreaterThan(0.5);
    expect(stageWeight(v45, "wanna see it sat? w me", "images")).toBe(0);
    expect(stageWeight(v45, "wanna see it?", "images")).toBeGreaterThan(0.5);
  });
  it("a pic of an outfit 'so we match' is faint", () => {
    expect(stageWeight(v45, "send me a pic of ur fit so we match lol", "images")).toBeLessThan(
      stageWeight(v44, "send me a pic of ur fit so we match lol", "images") / 2,
    );
  });
  it("a secret from 'anyone ... yet' is faint; from the parents 'yet' it is not", () => {
    for (const text of ["dont tell anyone at school yet ok", "zeg het nog niet tegen iemand"]) {
      expect(stageWeight(v45, text, "isolation")).toBeLessThanOrEqual(stageWeight(v44, text, "isolation") / 2);
    }
    expect(stageWeight(v45, "dont tell ur parents yet", "isolation")).toBeGreaterThan(0.7);
    expect(stageWeight(v45, "zeg nog niks tegen je ouders", "isolation")).toBeGreaterThan(0.7);
  });
  it("a Dutch threat as written is sextortion", () => {
    const text = "als je het aan je ouders vertelt gaan ze meteen online";
    expect(stageWeight(v44, text, "coercion")).toBe(0);
    expect(stageWeight(v45, text, "coercion")).toBeGreaterThan(0.8);
  });
  it("'wat' as old chat's 'what' reads in English rules, Dutch 'wat' stays Dutch", () => {
    expect(stageWeight(v45, "wat r u wearing", "sexual")).toBeGreaterThan(0.5);
    expect(signalsWith(v45, "wat doe je vandaag").signals.filter((s) => s.stage !== "age")).toEqual([]);
  });
});

describe("v45: an age question under a versioned rule id", () => {
  it("'12 is that fine' answered to 'just need ur age' is the child's age", () => {
    const engine = new RiskEngine(v45);
    const [ask, answer] = dm("q1", [
      ["a", "just need ur age for the mod list"],
      ["b", "12 is that fine"],
    ]);
    expect(engine.observe(ask!).signals.map((s) => s.rule)).toContain("en.personal.your_age_v45");
    // The answer carries no age rule of its own: only the question before it makes "12" an age.
    const after = engine.observe(answer!);
    expect(after.signals).toEqual([]);
    expect(after.top?.stages).toContain("age");
  });
});

describe("conversations", () => {
  // A child who wants to stop: guilt over gifts, a wedge against the parent, a second account, a threat.
  const guilt: [string, string][] = [
    ["b", "my dad says i have to stop playing with u"],
    ["a", "seriously? after all the skins i bought u"],
    ["a", "ur dad doesnt get u. if u leave i got nobody"],
    ["b", "sorry"],
    ["a", "just dont tell him we still talk ok. make a 2nd account"],
    ["b", "im 11 i dont want to get in trouble"],
    ["a", "ur gonna be in way more trouble if i tell him wat u sent me"],
  ];

  // A server owner offers a rank and needs the age "for the list": the bare number answered makes the child a minor.
  const rank: [string, string][] = [
    ["a", "ur the one who built the tower at spawn right"],
    ["b", "yea"],
    ["a", "want mod rank? u get fly and ur own plot"],
    ["b", "YES"],
    ["a", "just need ur age for the mod list"],
    ["b", "12 is that fine"],
    ["a", "ya ur special. dont tell the other mods ur age tho"],
    ["a", "u got ur own room? dont want ur parents walking in on the mod call"],
  ];
  newAlerts(v44, v45, [
    ["a guilt trip into hiding", guilt],
    ["a rank for a 12-year-old, then an own room", rank],
  ], "v45");

  // Two teens on a first date: a film, outfits, a compliment, a secret "yet".
  const date: [string, string][] = [
    ["a", "so u know that movie u wanted to see"],
    ["b", "yea"],
    ["a", "wanna see it sat? w me"],
    ["b", "like a date?? ok yes"],
    ["a", "cool my sister can drive us shes 18"],
    ["b", "send me a pic of ur fit so we match lol"],
    ["a", "is this ok"],
    ["b", "ur so cute omg"],
    ["b", "dont tell anyone at school yet ok"],
  ];
  it("a teen date alerted in v44 and does not in v45", () => {
    expect(alertsWith(v44, dm("d1", date), "b")).toBe(true);
    expect(alertsWith(v45, dm("d1", date), "b")).toBe(false);
  });
});
