// What every console route can reach: the store, the Haven service, the log, and the
// signed-in user (set by the session middleware).
import type { Context } from "hono";
import type { Logger } from "../log.ts";
import type { Database } from "../store/db.ts";
import type { HavenService } from "../types.ts";
import type { LoginRateLimiter } from "./auth/rate-limit.ts";
import type { SessionUser } from "./auth/sessions.ts";
import type { EngineRunner } from "./engine-runner.ts";

export interface ConsoleDeps {
  database: Database;
  service: HavenService;
  log: Logger;
  limiter: LoginRateLimiter;
  engine: EngineRunner;
  /** Base URL people reach the console at (for set-up links). */
  publicUrl: string;
  /** True when served over https: cookies get the Secure flag. */
  secure: boolean;
}

export interface AppEnv {
  Variables: {
    deps: ConsoleDeps;
    user: SessionUser | null;
    sessionToken: string | null;
  };
}

export type Ctx = Context<AppEnv>;

export function auditActor(user: SessionUser): string {
  return `console:${user.username}`;
}
