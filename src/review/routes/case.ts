// The case pages: view (claims the case), label, stage corrections, notes, decisions, export.
import { Hono } from "hono";
import { z } from "zod";
import { recordAudit } from "../../store/audit.ts";
import { rightsIn } from "../auth/access.ts";
import { addNote, caseRequest, correctStages, decideCase, decisionSchema, labelCase, labelSchema, noteSchema, stagesSchema } from "../case-actions.ts";
import { auditActor, type AppEnv } from "../context.ts";
import { parseInput } from "../http-errors.ts";
import { loadCaseAlerts, loadCaseHistory, loadCaseLabels, loadCaseNotes, loadTimeline } from "../queries/case.ts";
import { claimCase } from "../queries/queue.ts";
import { usernameById } from "../queries/users.ts";
import { buildEvidenceExport } from "../evidence-export.ts";
import { casePage } from "../views/case.ts";

const flashQuery = z.object({ done: z.string().max(200).optional() });

export function caseRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/cases/:id", async (c) => {
    const { user, id, header } = await caseRequest(c);
    const deps = c.var.deps;
    const db = deps.database.db;
    const claim = header.status === "open" ? await claimCase(db, id, user.id) : { claimedBy: null, mine: false };
    const [timeline, alerts, labels, notes, history, settings] = await Promise.all([
      loadTimeline(db, header),
      loadCaseAlerts(db, id),
      loadCaseLabels(db, id),
      loadCaseNotes(db, id),
      loadCaseHistory(db, id),
      deps.service.getSettings(header.platform as "discord" | "telegram", header.communityPlatformId).catch(() => null),
    ]);
    await recordAudit(db, { actor: auditActor(user), action: "case.view", communityId: header.communityId, subject: `case:${id}`, details: { claimed: claim.mine } });
    const claimedByOther = !claim.mine && claim.claimedBy !== null ? ((await usernameById(db, claim.claimedBy)) ?? "another reviewer") : null;
    const view = {
      header,
      timeline,
      alerts,
      labels,
      notes,
      history,
      threshold: settings?.threshold ?? null,
      claimedByOther,
      canDecide: rightsIn(user, header.communityId).includes("decide"),
      csrf: user.csrfToken,
    };
    return c.html(casePage(user, view, parseInput(flashQuery, c.req.query()).done ?? null).value);
  });

  app.post("/cases/:id/label", async (c) => {
    const { user, id, header, input: { label } } = await caseRequest(c, labelSchema);
    await labelCase(c.var.deps, user, header, label);
    const text = label === "benign" ? "not grooming" : label;
    return c.redirect(`/?done=${encodeURIComponent(`Case #${id} labelled ${text}.`)}`, 303);
  });

  app.post("/cases/:id/stages", async (c) => {
    const { user, id, header, input } = await caseRequest(c, stagesSchema);
    await correctStages(c.var.deps, user, header, input.messageId, input.stages);
    return c.redirect(`/cases/${id}?done=${encodeURIComponent("Stages saved.")}#m${input.messageId}`, 303);
  });

  app.post("/cases/:id/note", async (c) => {
    const { user, id, header, input: { text } } = await caseRequest(c, noteSchema);
    await addNote(c.var.deps, user, header, text);
    return c.redirect(`/cases/${id}?done=${encodeURIComponent("Note added.")}`, 303);
  });

  app.post("/cases/:id/action", async (c) => {
    const { user, id, header, input } = await caseRequest(c, decisionSchema);
    const result = await decideCase(c.var.deps, user, header, input.kind, input.note);
    return c.redirect(`/cases/${id}?done=${encodeURIComponent(result.ok ? result.message : "")}`, 303);
  });

  app.get("/cases/:id/export", async (c) => {
    const { user, id, header } = await caseRequest(c);
    const body = await buildEvidenceExport(c.var.deps.database.db, header);
    await recordAudit(c.var.deps.database.db, { actor: auditActor(user), action: "case.export", communityId: header.communityId, subject: `case:${id}` });
    c.header("Content-Disposition", `attachment; filename="haven-case-${id}.json"`);
    return c.json(body);
  });

  return app;
}
