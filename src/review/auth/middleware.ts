// Per-request security: load the session, refuse cross-site and CSRF-less state changes,
// and guard pages and API routes that need a signed-in user.
import { getCookie } from "hono/cookie";
import type { MiddlewareHandler } from "hono";
import type { AppEnv, Ctx } from "../context.ts";
import { HttpError } from "../http-errors.ts";
import { readBody } from "../request-body.ts";
import { loadSession, SESSION_COOKIE, type SessionUser } from "./sessions.ts";
import { timingSafeEqual } from "node:crypto";

export const PRELOGIN_COOKIE = "haven_prelogin";
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export const sessionMiddleware: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = getCookie(c, SESSION_COOKIE) ?? null;
  c.set("sessionToken", token);
  c.set("user", token ? await loadSession(c.var.deps.database.db, token) : null);
  await next();
};

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function submittedCsrf(c: Ctx): Promise<string> {
  const header = c.req.header("x-csrf-token");
  if (header) return header;
  const body = await readBody(c);
  return typeof body._csrf === "string" ? body._csrf : "";
}

/**
 * State-changing requests must come from this origin and carry the CSRF token: the
 * session's token when signed in, else the pre-login cookie's (double submit).
 */
export const csrfMiddleware: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!UNSAFE.has(c.req.method)) return next();
  const origin = c.req.header("origin");
  if (origin && origin !== new URL(c.req.url).origin && origin !== new URL(c.var.deps.publicUrl).origin) {
    throw new HttpError(403, "Cross-site request refused");
  }
  const user = c.var.user;
  const expected = user ? user.csrfToken : (getCookie(c, PRELOGIN_COOKIE) ?? "");
  const got = await submittedCsrf(c);
  if (!expected || !got || !sameToken(expected, got)) {
    throw new HttpError(403, "Missing or invalid CSRF token: reload the page and try again");
  }
  return next();
};

export function requireUser(c: Ctx): SessionUser {
  const user = c.var.user;
  if (!user) throw new HttpError(401, "Sign in first");
  return user;
}

export function requireOwner(c: Ctx): SessionUser {
  const user = requireUser(c);
  if (!user.isOwner) throw new HttpError(403, "Only the owner may do this");
  return user;
}
