// v58 (read in fresh set h84: short chats, two or three early warning signs): a fan-video maker "looking for young fans to
// send me a short clip of themselves"; "so smart for your age" / "zo slim voor uwe leeftijd"; "ur in year 7 right?"; a threat
// to send "our whole chat" to the school ("stuur ik onze hele chat naar je school"); "na alle cadeaukaarten die ik je gegeven
// heb?"; "just do what i say" / "dan doe je gewoon wat ik vraag".
import { describe } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { newAlerts, newLines } from "./chat.ts";

const v57 = loadModel("v57");
const v58 = loadModel("v58");

describe("v58 lines read in h84", () => {
  newLines(
    v57,
    v58,
    [
      ["we need some younger players to send short clips for the trailer", "images"],
      ["film a short clip of urself for me", "images"],
      ["ur really clever for ur age", "trust"],
      ["you're in year 6 right?", "personal"],
      ["if u leave ill forward our dms to ur parents", "coercion"],
      ["then just do exactly what i say", "coercion"],
      ["ge zijt echt wijs voor uwe leeftijd", "trust"],
      ["na al die skins die ik voor je gekocht heb", "coercion"],
      ["als je stopt stuur ik al onze berichten naar je ouders", "coercion"],
      ["nu doe je gewoon wat ik zeg", "coercion"],
    ],
    [
      ["my little brother sent a clip of the game", "images"],
      ["the price is fair for your age group", "trust"],
      ["i'll send the screenshots to the mods", "coercion"],
      ["doe maar wat je zelf wil", "coercion"],
      ["na alle moeite die ik heb gedaan is het gelukt", "coercion"],
    ],
  );

  newAlerts(
    v57,
    v58,
    [
      [
        "an adult who calls a sixth-grader clever for her age, wants a selfie and moves her to a private chat",
        [
          ["a", "hey jij zit toch in het 6de leerjaar? zo slim voor uwe leeftijd"],
          ["b", "euh ja hoezo"],
          ["a", "stuur eens een selfie, dan weet ik wie ge zijt"],
          ["b", "waarom"],
          ["a", "relax, ik stuur u wel een privé berichtje op snap"],
        ],
      ],
      [
        "an adult who will not let a girl stop: her mother need not know, the gift cards, the chat sent to her school",
        [
          ["a", "je was zo stil vandaag"],
          ["b", "ik wil niet meer zoveel chatten, mijn moeder vindt het raar"],
          ["a", "je moeder hoeft er niks van te weten, dat hadden we afgesproken"],
          ["b", "ik wil gewoon stoppen"],
          ["a", "na alle cadeaukaarten die ik je gegeven heb?"],
          ["b", "ik betaal ze terug"],
          ["a", "als je stopt stuur ik onze hele chat naar je school"],
        ],
      ],
    ],
    "v58",
  );
});
