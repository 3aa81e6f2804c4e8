// v31: families of lines a fresh set's misses showed (our own wording of each, English then Dutch):
// comparison flattery, a wedge against friends, parents "weird about online friends", a private room,
// a gift held out, the disappearing-message app, knowing the child's school as leverage, and threats keyed
// to a class group chat or to telling anyone. Everyday near misses stay quiet.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { alertsWith, dm, newLines, stageWeight } from "./chat.ts";

const v30 = loadModel("v30");
const v31 = loadModel("v31");

describe("v31 English families", () => {
  newLines(
    v30,
    v31,
    [
      ["you're way smarter than the other girls", "trust"],
      ["honestly ur too good for ur friends", "trust"],
      ["u dont need them, u have me", "isolation"],
      ["parents always get weird about online friends", "isolation"],
      ["best if it's just our thing", "isolation"],
      ["ur dad is never gonna find out", "isolation"],
      ["i got a spare one if u want it", "trust"],
      ["i have something special for u", "trust"],
      ["i could bring it over to u", "meeting"],
      ["bet the guys at ur school are obsessed with u", "sexual"],
      ["ur parents away this weekend?", "risk"],
      ["get in my priv room later", "isolation"],
      ["the msgs delete themselves there", "isolation"],
      ["i know where u live", "coercion"],
      ["tell ur mom and everyone sees them", "coercion"],
    ],
    [
      ["pizza fridays, its our thing", "isolation"],
      ["my parents are out tonight", "risk"],
      ["join the voice channel", "isolation"],
      ["you're better than me at this game", "trust"],
      ["can you drop it off at the office", "meeting"],
      ["tell me and everyone gets a slice", "coercion"],
    ],
  );
});

describe("v31 threats to a class group chat", () => {
  it("reads 'the last one' sent to a class group chat as sextortion (v30 only as a faint 'or')", () => {
    const text = "or i send the last one to ur class group chat";
    expect(stageWeight(v30, text, "coercion")).toBeLessThan(0.3);
    expect(stageWeight(v31, text, "coercion")).toBeGreaterThanOrEqual(0.9);
    expect(stageWeight(v31, text, "images")).toBeGreaterThanOrEqual(0.9);
  });
});

describe("v31 Dutch and Flemish families", () => {
  newLines(
    v30,
    v31,
    [
      ["ge zijt veel leuker dan de rest", "trust"],
      ["al eens een vriendje gehad?", "personal"],
      ["met mij kun je alles delen", "isolation"],
      ["je ouders zijn weer op stap?", "risk"],
      ["spring straks in mijn eigen server", "isolation"],
      ["op die andere app blijft niks bewaard", "isolation"],
      ["hou dit maar voor jezelf", "isolation"],
      ["ik ken jouw school", "coercion"],
      ["als je het tegen iemand zegt dan ziet heel je klas het", "coercion"],
    ],
    [
      ["dat is van ons, niet van hen", "isolation"],
      ["hou het even vast", "isolation"],
      ["mijn ouders zijn weg dit weekend", "risk"],
      ["ik ken jouw broer van het voetbal", "coercion"],
    ],
  );

  it("a Flemish threat to post an earlier photo in the class group alerts on its own", () => {
    const msgs = dm("threat", [
      ["a", "weet ge nog die foto van vorige week"],
      ["k", "ja?"],
      ["a", "als ge mij ni nog ene stuurt, gaat die naar uw klasgroep"],
    ]);
    expect(alertsWith(v30, msgs)).toBe(false);
    expect(alertsWith(v31, msgs)).toBe(true);
  });
});
