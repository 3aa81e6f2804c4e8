// v43 (read in fresh set h51, Dutch-heavy school and club groups): sextortion as written ("3 more tonight or ur school
// group gets them", "if u tell anyone they go out in 5 min"), slow Dutch grooming ("ik snap je beter dan zij", "deze chat
// kun je beter wissen", "leeftijd is maar een getal"), guilt after gifts; and support staff and school counsellors who name
// the limits of confidentiality ("unless you're in danger", "vertrouwenspersoon"): they speak like accountable adults.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { alertsWith, dm, newLines, signalsWith, stageWeight } from "./chat.ts";

const v42 = loadModel("v42");
const v43 = loadModel("v43");

describe("v43 lines", () => {
  newLines(
    v42,
    v43,
    [
      ["3 more tonight or ur school group gets them", "coercion"],
      ["if u tell anyone they go out in 5 min", "coercion"],
      ["then do as i say and no one sees", "coercion"],
      ["i have ur insta followers list", "coercion"],
      ["zet je discord op priv, zodat alleen ik je berichten kan zien", "isolation"],
      ["ik heb het gevoel dat ik je beter snap dan zij", "isolation"],
      ["ze zijn alleen met zichzelf bezig", "isolation"],
      ["ik woon maar een half uur rijden", "meeting"],
      ["deze chat kun je beter wissen", "isolation"],
      ["ik heb je 2000 V-Bucks gegeven en nu krijg ik niks terug", "coercion"],
      ["zij snapt ons niet", "isolation"],
      ["1 foto, gewoon van jou voor het slapen", "images"],
    ],
    [
      ["or the team gets a penalty", "coercion"],
      ["if it rains they go out later", "coercion"],
      ["do as i say and stretch first", "coercion"],
      ["leeftijd is 12 tot 14 voor deze groep", "trust"],
      ["ik snap je vraag niet", "isolation"],
      ["de foto, gewoon van de klas", "images"],
    ],
  );
});

describe("v43: 'leeftijd is maar een getal' counts as much as its English twin", () => {
  it("weighs more than v42's 0.5", () => {
    expect(stageWeight(v42, "leeftijd is maar een getal", "trust")).toBeLessThan(0.6);
    expect(stageWeight(v43, "leeftijd is maar een getal", "trust")).toBeGreaterThanOrEqual(0.75);
  });
});

describe("v43: confidentiality with its limits", () => {
  it.each([
    "what you share stays with the support team, unless you're in danger",
    "Is there a trusted adult you could also talk to, like a parent?",
    "Here's the Childline link too",
    "Wat we bespreken blijft tussen ons, tenzij ik me zorgen maak over je veiligheid",
    "je kan ook naar de vertrouwenspersoon op school",
  ])("%s is an accountable adult's line", (text) => {
    expect(signalsWith(v42, text).open).toBe(0);
    expect(signalsWith(v43, text).open).toBeGreaterThan(0);
  });
  const counsellor: [string, string][] = [
    ["b", "hoi mevrouw, u zei dat ik u kon appen"],
    ["a", "Hoi, goed dat je appt. Kun je nu vrij praten, is er iemand bij je?"],
    ["b", "nee ik ben alleen op mijn kamer"],
    ["a", "Wat we bespreken blijft tussen ons, tenzij ik me zorgen maak over je veiligheid"],
    ["b", "ok het gaat over thuis"],
    ["a", "Neem je tijd. Weten je ouders dat je met mij praat?"],
    ["b", "ik ben 15, moet dat?"],
  ];
  it("a school counsellor's first chat alerted in v42 and does not in v43", () => {
    expect(alertsWith(v42, dm("c1", counsellor))).toBe(true);
    expect(alertsWith(v43, dm("c1", counsellor))).toBe(false);
  });
  // The same checks and secret without the limits: no accountable adult.
  const secret: [string, string][] = counsellor.map(([who, text]) => [who, text.replace(", tenzij ik me zorgen maak over je veiligheid", "")]);
  it("without the limits the same chat still alerts in v43", () => {
    expect(alertsWith(v43, dm("c2", secret))).toBe(true);
  });
});
