// Sign-in, sign-out and the one-time set-up links.
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { getConnInfo } from "@hono/node-server/conninfo";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { recordAudit } from "../../store/audit.ts";
import { sessions, users } from "../../store/schema.ts";
import { PRELOGIN_COOKIE } from "../auth/middleware.ts";
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from "../auth/passwords.ts";
import { consumeLinkToken, findLinkToken } from "../auth/setup-tokens.ts";
import { createSession, deleteSession, randomToken, SESSION_COOKIE, SESSION_TTL_MS } from "../auth/sessions.ts";
import type { AppEnv, Ctx } from "../context.ts";
import { HttpError, parseInput } from "../http-errors.ts";
import { readBody } from "../request-body.ts";
import { loginPage, setupPage } from "../views/auth.ts";
import { errorPage } from "../views/layout.ts";

const loginSchema = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(1000),
  next: z.string().max(500).optional(),
});
const usernameSchema = z.string().trim().regex(/^[A-Za-z0-9_.-]{2,40}$/, "use 2–40 letters, digits, dot, dash or underscore");
const setupSchema = z
  .object({
    username: usernameSchema.optional(),
    password: z.string().min(MIN_PASSWORD_LENGTH, `use at least ${MIN_PASSWORD_LENGTH} characters`).max(1000),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { message: "the two passwords differ", path: ["confirm"] });

/** Only local paths: a crafted ?next= must not send people to another site. */
function safeNext(next: string | undefined): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}

function preloginToken(c: Ctx): string {
  const existing = getCookie(c, PRELOGIN_COOKIE);
  if (existing && existing.length >= 20 && existing.length <= 100) return existing;
  const token = randomToken();
  setCookie(c, PRELOGIN_COOKIE, token, { httpOnly: true, sameSite: "Strict", path: "/", secure: c.var.deps.secure });
  return token;
}

async function startSession(c: Ctx, userId: number): Promise<void> {
  const { token } = await createSession(c.var.deps.database.db, userId);
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Strict",
    path: "/",
    secure: c.var.deps.secure,
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  });
  deleteCookie(c, PRELOGIN_COOKIE, { path: "/" });
}

function clientAddress(c: Ctx): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}

export function authRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/login", (c) => {
    if (c.var.user) return c.redirect("/");
    const { next } = parseInput(z.object({ next: z.string().max(500).optional() }), c.req.query());
    return c.html(loginPage(preloginToken(c), { next: safeNext(next) }).value);
  });

  app.post("/login", async (c) => {
    const { database, limiter, log } = c.var.deps;
    const input = parseInput(loginSchema, await readBody(c));
    const address = clientAddress(c);
    const wait = await limiter.retryAfter(address, input.username);
    if (wait > 0) {
      const minutes = Math.ceil(wait / 60_000);
      log.warn({ username: input.username }, "console sign-in rate-limited");
      c.header("Retry-After", String(Math.ceil(wait / 1000)));
      return c.html(loginPage(preloginToken(c), { error: `Too many failed sign-ins. Try again in ${minutes} minute(s).`, username: input.username }).value, 429);
    }
    const rows = await database.db.select().from(users).where(eq(users.username, input.username)).limit(1);
    const user = rows[0];
    // Always hash, so a missing user takes as long as a wrong password.
    const ok = await verifyPassword(input.password, user?.passwordHash ?? "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AA==");
    if (!user || !ok || user.disabledAt) {
      await limiter.recordFailure(address, input.username);
      await recordAudit(database.db, { actor: `console:${input.username}`, action: "console.login_failed", details: { address } });
      return c.html(loginPage(preloginToken(c), { error: "Wrong username or password.", username: input.username }).value, 401);
    }
    await limiter.recordSuccess(address, input.username);
    await startSession(c, user.id);
    await recordAudit(database.db, { actor: `console:${user.username}`, action: "console.login", details: { address } });
    return c.redirect(safeNext(input.next), 303);
  });

  app.post("/logout", async (c) => {
    await deleteSession(c.var.deps.database.db, c.var.sessionToken ?? undefined);
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.redirect("/login", 303);
  });

  app.get("/setup/:token", async (c) => {
    const link = await findLinkToken(c.var.deps.database.db, c.req.param("token"));
    if (!link) return c.html(errorPage(null, "Link not valid", "This set-up link was already used or has expired. Ask the owner for a new one.").value, 404);
    const username = link.userId ? await usernameOf(c, link.userId) : null;
    return c.html(setupPage(preloginToken(c), link.token, { owner: link.purpose === "setup", username }).value);
  });

  app.post("/setup/:token", async (c) => {
    const { database, log } = c.var.deps;
    const db = database.db;
    const link = await findLinkToken(db, c.req.param("token"));
    if (!link) throw new HttpError(404, "This set-up link was already used or has expired. Ask the owner for a new one.");
    const owner = link.purpose === "setup";
    const body = await readBody(c);
    const parsed = setupSchema.safeParse(body);
    if (!parsed.success || (owner && !parsed.data.username)) {
      const issue = parsed.success ? { path: ["username"], message: "is required" } : parsed.error.issues[0]!;
      const error = `${String(issue.path[0] ?? "form")}: ${issue.message}`;
      const username = link.userId ? await usernameOf(c, link.userId) : null;
      return c.html(setupPage(preloginToken(c), link.token, { owner, username, error }).value, 400);
    }
    const passwordHash = await hashPassword(parsed.data.password);
    // Read before the transaction: PGlite has one connection, a query beside the transaction would wait forever.
    const invitedName = link.userId ? await usernameOf(c, link.userId) : null;
    const userId = await db.transaction(async (tx) => {
      if (!(await consumeLinkToken(tx, link.token))) throw new HttpError(409, "This set-up link was just used by someone else");
      if (owner) {
        const taken = await tx.select({ id: users.id }).from(users).where(eq(users.username, parsed.data.username!)).limit(1);
        if (taken.length) throw new HttpError(409, "That username is taken");
        const [row] = await tx.insert(users).values({ username: parsed.data.username!, passwordHash, isOwner: true }).returning({ id: users.id });
        await recordAudit(tx, { actor: `console:${parsed.data.username}`, action: "user.owner_setup", subject: `user:${row!.id}` });
        return row!.id;
      }
      if (!link.userId) throw new HttpError(404, "This link names no account");
      await tx.update(users).set({ passwordHash }).where(eq(users.id, link.userId));
      // A new password (a reset) ends the sessions opened with the old one.
      await tx.delete(sessions).where(eq(sessions.userId, link.userId));
      await recordAudit(tx, { actor: `console:${invitedName ?? link.userId}`, action: "user.password_set", subject: `user:${link.userId}` });
      return link.userId;
    });
    log.info({ userId, owner }, owner ? "console owner created" : "console password set");
    await startSession(c, userId);
    return c.redirect("/", 303);
  });

  return app;
}

async function usernameOf(c: Ctx, userId: number): Promise<string | null> {
  const rows = await c.var.deps.database.db.select({ username: users.username }).from(users).where(eq(users.id, userId)).limit(1);
  return rows[0]?.username ?? null;
}
