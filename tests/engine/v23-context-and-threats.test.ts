// Model v23 (lexicon only, no engine flag): context that cancels a signal (voice chat is not a camera, a
// seller's pickup is not a secret meeting, deleting a photo of oneself is not hiding the chat, a compliment on
// a thing is not flattery, "40m coins" is not an age), and warning signs v21 did not read (threats after a
// refusal, "send 3 more", "don't even think about telling", a parent's whereabouts, a school year inferred of
// the other and confirmed, a paid "shoot" with a pickup). EN and NL, each with near misses; v21 is unchanged.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { alertsWith, dm, signalsWith, stageCases, stageWeight } from "./chat.ts";

const model = loadModel("v23");
const v21 = loadModel("v21");
const stageOf = (text: string, stage: string) => stageWeight(model, text, stage);

describe("v23: context that cancels a signal", () => {
  stageCases(
    [
      ["u sound so tired in vc today", "images", false],
      ["hop in vc after dinner, we need a 5th", "images", false],
      ["wanna video call? turn on ur cam", "images", true],
      ["can we vc on cam tonight so i can see u", "images", true],
      ["bike for sale, cash only, dm me for the address and pick it up after 6", "meeting", false],
      ["come over after 6, i'll pick you up at the corner, dont tell anyone", "meeting", true],
      ["fiets te koop, enkel cash, pb voor adres, ge kunt afkomen na 18u", "meeting", false],
      ["ge kunt afkomen na 18u, stuur pb, niemand moet het weten", "meeting", true],
      ["verwijder die selfie van mij van het feest, ik zie er niet uit", "isolation", false],
      ["verwijder onze chat na het lezen", "isolation", true],
      ["delete that pic of me from the party, i look awful", "isolation", false],
      ["delete our chat after u read this", "isolation", true],
      ["die fiets is echt mooi", "trust", false],
      ["je bent echt mooi", "trust", true],
    ],
    stageOf,
  );
  it("'40m coins' is not an adult age, '40m' alone still is", () => {
    expect(signalsWith(model, "i have like 40m coins just sitting there").adult).toBe(0);
    expect(signalsWith(model, "40m here").adult).toBeGreaterThanOrEqual(0.85);
    expect(signalsWith(v21, "i have like 40m coins just sitting there").adult).toBeGreaterThanOrEqual(0.85);
  });
});

describe("v23: threats, demands and secrecy after a refusal", () => {
  stageCases(
    [
      ["send me two more and we're done", "coercion", true],
      ["send 2 more tonight or else", "coercion", true],
      ["ill send more pics from the trip tomorrow", "coercion", false],
      ["stuur er nog drie en dan laat ik je gerust", "coercion", true],
      ["ik stuur je nog drie foto's van de reis", "coercion", false],
      ["and dont even think about telling ur dad", "isolation", true],
      ["dont even think about it lol", "isolation", false],
      ["en denk er niet eens aan om het te vertellen", "isolation", true],
      ["denk eraan om het aan de juf te vertellen", "isolation", false],
      ["better not yet, they always ruin it", "isolation", true],
      ["can your parents hear you right now?", "risk", true],
      ["can you hear me now? mic check", "risk", false],
      ["kunnen je ouders je horen?", "risk", true],
      ["kun je me horen? mijn micro doet raar", "risk", false],
      ["is she downstairs?", "risk", true],
      ["i can collect you on saturday", "meeting", true],
      ["i can collect the parcel on saturday", "meeting", false],
      ["easier to do the trade in dms where nobody watches", "isolation", true],
      ["easier to do the trade in the trade channel", "isolation", false],
      ["kom even naar #staff-prive, daar leg ik het uit", "isolation", true],
      ["kom even naar #algemeen, daar leg ik het uit", "isolation", false],
    ],
    stageOf,
  );
  const sextortionRule = (m: typeof model, text: string) => signalsWith(m, text).signals.find((x) => x.stage === "coercion" && x.rule.includes(".sextortion."))?.rule ?? null;
  it("the threat 'if not it goes to everyone at ur school' is sextortion (v21 did not read 'if not')", () => {
    expect(sextortionRule(model, "if not it goes to everyone at ur school")).not.toBeNull();
    expect(sextortionRule(v21, "if not it goes to everyone at ur school")).toBeNull();
    expect(sextortionRule(model, "if not it goes to the next round")).toBeNull();
  });
});

describe("v23: a school year inferred of the other and confirmed makes the other a minor", () => {
  it.each(["ah groep 7 dus", "oh so ur in 6th grade then"])("asked, not the author's own: %s", (text) => {
    expect(signalsWith(model, text).minor).toBe(0);
  });
  it("NL: an adult who infers 'groep 7', asks where she lives and sets up a pickup kept from her parents alerts; v21 did not", () => {
    const chat = dm("v23-nl", [
      ["a", "hoe was school vandaag"],
      ["b", "saai we hadden een toets"],
      ["a", "ah groep 7 dus"],
      ["b", "ja"],
      ["a", "waar woon je eigenlijk?"],
      ["b", "bij gent"],
      ["a", "ik haal je zaterdag op bij het station, zullen we iets gaan drinken"],
      ["b", "moet ik aan mn ouders vragen"],
      ["a", "beter niet, die snappen dat niet. zeg dat je naar een vriendin gaat"],
    ]);
    expect(alertsWith(model, chat, "a")).toBe(true);
    expect(alertsWith(v21, chat, "a")).toBe(false);
  });
  it("NL near miss: a parent who picks up at the station, with no secrecy, does not alert", () => {
    const chat = dm("v23-nl-near", [
      ["a", "hoe was school vandaag"],
      ["b", "saai we hadden een toets"],
      ["a", "ik haal je zaterdag op bij het station, zullen we iets gaan drinken"],
      ["b", "ok tot dan"],
    ]);
    expect(alertsWith(model, chat, "a")).toBe(false);
  });
  it("EN: a gaming stranger who checks whether the parents can hear and moves a 'trade' to DMs alerts", () => {
    const chat = dm("v23-en", [
      ["b", "anyone wanna vc for the raid"],
      ["a", "im down, u did that clutch clip right"],
      ["b", "ya lol till 8 then my mom makes me get off"],
      ["a", "can your parents hear you on vc? lets go to my private server"],
      ["b", "my mom is downstairs"],
      ["a", "easier to do the trade in dms, and dont even think about telling her"],
    ]);
    expect(alertsWith(model, chat, "a")).toBe(true);
  });
  it("EN near miss: two teens in a game voice chat with a pic of a setup do not alert", () => {
    const chat = dm("v23-en-near", [
      ["a", "how old r u tho u sound young in vc"],
      ["b", "14 u?"],
      ["a", "im 14 too. got snap?"],
      ["b", "ya"],
      ["a", "send a pic of ur setup ur mic is so clean"],
    ]);
    expect(alertsWith(model, chat, "a")).toBe(false);
  });
});
