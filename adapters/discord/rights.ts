// Haven rights from a member's Discord permissions. The pipeline enforces them; we only vouch.
import { PermissionFlagsBits } from "discord.js";
import type { Right } from "../../src/types.ts";

const RIGHT_PERMISSIONS: [Right, bigint][] = [
  ["decide", PermissionFlagsBits.ManageMessages],
  ["timeout", PermissionFlagsBits.ModerateMembers],
  ["ban", PermissionFlagsBits.BanMembers],
  ["delete", PermissionFlagsBits.ManageMessages],
  ["configure", PermissionFlagsBits.ManageGuild],
];

/** Administrator implies everything, as in Discord itself. */
export function rightsFromPermissions(bits: bigint | null | undefined): Right[] {
  if (bits === null || bits === undefined) return [];
  if ((bits & PermissionFlagsBits.Administrator) !== 0n) return RIGHT_PERMISSIONS.map(([r]) => r);
  return RIGHT_PERMISSIONS.filter(([, p]) => (bits & p) !== 0n).map(([r]) => r);
}
