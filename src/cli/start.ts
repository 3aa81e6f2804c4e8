import type { Command } from "commander";
import { startDiscord } from "../../adapters/discord/index.ts";
import { startTelegram } from "../../adapters/telegram/index.ts";
import { createHaven } from "../app.ts";
import type { Env } from "../config/env.ts";
import { HavenError } from "../types.ts";
import { startConsole } from "../review/server.ts";
import { action, openConfiguredDatabase } from "./run.ts";
import { boundHeapGrowth } from "./heap.ts";

// Runs everything that is configured: database, pipeline workers, console, and each
// platform whose token is set. The one place (with the lint exemption) that reaches
// into adapters/, so src/ stays platform-free.
export function registerStart(program: Command): void {
  program
    .command("start")
    .description("run Haven: database, web console, and Discord/Telegram when their tokens are set")
    .option("--worker-name <name>", "run as one worker of several sharing DATABASE_URL (or HAVEN_WORKER); each scores the partitions it leases")
    .action(
      action(async ({ env, log }, opts: { workerName?: string }) => {
        const worker = workerName(env, opts.workerName);
        boundHeapGrowth();
        const database = await openConfiguredDatabase(env);
        log.info({ backend: database.backend, location: database.location }, "database ready");
        const haven = await createHaven({
          database,
          log,
          model: env.HAVEN_MODEL,
          pipeline: { asyncCommit: env.HAVEN_ASYNC_COMMIT },
          ...(worker ? { scaleOut: { owner: worker } } : {}),
        });
        if (worker) log.info({ worker }, `scale-out: worker ${worker} scores the partitions it leases and hands the others over`);
        const stops: (() => Promise<void>)[] = [];
        // Stop in reverse order of start: platforms, console, workers, then the database.
        const shutdown = async () => {
          for (const stop of stops.reverse()) await stop().catch((err) => log.error({ err }, "error while stopping"));
          await haven.stop();
          await database.close();
        };
        try {
          haven.startWorkers();
          const consoleServer = await startConsole({
            database,
            service: haven.service,
            log,
            host: env.HAVEN_CONSOLE_HOST,
            port: env.HAVEN_CONSOLE_PORT,
            ...(env.HAVEN_PUBLIC_URL ? { publicUrl: env.HAVEN_PUBLIC_URL } : {}),
            ...(env.HAVEN_METRICS_TOKEN ? { metricsToken: env.HAVEN_METRICS_TOKEN } : {}),
          });
          stops.push(() => consoleServer.close());
          log.info({ url: consoleServer.url }, `console and playground at ${consoleServer.url} (playground: ${consoleServer.url}/playground)`);

          if (env.DISCORD_TOKEN) {
            const discord = await startDiscord({
              token: env.DISCORD_TOKEN,
              service: haven.service,
              log,
              ...(env.DISCORD_API_BASE ? { apiBase: env.DISCORD_API_BASE } : {}),
            });
            stops.push(() => discord.stop());
            log.info("Discord is on");
          } else {
            log.info("Discord is off: set DISCORD_TOKEN to watch Discord servers (see adapters/discord/README.md)");
          }
          if (env.TELEGRAM_TOKEN) {
            const telegram = await startTelegram({
              token: env.TELEGRAM_TOKEN,
              service: haven.service,
              log,
              ...(env.TELEGRAM_API_ROOT ? { apiRoot: env.TELEGRAM_API_ROOT } : {}),
              ...(env.TELEGRAM_WEBHOOK_URL ? { webhook: { url: env.TELEGRAM_WEBHOOK_URL } } : {}),
            });
            stops.push(() => telegram.stop());
            log.info("Telegram is on");
          } else {
            log.info("Telegram is off: set TELEGRAM_TOKEN to watch Telegram groups (see adapters/telegram/README.md)");
          }
        } catch (err) {
          await shutdown();
          throw err;
        }
        log.info("Haven is running; Ctrl-C stops it");
        await new Promise<void>((resolve) => {
          process.once("SIGINT", () => resolve());
          process.once("SIGTERM", () => resolve());
        });
        log.info("stopping");
        await shutdown();
      }),
    );
}

/** The scale-out worker name, if any; off by default (the process owns every conversation). */
function workerName(env: Env, option: string | undefined): string | null {
  const name = option ?? env.HAVEN_WORKER ?? null;
  if (name === null) return null;
  if (!/^[A-Za-z0-9._:-]{1,64}$/.test(name)) {
    throw new HavenError(`Invalid worker name ${JSON.stringify(name)}`, "config.worker", "use up to 64 letters, digits, '.', '_', ':' or '-'");
  }
  if (!env.DATABASE_URL) {
    throw new HavenError("A worker name needs DATABASE_URL: workers share one PostgreSQL", "config.worker", "set DATABASE_URL, or drop --worker-name/HAVEN_WORKER to run a single process");
  }
  return name;
}
