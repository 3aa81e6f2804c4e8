// v53: more warning signs written from the lists child-protection organisations publish (vapes and alcohol as gifts, a
// ride sent to the child, "prove ur real", a relationship declared, money spent turned into a debt), then lines read in
// fresh set h71, sextortion as it mostly happens now: a "girl" from a game lobby, a pic trade, then a demand ("300 in steam
// cards or she gets it first", "koop een google play kaart van 100 en stuur de code", "ik heb de insta van je moeder gevonden").
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { newAlerts, newLines, signalsWith } from "./chat.ts";

const v52 = loadModel("v52");
const v53 = loadModel("v53");

describe("v53 lines from published warning signs", () => {
  newLines(
    v52,
    v53,
    [
      ["i can get u vapes if u want", "trust"],
      ["ill buy u some alcohol for the party", "trust"],
      ["ik kan wel drank voor je regelen", "trust"],
      ["ill get u an uber to mine", "meeting"],
      ["ik stuur wel een taxi voor je", "meeting"],
      ["ur my gf now", "sexual"],
      ["je bent nu mijn vriendinnetje", "sexual"],
      ["i spent so much money on u", "coercion"],
      ["ik heb zoveel geld aan je uitgegeven", "coercion"],
    ],
    [
      ["ill buy u a drink when we meet", "trust"],
      ["ill get u an uber home from work", "meeting"],
      ["je bent mijn vriendin", "sexual"],
      ["i spent the whole day on it", "coercion"],
    ],
  );
});

describe("v53 lines read in h71", () => {
  newLines(
    v52,
    v53,
    [
      ["wanna do a pic trade? ik begin", "images"],
      ["zin om foto's te ruilen?", "images"],
      ["ik zou wel een foto van u willen, gewoon voor mij", "images"],
      ["send something more personal", "images"],
      ["stuur 3 fotos zonder shirt", "sexual"],
      ["ben je 13 of 14", "personal"],
      ["u single?", "personal"],
      ["ik heb de insta van je moeder gevonden via je volgers", "coercion"],
      ["i found ur moms insta", "coercion"],
      ["ik heb een screenshot van je profiel", "coercion"],
      ["koop een google play kaart van 100 en stuur de code", "coercion"],
      ["buy a steam card and send me the code", "coercion"],
      ["of ik zet je profiel op een account met je schoolnaam erbij", "coercion"],
    ],
    [
      ["ik wil een foto van je fiets", "images"],
      ["kaarten ruilen?", "images"],
      ["stuur er nog een van de achterkant", "images"],
      ["single player or coop?", "personal"],
      ["i found ur old drawing", "coercion"],
    ],
  );

  it.each([
    "300 in steam cards or she gets it first, then ur whole school",
    "als je niet doet wat ik vraag stuur ik haar die fotos met een verhaaltje erbij",
    "if u dont do what i ask ill send her those pics",
  ])("%s is a threat to expose images", (text) => {
    const after = signalsWith(v53, text).signals.map((s) => s.rule);
    expect(after.some((r) => r.includes(".sextortion."))).toBe(true);
  });

  newAlerts(v52, v53, [
    [
      "a 'peer' who wants a photo 'just for me' kept from mum",
      [
        ["a", "van waar zijt ge? ik ben van gent, 15 jaar"],
        ["b", "antwerpen, 13"],
        ["a", "amai ge ziet er ouder uit op uw pf. hebt ge al een lief?"],
        ["b", "nee"],
        ["a", "ik zou wel een foto van u willen, gewoon voor mij"],
        ["b", "mijn mama zegt da ik geen fotos mag sturen naar mensen die ik ni ken"],
        ["a", "uw mama moet da ni weten he, wis het gewoon daarna"],
      ],
    ],
    [
      "a threat after a refusal, on its own",
      [
        ["a", "mooi 😍 stuur er nog een, maar dan alleen voor mij"],
        ["b", "nee dat wil ik niet"],
        ["a", "jammer. ik heb de insta van je moeder gevonden via je volgers"],
        ["a", "als je niet doet wat ik vraag stuur ik haar die fotos met een verhaaltje erbij"],
      ],
    ],
  ], "v53");
});
