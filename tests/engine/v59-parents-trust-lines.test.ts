// v59 (read in fresh set h85: adults around children who have the parents' trust): "is it just you at home?", "I'll bring my
// controller over", "no need to go through your parents" / "hoeft niet via je ouders", "your mum trusts me", "nu ben ik echt
// teleurgesteld in je". And `openCovert`: an adult who speaks of the parents as people they know ("your mum said") is held
// like family unless they also hide something from those parents with a clear line and check who is home or come round.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { alertsWith, dm, newAlerts, newLines } from "./chat.ts";

const v58 = loadModel("v58");
const v59 = loadModel("v59");

describe("v59 lines read in h85", () => {
  newLines(
    v58,
    v59,
    [
      ["will it be just you at home tomorrow?", "risk"],
      ["i'll bring the console over after school", "meeting"],
      ["you don't have to involve your mum in this", "isolation"],
      ["relax, your dad trusts me", "isolation"],
      ["dat hoeft echt niet via je ouders", "isolation"],
      ["zijt ge dan alleen of met uw zusje?", "risk"],
      ["je mama vertrouwt mij toch", "isolation"],
      ["nu ben ik echt teleurgesteld in je", "coercion"],
    ],
    [
      ["it's just you and me in the final round", "risk"],
      ["bring your console to the tournament", "meeting"],
      ["you have to ask your mum first", "isolation"],
      ["i trust my mum", "isolation"],
      ["ik ben teleurgesteld in de uitslag", "coercion"],
    ],
  );

  newAlerts(
    v58,
    v59,
    [
      [
        "a babysitter the mother trusts who hides a gift card from her, checks when the boy is alone and comes round",
        [
          ["a", "hey, it's the babysitter from last week. your mum said you're stuck on that level"],
          ["b", "yeah its impossible"],
          ["a", "how old are you, 14?"],
          ["b", "13"],
          ["a", "got you a psn card, just dont tell your mum, she'll think im spoiling you"],
          ["b", "wow thanks"],
          ["a", "is it just you at home on friday?"],
          ["b", "yeah mum goes out"],
          ["a", "sweet, ill bring my controller over then"],
        ],
      ],
    ],
    "v59",
  );

  it("a brother who hides a dented car from the mother they share stays quiet", () => {
    const chat = dm("c-v59-sibling", [
      ["a", "are you home alone rn?"],
      ["b", "yea why"],
      ["a", "dont tell mum but i dented the car a bit"],
      ["b", "omg"],
      ["a", "ill pick you up from school all week if you keep quiet"],
      ["b", "im 14 and more responsible than u"],
    ]);
    expect(alertsWith(v59, chat)).toBe(false);
  });
  it("a coach who knows the parents and keeps a surprise from the team stays quiet", () => {
    const chat = dm("c-v59-coach", [
      ["a", "your mum said you can come to the extra session on tuesday"],
      ["b", "yes!"],
      ["a", "don't tell the others, it's a surprise for the end of season"],
      ["b", "ok"],
      ["a", "i'll pick you up at 5, your mum knows"],
    ]);
    expect(alertsWith(v59, chat)).toBe(false);
  });
});
