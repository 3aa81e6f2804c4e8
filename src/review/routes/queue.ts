// GET / : the review queue.
import { Hono } from "hono";
import { z } from "zod";
import { STAGES } from "../../types.ts";
import { visibleCommunities } from "../auth/access.ts";
import { requireUser } from "../auth/middleware.ts";
import type { AppEnv } from "../context.ts";
import { parseInput } from "../http-errors.ts";
import { listCommunities, listQueue } from "../queries/queue.ts";
import { queuePage } from "../views/queue.ts";

const blankToUndefined = (v: unknown) => (v === "" ? undefined : v);

export const queueQuerySchema = z.object({
  community: z.preprocess(blankToUndefined, z.coerce.number().int().positive().optional()),
  status: z.preprocess(blankToUndefined, z.enum(["open", "confirmed", "dismissed", "escalated"]).optional()),
  stage: z.preprocess(blankToUndefined, z.enum(STAGES).optional()),
  lang: z.preprocess(blankToUndefined, z.enum(["en", "nl"]).optional()),
  done: z.string().max(200).optional(),
});

export function queueRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/", async (c) => {
    const user = requireUser(c);
    const q = parseInput(queueQuerySchema, c.req.query());
    const visible = visibleCommunities(user);
    const filter = { communityId: q.community, status: q.status, stage: q.stage, lang: q.lang };
    const db = c.var.deps.database.db;
    const [rows, communities] = await Promise.all([listQueue(db, { visible, userId: user.id, filter }), listCommunities(db, visible)]);
    return c.html(queuePage(user, rows, communities, filter, q.done ?? null).value);
  });
  return app;
}
