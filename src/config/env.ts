import { z } from "zod";
import { HavenError } from "../types.ts";

// Environment settings. Every one is optional: with none at all Haven starts on the
// embedded database with the console and playground, and says how to add platforms.
const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\//.test(v), "must start with postgres:// or postgresql://")
    .optional(),
  HAVEN_DATA_DIR: z.string().min(1).default("./.haven"),
  HAVEN_CONSOLE_HOST: z.string().min(1).default("127.0.0.1"),
  HAVEN_CONSOLE_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  /** Public base URL of the console, used in links in alerts. */
  HAVEN_PUBLIC_URL: z.string().url().optional(),
  HAVEN_MODEL: z.string().min(1).default("current"),
  /** Bearer token Prometheus must send to read /metrics; unset, /metrics is open like /healthz. */
  HAVEN_METRICS_TOKEN: z.string().min(16, "use at least 16 characters").optional(),
  /** Scale-out: this process is one worker of several on one Postgres (a name unique among them). */
  HAVEN_WORKER: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,64}$/, "use up to 64 letters, digits, '.', '_', ':' or '-'")
    .optional(),
  /** Commit batches that raised no alert without waiting for PostgreSQL's disk flush (see README "Performance"). */
  HAVEN_ASYNC_COMMIT: z
    .enum(["on", "off", "true", "false", "1", "0"])
    .default("off")
    .transform((v) => v === "on" || v === "true" || v === "1"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DISCORD_TOKEN: z.string().min(1).optional(),
  DISCORD_API_BASE: z.string().url().optional(),
  TELEGRAM_TOKEN: z.string().min(1).optional(),
  TELEGRAM_API_ROOT: z.string().url().optional(),
  TELEGRAM_WEBHOOK_URL: z.string().url().optional(),
});

export type Env = z.infer<typeof envSchema>;

const hints: Record<string, string> = {
  DATABASE_URL: "unset it to use the embedded database, or give postgres://user:password@host:5432/db",
  HAVEN_CONSOLE_PORT: "give a port number between 0 and 65535",
  HAVEN_WORKER: "a name unique among the workers, e.g. telegram-1",
  HAVEN_ASYNC_COMMIT: "use on or off",
  HAVEN_METRICS_TOKEN: "a random secret, e.g. the output of: openssl rand -hex 24",
  LOG_LEVEL: "use one of fatal, error, warn, info, debug, trace, silent",
};

/** Parse the environment; a bad value stops start-up with the setting's name and the fix. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // Empty strings count as unset, as shells and .env files often leave them.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const name = String(issue.path[0] ?? "environment");
  throw new HavenError(`Invalid setting ${name}: ${issue.message}`, "config.env", hints[name] ?? "fix or unset it");
}
