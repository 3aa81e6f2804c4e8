// Communities, channels and participants: the platform ids Haven has seen, upserted on
// first sight. Display names are kept current; an erased participant's name is not restored.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { ChannelKind, Platform } from "../types.ts";
import type { Db } from "./db.ts";
import { channels, communities, participants } from "./schema.ts";

export async function upsertCommunity(db: Db, platform: Platform, platformId: string, name?: string | null): Promise<number> {
  const rows = await db
    .insert(communities)
    .values({ platform, platformId, name: name ?? null })
    .onConflictDoUpdate({
      target: [communities.platform, communities.platformId],
      set: { name: sql`coalesce(excluded.name, ${communities.name})` },
    })
    .returning({ id: communities.id });
  return rows[0]!.id;
}

export async function findCommunity(
  db: Db,
  platform: Platform,
  platformId: string,
): Promise<{ id: number; name: string | null } | null> {
  const rows = await db
    .select({ id: communities.id, name: communities.name })
    .from(communities)
    .where(and(eq(communities.platform, platform), eq(communities.platformId, platformId)))
    .limit(1);
  return rows[0] ?? null;
}

export async function upsertChannel(
  db: Db,
  communityId: number,
  platform: Platform,
  platformId: string,
  kind: ChannelKind,
  name?: string | null,
): Promise<number> {
  const rows = await db
    .insert(channels)
    .values({ communityId, platform, platformId, kind, name: name ?? null })
    .onConflictDoUpdate({
      target: [channels.platform, channels.platformId],
      set: { name: sql`coalesce(excluded.name, ${channels.name})` },
    })
    .returning({ id: channels.id });
  return rows[0]!.id;
}

export async function findChannel(
  db: Db,
  platform: Platform,
  platformId: string,
): Promise<{ id: number; communityId: number } | null> {
  const rows = await db
    .select({ id: channels.id, communityId: channels.communityId })
    .from(channels)
    .where(and(eq(channels.platform, platform), eq(channels.platformId, platformId)))
    .limit(1);
  return rows[0] ?? null;
}

export async function upsertParticipant(db: Db, platform: Platform, platformId: string, displayName?: string | null): Promise<number> {
  const rows = await db
    .insert(participants)
    .values({ platform, platformId, displayName: displayName ?? null })
    .onConflictDoUpdate({
      target: [participants.platform, participants.platformId],
      set: {
        displayName: sql`case when ${participants.erasedAt} is null then coalesce(excluded.display_name, ${participants.displayName}) else null end`,
      },
    })
    .returning({ id: participants.id });
  return rows[0]!.id;
}

/** Participant row ids by platform id; ids not yet seen are created (without a name). */
export async function ensureParticipants(db: Db, platform: Platform, platformIds: string[]): Promise<Map<string, number>> {
  const unique = [...new Set(platformIds)];
  const out = new Map<string, number>();
  if (!unique.length) return out;
  await db
    .insert(participants)
    .values(unique.map((platformId) => ({ platform, platformId })))
    .onConflictDoNothing();
  const rows = await db
    .select({ id: participants.id, platformId: participants.platformId })
    .from(participants)
    .where(and(eq(participants.platform, platform), inArray(participants.platformId, unique)));
  for (const r of rows) out.set(r.platformId, r.id);
  return out;
}
