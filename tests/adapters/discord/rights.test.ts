import { PermissionFlagsBits as P } from "discord.js";
import { describe, expect, it } from "vitest";
import { rightsFromPermissions } from "../../../adapters/discord/rights.ts";

describe("rightsFromPermissions", () => {
  it("maps each Discord permission to its Haven right", () => {
    expect(rightsFromPermissions(P.ManageMessages)).toEqual(["decide", "delete"]);
    expect(rightsFromPermissions(P.ModerateMembers)).toEqual(["timeout"]);
    expect(rightsFromPermissions(P.BanMembers)).toEqual(["ban"]);
    expect(rightsFromPermissions(P.ManageGuild)).toEqual(["configure"]);
    expect(rightsFromPermissions(P.SendMessages | P.ViewChannel)).toEqual([]);
  });

  it("Administrator implies every right; missing permissions none", () => {
    expect(rightsFromPermissions(P.Administrator)).toEqual(["decide", "timeout", "ban", "delete", "configure"]);
    expect(rightsFromPermissions(null)).toEqual([]);
    expect(rightsFromPermissions(undefined)).toEqual([]);
  });
});
