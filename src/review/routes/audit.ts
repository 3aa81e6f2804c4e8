// GET /audit: the owner reads who viewed, revealed, labelled, decided and changed what.
import { and, desc, eq, like, lt, type SQL } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { auditLog } from "../../store/schema.ts";
import { requireOwner } from "../auth/middleware.ts";
import type { AppEnv } from "../context.ts";
import { parseInput } from "../http-errors.ts";
import { listCommunities } from "../queries/queue.ts";
import { auditPage } from "../views/audit.ts";

const blank = (v: unknown) => (v === "" ? undefined : v);
const auditQuery = z.object({
  action: z.preprocess(blank, z.string().max(60).regex(/^[a-z_.]+$/, "letters, dots and underscores only").optional()),
  actor: z.preprocess(blank, z.string().max(120).optional()),
  community: z.preprocess(blank, z.coerce.number().int().positive().max(2_147_483_647).optional()),
  before: z.preprocess(blank, z.coerce.number().int().positive().optional()),
});
const PAGE = 100;

export function auditRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/audit", async (c) => {
    const user = requireOwner(c);
    const q = parseInput(auditQuery, c.req.query());
    const where: SQL[] = [];
    if (q.action) where.push(like(auditLog.action, `${q.action}%`));
    if (q.actor) where.push(eq(auditLog.actor, q.actor));
    if (q.community) where.push(eq(auditLog.communityId, q.community));
    if (q.before) where.push(lt(auditLog.id, q.before));
    const db = c.var.deps.database.db;
    const communities = await listCommunities(db, null);
    const rows = await db
      .select()
      .from(auditLog)
      .where(where.length ? and(...where) : undefined)
      .orderBy(desc(auditLog.id))
      .limit(PAGE);
    return c.html(auditPage(user, rows, communities, { action: q.action, actor: q.actor, community: q.community, more: rows.length === PAGE ? rows[rows.length - 1]!.id : null }).value);
  });
  return app;
}
