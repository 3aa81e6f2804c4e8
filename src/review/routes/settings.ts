// Settings pages (admins of a community, and the owner): the form, revision history, and
// the threshold what-if. Changes go through the service, which validates and stores revisions.
import { desc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { communities, settingsRevisions } from "../../store/schema.ts";
import { HavenError, PLATFORM_ACTIONS, type Platform } from "../../types.ts";
import { canConfigure, visibleCommunities } from "../auth/access.ts";
import { consoleActor } from "../case-actions.ts";
import { requireUser } from "../auth/middleware.ts";
import type { SessionUser } from "../auth/sessions.ts";
import type { AppEnv, Ctx } from "../context.ts";
import { HttpError, parseInput } from "../http-errors.ts";
import { listCommunities, type CommunityOption } from "../queries/queue.ts";
import { readBody } from "../request-body.ts";
import { communitySettingsPage, settingsIndexPage } from "../views/settings.ts";
import { whatIf, type WhatIf } from "../whatif.ts";

const idParam = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
const idList = z.preprocess(
  (v) => (typeof v === "string" ? v.split(/[\s,]+/).filter(Boolean) : v),
  z.array(z.string().min(1).max(100)).max(500),
);
/** A group of checkboxes: the form sends a hidden "" so that none ticked still arrives (as []). */
const checkboxes = <T extends string>(values: readonly [T, ...T[]]) =>
  z.preprocess(
    (v) => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).filter((x) => x !== "")),
    z.array(z.enum(values)).max(values.length).optional(),
  );
export const settingsFormSchema = z.object({
  threshold: z.coerce.number().min(0).max(1),
  mode: z.enum(["live", "shadow", "off"]),
  minStages: z.coerce.number().int().min(1).max(8),
  cooldownMinutes: z.coerce.number().int().min(0).max(10_080),
  exemptChannels: idList,
  exemptRoles: idList,
  exemptUsers: idList,
  retentionDays: z.coerce.number().int().min(1).max(3650),
  caseRetentionDays: z.coerce.number().int().min(1).max(3650),
  languages: checkboxes(["en", "nl"]).refine((v) => v === undefined || v.length > 0, "choose at least one language"),
  platformActions: checkboxes(PLATFORM_ACTIONS),
  autoActions: checkboxes(PLATFORM_ACTIONS),
  autoActionScore: z.coerce.number().min(0).max(1).optional(),
});
export const whatIfQuery = z.object({
  threshold: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().min(0).max(1).optional()),
  done: z.string().max(200).optional(),
});

export async function configurableCommunity(c: Ctx, user: SessionUser, id: number): Promise<CommunityOption> {
  const rows = await c.var.deps.database.db.select().from(communities).where(eq(communities.id, id)).limit(1);
  const community = rows[0];
  if (!community) throw new HttpError(404, `There is no community #${id}`);
  if (!canConfigure(user, id)) throw new HttpError(403, "Only this community's admins may change its settings");
  return { id: community.id, platform: community.platform, platformId: community.platformId, name: community.name };
}

export async function runWhatIf(c: Ctx, community: CommunityOption, threshold: number | undefined): Promise<{ result: WhatIf | null; error: string | null; threshold: number }> {
  const { service, database, engine, log } = c.var.deps;
  const settings = await service.getSettings(community.platform as Platform, community.platformId);
  const t = threshold ?? settings.threshold;
  try {
    return { result: await whatIf(database.db, engine, community.id, { ...settings, threshold: t }), error: null, threshold: t };
  } catch (err) {
    log.warn({ err, community: community.id }, "threshold what-if failed");
    return { result: null, error: err instanceof Error ? err.message : String(err), threshold: t };
  }
}

export function settingsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/settings", async (c) => {
    const user = requireUser(c);
    const all = await listCommunities(c.var.deps.database.db, visibleCommunities(user));
    return c.html(settingsIndexPage(user, all.filter((x) => canConfigure(user, x.id))).value);
  });

  app.get("/settings/:id", async (c) => {
    const user = requireUser(c);
    const { id } = parseInput(idParam, c.req.param());
    const community = await configurableCommunity(c, user, id);
    const q = parseInput(whatIfQuery, c.req.query());
    const { service, database } = c.var.deps;
    const settings = await service.getSettings(community.platform as Platform, community.platformId);
    const revisions = await database.db
      .select({ revision: settingsRevisions.revision, changed: settingsRevisions.changed, changedBy: settingsRevisions.changedBy, createdAt: settingsRevisions.createdAt })
      .from(settingsRevisions)
      .where(eq(settingsRevisions.communityId, id))
      .orderBy(desc(settingsRevisions.revision))
      .limit(50);
    const w = await runWhatIf(c, community, q.threshold);
    const flash = q.done ?? null;
    return c.html(communitySettingsPage(user, community, settings, revisions, w, flash).value);
  });

  app.post("/settings/:id", async (c) => {
    const user = requireUser(c);
    const { id } = parseInput(idParam, c.req.param());
    const community = await configurableCommunity(c, user, id);
    const input = parseInput(settingsFormSchema, await readBody(c));
    const { service } = c.var.deps;
    const before = await service.getSettings(community.platform as Platform, community.platformId);
    const change = Object.fromEntries(Object.entries(input).filter(([k, v]) => v !== undefined && JSON.stringify(before[k as keyof typeof before]) !== JSON.stringify(v)));
    if (Object.keys(change).length === 0) return c.redirect(`/settings/${id}?done=${encodeURIComponent("Nothing changed.")}`, 303);
    try {
      // The service stores the revision and its audit entry.
      await service.changeSettings(community.platform as Platform, community.platformId, change, consoleActor(user, id));
    } catch (err) {
      if (err instanceof HavenError) throw new HttpError(400, err.message);
      throw err;
    }
    return c.redirect(`/settings/${id}?done=${encodeURIComponent(`Saved: ${Object.keys(change).join(", ")}.`)}`, 303);
  });

  return app;
}
