import { describe, expect, it } from "vitest";
import { ModChatIndex } from "../../../adapters/telegram/links.ts";

describe("ModChatIndex", () => {
  it("learns which groups a moderators' chat serves, and a group has one mod chat at a time", async () => {
    const index = new ModChatIndex();
    index.learn("-100a", "-100m");
    index.learn("-100b", "-100m");
    expect(await index.groupsOf("-100m")).toEqual(["-100a", "-100b"]);
    index.learn("-100a", "-100n");
    expect(await index.groupsOf("-100m")).toEqual(["-100b"]);
    expect(await index.isModChat("-100n")).toBe(true);
    expect(await index.isModChat("-100a")).toBe(false);
  });

  it("asks the service about chats it has not seen (after a restart), once per while, and survives a failing lookup", async () => {
    const asked: string[] = [];
    let fail = true;
    const index = new ModChatIndex(async (chat) => {
      asked.push(chat);
      if (fail) throw new Error("database down");
      return chat === "-100m" ? ["-100a"] : [];
    });
    expect(await index.groupsOf("-100m")).toEqual([]);
    fail = false;
    expect(await index.groupsOf("-100m")).toEqual(["-100a"]);
    expect(await index.isModChat("-100a")).toBe(false);
    expect(await index.isModChat("-100a")).toBe(false);
    expect(asked).toEqual(["-100m", "-100m", "-100a"]);
  });
});
