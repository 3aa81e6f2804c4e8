// When Haven fails (database down, a bug), the adapter logs, answers the person, and never
// leaves an unhandled rejection (vitest fails the run on one).
import { Routes } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDiscord, type RunningDiscord } from "../../../adapters/discord/index.ts";
import { silentLogger } from "../../../src/log.ts";
import type { HavenService } from "../../../src/types.ts";
import { eventually, FakeDiscord, Permissions, type FakeChannel, type FakeGuild, type FakeUser } from "../../fakes/discord/index.ts";

describe("Discord adapter when Haven fails", () => {
  let fake: FakeDiscord;
  let discord: RunningDiscord;
  let guild: FakeGuild;
  let general: FakeChannel;
  let admin: FakeUser;
  const attempts: string[] = [];

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    guild = fake.addGuild("Broken Club");
    general = fake.addChannel(guild, "general");
    admin = fake.addMember(guild, "admin", [fake.addRole(guild, "admins", Permissions.Administrator)]);
    const broken = (what: string) => async () => {
      attempts.push(what);
      throw new Error(`database unavailable (${what})`);
    };
    const service = {
      registerSink: () => undefined,
      lastMessageId: async () => null,
      ingest: broken("ingest"),
      editMessage: broken("edit"),
      deleteMessage: broken("delete"),
      resolveToken: async () => ({ caseId: 1, communityId: guild.id }),
      act: broken("act"),
      getSettings: broken("getSettings"),
      changeSettings: broken("changeSettings"),
      status: broken("status"),
    } as unknown as HavenService;
    discord = await startDiscord({ token: fake.token, apiBase: fake.apiBase, service, log: silentLogger });
  });
  afterAll(async () => {
    await discord.stop();
    await fake.close();
  });

  it("a failing ingest, edit or delete is caught", async () => {
    const typed = fake.userTypes(general, admin, "hello");
    fake.userEdits(typed, "hello again");
    fake.userDeletes(typed);
    await eventually(() => ["ingest", "edit", "delete"].every((a) => attempts.includes(a)), "all three attempts");
  });

  it("a failing button press is answered, not left as 'interaction failed'", async () => {
    const posted = (await discord.client.rest.post(Routes.channelMessages(general.id), {
      body: { content: "alert", components: [{ type: 1, components: [{ type: 2, style: 4, label: "Confirm", custom_id: "haven:confirm:tok" }] }] },
    })) as { id: string; channel_id: string };
    const press = fake.pressButton(posted, "haven:confirm:tok", admin);
    await eventually(() => press.response, "an answer");
    expect(press.response).toMatchObject({ flags: 64, content: "Haven could not do that just now; please try again." });
  });

  it("a failing command is answered too", async () => {
    const run = fake.runSlashCommand(general, admin, "haven", "status", {});
    await eventually(() => run.response, "an answer");
    expect(String(run.response!.content)).toMatch(/could not/);
  });
});
