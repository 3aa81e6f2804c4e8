import { describe, expect, it } from "vitest";
import { buttonId, parseButtonId } from "../../../adapters/discord/buttons.ts";

describe("button ids", () => {
  it("round-trip an action and a token and fit Discord's 100-character limit", () => {
    const id = buttonId("timeout", "x".repeat(24));
    expect(parseButtonId(id)).toEqual({ kind: "timeout", token: "x".repeat(24) });
    expect(id.length).toBeLessThanOrEqual(100);
  });

  it("reject ids that are not Haven's or name an unknown action", () => {
    expect(parseButtonId("other:confirm:abc")).toBeNull();
    expect(parseButtonId("haven:launch:abc")).toBeNull();
    expect(parseButtonId("haven:confirm")).toBeNull();
    expect(parseButtonId("haven:confirm:abc:extra")).toBeNull();
  });
});
