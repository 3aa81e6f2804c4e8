// v61 (read in fresh set h89: buy-and-sell and trading groups): a buyer who would "rather deal with you direct", "come out to
// my car when he's not around", "easiest if i drop it round", "what road are you on?", "are mum and dad in during the day?",
// "so its usually just you after school then?"; "kunt ge een foto doen met hem aan?", "ik geef 30 ipv 15 als ge nog een paar
// foto's doet", "zeg er thuis niks van", "dan kan ik nu langskomen". A middleman's "message me if anything feels off" is a
// safety line, and a school year reasoned about ("2de middelbaar is 13-14") is not the writer's own age.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { newAlerts, newLines, signalsWith, stageWeight } from "./chat.ts";

const v60 = loadModel("v60");
const v61 = loadModel("v61");

describe("v61 lines read in h89", () => {
  newLines(
    v60,
    v61,
    [
      ["id rather sort it with u directly, not ur dad", "isolation"],
      ["hop in my car and we'll sort the money", "meeting"],
      ["easiest if i drop it round", "meeting"],
      ["what road are u on?", "personal"],
      ["is your mum usually home after school?", "risk"],
      ["so it's normally just you at home then", "risk"],
      ["een pic met de jas aan?", "images"],
      ["ik betaal je extra voor nog een paar foto's", "images"],
      ["vertel het thuis maar niet", "isolation"],
      ["dan kom ik nu meteen langs", "meeting"],
    ],
    [
      ["we could deal with it tomorrow", "isolation"],
      ["my car broke down again", "meeting"],
      ["drop the parcel at the post office", "meeting"],
      ["ik betaal je morgen terug", "images"],
      ["ik kom zaterdag langs met de kinderen", "meeting"],
    ],
  );

  it("a middleman's 'message me if anything feels off' is a safety line", () => {
    const text = "send the payment through the server and message me if anything feels off";
    expect(stageWeight(v61, text, "isolation")).toBeLessThan(stageWeight(v60, text, "isolation"));
  });
  it.each(["hoe oud zijde? 2de middelbaar is 13-14 he", "year 9 is 13-14 right"])("%s gives the writer no minor's age", (text) => {
    expect(signalsWith(v60, text).minor).toBeGreaterThan(0);
    expect(signalsWith(v61, text).minor).toBe(0);
  });

  newAlerts(
    v60,
    v61,
    [
      [
        "a card collector who gives a card away, drops it round and checks when the boy is alone",
        [
          ["a", "you posted you need the gold keeper card? got a spare"],
          ["b", "yes!! how much"],
          ["a", "free to a fellow collector, plus a whole binder im clearing out"],
          ["b", "omg thank u"],
          ["a", "easiest if i drop it round. what road are you on? are mum and dad in during the day?"],
          ["b", "oak lane. dad works late"],
          ["a", "nice one, so its usually just you after school then?"],
        ],
      ],
      [
        "a buyer who reasons out a girl's age from her school year, pays double for photos and comes round while her mother works",
        [
          ["a", "ge zijt echt knap op die foto"],
          ["b", "haha merci"],
          ["a", "hoe oud zijde? 2de middelbaar is 13-14 he"],
          ["b", "14"],
          ["a", "ik geef 30 ipv 15 als ge nog een paar foto's doet met andere kleren aan. en zeg er thuis niks van"],
          ["b", "mijn mama werkt tot 6u"],
          ["a", "perfect, dan kan ik nu langskomen met het geld"],
        ],
      ],
    ],
    "v61",
  );
});
