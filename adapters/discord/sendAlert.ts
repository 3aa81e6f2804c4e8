// Alerts as Discord messages: an embed (score vs threshold, stage timeline, excerpts with jump
// links, suspect and targets, case id) and buttons. The sink talks to the REST API directly,
// not the caches, so any shard process (or a worker without the guild) can deliver.
import { escapeMarkdown, Routes, type Client } from "discord.js";
import type { Logger } from "../../src/log.ts";
import type { AlertPayload, AlertSink, CaseStatus, HavenService, ModeratorActionKind, PlatformActionKind } from "../../src/types.ts";
import { BUTTON_TOKEN_PURPOSE, BUTTON_TOKEN_TTL_SECONDS, buttonId } from "./buttons.ts";

const COLORS: Record<CaseStatus, number> = { open: 0xe67e22, confirmed: 0xc0392b, escalated: 0x8e44ad, dismissed: 0x7f8c8d };
const STATUS_TEXT: Record<CaseStatus, string> = { open: "Open: waiting for a moderator", confirmed: "Confirmed", escalated: "Escalated", dismissed: "Dismissed" };
const BUTTON_LABELS: Record<ModeratorActionKind, string> = {
  confirm: "Confirm",
  dismiss: "Dismiss",
  escalate: "Escalate",
  timeout: "Timeout suspect",
  ban: "Ban suspect",
  delete: "Delete message",
};
// Discord button styles: 1 primary, 2 secondary, 3 success, 4 danger.
const BUTTON_STYLES: Record<ModeratorActionKind, number> = { confirm: 4, dismiss: 2, escalate: 1, timeout: 4, ban: 4, delete: 2 };
const DECISION_KINDS: ModeratorActionKind[] = ["confirm", "dismiss", "escalate"];
const EXCERPT_CHARS = 180;
const FIELD_CHARS = 1024;

export interface RenderedAlert {
  content: string;
  embeds: Record<string, unknown>[];
  components: Record<string, unknown>[];
  allowed_mentions: { parse: never[] };
}

const who = (p: { id: string; name: string | null }) => `<@${p.id}>${p.name ? ` (${escapeMarkdown(p.name)})` : ""}`;
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const unix = (ms: number) => Math.floor(ms / 1000);
/** Haven labels actors "via:id"; a Discord moderator shows as a mention. */
const decider = (label: string) => {
  const discord = /^discord:(\d+)$/.exec(label);
  return discord ? `<@${discord[1]}>` : escapeMarkdown(label);
};

/** The message body for an alert; `token` goes into the button ids (see buttons.ts). */
export function renderAlert(alert: AlertPayload, token: string): RenderedAlert {
  const timeline = alert.timeline.map((t, i) => `${i + 1}. **${t.stage}** <t:${unix(t.ts)}:f>`).join("\n");
  const excerpts = alert.excerpts
    .map((e) => {
      const text = escapeMarkdown(clip(e.text.replace(/\s+/g, " "), EXCERPT_CHARS));
      const link = e.link ? ` [jump](${e.link})` : "";
      return `> <@${e.authorId}>: ${text}\n> _${e.stages.join(", ") || "context"}_${link}`;
    })
    .join("\n");
  const decided = alert.status !== "open";
  const fields = [
    { name: "Score", value: `**${alert.score.toFixed(2)}** (threshold ${alert.threshold.toFixed(2)})`, inline: true },
    { name: "Status", value: decided && alert.decidedBy ? `${STATUS_TEXT[alert.status]} by ${decider(alert.decidedBy)}` : STATUS_TEXT[alert.status], inline: true },
    { name: "Case", value: `#${alert.caseId}`, inline: true },
    { name: "Suspect", value: who(alert.suspect), inline: true },
    { name: "Targets", value: alert.targets.length ? alert.targets.map(who).join(", ") : "none identified", inline: true },
    { name: "Where", value: `<#${alert.channelId}>`, inline: true },
    { name: "Stages", value: clip(timeline || "none", FIELD_CHARS), inline: false },
    { name: "Evidence", value: clip(excerpts || "no excerpts kept", FIELD_CHARS), inline: false },
  ];
  if (alert.automatic?.length) {
    fields.push({ name: "Automatic action", value: `Haven requested: ${alert.automatic.join(", ")} (an admin enabled automatic actions)`, inline: false });
  }
  const trigger = { new: "new case", rise: "score rose", severe: "new severe stage" }[alert.trigger];
  return {
    content: "",
    embeds: [
      {
        title: `Possible grooming: case #${alert.caseId}`,
        description: `Haven saw warning signs of grooming${alert.channelName ? ` in #${escapeMarkdown(alert.channelName)}` : ""}. A person should look before anything happens.`,
        color: COLORS[alert.status],
        fields,
        footer: { text: `Haven alert ${alert.alertId} · ${trigger}` },
        timestamp: new Date().toISOString(),
      },
    ],
    components: renderButtons(alert, token),
    allowed_mentions: { parse: [] },
  };
}

/** Decision buttons while the case is open; platform actions while it is open, confirmed or escalated. */
function renderButtons(alert: AlertPayload, token: string): Record<string, unknown>[] {
  const decided = alert.status !== "open";
  const button = (kind: ModeratorActionKind, disabled: boolean) => ({
    type: 2,
    style: BUTTON_STYLES[kind],
    label: BUTTON_LABELS[kind],
    custom_id: buttonId(kind, token),
    disabled,
  });
  const decisions = DECISION_KINDS.filter((k) => alert.actions.includes(k)).map((k) => button(k, decided));
  const platform = alert.actions.filter((k) => !DECISION_KINDS.includes(k)).map((k) => button(k, alert.status === "dismissed"));
  const rows = [decisions, platform].filter((r) => r.length).map((components) => ({ type: 1, components }));
  return rows;
}

function parseRef(ref: string): { channelId: string; messageId: string } {
  const [channelId, messageId] = ref.split("/");
  if (!channelId || !messageId) throw new Error(`discord: alert ref "${ref}" is not channel/message`);
  return { channelId, messageId };
}

function isUnknownMessage(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === 10008;
}

export class DiscordAlertSink implements AlertSink {
  readonly platform = "discord" as const;

  constructor(
    private readonly client: Client,
    private readonly service: HavenService,
    private readonly log: Logger,
  ) {}

  private async token(alert: AlertPayload): Promise<string> {
    return this.service.createToken(BUTTON_TOKEN_PURPOSE, { caseId: alert.caseId, communityId: alert.communityId }, BUTTON_TOKEN_TTL_SECONDS);
  }

  async deliverAlert(alert: AlertPayload, modDestination: string, previousRef: string | null): Promise<{ ref: string }> {
    const body = renderAlert(alert, await this.token(alert));
    if (previousRef) {
      // A re-alert updates the case's message in place and pings the channel with a short reply.
      const { channelId, messageId } = parseRef(previousRef);
      try {
        await this.client.rest.patch(Routes.channelMessage(channelId, messageId), { body });
        await this.client.rest.post(Routes.channelMessages(channelId), {
          body: {
            content: `Case #${alert.caseId} ${alert.trigger === "severe" ? "reached a severe stage" : "rose"}: score ${alert.score.toFixed(2)}, stages ${alert.timeline.map((t) => t.stage).join(" → ")}.`,
            message_reference: { message_id: messageId, channel_id: channelId, fail_if_not_exists: false },
            allowed_mentions: { parse: [] },
          },
        });
        return { ref: previousRef };
      } catch (error) {
        if (!isUnknownMessage(error)) throw error;
        this.log.warn({ caseId: alert.caseId, previousRef }, "discord: earlier alert message is gone; posting a new one");
      }
    }
    const posted = (await this.client.rest.post(Routes.channelMessages(modDestination), { body })) as { id: string };
    return { ref: `${modDestination}/${posted.id}` };
  }

  async showDecision(alert: AlertPayload, _modDestination: string, ref: string): Promise<void> {
    const { channelId, messageId } = parseRef(ref);
    const body = renderAlert(alert, await this.token(alert));
    try {
      await this.client.rest.patch(Routes.channelMessage(channelId, messageId), { body: { embeds: body.embeds, components: body.components } });
    } catch (error) {
      // A moderator deleted the alert message: nothing left to update.
      if (isUnknownMessage(error)) return;
      throw error;
    }
  }

  async performAction(action: { kind: PlatformActionKind; communityId: string; userId: string; channelId?: string; messageId?: string; durationSeconds?: number }): Promise<void> {
    const reason = "Haven: moderator action on a grooming alert";
    switch (action.kind) {
      case "timeout": {
        const until = new Date(Date.now() + (action.durationSeconds ?? 3600) * 1000).toISOString();
        await this.client.rest.patch(Routes.guildMember(action.communityId, action.userId), { body: { communication_disabled_until: until }, reason });
        return;
      }
      case "ban":
        await this.client.rest.put(Routes.guildBan(action.communityId, action.userId), { body: { delete_message_seconds: 0 }, reason });
        return;
      case "delete":
        if (!action.channelId || !action.messageId) throw new Error("discord: delete needs channelId and messageId");
        try {
          await this.client.rest.delete(Routes.channelMessage(action.channelId, action.messageId), { reason });
        } catch (error) {
          if (!isUnknownMessage(error)) throw error; // already gone: done
        }
        return;
    }
  }
}
