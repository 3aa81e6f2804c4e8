// Linking a watched group to its moderators' chat. An admin runs /haven_link in the group
// and gets a one-time code (bound to that admin); /haven_modchat CODE in a private group
// where the same person is admin makes it the alert destination (the group's modChannel).
import { Composer, type Context } from "grammy";
import { z } from "zod";
import type { Logger } from "../../src/log.ts";
import { HavenError, type HavenService } from "../../src/types.ts";
import type { ModChatIndex } from "./links.ts";
import { actorIn } from "./rights.ts";
import { isGroupChat } from "./toMessage.ts";
import { escapeHtml } from "./sendAlert.ts";

export const LINK_PURPOSE = "link";
const LINK_TTL_SECONDS = 3600;

const linkSchema = z.object({ platform: z.literal("telegram"), groupId: z.string(), groupTitle: z.string().nullable(), by: z.string() });

export function link(deps: { service: HavenService; modChats: ModChatIndex; log: Logger }): Composer<Context> {
  const composer = new Composer<Context>();

  composer.command("haven_link", async (ctx) => {
    if (!isGroupChat(ctx.chat) || !ctx.from) {
      await ctx.reply("Run /haven_link in the group Haven should watch.");
      return;
    }
    const actor = await actorIn(ctx.api, ctx.chat.id, ctx.from);
    if (!actor.rights.includes("configure")) {
      await ctx.reply("Only admins of this group can link it to a moderators' chat.");
      return;
    }
    const code = await deps.service.createToken(
      LINK_PURPOSE,
      { platform: "telegram", groupId: String(ctx.chat.id), groupTitle: "title" in ctx.chat ? ctx.chat.title : null, by: String(ctx.from.id) },
      LINK_TTL_SECONDS,
    );
    await ctx.reply(
      [
        "To receive Haven's alerts, add me to your <b>private</b> moderators' group and run there:",
        `<code>/haven_modchat ${escapeHtml(code)}</code>`,
        "The code works once, only for you, for one hour. Alerts are never posted in this group.",
      ].join("\n"),
      { parse_mode: "HTML" },
    );
  });

  composer.command("haven_modchat", async (ctx) => {
    if (!isGroupChat(ctx.chat) || !ctx.from) {
      await ctx.reply("Run /haven_modchat in your private moderators' group, not in a private chat.");
      return;
    }
    const code = ctx.match.trim();
    if (!code) {
      await ctx.reply("Usage: /haven_modchat CODE — get the code with /haven_link in the group Haven watches.");
      return;
    }
    const parsed = linkSchema.safeParse(await deps.service.resolveToken(code, LINK_PURPOSE, false));
    if (!parsed.success) {
      await ctx.reply("This code is unknown, used or expired. Run /haven_link in the watched group for a new one.");
      return;
    }
    const p = parsed.data;
    const here = String(ctx.chat.id);
    if (p.groupId === here) {
      await ctx.reply("This is the watched group itself: alerts are never posted here. Use a separate private group for moderators.");
      return;
    }
    if ("username" in ctx.chat && ctx.chat.username) {
      await ctx.reply("This group is public. Alerts name children and suspects, so use a private group for moderators.");
      return;
    }
    if (p.by !== String(ctx.from.id)) {
      await ctx.reply("Only the admin who ran /haven_link can use this code.");
      return;
    }
    const inModChat = await actorIn(ctx.api, ctx.chat.id, ctx.from);
    if (!inModChat.rights.includes("decide")) {
      await ctx.reply("You must be an admin of this chat to make it the moderators' chat.");
      return;
    }
    const inGroup = await actorIn(ctx.api, p.groupId, ctx.from);
    if (!inGroup.rights.includes("configure")) {
      await ctx.reply("You are no longer an admin of the watched group, so you cannot link it.");
      return;
    }
    if (!(await deps.service.resolveToken(code, LINK_PURPOSE, true))) {
      await ctx.reply("This code was just used or has expired. Run /haven_link again.");
      return;
    }
    try {
      await deps.service.changeSettings("telegram", p.groupId, { modChannel: here }, inGroup);
    } catch (err) {
      if (!(err instanceof HavenError)) throw err;
      await ctx.reply(`Could not link: ${err.message}`);
      return;
    }
    deps.modChats.learn(p.groupId, here);
    deps.log.info({ group: p.groupId, modChat: here, by: inGroup.id }, "telegram: linked a moderators' chat");
    await ctx.reply(
      `Linked ✅ Alerts for <b>${escapeHtml(p.groupTitle ?? p.groupId)}</b> will be posted here. Haven commands typed here apply to that group.`,
      { parse_mode: "HTML" },
    );
  });

  return composer;
}
