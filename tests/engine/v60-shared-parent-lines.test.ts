// v60 (read in fresh set h88: one adult throwing out lines to many children, and adults who message many kids for good
// reasons): a brother and sister plan their father's surprise ("zeg niks tegen papa", "verrassingsfeest voor zijn 50ste": a
// parent named without "je" is one both share, a compound word is a surprise too); a distance couple's "huisgenoot is naar de
// sport" / "roommate is at the gym" speaks of adult life.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { quietedAlerts, signalsWith, stageWeight } from "./chat.ts";

const v59 = loadModel("v59");
const v60 = loadModel("v60");

describe("v60 lines read in h88", () => {
  it.each(["zeg nog niks tegen mama eh", "vertel het niet aan papa", "mama's 40ste is zaterdag"])("%s speaks in the open", (text) => {
    expect(signalsWith(v59, text).open).toBe(0);
    expect(signalsWith(v60, text).open).toBeGreaterThan(0);
  });
  it("'zeg niks tegen je papa' names the other's parent: a secret kept from them, not a shared one", () => {
    expect(signalsWith(v60, "zeg niks tegen je papa").open).toBe(0);
    expect(stageWeight(v60, "zeg niks tegen je papa", "isolation")).toBeGreaterThan(0.6);
  });
  it("a secret about the two of them kept from that parent is still a secret", () => {
    expect(signalsWith(v60, "zeg niks tegen mama over ons he").open).toBe(0);
    expect(stageWeight(v60, "zeg niks tegen mama over ons he", "isolation")).toBeGreaterThan(0.6);
  });
  it("a surprise in a compound word damps the secret", () => {
    const text = "zeg niks tegen oma, het is voor het verrassingsfeest";
    expect(stageWeight(v60, text, "isolation")).toBeLessThan(stageWeight(v59, text, "isolation"));
  });
  it.each(["ja huisgenoot is naar de sport", "yes! roommate is at the gym"])("%s speaks of adult life", (text) => {
    expect(signalsWith(v59, text).adult).toBe(0);
    expect(signalsWith(v60, text).adult).toBeGreaterThan(0);
  });

  quietedAlerts(
    v59,
    v60,
    [
      [
        "a brother who plans their father's surprise party with his sister",
        [
          ["a", "Zeg niks tegen papa eh, maar we doen zaterdag een verrassingsfeest voor zijn 50ste"],
          ["b", "omg ok ik zeg niks"],
          ["a", "Ben je alleen? Dan bel ik je even, is makkelijker"],
          ["b", "wacht ik ga naar boven"],
          ["b", "ik heb een kaart gemaakt"],
          ["a", "Stuur eens een foto?"],
        ],
      ],
      [
        "a couple living apart, one of whom shares a flat",
        [
          ["a", "Ben je alleen? Zin om even te videobellen?"],
          ["b", "Ja! Huisgenoot is naar de sport"],
          ["a", "Ik mis je nu al. Nog 5 nachtjes"],
          ["b", "Ik haal je vrijdag op van de trein"],
        ],
      ],
    ],
    "v60",
  );
});
