// When Telegram upgrades a watched basic group to a supergroup, the chat gets a new id and
// Haven would see a new, unconfigured community (no moderators' chat: alerts would wait).
// Carry the old group's settings over to the new id. Earlier cases stay under the old id.
import { Composer, type Context } from "grammy";
import type { Logger } from "../../src/log.ts";
import { DEFAULT_SETTINGS } from "../../src/config/settings.ts";
import type { HavenService } from "../../src/types.ts";
import type { ModChatIndex } from "./links.ts";

const MIGRATION_ACTOR = { via: "telegram" as const, id: "haven", name: "Haven (group upgraded to supergroup)", rights: ["configure" as const] };

export function migrate(deps: { service: HavenService; modChats: ModChatIndex; log: Logger }): Composer<Context> {
  const composer = new Composer<Context>();
  composer.on("message:migrate_from_chat_id", async (ctx, next) => {
    const from = String(ctx.message.migrate_from_chat_id);
    const to = String(ctx.chat.id);
    const old = await deps.service.getSettings("telegram", from);
    if (JSON.stringify(old) !== JSON.stringify(DEFAULT_SETTINGS)) {
      await deps.service.changeSettings("telegram", to, { ...old }, MIGRATION_ACTOR);
      if (old.modChannel) deps.modChats.learn(to, old.modChannel);
      deps.log.info({ from, to }, "telegram: group upgraded to a supergroup; its Haven settings now apply to the new chat id");
    }
    await next();
  });
  return composer;
}
