// v52: first warning signs written from the lists child-protection organisations publish (top-ups paid for, a location
// asked for, "if you tell anyone I'll get in trouble", "what your parents don't know won't hurt them", "I'm not that much
// older"), then lines read in fresh set h69 (old chat slang at its messiest): a "14-year-old" who turns out to be 22, "if u
// leave idk wat ill do", "lezen die uw berichten eigenlijk?"; a tutor who has the mother text him and a coach's "goeiemorgen,
// ben je wakker?" are no longer risk.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { newAlerts, newLines, quietedAlerts, signalsWith, stageWeight } from "./chat.ts";

const v51 = loadModel("v51");
const v52 = loadModel("v52");

describe("v52 lines from published warning signs", () => {
  newLines(
    v51,
    v52,
    [
      ["i can top up ur phone credit", "trust"],
      ["ik betaal je fortnite pass wel", "trust"],
      ["wanna earn some easy money", "trust"],
      ["wil je makkelijk geld verdienen", "trust"],
      ["stuur ff je locatie", "personal"],
      ["if u tell any1 ill get in trouble", "isolation"],
      ["als je het iemand vertelt kom ik in de problemen", "isolation"],
      ["what ur parents dont know wont hurt them", "isolation"],
      ["wat je ouders niet weten, doet ze geen pijn", "isolation"],
      ["niemand komt erachter", "isolation"],
      ["je hoeft je moeder niet alles te vertellen", "isolation"],
      ["dan pakken ze je gsm af", "isolation"],
      ["clear ur browser history", "isolation"],
      ["ur pics r safe with me", "images"],
      ["ill tell ur parents what u did", "coercion"],
      ["jij wilde het zelf ook", "coercion"],
      ["im not that much older than u", "trust"],
      ["ik ben maar een paar jaar ouder", "trust"],
      ["je ziet er ouder uit dan 13", "trust"],
      ["u r my special girl", "trust"],
      ["je bent mijn speciale meisje", "trust"],
      ["kan je deur op slot", "risk"],
      ["wie woont er bij jou thuis", "personal"],
      ["wil je mijn vriendinnetje zijn", "sexual"],
    ],
    [
      ["ur secret is safe w me", "images"],
      ["my parents dont know yet", "isolation"],
      ["wil je mijn vriend zijn op discord", "sexual"],
      ["als je het vertelt is de verrassing weg", "isolation"],
      ["im not older than u", "trust"],
    ],
  );
});

describe("v52 lines read in h69", () => {
  newLines(
    v51,
    v52,
    [
      ["ur the only person i can talk 2, if u leave idk wat ill do", "coercion"],
      ["als je me blokt weet ik niet wat ik mezelf aandoe", "coercion"],
      ["maybe 1 day we can meet and ull see im normal", "meeting"],
      ["send 1 more without the hoodie its hiding u", "sexual"],
      ["lezen die uw berichten eigenlijk?", "risk"],
      ["mods kijken soms mee", "risk"],
      ["ge zijt de enigste daar waarmee ik normaal kan babbelen", "trust"],
      ["ach je gedraagt je als 16", "trust"],
    ],
    [
      ["can you send a few more pics of the frame", "sexual"],
      ["mijn moeder leest soms mee", "risk"],
      ["one day we should all go to the beach", "meeting"],
    ],
  );

  it("'im actually 22' is an adult's age, 'im actually 13' a child's", () => {
    expect(signalsWith(v51, "im actually 22 didnt want u 2 freak out").adult).toBe(0);
    expect(signalsWith(v52, "im actually 22 didnt want u 2 freak out").adult).toBeGreaterThan(0);
    expect(signalsWith(v52, "im actually 13 lol").minor).toBeGreaterThan(0);
    expect(signalsWith(v52, "im actually 22 minutes away").adult).toBe(0);
  });

  it.each(["zeg ff tegen je ma dat ik je ophaal", "of laat haar mij even appen"])("%s speaks in the open", (text) => {
    expect(signalsWith(v51, text).open).toBe(0);
    expect(signalsWith(v52, text).open).toBeGreaterThan(0);
  });

  it.each([
    ["np ask her to msg me or text the number on the invoice", "isolation"],
    ["stuur ff een foto van je spelerspas", "images"],
    ["goeiemorgen milan, ben je wakker? ik sta om 8u15 voor de deur", "risk"],
    ["morning! are u awake?", "risk"],
  ])("%s weighs less as %s", (text, stage) => {
    expect(stageWeight(v52, text, stage)).toBeLessThan(stageWeight(v51, text, stage));
  });
  it("a late-night 'ben je nog wakker?' is still risk", () => {
    expect(stageWeight(v52, "ben je nog wakker?", "risk")).toBeGreaterThan(0);
  });

  newAlerts(
    v51,
    v52,
    [
      [
        "a '14-year-old' who is 22",
        [
        ["a", "how old r u btw im 14"],
        ["b", "13"],
        ["a", "ok i gotta be honest w u. im actually 22, didnt want u 2 freak out"],
        ["b", "wait wat"],
        ["a", "does it matter tho? age is just a number"],
        ["a", "pls dont tell ur mum she wont get it"],
        ["a", "if u leave idk wat ill do"],
        ],
      ],
    ],
    "v52",
  );

  quietedAlerts(v51, v52, [
    [
      "a tutor who has the mother text him",
      [
        ["a", "send a pic of ur working for 6 and ill see where it goes wrong"],
        ["b", "here"],
        ["a", "is ur mum around? need to check if thurs 5pm still works instead of wed"],
        ["b", "shes at work ill ask her l8r"],
        ["a", "np ask her to msg me or text the number on the invoice"],
        ["b", "she says thurs is fine"],
        ["a", "great see u thurs"],
      ],
    ],
  ], "v52");
});
