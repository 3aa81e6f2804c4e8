// v46 (read in fresh set h57, Dutch-heavy): adults the child knows (a babysitter, a trainer, a tutor) who single the child
// out ("mijn favoriet van alle kindjes"), bypass the parents ("moet ge nie vragen", "hoef je thuis niks te zeggen", "u dont
// need to ask ur mum"), keep the others out ("de andere meisjes moeten nie weten", "the other girls dont need to know"),
// pick the child up at the corner, drive a wedge ("ouders zijn vaak wat overbezorgd", "what we have is ours") and script
// the lie about a gift; an adult asking a fan group "wie hier is nog geen 14?".
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { newAlerts, newLines, signalsWith, stageWeight } from "./chat.ts";

const v45 = loadModel("v45");
const v46 = loadModel("v46");

describe("v46 lines", () => {
  newLines(
    v45,
    v46,
    [
      ["ge zijt echt mijn favoriet van alle kindjes waar ik op pas", "trust"],
      ["ur my favourite of all the kids i babysit", "trust"],
      ["moet ge nie vragen hoor", "isolation"],
      ["kom gewoon na school, hoef je thuis niks te zeggen", "isolation"],
      ["u dont need to ask ur mum", "isolation"],
      ["de andere meisjes moeten nie weten da ik u breng", "isolation"],
      ["the other girls dont need to know i drive u", "isolation"],
      ["ik pik u op aan de hoek van de straat", "meeting"],
      ["al zijn ouders vaak wat overbezorgd", "isolation"],
      ["ur parents are often a bit overprotective", "isolation"],
      ["wat wij hebben is van ons", "isolation"],
      ["what we have is ours", "isolation"],
      ["zeg dat ge ze van een vriendin hebt geleend", "isolation"],
      ["say u borrowed them from a friend", "isolation"],
      ["ik heb nieuwe airpods voor u gekocht", "trust"],
      ["i bought u new airpods", "trust"],
      ["wie hier is nog geen 14? ik zoek iemand voor een duet", "personal"],
    ],
    [
      ["mijn favoriete film is dat", "trust"],
      ["no need to ask ur mum, i already texted her", "isolation"],
      ["my parents are so overprotective", "isolation"],
      ["mijn ouders zijn zo overbezorgd", "isolation"],
      ["je hoeft niet te betalen", "isolation"],
      ["what we have is a problem", "isolation"],
      ["de andere meisjes weten het al", "isolation"],
      ["ik heb brood gekocht", "trust"],
    ],
  );
});

describe("v46: how earlier rules read", () => {
  it("'wis het dan direct' deletes as 'wis het direct' did", () => {
    expect(stageWeight(v45, "gewoon leuk voor mij, en wis het dan direct", "isolation")).toBe(0);
    expect(stageWeight(v46, "gewoon leuk voor mij, en wis het dan direct", "isolation")).toBeGreaterThanOrEqual(0.45);
  });
  it("'een foto van uw nieuwe pyjama' is a photo in night clothes", () => {
    expect(stageWeight(v46, "stuur eens een foto van uw nieuwe pyjama", "images")).toBeGreaterThan(
      stageWeight(v45, "stuur eens een foto van uw nieuwe pyjama", "images"),
    );
    expect(stageWeight(v46, "send me a pic of ur new pjs", "images")).toBeGreaterThan(stageWeight(v45, "send me a pic of ur new pjs", "images"));
  });
  it("'wie hier is nog geen 14?' asks the group; the 14 is not the author's age", () => {
    const found = signalsWith(v46, "wie hier is nog geen 14?");
    expect(found.minor).toBe(0);
    expect(found.signals.some((s) => s.stage === "age")).toBe(false);
  });
});

describe("conversations", () => {
  // A babysitter writes to a 9-year-old after a sitting.
  const sitter: [string, string][] = [
    ["a", "hey kleintje! hier is je favoriete oppas. was het leuk vanavond?"],
    ["b", "jaaa de pizza was lekker"],
    ["a", "je mag altijd later naar bed als ik er ben, dat is ons geheimpje ok? niks tegen mama zeggen"],
    ["b", "ok"],
    ["a", "jij bent echt mijn favoriet van alle kinderen waar ik op pas"],
    ["a", "leest je mama je berichtjes op de tablet?"],
    ["b", "nee die is van mij, ik ben 9"],
    ["a", "goed zo. stuur eens een foto van je nieuwe pyjama"],
    ["b", "waarom"],
    ["a", "gewoon leuk voor mij, en wis het dan meteen"],
  ];
  // A trainer offers lifts, bypassing the mother; the same in English.
  const trainer: [string, string][] = [
    ["a", "goed gespeeld vandaag! jij was echt de beste"],
    ["b", "dankje trainer!!"],
    ["a", "zeg maar gewoon tom, buiten de training zijn we gewoon vrienden"],
    ["a", "ik kan je zaterdag naar de wedstrijd brengen"],
    ["b", "oke mama vindt dat vast goed"],
    ["a", "hoef je niet te vragen hoor, ik haal je op aan de hoek van de straat"],
    ["a", "de andere meiden hoeven niet te weten dat ik je breng"],
    ["b", "haha ok ik ben 13 btw"],
    ["a", "wat wij hebben is van ons, de rest snapt dat toch niet"],
  ];
  const coach: [string, string][] = [
    ["a", "great game today, u were the best on the pitch"],
    ["b", "thanks coach!!"],
    ["a", "call me dan, outside of practice we're just friends"],
    ["a", "i can drive u to the match sat"],
    ["b", "ok ill ask my mum"],
    ["a", "u dont need to ask ur mum, ill pick u up at the corner of ur street"],
    ["a", "the other girls dont need to know i drive u"],
    ["b", "lol ok im 13"],
    ["a", "what we have is ours, the rest wouldnt get it"],
  ];
  newAlerts(v45, v46, [
    ["a babysitter", sitter],
    ["a trainer (Dutch)", trainer],
    ["a coach (English)", coach],
  ], "v46");
});
