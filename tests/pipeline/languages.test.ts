// The community's `languages` setting reaches the engine: a community watching only English
// gets no alert from Dutch grooming, one watching both does.
import { describe, expect, it } from "vitest";
import { createHaven } from "../../src/app.ts";
import { loadModel, RiskEngine } from "../../src/engine/index.ts";
import { alerts, cases } from "../../src/store/schema.ts";
import { resetDatabase, testBackends, useTestDatabase } from "../fixtures/db.ts";
import { admin, msg, resetClock } from "./helpers.ts";

const dutch: [author: string, text: string][] = [
  ["u1", "hey schatje, hoe oud ben je?"],
  ["u2", "ik ben 12"],
  ["u1", "je bent echt volwassen voor je leeftijd"],
  ["u1", "niet aan je ouders zeggen he dat we praten"],
  ["u1", "ben je alleen thuis?"],
  ["u2", "ja"],
  ["u1", "stuur eens een foto van jezelf"],
];

describe.each(testBackends())("watched languages in the pipeline on $name", (backend) => {
  const getDb = useTestDatabase(backend);
  const model = loadModel();

  async function run(languages: string[]) {
    resetClock();
    const haven = await createHaven({ database: getDb(), engine: new RiskEngine(model), retentionEveryMs: 0 });
    await haven.service.changeSettings("discord", "g1", { modChannel: "mods", languages }, admin);
    for (const [i, [author, text]] of dutch.entries()) await haven.service.ingest(msg(String(i + 1), author, text, { channelKind: "dm", channelId: "dm1" }));
    await haven.stop();
    const db = getDb().db;
    return { alerts: (await db.select().from(alerts)).length, cases: (await db.select().from(cases)).length };
  }

  it("Dutch grooming raises no alert where only English is watched, and alerts where Dutch is too", async () => {
    expect(await run(["en"])).toEqual({ alerts: 0, cases: 0 });
    await resetDatabase(getDb());
    expect((await run(["en", "nl"])).alerts).toBeGreaterThan(0);
  }, 60_000);
});
