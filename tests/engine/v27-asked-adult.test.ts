// v27's `askedKeepsAdult`: a message that speaks of the other's age ("good for 12") still states
// the author's own adult age ("23 m"). Before, every age in such a message was dropped, so the
// chat-room opening (a/s/l, "12 f", "23 m ... good for 12") waited for a later stage to alert.
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/engine/index.ts";
import { alertsWith, dm, signalsWith } from "./chat.ts";

const v25 = loadModel("v25");
const v27 = loadModel("v27");
const adultAge = (model: typeof v27, text: string) => signalsWith(model, text).adult;

describe("v27: an adult's own age beside the other's", () => {
  it.each(["23 m. wow u type really good for 12", "26/m lol ur mature for 13", "im 31 and ur pretty for a 14 yo"])("%s states the author's adult age", (text) => {
    expect(adultAge(v25, text)).toBe(0);
    expect(adultAge(v27, text)).toBeGreaterThan(0.5);
  });

  it.each(["ur really good for 12", "anyone here under 13?", "who's in 7th grade?"])("%s still states no age of the author", (text) => {
    expect(adultAge(v27, text)).toBe(0);
    expect(signalsWith(v27, text).minor).toBe(0);
  });

  it("the chat-room opening alerts when the adult answers the child's a/s/l", () => {
    const msgs = dm("asl", [
      ["a", "asl?"],
      ["k", "12 f u"],
      ["a", "23 m. wow u type really good for 12"],
    ]);
    expect(alertsWith(v25, msgs)).toBe(false);
    expect(alertsWith(v27, msgs)).toBe(true);
  });
});
