// Back-filled messages come from REST without the author's member object, and in a large
// guild discord.js' member cache is mostly empty (GUILD_CREATE lists few members). Haven must
// still know the author's roles, or a staff member's exempt role is ignored after an outage.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testBackends, useTestDatabase } from "../../fixtures/db.ts";
import { alertMessages, eventually, groomingScript, startWorld, typeScript, type World } from "./harness.ts";

describe.each(testBackends())("Discord back-fill ($name)", (backend) => {
  const database = useTestDatabase(backend);
  let w: World;

  beforeEach(async () => {
    w = await startWorld(database(), { fake: { guildCreateMembers: "bot" } });
  });
  afterEach(async () => {
    await w.close();
  });

  it("knows the roles of back-filled authors: an exempt staff member raises no alert", { timeout: 60_000 }, async () => {
    await w.haven.service.changeSettings("discord", w.guild.id, { exemptRoles: [w.modRole.id] }, { via: "cli", id: "test", rights: ["configure"] });
    await typeScript(w, w.general, [{ author: w.child, text: "anyone around?" }]);
    w.fake.dropConnection({ resumable: false });
    // Said while the bot was away, by a moderator (exempt role) whom the bot has never seen speak.
    const missed = groomingScript(w).map((l) => w.fake.userTypes(w.general, l.author.id === w.suspect.id ? w.moderator : l.author, l.text));
    // Identify throttle (~5 s) plus, under load, discord.js' 15 s guild wait: see resilience.test.ts.
    await eventually(async () => (await w.haven.service.lastMessageId("discord", w.general.id)) === missed.at(-1)!.id, "back-filled messages", 35_000);
    await w.haven.drainOutbox();
    expect(alertMessages(w)).toHaveLength(0);
    // The roles came from Discord, one member fetch per author at most.
    const fetched = w.fake.calls({ method: "GET", path: new RegExp(`^/guilds/${w.guild.id}/members/`) }).map((c) => c.path);
    expect(fetched).toContain(`/guilds/${w.guild.id}/members/${w.moderator.id}`);
    expect(new Set(fetched).size).toBe(fetched.length);
  });
});
