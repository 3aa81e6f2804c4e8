// What a reviewer does to a case, shared by the pages and the JSON API. Each action
// checks access, writes its change and the audit entry together, and says what happened.
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../store/audit.ts";
import { caseNotes, cases, channels, labels, messages } from "../store/schema.ts";
import { DECISIONS, STAGES, type ActionResult, type Actor, type Platform } from "../types.ts";
import { canSeeCommunity, rightsIn } from "./auth/access.ts";
import type { SessionUser } from "./auth/sessions.ts";
import { requireUser } from "./auth/middleware.ts";
import { auditActor, type ConsoleDeps, type Ctx } from "./context.ts";
import { HttpError, parseInput } from "./http-errors.ts";
import { loadCaseHeader, type CaseHeader } from "./queries/case.ts";
import { readBody } from "./request-body.ts";

export const labelSchema = z.object({ label: z.enum(["grooming", "benign", "unsure"]) });
export const stagesSchema = z.object({
  messageId: z.coerce.number().int().positive(),
  // A form sends one value as a string, several as an array, none at all when unticked.
  stages: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.enum(STAGES)).max(STAGES.length)),
});
export const noteSchema = z.object({ text: z.string().trim().min(1, "write something").max(4000) });
export const decisionSchema = z.object({ kind: z.enum(DECISIONS), note: z.string().max(1000).optional() });

/** The case, if the user may see it: 404 when it does not exist, 403 when it is another community's. */
export async function accessibleCase(deps: ConsoleDeps, user: SessionUser, caseId: number): Promise<CaseHeader> {
  const header = await loadCaseHeader(deps.database.db, caseId);
  if (!header) throw new HttpError(404, `There is no case #${caseId}`);
  if (!canSeeCommunity(user, header.communityId)) throw new HttpError(403, `Case #${caseId} belongs to a community you are not a reviewer of`);
  return header;
}

function requireDecide(user: SessionUser, header: CaseHeader): void {
  if (!rightsIn(user, header.communityId).includes("decide")) throw new HttpError(403, "Your role does not allow deciding cases here");
}

export async function labelCase(deps: ConsoleDeps, user: SessionUser, header: CaseHeader, label: "grooming" | "benign" | "unsure"): Promise<void> {
  requireDecide(user, header);
  await deps.database.db.transaction(async (tx) => {
    await tx.insert(labels).values({ caseId: header.id, label, source: "reviewer", actor: auditActor(user) });
    await tx.update(cases).set({ claimedBy: null, claimedAt: null, updatedAt: new Date() }).where(eq(cases.id, header.id));
    await recordAudit(tx, { actor: auditActor(user), action: "case.label", communityId: header.communityId, subject: `case:${header.id}`, details: { label } });
  });
}

export async function correctStages(deps: ConsoleDeps, user: SessionUser, header: CaseHeader, messageId: number, stages: string[]): Promise<void> {
  requireDecide(user, header);
  const db = deps.database.db;
  // The message must be in one of this case's channels: no labelling other conversations through it.
  const rows = await db
    .select({ id: messages.id })
    .from(messages)
    .innerJoin(channels, eq(channels.id, messages.channelId))
    .where(and(eq(messages.id, messageId), eq(channels.communityId, header.communityId)))
    .limit(1);
  if (!rows.length) throw new HttpError(404, `Message ${messageId} is not part of case #${header.id}`);
  const parsed = stagesSchema.shape.stages.parse(stages);
  // Grooming stages on a message make it a grooming example; none means the message is clean.
  const label = parsed.some((s) => s !== "age") ? "grooming" : "benign";
  await db.transaction(async (tx) => {
    await tx.insert(labels).values({ caseId: header.id, messageId, label, stages: parsed, source: "reviewer", actor: auditActor(user) });
    await recordAudit(tx, { actor: auditActor(user), action: "case.label_stages", communityId: header.communityId, subject: `case:${header.id}`, details: { messageId, stages: parsed } });
  });
}

export async function addNote(deps: ConsoleDeps, user: SessionUser, header: CaseHeader, text: string): Promise<void> {
  requireDecide(user, header);
  await deps.database.db.transaction(async (tx) => {
    await tx.insert(caseNotes).values({ caseId: header.id, author: auditActor(user), text });
    await recordAudit(tx, { actor: auditActor(user), action: "case.note", communityId: header.communityId, subject: `case:${header.id}` });
  });
}

/** The console user as the pipeline sees them: audited as "console:<username>". */
export function consoleActor(user: SessionUser, communityId: number): Actor {
  return { via: "console", id: user.username, name: user.username, rights: rightsIn(user, communityId) };
}

/** Confirm / dismiss / escalate through the pipeline, exactly like a chat button. */
export async function decideCase(deps: ConsoleDeps, user: SessionUser, header: CaseHeader, kind: (typeof DECISIONS)[number], note?: string): Promise<ActionResult> {
  const result = await deps.service.act({
    caseId: header.id,
    kind,
    actor: consoleActor(user, header.communityId),
    scope: { platform: header.platform as Platform, communityId: header.communityPlatformId },
    ...(note ? { note } : {}),
  });
  if (!result.ok) {
    const status = result.reason === "forbidden" ? 403 : result.reason === "not_found" ? 404 : 409;
    throw new HttpError(status, result.message);
  }
  return result;
}

/** Who saw which case's hidden (children's) messages. */
export async function recordReveal(deps: ConsoleDeps, user: SessionUser, header: CaseHeader, messageCount: number): Promise<void> {
  await recordAudit(deps.database.db, {
    actor: auditActor(user),
    action: "case.reveal",
    communityId: header.communityId,
    subject: `case:${header.id}`,
    details: { messages: messageCount },
  });
}

const caseIdParam = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });

/**
 * What every case request starts with: the signed-in user, the case id, the case header
 * (404 or 403 when the user may not see it) and, for a POST, its validated body.
 */
export async function caseRequest<S extends z.ZodType>(c: Ctx, schema: S): Promise<{ user: SessionUser; id: number; header: CaseHeader; input: z.infer<S> }>;
export async function caseRequest(c: Ctx): Promise<{ user: SessionUser; id: number; header: CaseHeader; input: undefined }>;
export async function caseRequest(c: Ctx, schema?: z.ZodType): Promise<{ user: SessionUser; id: number; header: CaseHeader; input: unknown }> {
  const user = requireUser(c);
  const { id } = parseInput(caseIdParam, c.req.param());
  const header = await accessibleCase(c.var.deps, user, id);
  return { user, id, header, input: schema ? parseInput(schema, await readBody(c)) : undefined };
}
