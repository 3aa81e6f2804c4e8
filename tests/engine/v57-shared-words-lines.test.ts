// v57 (read in fresh set h81: hard negatives, everyday words shared with grooming): a coach's "are your mum and dad still
// up?", "bit late for you", "tell her you're going with a mate's parents"; a giveaway that must go through DMs; a second
// account "so your parents don't see" / "dan weten zij da nie"; "ik ben uw enige echte vriend"; "als ge nie komt weet ik da
// ge nie om mij geeft". "You've grown so much" left the puberty rule, and a mother's "50th" or "party" speaks in the open.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { newAlerts, newLines, quietedAlerts, signalsWith, stageWeight } from "./chat.ts";

const v56 = loadModel("v56");
const v57 = loadModel("v57");

describe("v57 lines read in h81", () => {
  newLines(
    v56,
    v57,
    [
      ["r ur mum and dad still awake?", "risk"],
      ["still up? kinda late for u isnt it", "risk"],
      ["just tell him ur getting a lift with a friend's mum", "isolation"],
            ["make a spare account so she never finds out", "isolation"],
      ["maak ne nieuwe snap, zodat je ouders het niet zien", "isolation"],
      ["ik ben toch je enige echte vriend", "isolation"],
      ["als je niet komt weet ik dat je niet om mij geeft", "coercion"],
      ["als ge het aan uw ma zegt is het gedaan", "isolation"],
      ["ouders willen altijd meteen meebeslissen", "isolation"],
      ["heb je foto's zonder filter?", "images"],
      ["ik sta om 8 uur aan de parking", "meeting"],
    ],
    [
      ["are your parents still together?", "risk"],
      ["late for work again lol", "risk"],
      ["tell her you're going with us, mum already said yes", "isolation"],
      ["my account got banned, I opened a ticket", "isolation"],
      ["als je het aan je moeder vertelt wordt ze vast blij", "isolation"],
      ["ik ben de enige die nog wakker is", "isolation"],
    ],
  );

  it("a new account made to hide is not damped as a support ticket", () => {
    const text = "make a new account so they never find out";
    expect(stageWeight(v57, text, "isolation")).toBeGreaterThan(0.6);
    expect(stageWeight(v57, "open a ticket with support about your old account, they'll restore it", "isolation")).toBeLessThan(0.3);
  });
  it("'you've grown so much' is no longer read as steering to bodies", () => {
    const text = "wow you've grown so much since last summer";
    expect(stageWeight(v56, text, "sexual")).toBeGreaterThan(0);
    expect(stageWeight(v57, text, "sexual")).toBe(0);
  });
  it.each(["ok so mum's 60th is next week, keep it quiet", "dad's party is on friday"])("%s speaks in the open", (text) => {
    expect(signalsWith(v56, text).open).toBe(0);
    expect(signalsWith(v57, text).open).toBeGreaterThan(0);
  });

  quietedAlerts(
    v56,
    v57,
    [
      [
        "a big sister who plans their mother's surprise party",
        [
          ["a", "right, mum's 50th is on saturday. don't tell her anything"],
          ["b", "i wont"],
          ["a", "send me a pic of that old album in the attic, i'm making a slideshow"],
          ["b", "this one?"],
          ["a", "yes!! you were so tiny, you've grown up so much"],
          ["b", "stop 😂"],
          ["a", "I'll pick you up from school on friday and we'll get the cake. keep this chat secret, she reads your phone"],
        ],
      ],
    ],
    "v57",
  );

  newAlerts(
    v56,
    v57,
    [
      [
        "a coach who checks late at night whether the parents sleep and writes the boy a cover story",
        [
          ["a", "you were the best player out there today by miles"],
          ["b", "thanks coach"],
          ["a", "still up? bit late for you isnt it"],
          ["b", "cant sleep"],
          ["a", "same. are your mum and dad still up?"],
          ["b", "no theyre asleep"],
          ["a", "I'll give you a lift home after training on tuesday. tell her you're going with a mate's parents"],
          ["b", "why"],
          ["a", "the other parents would moan. this stays between us ok?"],
        ],
      ],
      [
        "a young adult whom the parents forbade, who has the girl make a second account",
        [
          ["a", "waarom antwoordt ge nie meer?"],
          ["b", "mijn ouders willen nie dat ik nog met u praat"],
          ["a", "maak een nieuw account aan, dan weten zij da nie"],
          ["b", "ik wil geen ruzie"],
          ["a", "ik ben uw enige echte vriend. zonder mij zijt ge weer alleen"],
          ["b", "ik weet het"],
          ["a", "zaterdag wacht ik aan de bushalte. als ge nie komt weet ik da ge nie om mij geeft"],
        ],
      ],
    ],
    "v57",
  );
});
