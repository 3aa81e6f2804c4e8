// v56 (read in fresh set h79: adults the child knows offline): a Flemish coach's "ik wil u extra trainen", "kunt ge naar mijn
// huis komen?", "zeg aan uw ma da ge bij Senne gaat", "na de training kunnen we in de jacuzzi", "da's normaal onder sporters";
// a family friend's "I'll gift you the diamond pack" and "so your brother doesn't see"; a shop owner's "pop round the back
// when it's quiet"; a mother's "papa komt om 5 uur" speaks in the open.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { newAlerts, newLines, quietedAlerts, signalsWith, stageWeight } from "./chat.ts";

const v55 = loadModel("v55");
const v56 = loadModel("v56");

describe("v56 lines read in h79", () => {
  newLines(
    v55,
    v56,
    [
      ["ik wil u extra trainen, gij hebt meer talent dan de rest", "trust"],
      ["kunt ge woensdagnamiddag naar mijn huis komen?", "meeting"],
      ["zeg aan uw ma da ge bij senne gaat", "isolation"],
      ["nee, alleen gij", "isolation"],
      ["na de training kunnen we in de jacuzzi", "sexual"],
      ["da's normaal onder sporters", "sexual"],
      ["hoe laat komt je moeder eigenlijk thuis op dinsdag?", "risk"],
      ["I'll gift you the diamond pack", "trust"],
      ["make sure you're in your room so your brother doesn't see", "risk"],
      ["what time do you usually get back from school?", "risk"],
      ["you could pop round the back then when it's quiet", "risk"],
    ],
    [
      ["alleen gij mag kiezen", "isolation"],
      ["kunnen we in de jacuzzi van het hotel? vroeg mama", "coercion"],
      ["what time is it", "risk"],
      ["i gave you the wrong change", "trust"],
    ],
  );

  it.each(["Papa komt om 5 uur.", "papa haalt je op"])("%s speaks in the open", (text) => {
    expect(signalsWith(v55, text).open).toBe(0);
    expect(signalsWith(v56, text).open).toBeGreaterThan(0);
  });
  it("a photo of the homework planner is a photo of a thing", () => {
    const text = "stuur even een foto van je huiswerkplanner";
    expect(stageWeight(v56, text, "images")).toBeLessThan(stageWeight(v55, text, "images"));
  });

  quietedAlerts(
    v55,
    v56,
    [
      [
        "a mother whose son is home until papa comes",
        [
          ["a", "Hoi lieverd, ben je al thuis?"],
          ["b", "ja"],
          ["a", "Ben je alleen? Papa komt om 5 uur. Doe de deur even op slot en niet opendoen voor onbekenden 😘"],
          ["b", "jaha ik weet het"],
          ["a", "Stuur even een foto van je huiswerkplanner, dan zie ik wat je morgen moet inleveren."],
          ["b", "hier"],
          ["a", "Top. Niet de hele middag gamen hè. En zeg niks tegen Lotte over haar cadeau, dat is een verrassing!"],
          ["b", "ik zeg niks"],
          ["a", "Ik haal je morgen op na hockey, 17:30 bij het veld."],
        ],
      ],
    ],
    "v56",
  );

  newAlerts(
    v55,
    v56,
    [
      [
        "a coach who invites a boy home alone and lies to his mother",
        [
          ["a", "Ik wil u extra trainen, gij hebt meer talent dan de rest. Maar da moet tussen ons blijven"],
          ["b", "ok cool"],
          ["a", "Kunt ge woensdagnamiddag naar mijn huis komen? Zeg aan uw ma da ge bij Senne gaat"],
          ["b", "mag ik dan ook Senne meenemen"],
          ["a", "Nee, alleen gij, anders werkt da nie."],
        ],
      ],
    ],
    "v56",
  );
});
