// The owner's People page: create reviewer/admin accounts (no password: a one-time link),
// give and take community roles, issue a new set-up link.
import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { recordAudit } from "../../store/audit.ts";
import { memberships, sessions, users } from "../../store/schema.ts";
import { requireOwner } from "../auth/middleware.ts";
import { createLinkToken } from "../auth/setup-tokens.ts";
import { auditActor, type AppEnv, type Ctx } from "../context.ts";
import { HttpError, parseInput } from "../http-errors.ts";
import { listCommunities } from "../queries/queue.ts";
import { listUsers } from "../queries/users.ts";
import { readBody } from "../request-body.ts";
import { usersPage } from "../views/users.ts";

const createSchema = z.object({
  username: z.string().trim().regex(/^[A-Za-z0-9_.-]{2,40}$/, "use 2–40 letters, digits, dot, dash or underscore"),
  role: z.enum(["reviewer", "admin"]),
  community: z.coerce.number().int().positive(),
});
const membershipSchema = z.object({ role: z.enum(["reviewer", "admin", "none"]), community: z.coerce.number().int().positive() });
const flashQuery = z.object({ done: z.string().max(200).optional() });
const idParam = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });

async function render(c: Ctx, opts: { link?: string | null; flash?: string | null }, status: 200 | 201 = 200) {
  const user = requireOwner(c);
  const db = c.var.deps.database.db;
  const [rows, communities] = await Promise.all([listUsers(db), listCommunities(db, null)]);
  return c.html(usersPage(user, rows, communities, opts).value, status);
}

async function nonOwner(c: Ctx, id: number) {
  const rows = await c.var.deps.database.db.select().from(users).where(eq(users.id, id)).limit(1);
  const target = rows[0];
  if (!target) throw new HttpError(404, `There is no user #${id}`);
  if (target.isOwner) throw new HttpError(400, "The owner's access cannot be changed here");
  return target;
}

export function userRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/users", (c) => render(c, { flash: parseInput(flashQuery, c.req.query()).done ?? null }));

  app.post("/users", async (c) => {
    const owner = requireOwner(c);
    const input = parseInput(createSchema, await readBody(c));
    const db = c.var.deps.database.db;
    const taken = await db.select({ id: users.id }).from(users).where(eq(users.username, input.username)).limit(1);
    if (taken.length) throw new HttpError(409, `The username ${input.username} is taken`);
    const token = await db.transaction(async (tx) => {
      const [row] = await tx.insert(users).values({ username: input.username }).returning({ id: users.id });
      await tx.insert(memberships).values({ userId: row!.id, communityId: input.community, role: input.role });
      await recordAudit(tx, { actor: auditActor(owner), action: "user.create", communityId: input.community, subject: `user:${row!.id}`, details: { username: input.username, role: input.role } });
      return createLinkToken(tx, "invite", { userId: row!.id });
    });
    return render(c, { link: `${c.var.deps.publicUrl}/setup/${token}`, flash: `Created ${input.username} (${input.role}).` }, 201);
  });

  app.post("/users/:id/memberships", async (c) => {
    const owner = requireOwner(c);
    const { id } = parseInput(idParam, c.req.param());
    const input = parseInput(membershipSchema, await readBody(c));
    const target = await nonOwner(c, id);
    await c.var.deps.database.db.transaction(async (tx) => {
      await tx.delete(memberships).where(and(eq(memberships.userId, id), eq(memberships.communityId, input.community)));
      if (input.role !== "none") await tx.insert(memberships).values({ userId: id, communityId: input.community, role: input.role });
      await recordAudit(tx, { actor: auditActor(owner), action: "user.role", communityId: input.community, subject: `user:${id}`, details: { username: target.username, role: input.role } });
    });
    return c.redirect(`/users?done=${encodeURIComponent(`Roles of ${target.username} updated.`)}`, 303);
  });

  app.post("/users/:id/link", async (c) => {
    const owner = requireOwner(c);
    const { id } = parseInput(idParam, c.req.param());
    const target = await nonOwner(c, id);
    const token = await createLinkToken(c.var.deps.database.db, "invite", { userId: id });
    await recordAudit(c.var.deps.database.db, { actor: auditActor(owner), action: "user.link", subject: `user:${id}`, details: { username: target.username } });
    return render(c, { link: `${c.var.deps.publicUrl}/setup/${token}`, flash: `New set-up link for ${target.username}.` });
  });

  // Disabling ends the person's sessions at once; their labels and audit entries stay.
  for (const change of ["disable", "enable"] as const) {
    app.post(`/users/:id/${change}`, async (c) => {
      const owner = requireOwner(c);
      const { id } = parseInput(idParam, c.req.param());
      const target = await nonOwner(c, id);
      await c.var.deps.database.db.transaction(async (tx) => {
        await tx.update(users).set({ disabledAt: change === "disable" ? new Date() : null }).where(eq(users.id, id));
        if (change === "disable") await tx.delete(sessions).where(eq(sessions.userId, id));
        await recordAudit(tx, { actor: auditActor(owner), action: `user.${change}`, subject: `user:${id}`, details: { username: target.username } });
      });
      return c.redirect(`/users?done=${encodeURIComponent(`${target.username} ${change}d.`)}`, 303);
    });
  }

  return app;
}
