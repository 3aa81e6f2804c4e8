// v50 (read in fresh set h65, where nobody states an age outright): a "scout" who wants height, weight and kit photos
// and keeps the trainer out, a stranger who asks whether the father is home, children's tells ("my art teacher lets me",
// "mijn vader zegt dat ik dat niet online mag zeggen"), "no need to involve your mum"; newly-weds ("love you, husband",
// a present "for our anniversary") speak as the adult couple they are.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { alertsWith, dm, newAlerts, newLines, signalsWith, stageWeight } from "./chat.ts";

const v49 = loadModel("v49");
const v50 = loadModel("v50");

describe("v50 lines", () => {
  newLines(
    v49,
    v50,
    [
      ["voor de selectie heb ik je lengte, gewicht en een paar foto's nodig", "personal"],
      ["send ur height, weight and a pic", "personal"],
      ["je trainer hoeft er nog niks van te weten", "isolation"],
      ["ur coach doesnt need to know", "isolation"],
      ["wij werken anders, discreet", "isolation"],
      ["we keep it discreet", "isolation"],
      ["slimme vader haha. is hij nu thuis?", "risk"],
    ],
    [
      ["mijn lengte is 1m60", "personal"],
      ["the coach needs to know by friday", "isolation"],
      ["is hij nu op school?", "risk"],
    ],
  );
  it("'foto's in je sportkleding' is a picture of the child in kit", () => {
    expect(stageWeight(v50, "een paar foto's in je sportkleding", "images")).toBeGreaterThan(stageWeight(v49, "een paar foto's in je sportkleding", "images"));
  });
  it("'no need to involve your mum' leaves the parent out as 'no need to tell' does", () => {
    expect(stageWeight(v49, "no need to involve your mum", "isolation")).toBe(0);
    expect(stageWeight(v50, "no need to involve your mum", "isolation")).toBeGreaterThan(0.5);
  });
});

describe("v50: who is speaking", () => {
  it.each(["since forever, my art teacher lets me stay in at lunch", "i dont have paypal lol my mum does", "mijn vader zegt dat ik dat niet online mag zeggen"])(
    "%s sounds like a child",
    (text) => {
      expect(signalsWith(v49, text).child).toBe(0);
      expect(signalsWith(v50, text).child).toBeGreaterThan(0);
    },
  );
  it.each(["love you, husband", "night wife"])("%s speaks to a spouse", (text) => {
    expect(signalsWith(v50, text).adult).toBeGreaterThan(0.8);
  });
  it("'wifey' stays teen slang", () => {
    expect(signalsWith(v50, "love u wifey").adult).toBe(0);
  });
});

describe("conversations", () => {
  newAlerts(
    v49,
    v50,
    [
      [
        "a scout who wants measurements and kit photos",
        [
          ["a", "ik ben scout voor een jeugdopleiding. speel je zelf ook?"],
          ["b", "ja in de JO13 van mijn club"],
          ["a", "top. voor de selectie heb ik je lengte, gewicht en een paar foto's in je sportkleding nodig. stuur maar privé"],
          ["b", "oke"],
          ["a", "wij werken anders, discreet. je trainer hoeft er nog niks van te weten"],
        ],
      ],
      [
        "a stranger who asks whether the father is home",
        [
          ["a", "hey je bent nieuw op de server toch? welkom"],
          ["b", "dankje"],
          ["a", "hoe oud ben jij eigenlijk? en waar zit je op school?"],
          ["b", "zeg ik liever niet, mijn vader zegt dat ik dat niet online mag zeggen"],
          ["a", "slimme vader haha. is hij nu thuis?"],
        ],
      ],
    ],
    "v50",
  );

  // Newly-weds apart during a conference: home alone, a late video call, a present kept from her mother.
  const newlyweds: [string, string][] = [
    ["a", "miss you already, how's the conference"],
    ["b", "boring without you. the hotel is nice tho"],
    ["b", "are you home alone now? is your mum still staying?"],
    ["a", "she left this morning, house is so quiet"],
    ["b", "video call tomorrow night? after 10 when the talks are done"],
    ["a", "yes please. i'll be in bed by then lol"],
    ["b", "don't tell your mum but i bought the thing for our anniversary"],
    ["a", "NO what is it"],
  ];
  it("newly-weds' anniversary surprise alerted in v49 and does not in v50", () => {
    expect(alertsWith(v49, dm("w1", newlyweds), "b")).toBe(true);
    expect(alertsWith(v50, dm("w1", newlyweds), "b")).toBe(false);
  });
});
