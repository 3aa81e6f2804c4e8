// Community settings as revisions: never updated in place, each change records who
// changed which keys. A community without revisions runs on the defaults.
import { desc, eq, inArray } from "drizzle-orm";
import { DEFAULT_SETTINGS, parseStoredSettings, type CommunitySettings } from "../config/settings.ts";
import type { Db } from "./db.ts";
import { settingsRevisions } from "./schema.ts";

export interface StoredSettings {
  settings: CommunitySettings;
  /** 0 when the community still runs on the defaults. */
  revision: number;
}

export async function loadSettings(db: Db, communityId: number): Promise<StoredSettings> {
  const rows = await db
    .select({ settings: settingsRevisions.settings, revision: settingsRevisions.revision })
    .from(settingsRevisions)
    .where(eq(settingsRevisions.communityId, communityId))
    .orderBy(desc(settingsRevisions.revision))
    .limit(1);
  const row = rows[0];
  if (!row) return { settings: DEFAULT_SETTINGS, revision: 0 };
  return { settings: parseStoredSettings(row.settings), revision: row.revision };
}

/** The current settings of several communities in one query (defaults where none are stored). */
export async function loadSettingsMany(db: Db, communityIds: number[]): Promise<Map<number, StoredSettings>> {
  const out = new Map<number, StoredSettings>();
  if (!communityIds.length) return out;
  const rows = await db
    .selectDistinctOn([settingsRevisions.communityId], { communityId: settingsRevisions.communityId, settings: settingsRevisions.settings, revision: settingsRevisions.revision })
    .from(settingsRevisions)
    .where(inArray(settingsRevisions.communityId, communityIds))
    .orderBy(settingsRevisions.communityId, desc(settingsRevisions.revision));
  for (const row of rows) out.set(row.communityId, { settings: parseStoredSettings(row.settings), revision: row.revision });
  for (const id of communityIds) if (!out.has(id)) out.set(id, { settings: DEFAULT_SETTINGS, revision: 0 });
  return out;
}

/** Stores the next revision; run inside a transaction with the read of the current one. */
export async function saveSettingsRevision(
  db: Db,
  communityId: number,
  settings: CommunitySettings,
  changed: string[],
  changedBy: string,
): Promise<number> {
  const current = await loadSettings(db, communityId);
  const revision = current.revision + 1;
  await db.insert(settingsRevisions).values({ communityId, revision, settings, changed, changedBy });
  return revision;
}

export async function settingsHistory(db: Db, communityId: number) {
  return db
    .select()
    .from(settingsRevisions)
    .where(eq(settingsRevisions.communityId, communityId))
    .orderBy(desc(settingsRevisions.revision));
}

/** The keys whose values differ between two settings objects. */
export function changedKeys(before: CommunitySettings, after: CommunitySettings): string[] {
  return (Object.keys(after) as (keyof CommunitySettings)[]).filter(
    (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  );
}
