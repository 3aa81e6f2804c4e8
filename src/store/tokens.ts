// Opaque single-purpose tokens (link codes, button callback ids): random, URL-safe,
// optionally expiring, and consumable exactly once.
import { randomBytes } from "node:crypto";
import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { Db } from "./db.ts";
import { tokens } from "./schema.ts";

export async function createToken(
  db: Db,
  purpose: string,
  payload: Record<string, unknown>,
  ttlSeconds: number | null,
  now: Date = new Date(),
): Promise<string> {
  const token = randomBytes(18).toString("base64url");
  const expiresAt = ttlSeconds === null ? null : new Date(now.getTime() + ttlSeconds * 1000);
  await db.insert(tokens).values({ token, purpose, payload, expiresAt });
  return token;
}

/** The token's payload if it exists, has this purpose, is unused and unexpired; consuming marks it used atomically. */
export async function resolveToken(
  db: Db,
  token: string,
  purpose: string,
  consume = false,
  now: Date = new Date(),
): Promise<Record<string, unknown> | null> {
  const usable = and(
    eq(tokens.token, token),
    eq(tokens.purpose, purpose),
    isNull(tokens.usedAt),
    or(isNull(tokens.expiresAt), gt(tokens.expiresAt, now)),
  );
  if (consume) {
    const rows = await db
      .update(tokens)
      .set({ usedAt: sql`now()` })
      .where(usable)
      .returning({ payload: tokens.payload });
    return (rows[0]?.payload as Record<string, unknown> | undefined) ?? null;
  }
  const rows = await db.select({ payload: tokens.payload }).from(tokens).where(usable).limit(1);
  return (rows[0]?.payload as Record<string, unknown> | undefined) ?? null;
}
