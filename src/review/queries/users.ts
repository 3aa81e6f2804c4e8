// Console accounts and their community roles, as the owner's People page manages them.
import { asc, eq } from "drizzle-orm";
import type { Db } from "../../store/db.ts";
import { communities, memberships, users } from "../../store/schema.ts";
import type { Role } from "../auth/sessions.ts";

export async function usernameById(db: Db, id: number): Promise<string | null> {
  const rows = await db.select({ username: users.username }).from(users).where(eq(users.id, id)).limit(1);
  return rows[0]?.username ?? null;
}

export interface UserRow {
  id: number;
  username: string;
  isOwner: boolean;
  hasPassword: boolean;
  disabled: boolean;
  memberships: { communityId: number; communityName: string | null; communityPlatformId: string; platform: string; role: Role }[];
}

export async function listUsers(db: Db): Promise<UserRow[]> {
  const rows = await db.select().from(users).orderBy(asc(users.username));
  const ms = await db
    .select({ userId: memberships.userId, communityId: memberships.communityId, role: memberships.role, name: communities.name, platformId: communities.platformId, platform: communities.platform })
    .from(memberships)
    .innerJoin(communities, eq(communities.id, memberships.communityId));
  return rows.map((u) => ({
    id: u.id,
    username: u.username,
    isOwner: u.isOwner,
    hasPassword: u.passwordHash !== null,
    disabled: u.disabledAt !== null,
    memberships: ms.filter((m) => m.userId === u.id).map((m) => ({ communityId: m.communityId, communityName: m.name, communityPlatformId: m.platformId, platform: m.platform, role: m.role })),
  }));
}
