// v40 (read in fresh set h45, patient one-to-one DMs): flattery that singles a child out on a server, "im not some
// random", "are ur parents strict about that stuff?", "u dont have to tell anyone we talk", Dutch "3e klas" as an answer,
// "ik oordeel niet zoals je ouders"; and from the other side, relatives who plan openly with the child's parent and a
// photo of the child with a grandparent. Ages given as "turned 16" or "still 15 for 2 more weeks" make two teens peers.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { alertsWith, dm, newLines, signalsWith, stageWeight } from "./chat.ts";

const v39 = loadModel("v39");
const v40 = loadModel("v40");

describe("v40 lines", () => {
  newLines(
    v39,
    v40,
    [
      ["ur drawings are honestly the best on the server", "trust"],
      ["its fine, im not some random", "trust"],
      ["are ur parents strict about that stuff?", "risk"],
      ["u dont have to tell anyone we talk", "isolation"],
      ["je hoeft niemand te vertellen dat we praten", "isolation"],
      ["bij mij kun je altijd terecht, ik oordeel niet zoals je ouders", "isolation"],
    ],
    [
      ["the pizza here is honestly the best in town", "trust"],
      ["im not some expert but try restarting it", "trust"],
      ["are ur parents coming to the match?", "risk"],
      ["u dont have to tell anyone the answers", "isolation"],
      ["je hoeft het niemand te vertellen als je niet wil", "isolation"],
    ],
  );
});

describe("v40 relatives and teens", () => {
  it.each([
    "me and ur mum are making a photo book",
    "is ur mum home? need to ask her about the cake",
    "ask ur dad to help if it comes out blurry",
    "is je moeder thuis? wil ff iets vragen over de taart",
    "ik en je moeder regelen de rest",
  ])("%s speaks of the child's parent as someone the author knows", (text) => {
    expect(signalsWith(v39, text).open).toBe(0);
    expect(signalsWith(v40, text).open).toBeGreaterThan(0);
  });
  it.each(["is ur mum home?", "me and ur friends", "don't ask ur dad to help"])("%s does not", (text) => {
    expect(signalsWith(v40, text).open).toBe(0);
  });
  it("a photo of the child with grandma counts less than a photo of the child", () => {
    expect(stageWeight(v40, "can u dig out pics of u and nan from ur phone?", "images")).toBeLessThan(0.75);
    expect(stageWeight(v40, "can u send pics of u from ur phone?", "images")).toBeGreaterThan(0.75);
  });
  it.each(["ya turned 16. u?", "16 in june, still 15 for 2 more weeks", "3e klas"])("%s is a minor's age", (text) => {
    expect(signalsWith(v39, text).minor).toBe(0);
    expect(signalsWith(v40, text).minor).toBeGreaterThan(0);
  });
});

describe("conversations", () => {
  // A cousin plans grandma's birthday book with the child's mother: secret, photos, "is your mum home".
  const cousin: [string, string][] = [
    ["a", "hey trouble, got a secret mission for u"],
    ["b", "oh no what"],
    ["a", "nan's 80th is soon. me and ur mum are making a photo book. can u dig out pics of u and nan?"],
    ["b", "omg yes i have loads"],
    ["a", "perfect, send em over. and dont tell nan, she's rubbish at acting surprised"],
    ["b", "ok sending"],
    ["a", "these are gold. is ur mum home? need to ask her about the cake"],
    ["b", "no she's at work, im 13 not a baby i can help with the cake too"],
  ];
  it("a relative's birthday secret alerted in v39 and does not in v40", () => {
    const msgs = dm("c1", cousin);
    msgs[5]!.attachments = 2;
    expect(alertsWith(v39, msgs)).toBe(true);
    expect(alertsWith(v40, msgs)).toBe(false);
  });
  // A short approach from a voice chat: age, school and town, then "nobody needs to know we talk".
  const voice: [string, string][] = [
    ["a", "hoi, jij bent echt grappig in de voice chat"],
    ["b", "lol thx"],
    ["a", "hoe oud ben je eigenlijk?"],
    ["b", "11"],
    ["a", "leuk! op welke school zit je?"],
    ["b", "waarom"],
    ["a", "gewoon interesse. je hoeft niemand te vertellen dat we praten he"],
  ];
  it("a secret kept about talking to an 11-year-old alerts in v40; v39 did not read it", () => {
    expect(alertsWith(v39, dm("v1", voice))).toBe(false);
    expect(alertsWith(v40, dm("v1", voice))).toBe(true);
  });
});

describe("a 'peer' who just turned 16, talking to a 12-year-old", () => {
  // Four years older than the child: his stated age is read as a number, so he does not pass for a peer.
  const fakePeer: [string, string][] = [
    ["a", "how old r u"],
    ["b", "12"],
    ["a", "ya just turned 16"],
    ["b", "oh ok"],
    ["a", "lets meet at the park saturday, just us"],
    ["b", "maybe"],
    ["a", "dont tell ur parents ok, they wont get it"],
  ];
  it("makes a 16-year-old talking to a 12-year-old no peer", () => {
    expect(signalsWith(v40, "ya just turned 16").minor).toBeGreaterThan(0);
    expect(alertsWith(v40, dm("p1", fakePeer))).toBe(true);
  });
});
