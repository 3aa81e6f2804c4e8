// Who may see and do what: owners everything; otherwise only communities a user is a
// member of, with rights derived from the role there.
import type { Right } from "../../types.ts";
import type { SessionUser } from "./sessions.ts";

const ALL_RIGHTS: Right[] = ["decide", "timeout", "ban", "delete", "configure"];

export function canSeeCommunity(user: SessionUser, communityId: number): boolean {
  return user.isOwner || user.roles.has(communityId);
}

export function canConfigure(user: SessionUser, communityId: number): boolean {
  return user.isOwner || user.roles.get(communityId) === "admin";
}

export function rightsIn(user: SessionUser, communityId: number): Right[] {
  if (user.isOwner) return ALL_RIGHTS;
  const role = user.roles.get(communityId);
  if (role === "admin") return ["decide", "configure"];
  if (role === "reviewer") return ["decide"];
  return [];
}

/** Community ids the user may see; null means all (owner). */
export function visibleCommunities(user: SessionUser): number[] | null {
  return user.isOwner ? null : [...user.roles.keys()];
}

export function isAdminAnywhere(user: SessionUser): boolean {
  return user.isOwner || [...user.roles.values()].includes("admin");
}
