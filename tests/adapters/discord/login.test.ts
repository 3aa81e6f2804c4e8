// Start-up mistakes a real admin makes: a privileged intent not enabled in the Developer
// Portal, or a wrong token. Haven must stop with a message saying what to fix, not hang.
import { expect, it } from "vitest";
import { startDiscord } from "../../../adapters/discord/index.ts";
import { silentLogger } from "../../../src/log.ts";
import type { HavenService } from "../../../src/types.ts";
import { FakeDiscord, Intents } from "../../fakes/discord/index.ts";

const service = { registerSink: () => undefined, lastMessageId: async () => null } as unknown as HavenService;

it("stops start-up with a hint when the Message Content intent is not enabled", async () => {
  const fake = await FakeDiscord.start({ privilegedIntents: Intents.GuildMembers });
  fake.addGuild("Club");
  try {
    await expect(startDiscord({ token: fake.token, apiBase: fake.apiBase, service, log: silentLogger })).rejects.toThrow(/disallowed intents.*privileged intents are enabled/i);
    expect(fake.gateway.liveSessions()).toHaveLength(0);
  } finally {
    await fake.close();
  }
});

it("stops start-up with a hint when the token is wrong", async () => {
  const fake = await FakeDiscord.start();
  try {
    await expect(startDiscord({ token: "not-the-token", apiBase: fake.apiBase, service, log: silentLogger })).rejects.toThrow(/DISCORD_TOKEN/);
  } finally {
    await fake.close();
  }
});
