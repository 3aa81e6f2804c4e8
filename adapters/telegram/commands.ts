// Admin commands, in the watched group or its moderators' chat (where they apply to the
// linked group). Only admins of the watched group may use them; others get a short refusal.
// Case details are shown only in the moderators' chat, never in the watched group.
import { Composer, type CommandContext, type Context } from "grammy";
import type { Logger } from "../../src/log.ts";
import { HavenError, type Actor, type HavenService, type Right } from "../../src/types.ts";
import type { ModChatIndex } from "./links.ts";
import { actorIn } from "./rights.ts";
import { escapeHtml } from "./sendAlert.ts";
import { isGroupChat } from "./toMessage.ts";

export const COMMANDS = [
  { command: "haven_link", description: "Link this group to a private moderators' chat" },
  { command: "haven_modchat", description: "Make this chat the moderators' chat (with the code from /haven_link)" },
  { command: "haven_threshold", description: "Alert threshold, 0–1 (e.g. /haven_threshold 0.7)" },
  { command: "haven_mode", description: "live, shadow or off" },
  { command: "haven_retention", description: "Days to keep message text (e.g. /haven_retention 30)" },
  { command: "haven_status", description: "Haven's settings and open cases" },
  { command: "haven_case", description: "Show a case (in the moderators' chat)" },
];

interface Target {
  groupId: string;
  inModChat: boolean;
  actor: Actor;
}

export function commands(deps: { service: HavenService; modChats: ModChatIndex; log: Logger }): Composer<Context> {
  const composer = new Composer<Context>();
  const { service } = deps;

  /** The watched group a command is about, and the caller's rights there; null when refused (already answered). */
  async function target(ctx: CommandContext<Context>, need: Right): Promise<Target | null> {
    if (!isGroupChat(ctx.chat) || !ctx.from) {
      await ctx.reply("Haven commands work in the watched group or in its moderators' chat.");
      return null;
    }
    const here = String(ctx.chat.id);
    const groups = await deps.modChats.groupsOf(here);
    if (groups.length > 1) {
      await ctx.reply("This chat receives alerts for several groups; run the command in the group itself.");
      return null;
    }
    const groupId = groups[0] ?? here;
    const actor = await actorIn(ctx.api, groupId, ctx.from);
    if (!actor.rights.includes(need)) {
      await ctx.reply("Only admins of the watched group can use Haven commands.");
      return null;
    }
    return { groupId, inModChat: groups.length === 1, actor };
  }

  async function change(ctx: CommandContext<Context>, t: Target, change: Record<string, unknown>, done: string): Promise<void> {
    try {
      await service.changeSettings("telegram", t.groupId, change, t.actor);
      await ctx.reply(done);
    } catch (err) {
      if (!(err instanceof HavenError)) throw err;
      await ctx.reply(err.message);
    }
  }

  composer.command("haven_threshold", async (ctx) => {
    const t = await target(ctx, "configure");
    if (!t) return;
    const value = Number(ctx.match.trim().replace(",", "."));
    if (!ctx.match.trim() || !Number.isFinite(value)) {
      await ctx.reply("Usage: /haven_threshold 0.7 (a score between 0 and 1; lower alerts sooner).");
      return;
    }
    await change(ctx, t, { threshold: value }, `Alert threshold is now ${value}.`);
  });

  composer.command("haven_mode", async (ctx) => {
    const t = await target(ctx, "configure");
    if (!t) return;
    const mode = ctx.match.trim().toLowerCase();
    if (!["live", "shadow", "off"].includes(mode)) {
      await ctx.reply("Usage: /haven_mode live|shadow|off (shadow: scores and stores would-be alerts, posts nothing).");
      return;
    }
    await change(ctx, t, { mode }, `Haven is now in ${mode} mode.`);
  });

  composer.command("haven_retention", async (ctx) => {
    const t = await target(ctx, "configure");
    if (!t) return;
    const days = Number(ctx.match.trim());
    if (!/^\d+$/.test(ctx.match.trim())) {
      await ctx.reply("Usage: /haven_retention 30 (days to keep the text of messages that are not part of a case).");
      return;
    }
    await change(ctx, t, { retentionDays: days }, `Message text is now kept for ${days} days.`);
  });

  composer.command("haven_status", async (ctx) => {
    const t = await target(ctx, "decide");
    if (!t) return;
    const s = await service.status("telegram", t.groupId);
    const lines = [
      `<b>Haven status</b>${t.inModChat ? ` for group ${escapeHtml(t.groupId)}` : ""}`,
      `Mode: ${s.settings.mode} · threshold ${s.settings.threshold} · at least ${s.settings.minStages} warning signs`,
      `Moderators' chat: ${s.settings.modChannel ? "linked" : "not linked — run /haven_link"}`,
      `Message text kept ${s.settings.retentionDays} days · platform actions: ${s.settings.platformActions.join(", ") || "none"}`,
    ];
    // Case counts only where moderators talk; in the watched group they would tip off a suspect.
    if (t.inModChat || !s.settings.modChannel) {
      lines.push(`Open cases: ${s.openCases}${s.lastAlertAt ? ` · last alert ${new Date(s.lastAlertAt).toISOString().slice(0, 16).replace("T", " ")} UTC` : ""}`);
    }
    await ctx.reply(lines.join("\n"), { parse_mode: "HTML" });
  });

  composer.command("haven_case", async (ctx) => {
    const t = await target(ctx, "decide");
    if (!t) return;
    if (!t.inModChat) {
      await ctx.reply("Case details are shown only in the moderators' chat (link one with /haven_link).");
      return;
    }
    const id = Number(ctx.match.trim().replace(/^#/, ""));
    if (!Number.isSafeInteger(id) || id <= 0) {
      await ctx.reply("Usage: /haven_case 12");
      return;
    }
    const c = await service.getCase(id, { platform: "telegram", communityId: t.groupId });
    if (!c) {
      await ctx.reply(`Case ${id} was not found in this group.`);
      return;
    }
    const person = (p: { id: string; name: string | null }) => escapeHtml(p.name ? `${p.name} (id ${p.id})` : `id ${p.id}`);
    await ctx.reply(
      [
        `<b>Case #${c.id}</b> · ${c.status}${c.decidedBy ? ` by ${escapeHtml(c.decidedBy)}` : ""}`,
        `Score ${c.score.toFixed(2)} · warning signs: ${escapeHtml(c.stages.join(", ") || "none")}`,
        `Suspect: ${person(c.suspect)}`,
        `Approached: ${c.targets.map(person).join(", ") || "unknown"}`,
        `Opened ${new Date(c.openedAt).toISOString().slice(0, 16).replace("T", " ")} UTC · ${c.alerts} alert(s)`,
      ].join("\n"),
      { parse_mode: "HTML" },
    );
  });

  return composer;
}
