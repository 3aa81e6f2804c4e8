// v48: warning signs no rule read, written first from what child-protection organisations list ("ik ben de enige die je
// echt begrijpt", "wil je model worden?", "laat je ouders het niet zien", "im the only one who really gets u") and then
// read in fresh set h61 (slow, subtle, mostly Flemish): a "loverboy" in his own words (a pick-up "me de auto", "moet ge
// alles aan uw ma vragen?", a cover story, "da was toch nie gratis"), a sextortion ("so i kept that pic you sent me", "as
// long as you do what i say", "dan gaat hij meteen rond"); and two benign teens: a date the mother drives, a brother's
// "zeg nie tegen ma".
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { alertsWith, dm, newAlerts, newLines, signalsWith, stageWeight } from "./chat.ts";

const v47 = loadModel("v47");
const v48 = loadModel("v48");

describe("v48 lines", () => {
  newLines(
    v47,
    v48,
    [
      ["ik ben de enige die je echt begrijpt", "isolation"],
      ["ik zet je fotos online", "coercion"],
      ["wil je model worden?", "trust"],
      ["je moet wel eerst fotos sturen voor je portfolio", "images"],
      ["laat je ouders het niet zien", "isolation"],
      ["gebruik je oortjes zodat niemand het hoort", "risk"],
      ["je bent me nog iets schuldig", "coercion"],
      ["je weet hoe volwassenen zijn", "isolation"],
      ["im the only one who really gets u", "isolation"],
      ["wanna be a model?", "trust"],
      ["u know how adults are", "isolation"],
      ["kzou u zaterdag kunnen oppikken me de auto", "meeting"],
      ["kpik u op om 9u aan de kerk, nie aan uw huis", "isolation"],
      ["allez, moet ge alles aan uw ma vragen?", "isolation"],
      ["zeg gewoon da ge bij sarah slaapt", "isolation"],
      ["ligt uw gsm snachts nog altijd in de living?", "risk"],
      ["ge moet da chatje wissen he", "isolation"],
      ["die gsm, de nagels, da was toch nie gratis he", "coercion"],
      ["onder ons moet ge ook ne keer iets terugdoen", "coercion"],
      ["die foto die je me vorige week stuurde is nog steeds mooi", "coercion"],
      ["anders weet ik nie of hij per ongeluk in die groepsapp van je klas komt", "coercion"],
      ["so i kept that pic you sent me last night", "coercion"],
      ["relax. im not gonna share it as long as you do what i say", "coercion"],
      ["whats ur school email", "personal"],
      ["do ur parents check ur discord?", "risk"],
    ],
    [
      ["ik zet de fotos van het feest online", "coercion"],
      ["mijn ouders zijn zo overbezorgd", "isolation"],
      ["kzou da boek wel eens willen lezen", "meeting"],
      ["zeg tegen je ma dat ik om 5 uur kom", "isolation"],
      ["die foto die je stuurde van de hond is zo leuk", "coercion"],
      ["i kept the receipt", "coercion"],
      ["my school email is full", "personal"],
    ],
  );
});

describe("v48: what speaks in the open", () => {
  it.each(["mijn moeder brengt ons wel", "my mom can drive us"])("%s: the author's own parent takes part", (text) => {
    expect(signalsWith(v47, text).open).toBe(0);
    expect(signalsWith(v48, text).open).toBeGreaterThan(0);
  });
  it("a brother's 'zeg nie tegen ma' speaks of a shared mother ('ma' after 'tegen' is no 'but')", () => {
    expect(signalsWith(v47, "zeg zus, zeg nie tegen ma da kik haar auto gepakt heb").open).toBe(0);
    expect(signalsWith(v48, "zeg zus, zeg nie tegen ma da kik haar auto gepakt heb").open).toBeGreaterThan(0);
  });
  it("'it goes out instantly' after 'if you tell anyone' is a threat to expose", () => {
    const text = "and if you tell anyone it goes out instantly";
    expect(stageWeight(v47, text, "images")).toBe(0);
    expect(stageWeight(v48, text, "images")).toBeGreaterThan(0.8);
  });
});

describe("conversations", () => {
  const loverboy: [string, string][] = [
    ["a", "hey schoonheid, gij waart toch aan de frituur zaterdag?"],
    ["b", "haha ja wie is dit"],
    ["a", "hoe oud zijt gij eigenlijk? ge ziet er ouder uit"],
    ["b", "14"],
    ["a", "ik ben 20 maar leeftijd is maar een getal he"],
    ["a", "kzou u zaterdag kunnen oppikken me de auto"],
    ["b", "moet da vragen aan mijn ma"],
    ["a", "allez, moet ge alles aan uw ma vragen? zeg gewoon da ge bij lisa slaapt"],
    ["a", "en ge moet da chatje wissen he"],
  ];
  const sextortion: [string, string][] = [
    ["a", "you there?"],
    ["b", "who is this"],
    ["a", "so i kept that pic you sent me last night"],
    ["b", "please delete it im 14"],
    ["a", "relax. im not gonna share it as long as you do what i say"],
  ];
  newAlerts(v47, v48, [
    ["a Flemish 'loverboy'", loverboy],
    ["a sextortion as written", sextortion],
  ], "v48");

  // Two 14-year-olds plan a film; her mother drives.
  const date: [string, string][] = [
    ["a", "heyy"],
    ["b", "hoi"],
    ["a", "je zag er echt mooi uit vandaag btw"],
    ["b", "stopp jij ook"],
    ["a", "zullen we zaterdag naar de film?"],
    ["b", "ja! maar nie tegen mijn broer zeggen he, die gaat me pesten"],
    ["a", "haha ok geheimpje. mijn moeder brengt ons wel, ze wil je toch ontmoeten"],
    ["b", "oei spannend. ik ben 14 btw haha dat weet je"],
    ["a", "yess"],
  ];
  it("a teen date the mother drives alerted in v47 and does not in v48", () => {
    expect(alertsWith(v47, dm("d1", date))).toBe(true);
    expect(alertsWith(v48, dm("d1", date))).toBe(false);
  });

  // A brother (19) and his sister (13): the mother's car, a milkshake, a pick-up at school.
  const siblings: [string, string][] = [
    ["a", "zeg zus, zeg nie tegen ma da kik gisteren haar auto gepakt heb he"],
    ["b", "hahaha wa krijg ik ervoor"],
    ["a", "allez gij, ge zijt 13 en al aan t chanteren"],
    ["b", "ik ben bijna 14 eh. ne milkshake"],
    ["a", "deal. kpik u op aan school om 4u, dan gaan we efkes langs de mcdo"],
    ["b", "is goe"],
  ];
  it("a brother's pick-up, now read as one, does not alert", () => {
    expect(stageWeight(v48, "deal. kpik u op aan school om 4u", "meeting")).toBeGreaterThan(0.5);
    expect(alertsWith(v48, dm("s1", siblings))).toBe(false);
  });
});
