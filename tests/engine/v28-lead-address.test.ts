// v28's `leadAddress`: after a greeting or yes/no/thanks a family word addresses the reader
// whatever follows ("ja oma tot 8 uur"), unless a verb makes it someone talked about.
import { describe, expect, it } from "vitest";
import { addressesFamily } from "../../src/engine/address.ts";
import { loadModel } from "../../src/engine/index.ts";
import { alertsWith, dm } from "./chat.ts";

describe("v28: a family word after a lead word", () => {
  it.each(["ja oma tot 8 uur", "ok dad see u at 5", "thanks grandma the soup was great", "hoi opa morgen voetbal?"])("%s addresses a relative", (text) => {
    expect(addressesFamily(text, false)).toBe(false);
    expect(addressesFamily(text, true)).toBe(true);
  });

  it.each(["yes mom is home", "ja mama zegt nee", "no dad said i cant", "ok mom and dad are out", "my mom is at work"])("%s talks about someone", (text) => {
    expect(addressesFamily(text, true)).toBe(false);
  });

  it("a grandmother's 'home alone?', pocket money 'our little secret' and a report photo no longer alert once the child says 'ja oma'", () => {
    const msgs = dm("oma", [
      ["a", "hoi lieverd, ben je vanavond alleen thuis?"],
      ["k", "ja oma tot 8 uur"],
      ["a", "ik heb een zakcentje voor je, ons geheimpje hoor"],
      ["k", "dankje"],
    ]);
    expect(alertsWith(loadModel("v27"), msgs)).toBe(true);
    expect(alertsWith(loadModel("v28"), msgs)).toBe(false);
  });
});
