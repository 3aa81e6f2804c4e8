// Every alert button through the real discord.js client, with the right Discord permission
// for each (Manage Messages to decide, Ban Members to ban), the audit trail each press leaves,
// and a re-alert on the same case editing and replying to its message instead of a new alert.
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testBackends, useTestDatabase } from "../../fixtures/db.ts";
import { Permissions, type ApiMessage } from "../../fakes/discord/index.ts";
import { alertMessages, buttonsOf, embedOf, eventually, groomingScript, startWorld, typeScript, type World } from "./harness.ts";

describe.each(testBackends())("Discord alert decisions ($name)", (backend) => {
  const database = useTestDatabase(backend);
  let w: World;

  beforeEach(async () => {
    w = await startWorld(database());
  });
  afterEach(async () => {
    await w.close();
  });

  /** Case entries of the audit log, with the decision or action the pipeline recorded in the details. */
  async function audit(): Promise<{ actor: string; action: string; subject: string | null; kind: string | null }[]> {
    const result = await database().db.execute(
      sql`select actor, action, subject, coalesce(details->>'decision', details->>'kind') as kind from audit_log where action like 'case.%' order by id`,
    );
    return ((result as unknown as { rows?: unknown[] }).rows ?? (result as unknown as unknown[])) as { actor: string; action: string; subject: string | null; kind: string | null }[];
  }
  async function firstAlert(lines = groomingScript(w)): Promise<{ alert: ApiMessage; caseId: number }> {
    await typeScript(w, w.general, lines);
    await w.haven.drainOutbox();
    const [alert] = await eventually(() => (alertMessages(w).length ? alertMessages(w) : null), "an alert in the mod channel");
    return { alert: alert!, caseId: Number(/#(\d+)/.exec(embedOf(alert!).title)![1]) };
  }
  const press = async (alert: ApiMessage, label: string, who: World["member"]) => {
    const button = buttonsOf(alert).find((b) => b.label === label);
    if (!button) throw new Error(`no ${label} button`);
    const record = w.fake.pressButton(alert, button.custom_id, who);
    await eventually(() => record.response, `an answer to ${label}`);
    return String(record.response!.content);
  };
  const status = async (caseId: number) => (await w.haven.service.getCase(caseId, { platform: "discord", communityId: w.guild.id }))?.status;
  const current = (alert: ApiMessage) => w.fake.messagesIn(w.modChannel).find((m) => m.id === alert.id)!;

  it("Escalate decides the case, is audited with who pressed, and the embed says who", async () => {
    const { alert, caseId } = await firstAlert();
    expect(await press(alert, "Escalate", w.moderator)).toMatch(/^Done/);
    expect(await status(caseId)).toBe("escalated");
    await w.haven.drainOutbox();
    const shown = await eventually(() => embedOf(current(alert)).fields.find((f) => f.name === "Status" && f.value.startsWith("Escalated")), "the embed to show the escalation");
    expect(shown.value).toContain(`<@${w.moderator.id}>`);
    expect(await audit()).toContainEqual({ actor: `discord:${w.moderator.id}`, action: "case.decide", subject: `case:${caseId}`, kind: "escalate" });
  });

  it("Dismiss closes the case and disables every button, platform actions included", async () => {
    await w.haven.service.changeSettings("discord", w.guild.id, { platformActions: ["ban"] }, { via: "cli", id: "test", rights: ["configure"] });
    const { alert, caseId } = await firstAlert();
    expect(await press(alert, "Dismiss", w.admin)).toMatch(/^Done/); // Manage Messages is enough to decide
    expect(await status(caseId)).toBe("dismissed");
    await w.haven.drainOutbox();
    const updated = await eventually(() => (buttonsOf(current(alert)).every((b) => b.disabled) ? current(alert) : null), "all buttons disabled");
    expect(embedOf(updated).fields.find((f) => f.name === "Status")!.value).toBe(`Dismissed by <@${w.admin.id}>`);
    expect(await audit()).toContainEqual({ actor: `discord:${w.admin.id}`, action: "case.decide", subject: `case:${caseId}`, kind: "dismiss" });
  });

  it("Ban suspect needs Ban Members: refused for a member with only Moderate Members, done for one who has it", async () => {
    await w.haven.service.changeSettings("discord", w.guild.id, { platformActions: ["timeout", "ban"] }, { via: "cli", id: "test", rights: ["configure"] });
    const timeoutOnly = w.fake.addMember(w.guild, "timeout_tim", [w.fake.addRole(w.guild, "Helpers", Permissions.ManageMessages | Permissions.ModerateMembers)]);
    const { alert, caseId } = await firstAlert();
    expect(await press(alert, "Ban suspect", timeoutOnly)).toMatch(/may not/);
    await w.haven.drainOutbox();
    expect(w.guild.bans.has(w.suspect.id)).toBe(false);
    expect(await press(alert, "Ban suspect", w.moderator)).toMatch(/^Done/);
    await w.haven.drainOutbox();
    const ban = await eventually(() => w.fake.calls({ method: "PUT", path: `/guilds/${w.guild.id}/bans/${w.suspect.id}`, status: 204 })[0], "the ban call");
    expect(ban.auditLogReason).toMatch(/Haven/);
    expect(w.guild.bans.has(w.suspect.id)).toBe(true);
    expect((await audit()).filter((a) => a.subject === `case:${caseId}`).map((a) => [a.actor, a.action, a.kind])).toContainEqual([`discord:${w.moderator.id}`, "case.ban", "ban"]);
  });

  it("a higher-scoring re-alert edits the case's message and replies to it; no second alert embed", async () => {
    const script = groomingScript(w);
    const { alert } = await firstAlert(script.slice(0, -1));
    const firstFooter = JSON.stringify((alert.embeds as { footer: unknown }[])[0]!.footer);
    // The photo request: a new severe stage on the open case.
    await typeScript(w, w.general, script.slice(-1));
    await w.haven.drainOutbox();
    const reply = await eventually(
      () => w.fake.messagesIn(w.modChannel).find((m) => (m.message_reference as { message_id?: string } | undefined)?.message_id === alert.id),
      "a reply to the alert",
    );
    expect(reply.content).toMatch(/Case #\d+ (reached a severe stage|rose)/);
    expect(alertMessages(w).map((m) => m.id)).toEqual([alert.id]);
    expect(JSON.stringify((current(alert).embeds as { footer: unknown }[])[0]!.footer)).not.toBe(firstFooter);
  });
});
