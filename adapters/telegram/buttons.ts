// Presses on alert buttons. The callback data is an opaque token; its payload (case,
// action, group, mod chat) lives server-side, so a forged or replayed press from another
// chat resolves to nothing and is refused. Rights come from the presser's status in the
// WATCHED group; the pipeline enforces them and audits the decision.
import { Composer, type Context } from "grammy";
import { z } from "zod";
import type { Logger } from "../../src/log.ts";
import type { HavenService } from "../../src/types.ts";
import { DECISIONS, PLATFORM_ACTIONS } from "../../src/types.ts";
import type { ModeratorNames } from "./names.ts";
import { actorIn } from "./rights.ts";
import { CALLBACK_PREFIX, CALLBACK_PURPOSE } from "./sendAlert.ts";

const payloadSchema = z.object({
  platform: z.literal("telegram"),
  caseId: z.number().int(),
  kind: z.enum([...DECISIONS, ...PLATFORM_ACTIONS]),
  communityId: z.string(),
  modChat: z.string(),
});

const INVALID = "This button is not valid (unknown or expired). Open the case in the Haven console instead.";

export function buttons(deps: { service: HavenService; names: ModeratorNames; log: Logger }): Composer<Context> {
  const composer = new Composer<Context>();
  composer.on("callback_query", async (ctx) => {
    const q = ctx.callbackQuery;
    const data = q.data ?? "";
    const token = data.startsWith(CALLBACK_PREFIX) ? data.slice(CALLBACK_PREFIX.length) : "";
    const raw = token && token.length <= 64 ? await deps.service.resolveToken(token, CALLBACK_PURPOSE, false) : null;
    const payload = payloadSchema.safeParse(raw);
    const chatId = q.message ? String(q.message.chat.id) : null;
    if (!payload.success || payload.data.modChat !== chatId) {
      deps.log.warn({ from: q.from.id, chat: chatId, data: data.slice(0, 64) }, "telegram: refused a button press with unknown or forged callback data");
      await ctx.answerCallbackQuery({ text: INVALID, show_alert: true });
      return;
    }
    const p = payload.data;
    const actor = await actorIn(ctx.api, p.communityId, q.from);
    if (actor.name) deps.names.remember(actor.id, actor.name);
    const result = await deps.service.act({
      caseId: p.caseId,
      kind: p.kind,
      actor,
      scope: { platform: "telegram", communityId: p.communityId },
    });
    if (result.ok) {
      deps.log.info({ caseId: p.caseId, kind: p.kind, by: actor.id }, "telegram: moderator action");
      await ctx.answerCallbackQuery({ text: result.message });
    } else {
      const text =
        result.reason === "forbidden" ? `Only admins of the watched group can do this (${p.kind}). ${result.message}` : result.message;
      await ctx.answerCallbackQuery({ text: text.slice(0, 200), show_alert: true });
    }
  });
  return composer;
}
