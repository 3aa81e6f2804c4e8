// Haven's Telegram adapter: one grammY bot made of small composers (link, commands,
// buttons, ingest), an alert sink registered with the pipeline, flood-limit retries,
// and long polling through @grammyjs/runner (or a webhook when configured).
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { autoRetry } from "@grammyjs/auto-retry";
import { run, sequentialize, type RunnerHandle } from "@grammyjs/runner";
import { Bot, BotError, GrammyError, HttpError, webhookCallback } from "grammy";
import type { Logger } from "../../src/log.ts";
import { HavenError, type HavenService } from "../../src/types.ts";
import { buttons } from "./buttons.ts";
import { commands, COMMANDS } from "./commands.ts";
import { ingest } from "./ingest.ts";
import { link } from "./link.ts";
import { migrate } from "./migrate.ts";
import { ModChatIndex } from "./links.ts";
import { ModeratorNames } from "./names.ts";
import { TelegramAlertSink } from "./sendAlert.ts";

export { toChatMessage, toEdit, messageLink } from "./toMessage.ts";
export { renderAlert, TelegramAlertSink, CALLBACK_PREFIX } from "./sendAlert.ts";
export { rightsOf } from "./rights.ts";

const ALLOWED_UPDATES = ["message", "edited_message", "callback_query"] as const;

export interface TelegramWebhookOptions {
  /** Public HTTPS URL Telegram posts updates to (TELEGRAM_WEBHOOK_URL); its path is the one served. */
  url: string;
  /** Local port to listen on (default 8443). */
  port?: number;
  /** Local address to listen on (default 127.0.0.1, behind a reverse proxy). */
  host?: string;
  /** Checked against X-Telegram-Bot-Api-Secret-Token on every request (default: a fresh random one per start). */
  secretToken?: string;
}

export interface TelegramOptions {
  token: string;
  /** Bot API root, e.g. a self-hosted Bot API server or a test fake (TELEGRAM_API_ROOT). */
  apiRoot?: string;
  service: HavenService;
  log: Logger;
  webhook?: TelegramWebhookOptions;
  /** Seconds to wait at most on a 429 before handing the failure to the outbox (default 60). */
  maxRetryDelaySeconds?: number;
  /** Long-poll timeout in seconds (default 30). */
  pollTimeoutSeconds?: number;
}

export interface TelegramHandle {
  bot: Bot;
  /** The webhook listener's local port, when in webhook mode. */
  webhookPort?: number;
  stop(): Promise<void>;
}

export async function startTelegram(opts: TelegramOptions): Promise<TelegramHandle> {
  const { service, log } = opts;
  const apiRoot = opts.apiRoot?.replace(/\/+$/, "");
  const bot = new Bot(opts.token, apiRoot ? { client: { apiRoot } } : {});
  // Flood limits: wait out retry_after (and retry 5xx/network errors) a few times; beyond that
  // the call fails and the outbox keeps the alert for a later attempt.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: opts.maxRetryDelaySeconds ?? 60 }));

  const modChats = new ModChatIndex(
    service.communitiesByModChannel ? (modChat) => service.communitiesByModChannel!("telegram", modChat) : undefined,
  );
  const names = new ModeratorNames();

  // One chat's updates in order (messages before their edits); different chats in parallel.
  bot.use(sequentialize((ctx) => (ctx.chat ? String(ctx.chat.id) : undefined)));
  bot.use(migrate({ service, modChats, log }));
  bot.use(link({ service, modChats, log }));
  bot.use(commands({ service, modChats, log }));
  bot.use(buttons({ service, names, log }));
  bot.use(ingest({ service, modChats, log }));

  bot.catch(async (err: BotError) => {
    const e = err.error;
    const where = { update: err.ctx.update.update_id, chat: err.ctx.chat?.id };
    if (e instanceof GrammyError) log.warn({ ...where, method: e.method, code: e.error_code, description: e.description }, "telegram: API call failed");
    else if (e instanceof HttpError) log.warn({ ...where, err: String(e.error) }, "telegram: network error talking to the Bot API");
    else if (e instanceof HavenError) log.warn({ ...where, code: e.code, err: e.message }, "telegram: Haven refused");
    else log.error({ ...where, err: e }, "telegram: update handler failed");
    // A refused or failed button press must not leave the moderator's spinner turning.
    if (err.ctx.callbackQuery) await err.ctx.answerCallbackQuery({ text: "Haven could not do that right now; try again.", show_alert: true }).catch(() => {});
  });

  try {
    await bot.init();
  } catch (err) {
    throw new HavenError(
      `Telegram rejected the bot token or is unreachable (${err instanceof Error ? err.message : String(err)})`,
      "telegram.init",
      "check TELEGRAM_TOKEN (from @BotFather) and TELEGRAM_API_ROOT",
    );
  }
  log.info({ bot: bot.botInfo.username, readsAllGroupMessages: bot.botInfo.can_read_all_group_messages }, "telegram: connected");
  if (!bot.botInfo.can_read_all_group_messages) {
    log.warn("telegram: privacy mode is on; Haven sees group messages only where the bot is an admin (BotFather /setprivacy → Disable)");
  }
  service.registerSink(new TelegramAlertSink(bot.api, service, modChats, names));
  // Shown in the command menu of group admins only; members have no use for them.
  await bot.api
    .setMyCommands(COMMANDS, { scope: { type: "all_chat_administrators" } })
    .catch((err: unknown) => log.warn({ err: String(err) }, "telegram: could not set the command list"));

  if (opts.webhook) return startWebhook(bot, opts.webhook, log);

  await bot.api.deleteWebhook();
  const runner: RunnerHandle = run(bot, {
    runner: { fetch: { allowed_updates: ALLOWED_UPDATES, timeout: opts.pollTimeoutSeconds ?? 30 }, silent: true, retryInterval: "exponential" },
  });
  return {
    bot,
    async stop() {
      if (runner.isRunning()) await runner.stop();
    },
  };
}

async function startWebhook(bot: Bot, hook: TelegramWebhookOptions, log: Logger): Promise<TelegramHandle> {
  const path = new URL(hook.url).pathname;
  // Without a secret anyone who finds the URL could post fake updates; setWebhook stores the new one each start.
  const secretToken = hook.secretToken ?? randomBytes(24).toString("base64url");
  const handle = webhookCallback(bot, "http", { secretToken });
  const server: Server = createServer((req, res) => {
    if (req.method !== "POST" || (req.url ?? "").split("?")[0] !== path) {
      res.writeHead(404).end();
      return;
    }
    handle(req, res).catch((err: unknown) => {
      log.warn({ err: String(err) }, "telegram: webhook request failed");
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(hook.port ?? 8443, hook.host ?? "127.0.0.1", resolve);
  });
  const port = (server.address() as AddressInfo).port;
  await bot.api.setWebhook(hook.url, { allowed_updates: ALLOWED_UPDATES, secret_token: secretToken });
  log.info({ url: hook.url, port }, "telegram: receiving updates by webhook");
  return {
    bot,
    webhookPort: port,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
