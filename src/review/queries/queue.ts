// The review queue: cases in the user's communities, highest risk first. An open case
// leaves the queue once a reviewer labels it (until it is alerted again), and is hidden
// from other reviewers while claimed.
import { and, desc, eq, gt, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../store/db.ts";
import { cases, communities, labels, participants, users } from "../../store/schema.ts";
import type { CaseStatus, Stage } from "../../types.ts";

/** A claim older than this is stale: someone else may pick the case up. */
export const CLAIM_TTL_MS = 30 * 60_000;

export interface QueueFilter {
  communityId?: number | undefined;
  status?: CaseStatus | undefined;
  stage?: Stage | undefined;
  lang?: string | undefined;
}

export interface QueueRow {
  id: number;
  communityId: number;
  communityName: string | null;
  communityPlatformId: string;
  platform: string;
  status: CaseStatus;
  score: number;
  stages: Stage[];
  lang: string | null;
  suspect: string;
  openedAt: Date;
  updatedAt: Date;
  claimedBy: string | null;
  claimedByMe: boolean;
}

export async function listQueue(db: Db, opts: { visible: number[] | null; userId: number; filter: QueueFilter; now?: Date; limit?: number }): Promise<QueueRow[]> {
  if (opts.visible && opts.visible.length === 0) return [];
  const now = opts.now ?? new Date();
  const status = opts.filter.status ?? "open";
  const where: SQL[] = [eq(cases.status, status)];
  if (opts.visible) where.push(inArray(cases.communityId, opts.visible));
  if (opts.filter.communityId) where.push(eq(cases.communityId, opts.filter.communityId));
  if (opts.filter.stage) where.push(sql`${cases.stages} @> ${JSON.stringify([opts.filter.stage])}::jsonb`);
  if (opts.filter.lang) where.push(eq(cases.lang, opts.filter.lang));
  if (status === "open") {
    // Labelled cases leave the queue, until a new alert on the case brings it back.
    where.push(
      sql`not exists (select 1 from ${labels} where ${labels.caseId} = ${cases.id} and ${labels.messageId} is null and ${labels.source} = 'reviewer' and (${cases.lastAlertAt} is null or ${labels.createdAt} >= ${cases.lastAlertAt}))`,
    );
    const staleBefore = new Date(now.getTime() - CLAIM_TTL_MS);
    where.push(or(isNull(cases.claimedBy), eq(cases.claimedBy, opts.userId), lt(cases.claimedAt, staleBefore), isNull(cases.claimedAt))!);
  }
  const claimer = sql<string | null>`(select ${users.username} from ${users} where ${users.id} = ${cases.claimedBy})`;
  const rows = await db
    .select({
      id: cases.id,
      communityId: cases.communityId,
      communityName: communities.name,
      communityPlatformId: communities.platformId,
      platform: communities.platform,
      status: cases.status,
      score: cases.score,
      stages: cases.stages,
      lang: cases.lang,
      suspectName: participants.displayName,
      suspectId: participants.platformId,
      openedAt: cases.openedAt,
      updatedAt: cases.updatedAt,
      claimedById: cases.claimedBy,
      claimedAt: cases.claimedAt,
      claimer,
    })
    .from(cases)
    .innerJoin(communities, eq(communities.id, cases.communityId))
    .innerJoin(participants, eq(participants.id, cases.suspectId))
    .where(and(...where))
    .orderBy(desc(cases.score), cases.id)
    .limit(opts.limit ?? 200);
  return rows.map((r) => {
    const live = r.claimedAt !== null && r.claimedAt > new Date(now.getTime() - CLAIM_TTL_MS);
    return {
      id: r.id,
      communityId: r.communityId,
      communityName: r.communityName,
      communityPlatformId: r.communityPlatformId,
      platform: r.platform,
      status: r.status,
      score: r.score,
      stages: r.stages,
      lang: r.lang,
      suspect: r.suspectName ?? r.suspectId,
      openedAt: r.openedAt,
      updatedAt: r.updatedAt,
      claimedBy: live ? r.claimer : null,
      claimedByMe: live && r.claimedById === opts.userId,
    };
  });
}

export interface CommunityOption {
  id: number;
  platform: string;
  platformId: string;
  name: string | null;
}

export async function listCommunities(db: Db, visible: number[] | null): Promise<CommunityOption[]> {
  if (visible && visible.length === 0) return [];
  const q = db.select({ id: communities.id, platform: communities.platform, platformId: communities.platformId, name: communities.name }).from(communities);
  return (visible ? q.where(inArray(communities.id, visible)) : q).orderBy(communities.name, communities.id);
}

/** Claims the case for the user unless someone else holds a live claim; returns who holds it. */
export async function claimCase(db: Db, caseId: number, userId: number, now = new Date()): Promise<{ claimedBy: number | null; mine: boolean }> {
  const staleBefore = new Date(now.getTime() - CLAIM_TTL_MS);
  const updated = await db
    .update(cases)
    .set({ claimedBy: userId, claimedAt: now })
    .where(and(eq(cases.id, caseId), or(isNull(cases.claimedBy), eq(cases.claimedBy, userId), isNull(cases.claimedAt), lt(cases.claimedAt, staleBefore))))
    .returning({ id: cases.id });
  if (updated.length) return { claimedBy: userId, mine: true };
  const rows = await db.select({ claimedBy: cases.claimedBy }).from(cases).where(and(eq(cases.id, caseId), gt(cases.claimedAt, staleBefore))).limit(1);
  return { claimedBy: rows[0]?.claimedBy ?? null, mine: false };
}

export function communityLabel(c: { name: string | null; platform: string; platformId?: string }): string {
  return `${c.name ?? c.platformId ?? "unnamed"} (${c.platform})`;
}
