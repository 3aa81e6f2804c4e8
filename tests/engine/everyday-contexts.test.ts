import { describe, expect, it } from "vitest";
import { decideAlert } from "../../src/alerts/policy.ts";
import { DEFAULT_SETTINGS } from "../../src/config/settings.ts";
import { loadModel, normalize, RiskEngine } from "../../src/engine/index.ts";
import { detectSignals } from "../../src/engine/signals.ts";
import type { Stage } from "../../src/types.ts";
import { dm } from "./chat.ts";

// v10: everyday contexts that share grooming words (family secrets about a surprise or a treat,
// a tutor's camera, staff inviting questions, relatives asking a known child's age). Each family:
// the everyday phrasing loses the stage, the grooming phrasing next to it keeps it.
const model = loadModel();
const stagesOf = (text: string) =>
  detectSignals(model, normalize(text))
    .signals.filter((s) => s.weight >= 0.4)
    .map((s) => s.stage);

const families: Record<string, { positives: [Stage, string][]; nearMisses: [Stage, string][] }> = {
  "a secret about a thing or a treat": {
    positives: [
      ["isolation", "dont tell ur mom about us"],
      ["isolation", "dont tell your sister we talk"],
      ["isolation", "dont tell ur dad i got u the robux"],
      ["isolation", "zeg niks tegen je mama over ons"],
      ["isolation", "zeg da ni tegen uw ma"],
    ],
    nearMisses: [
      ["isolation", "dont tell dad about the cake, its a surprise"],
      ["isolation", "dont tell your sister we got pizza lol"],
      ["isolation", "don't tell your brother about the broken vase"],
      ["isolation", "zeg niks tegen mama over de vaas he"],
      ["isolation", "en zeg nog niks tegen oma over het feest"],
      ["isolation", "vertel papa niet dat we frietjes hadden"],
    ],
  },
  "a camera or photo for a lesson": {
    positives: [
      ["images", "turn on ur cam for me"],
      ["images", "zet je webcam eens aan"],
    ],
    nearMisses: [
      ["images", "for our video lesson please turn on your camera so i can see your work"],
      ["images", "zet je camera aan voor de bijles zodat ik je werk kan zien"],
    ],
  },
  "staff inviting questions": {
    positives: [
      ["isolation", "dm me privately"],
      ["personal", "how old are you"],
      ["personal", "hoe oud ben je"],
    ],
    nearMisses: [
      ["isolation", "if you need help dm me or any mod privately"],
      ["personal", "discord requires you to be 13, how old are you?"],
      ["personal", "je moet minstens 13 zijn voor deze app, hoe oud ben je?"],
    ],
  },
  "a relative who knows the child": {
    positives: [
      ["personal", "how old r u"],
      ["images", "send me a picture of you"],
      ["images", "stuur eens een foto van jezelf"],
    ],
    nearMisses: [
      ["personal", "how old are you now, 9? youre growing so fast"],
      ["images", "send grandma a picture of your new bike"],
      ["personal", "hoe oud ben je nu al, 10?"],
      ["images", "stuur oma een foto van je fiets"],
    ],
  },
};

describe.each(Object.entries(families))("v10 family: %s", (_, { positives, nearMisses }) => {
  it.each(positives)("%s in %j", (stage, text) => {
    expect(stagesOf(text)).toContain(stage);
  });
  it.each(nearMisses)("no %s in %j", (stage, text) => {
    expect(stagesOf(text)).not.toContain(stage);
  });
});

describe("a sibling's secret about something broken", () => {
  const alerts = (secret: string) => {
    const engine = new RiskEngine(model);
    const chat = dm("c1", [
      ["b", "ben je thuis? ik ben mijn sleutel vergeten"],
      ["a", "ja ik ben er. ben je alleen bij de bushalte?"],
      // The child's age: since v16 a pair whose target gives no sign of being a child needs three stages.
      ["b", "ja kom snel, ik ben pas 11"],
      ["a", secret],
      ["b", "oke"],
    ]);
    return chat.filter((m) => {
      const top = engine.observe(m).top;
      return top !== null && top.subject.actor.endsWith("a") && decideAlert(top, null, DEFAULT_SETTINGS, 0).alert;
    }).length;
  };
  it("does not alert; the same chat keeping the talk itself secret does", () => {
    expect(alerts("kom eraan. zeg niks tegen mama over de vaas he")).toBe(0);
    expect(alerts("kom eraan. zeg niks tegen mama over ons he")).toBeGreaterThan(0);
  });
});
