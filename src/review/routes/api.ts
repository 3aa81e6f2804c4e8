// The JSON API under /api: the same rules as the pages (membership, CSRF, audit), for the
// console's scripts and for tools. Errors are { error: message }.
import { Hono } from "hono";
import { z } from "zod";
import { visibleCommunities } from "../auth/access.ts";
import { requireUser } from "../auth/middleware.ts";
import { addNote, caseRequest, correctStages, decideCase, decisionSchema, labelCase, labelSchema, noteSchema, recordReveal, stagesSchema } from "../case-actions.ts";
import type { AppEnv } from "../context.ts";
import { parseInput } from "../http-errors.ts";
import { parsePasted, runPlayground } from "../playground.ts";
import { loadTimeline } from "../queries/case.ts";
import { listQueue } from "../queries/queue.ts";
import { readBody } from "../request-body.ts";
import { queueQuerySchema } from "./queue.ts";
import { configurableCommunity, runWhatIf, whatIfQuery } from "./settings.ts";
import { playgroundSchema } from "./playground.ts";

const idParam = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });

export function apiRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/me", (c) => {
    const user = requireUser(c);
    return c.json({ id: user.id, username: user.username, owner: user.isOwner, roles: Object.fromEntries(user.roles) });
  });

  app.get("/cases", async (c) => {
    const user = requireUser(c);
    const q = parseInput(queueQuerySchema, c.req.query());
    const rows = await listQueue(c.var.deps.database.db, { visible: visibleCommunities(user), userId: user.id, filter: { communityId: q.community, status: q.status, stage: q.stage, lang: q.lang } });
    return c.json({ cases: rows });
  });

  app.get("/cases/:id", async (c) => {
    const { header } = await caseRequest(c);
    return c.json({ case: header });
  });

  // Revealing is a POST: it is recorded, and a cross-site page must not trigger it.
  app.post("/cases/:id/reveal", async (c) => {
    const { user, header } = await caseRequest(c);
    const timeline = await loadTimeline(c.var.deps.database.db, header);
    const hidden = timeline.filter((m) => !m.bySuspect && m.text !== null);
    await recordReveal(c.var.deps, user, header, hidden.length);
    return c.json({ messages: hidden.map((m) => ({ id: m.id, text: m.text, evidence: m.signals.map((s) => s.evidence) })) });
  });

  app.post("/cases/:id/label", async (c) => {
    const { user, id, header, input: { label } } = await caseRequest(c, labelSchema);
    await labelCase(c.var.deps, user, header, label);
    return c.json({ ok: true, caseId: id, label });
  });

  app.post("/cases/:id/stages", async (c) => {
    const { user, header, input } = await caseRequest(c, stagesSchema);
    await correctStages(c.var.deps, user, header, input.messageId, input.stages);
    return c.json({ ok: true });
  });

  app.post("/cases/:id/notes", async (c) => {
    const { user, header, input: { text } } = await caseRequest(c, noteSchema);
    await addNote(c.var.deps, user, header, text);
    return c.json({ ok: true });
  });

  app.post("/cases/:id/action", async (c) => {
    const { user, header, input } = await caseRequest(c, decisionSchema);
    return c.json(await decideCase(c.var.deps, user, header, input.kind, input.note));
  });

  app.get("/communities/:id/whatif", async (c) => {
    const user = requireUser(c);
    const { id } = parseInput(idParam, c.req.param());
    const community = await configurableCommunity(c, user, id);
    const q = parseInput(whatIfQuery, c.req.query());
    const w = await runWhatIf(c, community, q.threshold);
    if (!w.result) return c.json({ error: `What-if unavailable: ${w.error}` }, 503);
    return c.json({ ...w.result.at, messages: w.result.messages });
  });

  app.post("/playground", async (c) => {
    requireUser(c);
    const input = parseInput(playgroundSchema, await readBody(c));
    const result = await runPlayground(c.var.deps.engine, parsePasted(input.text, input.kind), { threshold: input.threshold, minStages: input.minStages });
    return c.json(result);
  });

  return app;
}
