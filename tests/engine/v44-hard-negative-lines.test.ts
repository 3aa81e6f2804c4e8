// v44 (read in fresh set h53, the hardest negatives): "ill show u my trade list" is no request to see the child; siblings
// plan a parent's birthday; a present photographed; moderators and counsellors ask what someone else asked and send the
// child to a trusted adult; and lures no rule read ("got 2 spare nitro gifts", "or mods will take the codes", "met je
// leeftijd en in welke klas je zit", "who else uses ur pc?", "dont mention the nitro to ur parents", "w cams").
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { alertsWith, dm, newLines, signalsWith, stageWeight } from "./chat.ts";

const v43 = loadModel("v43");
const v44 = loadModel("v44");

describe("v44 lines", () => {
  newLines(
    v43,
    v44,
    [
      ["dont spam it in here tho or mods will take the codes", "isolation"],
      ["stuur me een privé berichtje met je leeftijd en in welke klas je zit", "personal"],
      ["jij ook, maar eerst de jongsten", "trust"],
      ["who else uses ur pc btw?", "risk"],
      ["maybe dont mention the nitro to ur parents", "isolation"],
      ["we should vc sometime w cams", "images"],
    ],
    [
      ["got 2 tickets for the match", "trust"],
      ["the mods will post the schedule", "isolation"],
      ["wat is je leeftijdscategorie bij het zwemmen", "personal"],
      ["who else uses this map", "risk"],
      ["dont forget to show the form to ur parents", "isolation"],
    ],
  );
});

describe("v44: 'got 2 spare nitro gifts' is an offer, not just the word 'gift'", () => {
  it("weighs more than the bare gift word", () => {
    expect(stageWeight(v43, "got 2 spare nitro gifts rn", "trust")).toBeLessThan(0.5);
    expect(stageWeight(v44, "got 2 spare nitro gifts rn", "trust")).toBeGreaterThanOrEqual(0.55);
  });
});

describe("v44: what no longer counts", () => {
  it("'ill show u my trade list' is no image request; 'show u urself' still is", () => {
    expect(stageWeight(v43, "meet at lunch tmrw n ill show u my trade list", "images")).toBeGreaterThan(0.5);
    expect(stageWeight(v44, "meet at lunch tmrw n ill show u my trade list", "images")).toBe(0);
    expect(stageWeight(v44, "show me u", "images")).toBeGreaterThan(0.5);
  });
  it("a present photographed for a parent is faint", () => {
    expect(stageWeight(v44, "send me a pic of that necklace she liked so i get the right one", "images")).toBeLessThan(
      stageWeight(v43, "send me a pic of that necklace she liked so i get the right one", "images"),
    );
  });
  it.each([
    "ok so mum's birthday is sunday. DON'T tell her anything",
    "zeg, ma is zaterdag jarig. NIKS zeggen eh",
    "Please tell a parent or a trusted adult tonight, you're not in trouble",
    "if you are at risk I have to tell the safeguarding lead",
  ])("%s speaks as family or an accountable adult", (text) => {
    expect(signalsWith(v43, text).open).toBe(0);
    expect(signalsWith(v44, text).open).toBeGreaterThan(0);
  });
  it.each(["ok so your mum's birthday is sunday", "dont tell a parent or a trusted adult"])("%s does not", (text) => {
    expect(signalsWith(v44, text).open).toBe(0);
  });
});

describe("conversations", () => {
  // A sister (19) and her brother (13) plan their mother's birthday: secret, pick-up at school, delete the chat, a photo.
  const siblings: [string, string][] = [
    ["a", "ok so mum's birthday is sunday. DON'T tell her anything"],
    ["b", "i wont lol"],
    ["a", "meet me at the shopping centre at 4 tmrw after school. i'll pick u up outside the gate"],
    ["b", "can i get a milkshake"],
    ["a", "if u keep ur mouth shut yes. delete this chat btw she sometimes reads ur ipad"],
    ["b", "ok. is dad in on it. im 13 i can keep a secret"],
    ["a", "yea he's distracting her sat. send me a pic of that necklace she liked so i get the right one"],
  ];
  it("a sibling's birthday plan alerted in v43 and does not in v44", () => {
    expect(alertsWith(v43, dm("s1", siblings))).toBe(true);
    expect(alertsWith(v44, dm("s1", siblings))).toBe(false);
  });
});
