// stop() must end the Discord side even when the gateway has gone away: discord.js would
// otherwise keep reconnecting and keep the process alive.
import { Events } from "discord.js";
import { expect, it } from "vitest";
import { startDiscord } from "../../../adapters/discord/index.ts";
import { silentLogger } from "../../../src/log.ts";
import type { HavenService } from "../../../src/types.ts";
import { eventually, FakeDiscord } from "../../fakes/discord/index.ts";

it("stop() ends reconnecting even while the gateway is unreachable", async () => {
  const fake = await FakeDiscord.start();
  fake.addGuild("Club");
  const service = { registerSink: () => undefined, lastMessageId: async () => null } as unknown as HavenService;
  const discord = await startDiscord({ token: fake.token, apiBase: fake.apiBase, service, log: silentLogger });
  let reconnects = 0;
  discord.client.on(Events.ShardReconnecting, () => void (reconnects += 1));
  await fake.close();
  await eventually(() => reconnects >= 2, "discord.js to retry the vanished gateway");
  await discord.stop();
  // Proving an absence needs a wait: attempts are 500 ms apart, so 1.5 s gives three chances to go on.
  const after = reconnects;
  await new Promise((r) => setTimeout(r, 1_500));
  expect(reconnects - after).toBeLessThanOrEqual(1);
});
