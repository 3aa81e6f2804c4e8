import { beforeEach, describe, expect, it } from "vitest";
import { createHaven, type Haven } from "../../src/app.ts";
import { alerts, cases } from "../../src/store/schema.ts";
import { testBackends, useTestDatabase } from "../fixtures/db.ts";
import { FakeEngine } from "./fake-engine.ts";
import { admin, CaptureSink, msg, resetClock } from "./helpers.ts";

// An adult fishing in several channels: the open case's cooldown must not hide a child it does not name yet.
describe.each(testBackends())("pipeline, a child new to an open case, on $name", (backend) => {
  const getDb = useTestDatabase(backend);
  let haven: Haven;

  beforeEach(async () => {
    resetClock();
    haven = await createHaven({ database: getDb(), engine: new FakeEngine(), outbox: { baseDelayMs: 0, maxAttempts: 5 } });
    haven.service.registerSink(new CaptureSink());
    await haven.service.changeSettings("discord", "g1", { modChannel: "mods" }, admin);
  });

  it("alerts again, in the cooldown, when the suspect turns to another child; not for more of the same child", async () => {
    const s = haven.service;
    await s.ingest(msg("1", "kid1", "hi everyone"));
    await s.ingest(msg("2", "adult", "you draw so well #trust"));
    await s.ingest(msg("3", "adult", "how old are you, where do you live #personal"));
    expect((await s.ingest(msg("4", "adult", "dont tell your mom we talk #isolation"))).alertIds).toHaveLength(1);
    // Same child, same case, in the cooldown: nothing new.
    expect((await s.ingest(msg("5", "adult", "you are so mature #trust"))).alertIds).toHaveLength(0);

    const dm2 = { channelId: "dm2", channelKind: "dm" as const };
    await s.ingest(msg("6", "kid2", "hey", dm2));
    expect((await s.ingest(msg("7", "adult", "you seem so mature #trust", dm2))).alertIds).toHaveLength(1);
    expect((await s.ingest(msg("8", "adult", "dont tell anyone #isolation", dm2))).alertIds).toHaveLength(0);

    const db = getDb().db;
    expect(await db.select().from(cases)).toHaveLength(1);
    expect((await db.select().from(alerts)).map((a) => a.trigger)).toEqual(["new", "new"]);
  });

  it("alerts once in a DM to a child the case already names (named in the group); the store remembers where it alerted", async () => {
    const s = haven.service;
    await s.ingest(msg("1", "kid1", "hi everyone"));
    await s.ingest(msg("2", "kid2", "hey"));
    await s.ingest(msg("3", "adult", "you two draw so well #trust"));
    await s.ingest(msg("4", "adult", "how old are you, where do you live #personal"));
    expect((await s.ingest(msg("5", "adult", "dont tell your mom we talk #isolation"))).alertIds).toHaveLength(1);

    const dm = { channelId: "dm-kid2", channelKind: "dm" as const };
    await s.ingest(msg("6", "kid2", "hey", dm));
    expect((await s.ingest(msg("7", "adult", "you are so mature #trust", dm))).alertIds).toHaveLength(1);
    expect((await s.ingest(msg("8", "adult", "dont tell anyone #isolation", dm))).alertIds).toHaveLength(0);

    // A new process knows only the store: it must not alert again in either channel.
    const again = await createHaven({ database: getDb(), engine: new FakeEngine(), outbox: { baseDelayMs: 0, maxAttempts: 5 } });
    again.service.registerSink(new CaptureSink());
    expect((await again.service.ingest(msg("9", "adult", "are you alone #trust #personal #isolation", dm))).alertIds).toHaveLength(0);
    expect((await again.service.ingest(msg("10", "adult", "see you all #trust #personal #isolation"))).alertIds).toHaveLength(0);

    const db = getDb().db;
    expect(await db.select().from(cases)).toHaveLength(1);
    expect((await db.select().from(alerts)).map((a) => a.trigger)).toEqual(["new", "new"]);
  });
});
