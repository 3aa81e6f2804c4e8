// The alert sink and its rendering, against the fake Discord with a bare discord.js client
// (no pipeline): new alerts post, re-alerts edit in place and reply, decisions disable buttons,
// platform actions call the right endpoints.
import { Client, Events, GatewayIntentBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderAlert, DiscordAlertSink } from "../../../adapters/discord/sendAlert.ts";
import { silentLogger } from "../../../src/log.ts";
import type { AlertPayload, HavenService } from "../../../src/types.ts";
import { FakeDiscord, type FakeChannel, type FakeGuild, type FakeUser } from "../../fakes/discord/index.ts";

function alert(over: Partial<AlertPayload> = {}): AlertPayload {
  return {
    alertId: 7,
    caseId: 3,
    platform: "discord",
    communityId: "100",
    communityName: "Pixel Art Club",
    channelId: "200",
    channelName: "general",
    suspect: { id: "42", name: "sunny_mentor" },
    targets: [{ id: "43", name: "pixel*pip" }],
    score: 0.734,
    threshold: 0.6,
    timeline: [
      { stage: "trust", ts: 1_700_000_000_000, messageId: "1" },
      { stage: "isolation", ts: 1_700_000_060_000, messageId: "2" },
    ],
    excerpts: [{ messageId: "2", authorId: "42", ts: 1_700_000_060_000, text: "this is just between us **ok**", stages: ["isolation"], link: "https://discord.com/channels/100/200/2" }],
    actions: ["confirm", "dismiss", "escalate"],
    trigger: "new",
    status: "open",
    decidedBy: null,
    ...over,
  };
}

type Rendered = ReturnType<typeof renderAlert>;
const fields = (r: Rendered) => Object.fromEntries((r.embeds[0]!.fields as { name: string; value: string }[]).map((f) => [f.name, f.value]));
const buttons = (components: unknown) =>
  (components as { components: { label: string; custom_id: string; disabled: boolean }[] }[]).flatMap((row) => row.components);

describe("renderAlert", () => {
  it("shows score against threshold, the stage timeline, excerpts with jump links, suspect, targets and case", () => {
    const r = renderAlert(alert(), "tok");
    const f = fields(r);
    expect(r.embeds[0]!.title).toBe("Possible grooming: case #3");
    expect(f.Score).toBe("**0.73** (threshold 0.60)");
    expect(f.Stages).toMatch(/1\. \*\*trust\*\*.*\n2\. \*\*isolation\*\*/);
    expect(f.Evidence).toContain("[jump](https://discord.com/channels/100/200/2)");
    // User text is escaped: it cannot restyle the alert.
    expect(f.Evidence).toContain("\\*\\*ok\\*\\*");
    expect(f.Suspect).toBe("<@42> (sunny\\_mentor)");
    expect(f.Targets).toBe("<@43> (pixel\\*pip)");
    expect(f.Case).toBe("#3");
    expect(r.allowed_mentions).toEqual({ parse: [] });
    expect(buttons(r.components).map((b) => [b.label, b.custom_id, b.disabled])).toEqual([
      ["Confirm", "haven:confirm:tok", false],
      ["Dismiss", "haven:dismiss:tok", false],
      ["Escalate", "haven:escalate:tok", false],
    ]);
  });

  it("adds platform-action buttons only when enabled, and after a decision disables the decisions", () => {
    const open = renderAlert(alert({ actions: ["confirm", "dismiss", "escalate", "timeout", "ban"] }), "t");
    expect(buttons(open.components).map((b) => b.label)).toEqual(["Confirm", "Dismiss", "Escalate", "Timeout suspect", "Ban suspect"]);
    const confirmed = renderAlert(alert({ actions: ["confirm", "dismiss", "escalate", "timeout"], status: "confirmed", decidedBy: "discord:99" }), "t");
    expect(buttons(confirmed.components).map((b) => b.disabled)).toEqual([true, true, true, false]);
    expect(fields(confirmed).Status).toBe("Confirmed by <@99>");
    const dismissed = renderAlert(alert({ actions: ["confirm", "dismiss", "escalate", "timeout"], status: "dismissed", decidedBy: "console:anna" }), "t");
    expect(buttons(dismissed.components).every((b) => b.disabled)).toBe(true);
    expect(fields(dismissed).Status).toBe("Dismissed by console:anna");
  });

  it("says which actions Haven took on its own, and nothing when it took none", () => {
    expect(fields(renderAlert(alert(), "t"))["Automatic action"]).toBeUndefined();
    const auto = renderAlert(alert({ automatic: ["timeout"] }), "t");
    expect(fields(auto)["Automatic action"]).toContain("timeout");
  });

  it("keeps long evidence within Discord's field limit", () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ ...alert().excerpts[0]!, messageId: String(i), text: "word ".repeat(100) }));
    const f = fields(renderAlert(alert({ excerpts: many }), "t"));
    expect(f.Evidence!.length).toBeLessThanOrEqual(1024);
  });
});

describe("DiscordAlertSink against the fake Discord", () => {
  let fake: FakeDiscord;
  let client: Client;
  let guild: FakeGuild;
  let mods: FakeChannel;
  let suspect: FakeUser;
  let sink: DiscordAlertSink;
  const tokens: Record<string, unknown>[] = [];

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    guild = fake.addGuild("Pixel Art Club");
    mods = fake.addChannel(guild, "mod-alerts");
    suspect = fake.addMember(guild, "sunny_mentor");
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase } });
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(fake.token);
    await ready;
    const service = {
      createToken: async (_purpose: string, payload: Record<string, unknown>) => {
        tokens.push(payload);
        return `tok${tokens.length}`;
      },
    } as unknown as HavenService;
    sink = new DiscordAlertSink(client, service, silentLogger);
  });
  afterAll(async () => {
    await client.destroy();
    await fake.close();
  });

  it("posts a new alert, then a re-alert edits the same message and replies to it", async () => {
    const first = await sink.deliverAlert(alert({ communityId: guild.id }), mods.id, null);
    const [channelId, messageId] = first.ref.split("/");
    expect(channelId).toBe(mods.id);
    expect(fake.messagesIn(mods).map((m) => m.id)).toEqual([messageId]);
    expect(tokens.at(-1)).toEqual({ caseId: 3, communityId: guild.id });

    const again = await sink.deliverAlert(alert({ communityId: guild.id, alertId: 8, score: 0.91, trigger: "severe" }), mods.id, first.ref);
    expect(again.ref).toBe(first.ref);
    const [original, reply] = fake.messagesIn(mods);
    expect(JSON.stringify(original!.embeds)).toContain("0.91");
    expect(reply!.embeds).toEqual([]);
    expect(reply!.content).toMatch(/Case #3 reached a severe stage/);
    expect((reply!.message_reference as { message_id: string }).message_id).toBe(messageId);
  });

  it("posts afresh when the earlier alert message was deleted", async () => {
    const first = await sink.deliverAlert(alert({ communityId: guild.id }), mods.id, null);
    fake.userDeletes(fake.messagesIn(mods).find((m) => first.ref.endsWith(m.id))!);
    const again = await sink.deliverAlert(alert({ communityId: guild.id, trigger: "rise" }), mods.id, first.ref);
    expect(again.ref).not.toBe(first.ref);
    expect(fake.messagesIn(mods).some((m) => again.ref.endsWith(m.id))).toBe(true);
  });

  it("a failed post throws, so the outbox retries", async () => {
    fake.failNext({ method: "POST", path: `/channels/${mods.id}/messages`, status: 403, count: 1 });
    await expect(sink.deliverAlert(alert({ communityId: guild.id }), mods.id, null)).rejects.toThrow(/Missing Permissions/);
  });

  it("shows a decision by editing the embed and disabling the decision buttons", async () => {
    const { ref } = await sink.deliverAlert(alert({ communityId: guild.id }), mods.id, null);
    await sink.showDecision(alert({ communityId: guild.id, status: "escalated", decidedBy: "discord:5" }), mods.id, ref);
    const edited = fake.messagesIn(mods).find((m) => ref.endsWith(m.id))!;
    expect(JSON.stringify(edited.embeds)).toContain("Escalated by <@5>");
    expect(buttons(edited.components).every((b) => b.disabled)).toBe(true);
  });

  it("times out, bans and deletes through the matching endpoints", async () => {
    await sink.performAction({ kind: "timeout", communityId: guild.id, userId: suspect.id, durationSeconds: 600 });
    const until = Date.parse(guild.members.get(suspect.id)!.communicationDisabledUntil!);
    expect(until).toBeGreaterThan(Date.now() + 500_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 600_000);
    const typed = fake.userTypes(mods, suspect, "a message to delete");
    await sink.performAction({ kind: "delete", communityId: guild.id, userId: suspect.id, channelId: mods.id, messageId: typed.id });
    expect(fake.messagesIn(mods).some((m) => m.id === typed.id)).toBe(false);
    // Deleting again is not an error: the message is gone either way.
    await sink.performAction({ kind: "delete", communityId: guild.id, userId: suspect.id, channelId: mods.id, messageId: typed.id });
    await sink.performAction({ kind: "ban", communityId: guild.id, userId: suspect.id });
    expect(guild.bans.has(suspect.id)).toBe(true);
    expect(guild.members.has(suspect.id)).toBe(false);
    expect(fake.calls({ method: "PUT", path: `/bans/${suspect.id}` })[0]?.auditLogReason).toMatch(/Haven/);
  });
});
