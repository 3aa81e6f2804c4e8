// The review console: a Hono app (createConsoleApp) and the HTTP server around it
// (startConsole), which `haven start` runs beside the bots.
import { serve } from "@hono/node-server";
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import type { AddressInfo } from "node:net";
import type { Logger } from "../log.ts";
import { registry } from "../metrics.ts";
import type { Database } from "../store/db.ts";
import { HavenError, type HavenService } from "../types.ts";
import { csrfMiddleware, sessionMiddleware } from "./auth/middleware.ts";
import { LoginRateLimiter, type RateLimitOptions } from "./auth/rate-limit.ts";
import { ensureOwnerSetupToken } from "./auth/setup-tokens.ts";
import type { AppEnv, ConsoleDeps } from "./context.ts";
import { createEngineRunner, type EngineRunner } from "./engine-runner.ts";
import { HttpError } from "./http-errors.ts";
import { apiRoutes } from "./routes/api.ts";
import { auditRoutes } from "./routes/audit.ts";
import { authRoutes } from "./routes/auth.ts";
import { caseRoutes } from "./routes/case.ts";
import { playgroundRoutes } from "./routes/playground.ts";
import { queueRoutes } from "./routes/queue.ts";
import { settingsRoutes } from "./routes/settings.ts";
import { userRoutes } from "./routes/users.ts";
import { loadStaticFiles } from "./static-files.ts";
import { errorPage } from "./views/layout.ts";

export interface ConsoleAppOptions {
  database: Database;
  service: HavenService;
  log: Logger;
  publicUrl: string;
  engine?: EngineRunner;
  loginLimits?: RateLimitOptions;
  /** When set, /metrics answers only `Authorization: Bearer <token>` (HAVEN_METRICS_TOKEN). */
  metricsToken?: string;
}

export function createConsoleApp(opts: ConsoleAppOptions): Hono<AppEnv> {
  const deps: ConsoleDeps = {
    database: opts.database,
    service: opts.service,
    log: opts.log,
    limiter: new LoginRateLimiter(opts.database.db, opts.loginLimits),
    engine: opts.engine ?? createEngineRunner(),
    publicUrl: opts.publicUrl,
    secure: opts.publicUrl.startsWith("https:"),
  };
  const files = loadStaticFiles();
  const app = new Hono<AppEnv>();

  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      referrerPolicy: "same-origin",
      crossOriginResourcePolicy: "same-origin",
      // HSTS over plain http is meaningless, and would pin a later https proxy by surprise.
      strictTransportSecurity: deps.secure ? "max-age=15552000; includeSubDomains" : false,
    }),
  );
  app.use(async (c, next) => {
    c.set("deps", deps);
    await next();
    // Pages show children's messages: never cache them anywhere.
    if (!c.req.path.startsWith("/static/")) c.header("Cache-Control", "no-store");
  });

  app.get("/healthz", (c) => c.json({ ok: true }));
  // Prometheus metrics (src/metrics.ts): counts and latencies only, no message content; still,
  // community ids and volumes are nobody else's business once the console faces a network.
  if (opts.metricsToken) app.use("/metrics", bearerAuth({ token: opts.metricsToken }));
  app.get("/metrics", async (c) => c.body(await registry.metrics(), 200, { "Content-Type": registry.contentType }));
  app.get("/readyz", async (c) => {
    try {
      await deps.database.db.execute(sql`select 1`);
      return c.json({ ok: true, database: deps.database.backend });
    } catch (err) {
      deps.log.warn({ err }, "console readiness: database does not answer");
      return c.json({ ok: false, error: "database does not answer" }, 503);
    }
  });
  app.get("/static/*", (c) => {
    const file = files.get(c.req.path.slice("/static/".length));
    if (!file) return c.json({ error: "not found" }, 404);
    c.header("Cache-Control", "no-cache");
    return c.body(file.body, 200, { "Content-Type": file.type });
  });

  // The largest legitimate body is a playground JSONL upload (2 MB).
  app.use(bodyLimit({ maxSize: 3 * 1024 * 1024, onError: (c) => c.json({ error: "The request body is too large (3 MB at most)" }, 413) }));
  app.use(sessionMiddleware);
  app.use(csrfMiddleware);
  app.route("/", authRoutes());
  app.route("/api", apiRoutes());
  app.route("/", queueRoutes());
  app.route("/", caseRoutes());
  app.route("/", settingsRoutes());
  app.route("/", playgroundRoutes());
  app.route("/", auditRoutes());
  app.route("/", userRoutes());

  app.notFound((c) => (wantsJson(c.req.path) ? c.json({ error: "not found" }, 404) : c.html(errorPage(c.var.user ?? null, "Not found", "There is no page here.").value, 404)));
  app.onError((err, c) => {
    // Hono's own middleware (bearer auth) answers with its response: 401 and WWW-Authenticate.
    if (err instanceof HTTPException) return err.getResponse();
    const api = wantsJson(c.req.path);
    if (err instanceof HttpError) {
      if (err.status === 401 && !api) return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303);
      return api ? c.json({ error: err.message }, err.status) : c.html(errorPage(c.var.user ?? null, titleFor(err.status), err.message).value, err.status);
    }
    if (err instanceof HavenError) {
      return api ? c.json({ error: err.message }, 400) : c.html(errorPage(c.var.user ?? null, "Not possible", err.message).value, 400);
    }
    deps.log.error({ err, path: c.req.path }, "console request failed");
    const message = "Something went wrong on the server; the details are in Haven's log.";
    return api ? c.json({ error: message }, 500) : c.html(errorPage(c.var.user ?? null, "Server error", message).value, 500);
  });
  return app;
}

function wantsJson(path: string): boolean {
  return path.startsWith("/api/") || path === "/healthz" || path === "/readyz";
}

function titleFor(status: number): string {
  return status === 403 ? "Not allowed" : status === 404 ? "Not found" : status === 429 ? "Slow down" : "Not possible";
}

export interface StartConsoleOptions {
  database: Database;
  service: HavenService;
  log: Logger;
  host?: string;
  port?: number;
  /** Where people reach the console (behind a proxy); defaults to the listening address. */
  publicUrl?: string;
  engine?: EngineRunner;
  loginLimits?: RateLimitOptions;
  metricsToken?: string;
}

export async function startConsole(opts: StartConsoleOptions): Promise<{ url: string; close(): Promise<void> }> {
  const host = opts.host ?? "127.0.0.1";
  let publicUrl = opts.publicUrl?.replace(/\/+$/, "");
  // The app needs its public URL for origin checks, known only once the port is bound.
  let app: Hono<AppEnv> | null = null;
  const server = serve({ fetch: (req, env) => (app ? app.fetch(req, env) : new Response("starting", { status: 503 })), hostname: host, port: opts.port ?? 8787 });
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(new HavenError(`The console cannot listen on ${host}:${opts.port ?? 8787}: ${err.code ?? err.message}`, "review.listen", "pick another port with HAVEN_CONSOLE_PORT or stop the other program")),
    );
    server.once("listening", () => resolve(server.address() as AddressInfo));
  });
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
  publicUrl ??= url;
  app = createConsoleApp({ ...opts, publicUrl });
  const setupToken = await ensureOwnerSetupToken(opts.database.db);
  if (setupToken) opts.log.warn({ link: `${publicUrl}/setup/${setupToken}` }, `No console owner yet: open ${publicUrl}/setup/${setupToken} to create one (the link works once)`);
  opts.log.info({ url: publicUrl }, "review console listening");
  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive connections would hold close() open until they time out.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
