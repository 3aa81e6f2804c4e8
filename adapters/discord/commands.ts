// /haven slash commands: registered per guild (on join and on start), answered ephemerally.
// Anyone who can see them may read status and cases (Manage Messages by default); only
// Manage Server may change settings, which the pipeline enforces through the "configure" right.
import {
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  Routes,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
  type Client,
} from "discord.js";
import type { Logger } from "../../src/log.ts";
import { HavenError, type Actor, type HavenService } from "../../src/types.ts";
import { deferEphemeral } from "./answer.ts";
import { rightsFromPermissions } from "./rights.ts";

const MODES = ["live", "shadow", "off"] as const;

export function havenCommand(): ReturnType<SlashCommandBuilder["toJSON"]> {
  const mode = (o: import("discord.js").SlashCommandStringOption) =>
    o.setName("mode").setDescription("live: alerts post; shadow: stored only; off: not scored").addChoices(...MODES.map((m) => ({ name: m, value: m })));
  return new SlashCommandBuilder()
    .setName("haven")
    .setDescription("Haven: grooming alerts for moderators")
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageMessages)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((s) =>
      s
        .setName("setup")
        .setDescription("Choose the moderators' channel for alerts (and the mode)")
        .addChannelOption((o) => o.setName("mod_channel").setDescription("Private channel for alerts").addChannelTypes(ChannelType.GuildText).setRequired(true))
        .addStringOption(mode),
    )
    .addSubcommand((s) =>
      s
        .setName("threshold")
        .setDescription("Risk score (0–1) at which Haven alerts")
        .addNumberOption((o) => o.setName("value").setDescription("0–1; default 0.6").setMinValue(0).setMaxValue(1).setRequired(true)),
    )
    .addSubcommand((s) => s.setName("mode").setDescription("live, shadow or off").addStringOption((o) => mode(o).setRequired(true)))
    .addSubcommand((s) =>
      s
        .setName("exempt")
        .setDescription("Do not score a role (staff) or a channel; remove:true undoes it")
        .addRoleOption((o) => o.setName("role").setDescription("Role whose messages are not scored"))
        .addChannelOption((o) => o.setName("channel").setDescription("Channel that is not scored"))
        .addBooleanOption((o) => o.setName("remove").setDescription("Remove the exemption instead")),
    )
    .addSubcommand((s) =>
      s
        .setName("retention")
        .setDescription("Days to keep message text that never became part of a case")
        .addIntegerOption((o) => o.setName("days").setDescription("1–3650").setMinValue(1).setMaxValue(3650).setRequired(true)),
    )
    .addSubcommand((s) =>
      s
        .setName("actions")
        .setDescription("Which platform actions moderators may take from an alert")
        .addBooleanOption((o) => o.setName("timeout").setDescription("Timeout suspect button"))
        .addBooleanOption((o) => o.setName("ban").setDescription("Ban suspect button"))
        .addBooleanOption((o) => o.setName("delete").setDescription("Delete message button")),
    )
    .addSubcommand((s) => s.setName("status").setDescription("Current settings, open cases and last alert"))
    .addSubcommand((s) =>
      s
        .setName("case")
        .setDescription("Show a case of this server")
        .addIntegerOption((o) => o.setName("id").setDescription("Case number").setMinValue(1).setRequired(true)),
    )
    .toJSON();
}

/** Overwrites the guild's commands with Haven's (idempotent; safe on every start). */
export async function registerCommands(client: Client, guildId: string): Promise<void> {
  const appId = client.application?.id ?? client.user?.id;
  if (!appId) throw new Error("discord: cannot register commands before the client is ready");
  await client.rest.put(Routes.applicationGuildCommands(appId, guildId), { body: [havenCommand()] });
}

const SETTING_SUBCOMMANDS = new Set(["setup", "threshold", "mode", "exempt", "retention", "actions"]);

export async function handleCommand(interaction: ChatInputCommandInteraction, service: HavenService, log: Logger): Promise<void> {
  if (interaction.commandName !== "haven") return;
  const answer = await deferEphemeral(interaction);
  const guildId = interaction.guildId;
  if (!guildId) {
    await answer("Haven is configured inside a server.");
    return;
  }
  const actor: Actor = {
    via: "discord",
    id: interaction.user.id,
    name: interaction.user.username,
    rights: rightsFromPermissions(interaction.memberPermissions?.bitfield),
  };
  const sub = interaction.options.getSubcommand();
  if (SETTING_SUBCOMMANDS.has(sub) && !actor.rights.includes("configure")) {
    await answer("Only members with **Manage Server** may change Haven's settings.");
    return;
  }
  try {
    const change = await settingsChange(sub, interaction, service, guildId);
    if (change) {
      const settings = await service.changeSettings("discord", guildId, change, actor);
      log.info({ guildId, user: actor.id, change: Object.keys(change) }, "discord: settings changed");
      const cannotPost = settings.modChannel && typeof change.modChannel === "string" ? missingPostingRights(interaction, settings.modChannel) : [];
      const warning = cannotPost.length
        ? `\n⚠️ Haven cannot post alerts in <#${settings.modChannel}> yet: it lacks **${cannotPost.join("**, **")}** there. Give Haven's role these permissions in that channel; until then alerts wait.`
        : "";
      await answer(`Saved. ${describeSettings(settings)}${warning}`);
      return;
    }
    if (sub === "status") {
      const status = await service.status("discord", guildId);
      const last = status.lastAlertAt ? `<t:${Math.floor(status.lastAlertAt / 1000)}:R>` : "never";
      await answer(`${describeSettings(status.settings)}\nOpen cases: **${status.openCases}** · last alert: ${last} · settings revision ${status.revision}`);
      return;
    }
    if (sub === "case") {
      const id = interaction.options.getInteger("id", true);
      const found = await service.getCase(id, { platform: "discord", communityId: guildId });
      if (!found) {
        await answer(`Case #${id} was not found in this server.`);
        return;
      }
      const targets = found.targets.map((t) => `<@${t.id}>`).join(", ") || "none identified";
      await answer(
        `**Case #${found.id}**: ${found.status}${found.decidedBy ? ` (by ${found.decidedBy})` : ""}\n` +
          `Score ${found.score.toFixed(2)} · stages ${found.stages.join(" → ") || "none"}\n` +
          `Suspect <@${found.suspect.id}> · targets ${targets} · opened <t:${Math.floor(found.openedAt / 1000)}:f> · ${found.alerts} alert(s)`,
      );
      return;
    }
    await answer(`Unknown subcommand ${sub}.`);
  } catch (error) {
    if (error instanceof HavenError) {
      await answer(`Not saved: ${error.message}`);
      return;
    }
    throw error;
  }
}

/** The settings change a subcommand asks for, or null for read-only subcommands. */
async function settingsChange(
  sub: string,
  interaction: ChatInputCommandInteraction,
  service: HavenService,
  guildId: string,
): Promise<Record<string, unknown> | null> {
  const o = interaction.options;
  switch (sub) {
    case "setup": {
      const change: Record<string, unknown> = { modChannel: o.getChannel("mod_channel", true).id };
      const mode = o.getString("mode");
      if (mode) change.mode = mode;
      return change;
    }
    case "threshold":
      return { threshold: o.getNumber("value", true) };
    case "mode":
      return { mode: o.getString("mode", true) };
    case "retention":
      return { retentionDays: o.getInteger("days", true) };
    case "exempt": {
      const role = o.getRole("role");
      const channel = o.getChannel("channel");
      if (!role && !channel) throw new HavenError("Give a role or a channel to exempt", "discord.command");
      const remove = o.getBoolean("remove") ?? false;
      const current = await service.getSettings("discord", guildId);
      const toggle = (list: string[], id: string) => (remove ? list.filter((x) => x !== id) : [...new Set([...list, id])]);
      const change: Record<string, unknown> = {};
      if (role) change.exemptRoles = toggle(current.exemptRoles, role.id);
      if (channel) change.exemptChannels = toggle(current.exemptChannels, channel.id);
      return change;
    }
    case "actions": {
      const current = await service.getSettings("discord", guildId);
      const enabled = new Set(current.platformActions);
      for (const kind of ["timeout", "ban", "delete"] as const) {
        const value = o.getBoolean(kind);
        if (value === true) enabled.add(kind);
        if (value === false) enabled.delete(kind);
      }
      return { platformActions: [...enabled] };
    }
    default:
      return null;
  }
}

const POSTING_RIGHTS: [string, bigint][] = [
  ["View Channel", PermissionFlagsBits.ViewChannel],
  ["Send Messages", PermissionFlagsBits.SendMessages],
  ["Embed Links", PermissionFlagsBits.EmbedLinks],
];

/** Permissions the bot lacks to post alerts in a channel, from the cached guild (none known: none reported). */
function missingPostingRights(interaction: ChatInputCommandInteraction, channelId: string): string[] {
  const me = interaction.guild?.members.me;
  const channel = interaction.guild?.channels.cache.get(channelId);
  const perms = me && channel ? channel.permissionsFor(me) : null;
  if (!perms) return [];
  return POSTING_RIGHTS.filter(([, bit]) => !perms.has(bit)).map(([name]) => name);
}

function describeSettings(s: import("../../src/config/settings.ts").CommunitySettings): string {
  return [
    `Mode **${s.mode}**`,
    `threshold **${s.threshold}**`,
    `alerts to ${s.modChannel ? `<#${s.modChannel}>` : "**no channel yet** (use /haven setup)"}`,
    `retention ${s.retentionDays} days`,
    `exempt roles ${s.exemptRoles.map((r) => `<@&${r}>`).join(" ") || "none"}`,
    `exempt channels ${s.exemptChannels.map((c) => `<#${c}>`).join(" ") || "none"}`,
    `actions ${s.platformActions.join(", ") || "none"}`,
  ].join(" · ");
}
