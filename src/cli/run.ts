// Shared plumbing for CLI commands: parsed environment, logger, database, and one
// place that turns failures into a clear message and a non-zero exit.
import { loadEnv, type Env } from "../config/env.ts";
import { createLogger, type Logger } from "../log.ts";
import { openDatabase, pgliteDir, type Database } from "../store/db.ts";
import { HavenError } from "../types.ts";

export interface CommandContext {
  env: Env;
  log: Logger;
}

/** Runs a command body; a HavenError is printed as one line, anything else with its stack. */
export function action<A extends unknown[]>(body: (ctx: CommandContext, ...args: A) => Promise<void>) {
  return async (...args: A): Promise<void> => {
    let log: Logger | undefined;
    try {
      const env = loadEnv();
      log = createLogger(env.LOG_LEVEL);
      await body({ env, log }, ...args);
    } catch (err) {
      if (err instanceof HavenError) {
        process.stderr.write(`haven: ${err.message}\n`);
      } else {
        process.stderr.write(`haven: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      }
      process.exitCode = 1;
      log?.flush?.();
    }
  };
}

/** Opens the configured database (Postgres with DATABASE_URL, else PGlite under HAVEN_DATA_DIR) and migrates it. */
export function openConfiguredDatabase(env: Env, opts: { memory?: boolean } = {}): Promise<Database> {
  return openDatabase({ url: env.DATABASE_URL, dataDir: pgliteDir(env.HAVEN_DATA_DIR), memory: opts.memory ?? false });
}
