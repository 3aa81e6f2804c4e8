import { describe, expect, it } from "vitest";
import type { Api } from "grammy";
import { actionsToShow, escapeHtml, parseRef, renderAlert, TelegramAlertSink } from "../../../adapters/telegram/sendAlert.ts";
import { ModChatIndex } from "../../../adapters/telegram/links.ts";
import { rightsOf } from "../../../adapters/telegram/rights.ts";
import { htmlToText } from "../../fakes/telegram/parseMode.ts";
import type { AlertPayload, HavenService } from "../../../src/types.ts";

const alert: AlertPayload = {
  alertId: 1,
  caseId: 12,
  platform: "telegram",
  communityId: "-1001234567890",
  communityName: "Art <Club> & Friends",
  channelId: "-1001234567890",
  channelName: null,
  suspect: { id: "42", name: "Sam <b>" },
  targets: [{ id: "99", name: "Tia" }],
  score: 0.8123,
  threshold: 0.6,
  timeline: [
    { stage: "trust", ts: Date.UTC(2026, 0, 1, 10, 0), messageId: "1" },
    { stage: "isolation", ts: Date.UTC(2026, 0, 1, 10, 5), messageId: "3" },
  ],
  excerpts: [{ messageId: "3", authorId: "42", ts: Date.UTC(2026, 0, 1, 10, 5), text: "dont tell <anyone> & keep it secret", stages: ["isolation"], link: "https://t.me/c/1234567890/3" }],
  actions: ["confirm", "dismiss", "escalate", "timeout", "ban"],
  trigger: "new",
  status: "open",
  decidedBy: null,
};

describe("renderAlert", () => {
  it("shows score, threshold, timeline, excerpts with links, suspect and targets, as HTML Telegram accepts", () => {
    const html = renderAlert(alert);
    const text = htmlToText(html); // throws like Telegram's "can't parse entities" on bad HTML
    expect(text).toContain("case #12");
    expect(text).toContain("Score: 0.81 (threshold 0.60)");
    expect(text).toContain("Suspect: Sam <b> (id 42)");
    expect(text).toContain("Approached: Tia (id 99)");
    expect(text).toContain("trust — 2026-01-01 10:00 UTC");
    expect(text).toContain("“dont tell <anyone> & keep it secret” [isolation]");
    expect(html).toContain('<a href="https://t.me/c/1234567890/3">open</a>');
    expect(text).toContain("Art <Club> & Friends");
  });

  it("shows who decided, and keeps platform actions but not decisions once decided", () => {
    const decided = { ...alert, status: "confirmed" as const, decidedBy: "telegram:7" };
    expect(htmlToText(renderAlert(decided, (l) => (l === "telegram:7" ? "@olivia" : l)))).toContain("Confirmed by @olivia");
    expect(actionsToShow(decided)).toEqual(["timeout", "ban"]);
    expect(actionsToShow(alert)).toEqual(alert.actions);
  });

  it("says which actions Haven took on its own, and nothing when it took none", () => {
    expect(renderAlert(alert)).not.toContain("on its own");
    expect(renderAlert({ ...alert, automatic: ["ban"] })).toContain("Haven requested on its own: <b>ban</b>");
  });

  it("stays under Telegram's 4096 characters with many long excerpts", () => {
    const long = { ...alert, excerpts: Array.from({ length: 20 }, (_, i) => ({ ...alert.excerpts[0]!, messageId: String(i), text: "x".repeat(1000) })) };
    const html = renderAlert(long);
    expect(html.length).toBeLessThanOrEqual(4096);
    expect(() => htmlToText(html)).not.toThrow();
  });
});

describe("helpers", () => {
  it("escapes the characters Telegram HTML reserves", () => {
    expect(escapeHtml(`<a href="x">&</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
  });

  it("parses alert refs and refuses bad ones", () => {
    expect(parseRef("-1001234:56")).toEqual({ chatId: "-1001234", messageId: 56 });
    expect(() => parseRef("nonsense")).toThrow(/bad alert ref/);
  });

  it("derives rights from the member's status in the watched group", () => {
    const user = { id: 1, is_bot: false, first_name: "A" };
    expect(rightsOf({ status: "creator", user, is_anonymous: false })).toEqual(["decide", "configure", "timeout", "ban", "delete"]);
    expect(rightsOf({ status: "member", user })).toEqual([]);
    const admin = {
      status: "administrator" as const,
      user,
      can_be_edited: false,
      is_anonymous: false,
      can_manage_chat: true,
      can_delete_messages: false,
      can_manage_video_chats: false,
      can_restrict_members: true,
      can_promote_members: false,
      can_change_info: false,
      can_invite_users: false,
      can_post_stories: false,
      can_edit_stories: false,
      can_delete_stories: false,
    };
    expect(rightsOf(admin as never)).toEqual(["decide", "configure", "timeout", "ban"]);
    expect(rightsOf({ ...admin, can_restrict_members: false, can_delete_messages: true } as never)).toEqual(["decide", "configure", "delete"]);
  });
});

describe("TelegramAlertSink", () => {
  function sinkWith(calls: { method: string; args: unknown[] }[]) {
    const api = new Proxy(
      {},
      {
        get: (_t, method: string) =>
          async (...args: unknown[]) => {
            calls.push({ method, args });
            return { message_id: 77 };
          },
      },
    );
    let n = 0;
    const service = { createToken: async () => `tok${n++}` } as unknown as HavenService;
    return new TelegramAlertSink(api as unknown as Api, service, new ModChatIndex(), undefined, () => 1_000_000_000_000);
  }

  it("refuses to post an alert into the watched group itself", async () => {
    const calls: { method: string; args: unknown[] }[] = [];
    await expect(sinkWith(calls).deliverAlert(alert, alert.communityId, null)).rejects.toThrow(/is the group itself/);
    expect(calls).toEqual([]);
  });

  it("posts to the mod chat with opaque callback data, and mutes with an until date from the duration", async () => {
    const calls: { method: string; args: unknown[] }[] = [];
    const sink = sinkWith(calls);
    expect(await sink.deliverAlert(alert, "-100555", null)).toEqual({ ref: "-100555:77" });
    const [chat, , other] = calls[0]!.args as [string, string, { reply_markup: { inline_keyboard: { callback_data: string }[][] } }];
    expect(chat).toBe("-100555");
    expect(other.reply_markup.inline_keyboard.flat().map((b) => b.callback_data)).toEqual(["hv:tok0", "hv:tok1", "hv:tok2", "hv:tok3", "hv:tok4"]);
    await sink.performAction({ kind: "timeout", communityId: "-1001", userId: "42", durationSeconds: 600 });
    expect(calls.at(-1)).toMatchObject({ method: "restrictChatMember", args: ["-1001", 42, { can_send_messages: false }, { until_date: 1_000_000_600 }] });
  });
});
