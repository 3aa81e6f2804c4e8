// One-time links: the owner's first set-up link (purpose "setup") and the password set-up
// links an owner hands to new reviewers and admins (purpose "invite").
import { and, eq, gt, isNull, or } from "drizzle-orm";
import type { Db } from "../../store/db.ts";
import { tokens, users } from "../../store/schema.ts";
import { randomToken } from "./sessions.ts";

export const SETUP_TTL_MS = 24 * 60 * 60_000;
export type LinkPurpose = "setup" | "invite";

export async function hasOwner(db: Db): Promise<boolean> {
  const rows = await db.select({ id: users.id }).from(users).where(eq(users.isOwner, true)).limit(1);
  return rows.length > 0;
}

/** The owner set-up token: an unused live one is reused so restarts do not multiply links. */
export async function ensureOwnerSetupToken(db: Db, now = new Date()): Promise<string | null> {
  if (await hasOwner(db)) return null;
  const live = await db
    .select({ token: tokens.token })
    .from(tokens)
    .where(and(eq(tokens.purpose, "setup"), isNull(tokens.usedAt), or(isNull(tokens.expiresAt), gt(tokens.expiresAt, now))))
    .limit(1);
  if (live[0]) return live[0].token;
  return createLinkToken(db, "setup", {}, now);
}

export async function createLinkToken(db: Db, purpose: LinkPurpose, payload: Record<string, unknown>, now = new Date()): Promise<string> {
  const token = randomToken(24);
  await db.insert(tokens).values({ token, purpose, payload, expiresAt: new Date(now.getTime() + SETUP_TTL_MS) });
  return token;
}

export interface LinkToken {
  token: string;
  purpose: LinkPurpose;
  userId: number | null;
}

export async function findLinkToken(db: Db, token: string, now = new Date()): Promise<LinkToken | null> {
  if (token.length > 100) return null;
  const rows = await db
    .select()
    .from(tokens)
    .where(and(eq(tokens.token, token), isNull(tokens.usedAt), or(isNull(tokens.expiresAt), gt(tokens.expiresAt, now))))
    .limit(1);
  const row = rows[0];
  if (!row || (row.purpose !== "setup" && row.purpose !== "invite")) return null;
  const payload = row.payload as { userId?: unknown };
  return { token, purpose: row.purpose, userId: typeof payload.userId === "number" ? payload.userId : null };
}

/** Marks the token used; false when someone else used it first. */
export async function consumeLinkToken(db: Db, token: string, now = new Date()): Promise<boolean> {
  const rows = await db
    .update(tokens)
    .set({ usedAt: now })
    .where(and(eq(tokens.token, token), isNull(tokens.usedAt)))
    .returning({ token: tokens.token });
  return rows.length === 1;
}
