import type { Command } from "commander";
import { startDiscord } from "../../adapters/discord/index.ts";
import { startTelegram } from "../../adapters/telegram/index.ts";
import { createHaven } from "../app.ts";
import { startConsole } from "../review/server.ts";
import { action, openConfiguredDatabase } from "./run.ts";

// Runs everything that is configured: database, pipeline workers, console, and each
// platform whose token is set. The one place (with the lint exemption) that reaches
// into adapters/, so src/ stays platform-free.
export function registerStart(program: Command): void {
  program
    .command("start")
    .description("run Haven: database, web console, and Discord/Telegram when their tokens are set")
    .action(
      action(async ({ env, log }) => {
        const database = await openConfiguredDatabase(env);
        log.info({ backend: database.backend, location: database.location }, "database ready");
        const haven = await createHaven({ database, log, model: env.HAVEN_MODEL });
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
