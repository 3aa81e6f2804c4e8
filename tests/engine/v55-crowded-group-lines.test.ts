// v55 (read in fresh set h77: crowded Dutch and Flemish group chats): an adult who looks for "kids" for a dance video,
// pays, asks who is home "dan kan ik langskomen om te filmen" and calls a girl to a DM with a photo; a child's "mag je dat
// met 13?"; a grandfather who introduces himself ("dit is opa") and speaks of "mama" as someone both know.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { newAlerts, newLines, quietedAlerts, signalsWith, stageWeight } from "./chat.ts";

const v54 = loadModel("v54");
const v55 = loadModel("v55");

describe("v55 lines read in h77", () => {
  newLines(
    v54,
    v55,
    [
      ["ik maak tiktoks en zoek nog kids die in een dansfilmpje willen", "images"],
      ["looking for some girls for a tiktok video", "images"],
      ["ik betaal €20", "trust"],
      ["wie is er woensdagmiddag gewoon thuis? dan kom ik langs", "risk"],
      ["dan kan ik langskomen om te filmen", "meeting"],
      ["stuur me ff een pb met een foto van je", "images"],
      ["do ur parents let u use discord alone?", "risk"],
      ["we could be private friends", "isolation"],
    ],
    [
      ["dan kom ik langs na het sporten", "meeting"],
      ["wie is er thuis vanavond voor het eten", "risk"],
      ["ik betaal de pizza", "trust"],
      ["looking for kids who want to join the choir", "images"],
    ],
  );

  it("'wie van jullie is er na school meestal alleen thuis?' is a clear check, no longer a faint one", () => {
    const text = "wie van jullie is er na school meestal alleen thuis?";
    expect(stageWeight(v55, text, "risk")).toBeGreaterThan(stageWeight(v54, text, "risk"));
  });

  it("a child's 'mag je dat met 13?' says the age, an adult's 'oud genoeg haha, 31' too", () => {
    expect(signalsWith(v54, "ik ook, mag je dat met 13?").minor).toBe(0);
    expect(signalsWith(v55, "ik ook, mag je dat met 13?").minor).toBeGreaterThan(0);
    expect(signalsWith(v54, "oud genoeg haha, 31").adult).toBe(0);
    expect(signalsWith(v55, "oud genoeg haha, 31").adult).toBeGreaterThan(0);
  });

  it.each(["Hallo Bram. Dit is opa. Werkt dit zo?", "Fijn. Mama zegt dat je een nieuwe fiets hebt", "Mama vindt het goed."])("%s speaks in the open", (text) => {
    expect(signalsWith(v54, text).open).toBe(0);
    expect(signalsWith(v55, text).open).toBeGreaterThan(0);
  });
  it("'je mama zegt...' from someone else is not a shared parent", () => {
    expect(signalsWith(v55, "mijn mama zegt dat het niet mag").open).toBe(0);
  });

  quietedAlerts(
    v54,
    v55,
    [
      [
        "a grandfather who picks his grandson up from school",
        [
          ["a", "Hallo Bram. Dit is opa. Werkt dit zo?"],
          ["b", "hoi opa ja het werkt haha"],
          ["a", "Fijn. Mama zegt dat je een nieuwe fiets hebt. Stuur eens een foto"],
          ["b", "kijk"],
          ["a", "Wat een mooie! Rood, net als mijn eerste fiets"],
          ["a", "Zal ik je woensdag ophalen van school? Dan gaan we samen naar het park fietsen. Mama vindt het goed."],
          ["b", "ja!! om half 1"],
          ["a", "Afgesproken. Helm niet vergeten"],
        ],
      ],
    ],
    "v55",
  );

  newAlerts(
    v54,
    v55,
    [
      [
        "an adult from a drawing server who guesses a 6th-grader's age and offers 'private friends'",
        [
          ["a", "hi! ur art in the drawing server is amazing"],
          ["b", "thank u!"],
          ["a", "what grade r u in? u seem really talented for ur age"],
          ["b", "6th"],
          ["a", "wow so ur like 11-12? do ur parents let u use discord alone?"],
          ["b", "why do u want to know"],
          ["a", "just curious 😊 we could be private friends, i have a special server only for my favourite artists"],
        ],
      ],
    ],
    "v55",
  );
});
