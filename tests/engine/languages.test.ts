import { describe, expect, it } from "vitest";
import { decideAlert } from "../../src/alerts/policy.ts";
import { DEFAULT_SETTINGS } from "../../src/config/settings.ts";
import { loadModel, RiskEngine } from "../../src/engine/index.ts";
import type { Assessment, ChatMessage, Lang } from "../../src/types.ts";
import { dm } from "./chat.ts";

// A community's `languages` setting: rules of a language it does not watch give no evidence;
// language-neutral ones (bare ages) and attachments still do.
const model = loadModel();


const run = (msgs: ChatMessage[], languages?: Lang[]) => {
  const engine = new RiskEngine(model);
  return msgs.map((m) => engine.observe(m, languages ? { languages } : undefined));
};
const alerts = (as: Assessment[]) => as.filter((a) => a.top && decideAlert(a.top, null, DEFAULT_SETTINGS, 0).alert);
const rules = (as: Assessment[]) => as.flatMap((a) => a.signals.map((s) => s.rule));

const dutch = dm("nl1", [
  ["u1", "hey schatje, hoe oud ben je?"],
  ["u2", "ik ben 12"],
  ["u1", "je bent echt volwassen voor je leeftijd"],
  ["u1", "niet aan je ouders zeggen he dat we praten"],
  ["u1", "ben je alleen thuis?"],
  ["u2", "ja"],
  ["u1", "stuur eens een foto van jezelf"],
]);

const english = dm("en1", [
  ["adult", "how old r u?"],
  ["kid", "13"],
  ["adult", "ur so mature for ur age honestly"],
  ["adult", "dont tell ur parents we talk ok"],
  ["adult", "r u home alone rn?"],
  ["adult", "send me a pic of u"],
]);

describe("watched languages", () => {
  it("a Dutch grooming conversation alerts when Dutch is watched", () => {
    expect(alerts(run(dutch, ["en", "nl"])).map((a) => a.top!.subject.actor)).toContain("u1");
    expect(alerts(run(dutch)).length).toBeGreaterThan(0);
  });

  it("raises nothing and records no Dutch evidence when only English is watched", () => {
    const as = run(dutch, ["en"]);
    expect(alerts(as)).toEqual([]);
    expect(rules(as).filter((r) => r.startsWith("nl."))).toEqual([]);
  });

  it("English rules give no evidence where only Dutch is watched; a bare age still counts", () => {
    const as = run(english, ["nl"]);
    expect(alerts(as)).toEqual([]);
    expect(rules(as)).toEqual(["en.minor.bare_n"]);
    expect(alerts(run(english, ["en"])).length).toBeGreaterThan(0);
  });

  it("attachments are evidence in any language", () => {
    const as = run(dm("att", [["a", "hoi"], ["b", "hey"]]).concat({ ...dm("att", [["a", "kijk"]])[0]!, messageId: "att-x", attachments: 1 }), ["en"]);
    expect(as.at(-1)!.signals.map((s) => s.rule)).toContain("meta.images.attachment");
  });
});
