// Alerts in the moderators' chat: an HTML message with the reasons (score, stage timeline,
// excerpts with links, suspect and targets) and an inline keyboard whose callback data is
// an opaque server-side token, never the action itself. Also the platform actions
// (mute, ban, delete) in the watched group. Errors are thrown so the outbox retries.
import { GrammyError, type Api } from "grammy";
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import type { AlertPayload, AlertSink, HavenService, ModeratorActionKind, PlatformActionKind } from "../../src/types.ts";
import type { ModChatIndex } from "./links.ts";
import { ModeratorNames } from "./names.ts";

/** Prefix of Haven's callback data; the rest is a token from service.createToken("callback", …). */
export const CALLBACK_PREFIX = "hv:";
export const CALLBACK_PURPOSE = "callback";
/** Buttons keep working for a month; after that the moderator uses the console. */
const CALLBACK_TTL_SECONDS = 30 * 24 * 3600;

const LABELS: Record<ModeratorActionKind, string> = {
  confirm: "✅ Confirm",
  dismiss: "✖️ Dismiss",
  escalate: "⚠️ Escalate",
  timeout: "🔇 Mute suspect",
  ban: "⛔ Ban suspect",
  delete: "🗑 Delete message",
};

const TRIGGERS: Record<AlertPayload["trigger"], string> = { new: "new case", rise: "score rose", severe: "new severe warning sign" };
const DECIDED: Record<string, string> = { confirmed: "✅ Confirmed", dismissed: "✖️ Dismissed", escalated: "⚠️ Escalated" };

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function when(ts: number): string {
  return new Date(ts).toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

function person(p: { id: string; name: string | null }): string {
  return p.name ? `${escapeHtml(p.name)} (id ${escapeHtml(p.id)})` : `id ${escapeHtml(p.id)}`;
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** The alert as Telegram HTML; stays under Telegram's 4096-character limit. */
export function renderAlert(alert: AlertPayload, showActor: (label: string) => string = (l) => l): string {
  const lines: string[] = [];
  lines.push(`🚨 <b>Haven alert</b> · case #${alert.caseId} · ${TRIGGERS[alert.trigger]}`);
  lines.push(`Group: <b>${escapeHtml(alert.communityName ?? alert.communityId)}</b>`);
  lines.push(`Score: <b>${alert.score.toFixed(2)}</b> (threshold ${alert.threshold.toFixed(2)})`);
  lines.push(`Suspect: ${person(alert.suspect)}`);
  if (alert.targets.length) lines.push(`Approached: ${alert.targets.map(person).join(", ")}`);
  if (alert.automatic?.length) lines.push(`Haven requested on its own: <b>${escapeHtml(alert.automatic.join(", "))}</b> (an admin enabled automatic actions)`);
  if (alert.timeline.length) {
    lines.push("", "<b>Warning signs</b>");
    for (const t of alert.timeline) lines.push(`• ${escapeHtml(t.stage)} — ${when(t.ts)}`);
  }
  if (alert.excerpts.length) {
    lines.push("", "<b>Evidence</b>");
    const names = new Map([[alert.suspect.id, alert.suspect.name], ...alert.targets.map((t) => [t.id, t.name] as const)]);
    for (const e of alert.excerpts) {
      const who = escapeHtml(names.get(e.authorId) ?? `id ${e.authorId}`);
      const link = e.link ? ` <a href="${escapeHtml(e.link)}">open</a>` : "";
      const stages = e.stages.length ? ` [${escapeHtml(e.stages.join(", "))}]` : "";
      lines.push(`• ${when(e.ts)} ${who}: “${escapeHtml(clip(e.text, 280))}”${stages}${link}`);
    }
  }
  const decided = DECIDED[alert.status];
  lines.push("", decided ? `<b>${decided}</b>${alert.decidedBy ? ` by ${escapeHtml(showActor(alert.decidedBy))}` : ""}` : "Status: open — a moderator should look at this conversation.");
  let text = lines.join("\n");
  // Excerpts are the only unbounded part; drop them from the end until the message fits.
  while (text.length > 4000 && lines.length > 8) {
    lines.splice(lines.length - 3, 1);
    text = lines.join("\n");
  }
  return text;
}

/** Buttons for the actions still open: decisions while the case is open, platform actions always. */
export function actionsToShow(alert: AlertPayload): ModeratorActionKind[] {
  const decisions: ModeratorActionKind[] = ["confirm", "dismiss", "escalate"];
  return alert.actions.filter((a) => (decisions.includes(a) ? alert.status === "open" : true));
}

export function parseRef(ref: string): { chatId: string; messageId: number } {
  const at = ref.lastIndexOf(":");
  const messageId = Number(ref.slice(at + 1));
  if (at <= 0 || !Number.isSafeInteger(messageId)) throw new Error(`telegram: bad alert ref "${ref}" (expected chatId:messageId)`);
  return { chatId: ref.slice(0, at), messageId };
}

function isNotModified(err: unknown): boolean {
  return err instanceof GrammyError && err.error_code === 400 && /message is not modified/i.test(err.description);
}

function isGone(err: unknown): boolean {
  return (
    err instanceof GrammyError &&
    err.error_code === 400 &&
    /message to (edit|delete) not found|message can't be edited|upgraded to a supergroup/i.test(err.description)
  );
}

/** Who Haven records as changing modChannel when it follows a group upgrade. */
const UPGRADE_ACTOR = { via: "telegram" as const, id: "haven", name: "Haven (moderators' group upgraded to supergroup)", rights: ["configure" as const] };

export class TelegramAlertSink implements AlertSink {
  readonly platform = "telegram" as const;

  constructor(
    private readonly api: Api,
    private readonly service: HavenService,
    private readonly modChats: ModChatIndex,
    private readonly names: ModeratorNames = new ModeratorNames(),
    private readonly now: () => number = Date.now,
  ) {}

  async keyboard(alert: AlertPayload, modChat: string): Promise<InlineKeyboardMarkup | undefined> {
    const kinds = actionsToShow(alert);
    if (!kinds.length) return undefined;
    const button = async (kind: ModeratorActionKind): Promise<InlineKeyboardButton> => {
      const token = await this.service.createToken(
        CALLBACK_PURPOSE,
        { platform: "telegram", caseId: alert.caseId, kind, communityId: alert.communityId, modChat },
        CALLBACK_TTL_SECONDS,
      );
      return { text: LABELS[kind], callback_data: `${CALLBACK_PREFIX}${token}` };
    };
    const decisions = await Promise.all(kinds.filter((k) => k === "confirm" || k === "dismiss" || k === "escalate").map(button));
    const platform = await Promise.all(kinds.filter((k) => k === "timeout" || k === "ban" || k === "delete").map(button));
    return { inline_keyboard: [decisions, platform].filter((row) => row.length) };
  }

  async deliverAlert(alert: AlertPayload, modDestination: string, previousRef: string | null): Promise<{ ref: string }> {
    if (modDestination === alert.communityId) {
      // Never post evidence in the watched group itself, whatever the settings say.
      throw new Error(`telegram: modChannel of group ${alert.communityId} is the group itself; link a separate moderators' chat with /haven_link`);
    }
    const previous = previousRef ? parseRef(previousRef) : null;
    const send = async (chat: string) => {
      const markup = await this.keyboard(alert, chat);
      return this.api.sendMessage(chat, renderAlert(alert), {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        ...(markup ? { reply_markup: markup } : {}),
        // A re-alert answers the case's earlier message, so the thread stays together.
        ...(previous && previous.chatId === chat ? { reply_parameters: { message_id: previous.messageId, allow_sending_without_reply: true } } : {}),
      });
    };
    let destination = modDestination;
    let sent;
    try {
      sent = await send(destination);
    } catch (err) {
      const to = err instanceof GrammyError ? err.parameters.migrate_to_chat_id : undefined;
      if (to === undefined) throw err;
      // The moderators' basic group became a supergroup (new id): follow it and remember.
      destination = String(to);
      await this.service.changeSettings("telegram", alert.communityId, { modChannel: destination }, UPGRADE_ACTOR);
      sent = await send(destination);
    }
    this.modChats.learn(alert.communityId, destination);
    if (previous) await this.dropKeyboard(previous.chatId, previous.messageId);
    return { ref: `${destination}:${sent.message_id}` };
  }

  async showDecision(alert: AlertPayload, modDestination: string, ref: string): Promise<void> {
    this.modChats.learn(alert.communityId, modDestination);
    const { chatId, messageId } = parseRef(ref);
    const markup = await this.keyboard(alert, chatId);
    try {
      await this.api.editMessageText(chatId, messageId, renderAlert(alert, (l) => this.names.show(l)), {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        ...(markup ? { reply_markup: markup } : {}),
      });
    } catch (err) {
      if (isNotModified(err) || isGone(err)) return;
      throw err;
    }
  }

  async performAction(action: { kind: PlatformActionKind; communityId: string; userId: string; channelId?: string; messageId?: string; durationSeconds?: number }): Promise<void> {
    const userId = Number(action.userId);
    if (action.kind === "timeout") {
      const until = Math.floor(this.now() / 1000) + (action.durationSeconds ?? 3600);
      await this.api.restrictChatMember(
        action.communityId,
        userId,
        {
          can_send_messages: false,
          can_send_audios: false,
          can_send_documents: false,
          can_send_photos: false,
          can_send_videos: false,
          can_send_video_notes: false,
          can_send_voice_notes: false,
          can_send_polls: false,
          can_send_other_messages: false,
          can_add_web_page_previews: false,
        },
        { until_date: until, use_independent_chat_permissions: true },
      );
    } else if (action.kind === "ban") {
      await this.api.banChatMember(action.communityId, userId);
    } else {
      if (!action.messageId) throw new Error("telegram: delete needs a messageId");
      try {
        await this.api.deleteMessage(action.channelId ?? action.communityId, Number(action.messageId));
      } catch (err) {
        if (!isGone(err)) throw err;
      }
    }
  }

  private async dropKeyboard(chatId: string, messageId: number): Promise<void> {
    try {
      await this.api.editMessageReplyMarkup(chatId, messageId, { reply_markup: { inline_keyboard: [] } });
    } catch {
      // Best effort: the old buttons still resolve to the same case.
    }
  }
}
