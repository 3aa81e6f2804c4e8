// Messages that arrive together are written as one batch: the cases, alerts and evidence
// links they produce must be exactly those of the same messages arriving one by one.
import { asc, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { createHaven, type Haven } from "../../src/app.ts";
import { alerts, caseMessages, cases, messages, messageSignals, outbox } from "../../src/store/schema.ts";
import type { ChatMessage } from "../../src/types.ts";
import { testBackends, useTestDatabase } from "../fixtures/db.ts";
import { FakeEngine } from "./fake-engine.ts";
import { admin, CaptureSink, msg, resetClock } from "./helpers.ts";

/** Two adults grooming two children in two channels, with chat around it; crosses the threshold several times. */
function conversation(): ChatMessage[] {
  resetClock();
  const c2 = { channelId: "c2", channelName: "games" };
  return [
    msg("1", "kid", "hi everyone"),
    msg("2", "adult", "you draw so well #trust"),
    msg("1", "kid2", "anyone here?", c2),
    msg("3", "kid", "thanks"),
    msg("2", "adult2", "you are so mature #trust", c2),
    msg("4", "adult", "how old are you, where do you live #personal"),
    msg("3", "adult2", "where are your parents #personal", c2),
    msg("5", "adult", "dont tell your mom we talk #isolation"),
    msg("4", "adult2", "keep this secret #isolation", c2),
    msg("6", "kid", "ok"),
    msg("7", "adult", "send me a picture #sexual"),
    msg("5", "adult2", "lets meet tomorrow #meeting", c2),
    msg("7", "adult", "send me a picture #sexual"), // a duplicate delivery
    msg("8", "adult", "add me on snap #trust"),
  ];
}

describe.each(testBackends())("batched writes on $name", (backend) => {
  const getDb = useTestDatabase(backend);
  let haven: Haven;

  async function start() {
    haven = await createHaven({ database: getDb(), engine: new FakeEngine(), outbox: { baseDelayMs: 0 } });
    haven.service.registerSink(new CaptureSink());
    await haven.service.changeSettings("discord", "g1", { modChannel: "mods" }, admin);
  }

  /** What the store holds about the conversation, without row ids that depend on write order. */
  async function snapshot() {
    const db = getDb().db;
    const msgs = await db.select({ id: messages.id, pid: messages.platformMessageId, ch: messages.channelId, score: messages.score, scored: sql<boolean>`${messages.scoredAt} is not null` }).from(messages);
    const name = new Map(msgs.map((m) => [m.id, `${m.ch}/${m.pid}`]));
    return {
      messages: msgs.map((m) => ({ m: name.get(m.id), score: m.score, scored: m.scored })).sort((a, b) => a.m!.localeCompare(b.m!)),
      signals: (await db.select().from(messageSignals)).map((s) => `${name.get(s.messageId)} ${s.stage} ${s.weight}`).sort(),
      cases: (await db.select().from(cases).orderBy(asc(cases.suspectId))).map((c) => ({ score: c.score, stages: c.stages, lastAlertScore: c.lastAlertScore, status: c.status })),
      alerts: (await db.select().from(alerts)).map((a) => `${a.score} ${a.stages.join(",")} ${name.get(a.triggerMessageId!)}`).sort(),
      links: (await db.select().from(caseMessages)).map((l) => `${l.caseId} ${name.get(l.messageId)}`).sort(),
      outbox: (await db.select().from(outbox)).length,
    };
  }

  beforeEach(() => resetClock());

  it("a batch writes the same cases, alerts, signals and evidence links as one message at a time", async () => {
    await start();
    for (const m of conversation()) await haven.service.ingest(m);
    const oneByOne = await snapshot();
    await haven.stop();

    await getDb().db.execute(sql`truncate messages, message_signals, cases, alerts, case_messages, case_targets, outbox, risk_states restart identity cascade`);
    await start();
    const results = await Promise.all(conversation().map((m) => haven.service.ingest(m)));
    const together = await snapshot();
    await haven.stop();

    expect(results.filter((r) => r.alertIds.length).length).toBeGreaterThanOrEqual(2);
    expect(results.filter((r) => !r.stored)).toHaveLength(1);
    expect(together).toEqual(oneByOne);
    expect(oneByOne.cases).toHaveLength(2);
  });
});
