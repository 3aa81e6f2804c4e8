// Console sessions: a random token in an HTTP-only SameSite cookie; only its SHA-256 is
// stored, with the session's CSRF token, so a leaked database cannot be used to sign in.
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, lt } from "drizzle-orm";
import type { Db } from "../../store/db.ts";
import { memberships, sessions, users } from "../../store/schema.ts";

export const SESSION_COOKIE = "haven_session";
export const SESSION_TTL_MS = 12 * 60 * 60_000;

export type Role = "reviewer" | "admin";

export interface SessionUser {
  id: number;
  username: string;
  isOwner: boolean;
  /** Role per community (communities.id); owners see every community regardless. */
  roles: Map<number, Role>;
  csrfToken: string;
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createSession(db: Db, userId: number, now = new Date()): Promise<{ token: string; csrfToken: string }> {
  const token = randomToken();
  const csrfToken = randomToken();
  await db.insert(sessions).values({ tokenHash: hashToken(token), userId, csrfToken, expiresAt: new Date(now.getTime() + SESSION_TTL_MS) });
  // Expired sessions are useless; sweeping them here keeps the table small without a job.
  await db.delete(sessions).where(lt(sessions.expiresAt, now));
  return { token, csrfToken };
}

export async function loadSession(db: Db, token: string | undefined, now = new Date()): Promise<SessionUser | null> {
  if (!token || token.length > 200) return null;
  const rows = await db
    .select({ id: users.id, username: users.username, isOwner: users.isOwner, disabledAt: users.disabledAt, csrfToken: sessions.csrfToken })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hashToken(token)), gt(sessions.expiresAt, now)))
    .limit(1);
  const row = rows[0];
  if (!row || row.disabledAt) return null;
  const roles = await loadRoles(db, row.id);
  return { id: row.id, username: row.username, isOwner: row.isOwner, roles, csrfToken: row.csrfToken };
}

export async function loadRoles(db: Db, userId: number): Promise<Map<number, Role>> {
  const rows = await db.select({ communityId: memberships.communityId, role: memberships.role }).from(memberships).where(eq(memberships.userId, userId));
  return new Map(rows.map((r) => [r.communityId, r.role]));
}

export async function deleteSession(db: Db, token: string | undefined): Promise<void> {
  if (token) await db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token)));
}
