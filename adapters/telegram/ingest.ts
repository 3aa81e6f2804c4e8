// Group messages and edits into the pipeline. Moderators' chats are not scored (they talk
// about suspects), and nothing here throws on a malformed update: it is logged and skipped.
import { Composer, type Context } from "grammy";
import { LRUCache } from "lru-cache";
import type { Logger } from "../../src/log.ts";
import type { HavenService } from "../../src/types.ts";
import type { ModChatIndex } from "./links.ts";
import { toChatMessage, toEdit } from "./toMessage.ts";

export function ingest(deps: { service: HavenService; modChats: ModChatIndex; log: Logger }): Composer<Context> {
  const composer = new Composer<Context>();
  // @username → user id, learnt from senders, so @mentions become ids the engine can pair.
  const usernames = new LRUCache<string, string>({ max: 50_000 });

  composer.on("message", async (ctx) => {
    const m = ctx.message;
    if (typeof m.from?.username === "string" && !m.from.is_bot) usernames.set(m.from.username.toLowerCase(), String(m.from.id));
    // Parsed before anything else reads it: a malformed update (no chat, wrong types) is skipped here.
    const msg = toChatMessage(m, (name) => usernames.get(name));
    if (!msg) return;
    if (await deps.modChats.isModChat(msg.channelId)) return;
    if (/^\/haven_/i.test(msg.text)) return; // Haven's own commands are not conversation
    try {
      await deps.service.ingest(msg);
    } catch (err) {
      deps.log.error({ err, chat: msg.channelId, message: msg.messageId }, "telegram: could not hand a message to the pipeline");
    }
  });

  composer.on("edited_message", async (ctx) => {
    const edit = toEdit(ctx.editedMessage);
    if (!edit) return;
    if (await deps.modChats.isModChat(edit.ref.channelId)) return;
    try {
      await deps.service.editMessage(edit.ref, edit.text, edit.editedAt);
    } catch (err) {
      deps.log.error({ err, chat: edit.ref.channelId, message: edit.ref.messageId }, "telegram: could not hand an edit to the pipeline");
    }
  });

  return composer;
}
