// v29 and v30: classic lines of old chat-room grooming that no earlier rule read (our own wording
// of each family), English then Dutch, and everyday near misses that must stay quiet.
import { describe } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { newLines } from "./chat.ts";

const v28 = loadModel("v28");
const v29 = loadModel("v29");
const v30 = loadModel("v30");

describe("v29 chat-room lines", () => {
  newLines(
    v28,
    v29,
    [
      ["ur parents up?", "risk"],
      ["is ur mom still awake", "risk"],
      ["wat state r u in", "personal"],
      ["which city do u live in", "personal"],
      ["its normal, everyone does it", "sexual"],
      ["i can buy u stuff", "trust"],
      ["i could buy u clothes", "trust"],
      ["r u ok with older guys", "sexual"],
      ["i like younger girls", "sexual"],
      ["i wont tell anyone", "isolation"],
      ["smart girl", "trust"],
    ],
    [
      ["its normal to be nervous before a match", "sexual"],
      ["my parents are up early tomorrow", "risk"],
      ["which state has the best pizza", "personal"],
      ["i wont tell you the ending", "isolation"],
      ["can i buy the tickets for us", "trust"],
    ],
  );
});

describe("v30: the same families in Dutch", () => {
  newLines(
    v29,
    v30,
    [
      ["is je mama nog op", "risk"],
      ["het is normaal, iedereen doet het", "sexual"],
      ["ik kan wat voor je kopen", "trust"],
      ["ik koop wel kleren voor je", "trust"],
      ["vind je oudere mannen ok", "sexual"],
      ["ik hou van jongere meisjes", "sexual"],
      ["slimme meid", "trust"],
    ],
    [
      ["het is normaal dat je zenuwachtig bent", "sexual"],
      ["ik ga nieuwe schoenen kopen", "trust"],
      ["kan je betalen voor de pizza", "trust"],
      ["ik koop wel brood voor je moeder", "trust"],
      ["mijn ouders zijn nog op vakantie", "risk"],
    ],
  );
});
