// v42 (read in fresh set h49, giveaways in groups then DMs): sextortion after a call ("remember our call? i recorded
// it", "200$ in amazon gift cards and its gone", "ill post it in #general of ur school server"), "who has their own
// phone?", "not everyone here needs to know", "moogt ge 's avonds nog online?", a gift of FIFA points; "ja eerste jaar, 12"
// is an age, and a school year guessed with a tail ("eerste middelbaar ofzo?") is asked, not the author's own.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { alertsWith, dm, newLines, signalsWith } from "./chat.ts";

const v41 = loadModel("v41");
const v42 = loadModel("v42");

describe("v42 lines", () => {
  newLines(
    v41,
    v42,
    [
      ["remember our call last night? i recorded it", "coercion"],
      ["200$ in amazon gift cards and its gone", "coercion"],
      ["ok then ill post it in #general of ur school server at 9pm", "coercion"],
      ["i also know ur school, its in ur bio", "coercion"],
      ["who has their own phone?", "personal"],
      ["not everyone here needs to know", "isolation"],
      ["are u allowed online at night?", "risk"],
      ["ik kan u wel wat FIFA points geven voor packs", "trust"],
      ["wie heeft er een telefoon voor zichzelf? dan kunnen we whatsappen", "isolation"],
      ["moogt ge 's avonds nog online?", "risk"],
      ["moet nie iedereen hier weten", "isolation"],
    ],
    [
      ["i recorded the match last night", "coercion"],
      ["50 in gift cards and a cake for her birthday", "coercion"],
      ["ill post the schedule in the school server", "coercion"],
      ["everyone here needs to know the rules", "isolation"],
      ["are u allowed to bring snacks", "risk"],
      ["ik kan u wel helpen met die level", "trust"],
    ],
  );
});

describe("v42 ages", () => {
  it("'ja eerste jaar, 12' is a minor's answer", () => {
    expect(signalsWith(v41, "ja eerste jaar, 12").minor).toBe(0);
    expect(signalsWith(v42, "ja eerste jaar, 12").minor).toBeGreaterThan(0);
  });
  it.each(["in welk jaar zit ge? eerste middelbaar ofzo?", "7th grade maybe?", "year 8 i bet?"])("a year guessed with a tail is asked, not the author's own: %s", (text) => {
    expect(signalsWith(v41, text).minor).toBeGreaterThan(0);
    expect(signalsWith(v42, text).minor).toBe(0);
  });
});

describe("a Flemish FIFA group: points offered to a 12-year-old", () => {
  // The adult guesses the child's school year; read as his own age, it had made him a "peer".
  const points: [string, string][] = [
    ["a", "ge zijt waarschijnlijk beter dan ge denkt"],
    ["b", "ma ik heb maar een slechte ploeg"],
    ["a", "geen probleem, ik kan u wel wat FIFA points geven. in welk jaar zit ge? eerste middelbaar ofzo?"],
    ["b", "ja eerste jaar, 12"],
    ["a", "nice. moogt ge 's avonds nog online?"],
    ["b", "tot 9u"],
    ["a", "stuur mij ne keer een privé berichtje, dan stuur ik u de code. moet nie iedereen hier weten"],
  ];
  it("alerts in v42; v41 held it below the threshold", () => {
    expect(alertsWith(v41, dm("f1", points))).toBe(false);
    expect(alertsWith(v42, dm("f1", points))).toBe(true);
  });
});
