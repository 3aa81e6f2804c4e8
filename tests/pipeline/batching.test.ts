// Messages that arrive together are written as one batch: the cases, alerts and evidence
// links they produce must be exactly those of the same messages arriving one by one, and
// with HAVEN_ASYNC_COMMIT only batches without an alert skip waiting for the disk flush.
import { asc, sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { beforeEach, describe, expect, it } from "vitest";
import { createHaven, type Haven } from "../../src/app.ts";
import type { PipelineOptions } from "../../src/pipeline.ts";
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
  let engine: FakeEngine;

  async function start(pipeline: PipelineOptions = {}) {
    engine = new FakeEngine();
    haven = await createHaven({ database: getDb(), engine, pipeline, outbox: { baseDelayMs: 0 } });
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

  /** What the conversation leaves in the store when its messages arrive one at a time; the store is emptied again afterwards. */
  async function oneAtATime() {
    await start();
    for (const m of conversation()) await haven.service.ingest(m);
    const stored = await snapshot();
    await haven.stop();
    await getDb().db.execute(sql`truncate messages, message_signals, cases, alerts, case_messages, case_targets, outbox, risk_states restart identity cascade`);
    return stored;
  }

  beforeEach(() => resetClock());

  it("a batch writes the same cases, alerts, signals and evidence links as one message at a time", async () => {
    const oneByOne = await oneAtATime();
    await start();
    const results = await Promise.all(conversation().map((m) => haven.service.ingest(m)));
    const together = await snapshot();
    await haven.stop();

    expect(results.filter((r) => r.alertIds.length).length).toBeGreaterThanOrEqual(2);
    expect(results.filter((r) => !r.stored)).toHaveLength(1);
    expect(together).toEqual(oneByOne);
    expect(oneByOne.cases).toHaveLength(2);
  });

  it("a batch prepared while an earlier batch's case transaction runs writes after it, as one message at a time would", async () => {
    const oneByOne = await oneAtATime();
    await start();
    // The first transaction (the batch that opens the first case) is slow to start: the next
    // batch is prepared and scored meanwhile, and must not write before it.
    const db = getDb().db;
    const transaction = db.transaction.bind(db);
    let slow = true;
    let observedBeforeFirst = 0;
    db.transaction = ((work, config) => {
      if (!slow) return transaction(work, config);
      slow = false;
      return new Promise((r) => setTimeout(r, 150)).then(() => {
        observedBeforeFirst = engine.observed;
        return transaction(work, config);
      });
    }) as typeof db.transaction;
    const ms = conversation();
    const first = Promise.all(ms.slice(0, 8).map((m) => haven.service.ingest(m)));
    await new Promise((r) => setTimeout(r, 50));
    const rest = await Promise.all(ms.slice(8).map((m) => haven.service.ingest(m)));
    const results = [...(await first), ...rest];
    db.transaction = transaction;
    const overlapped = await snapshot();
    await haven.stop();

    // The later messages were scored while the first transaction waited.
    expect(observedBeforeFirst).toBeGreaterThan(8);
    expect(results.filter((r) => r.alertIds.length).length).toBeGreaterThanOrEqual(2);
    expect(overlapped).toEqual(oneByOne);
  });

  it("with asyncCommit, only batches that raised no alert commit without waiting for the disk", async () => {
    await start({ asyncCommit: true });
    const transactions = recordTransactions(getDb().db);
    const ms = conversation();
    const asyncOf = async (list: ChatMessage[]) => {
      transactions.length = 0;
      const r = await Promise.all(list.map((m) => haven.service.ingest(m)));
      const scoring = transactions.filter((t) => t.some((s) => /insert into messages/i.test(s)));
      expect(scoring).toHaveLength(1);
      return { alerted: r.some((x) => x.alertIds.length > 0), async: scoring[0]!.some((s) => /synchronous_commit = off/.test(s)) };
    };
    expect(await asyncOf(ms.slice(0, 4))).toEqual({ alerted: false, async: true });
    expect(await asyncOf(ms.slice(4, 8))).toEqual({ alerted: true, async: false });
    // Everything was committed either way.
    expect(await getDb().db.select().from(messages)).toHaveLength(8);
    await haven.stop();
  });
});

/** The statements run through `execute` in each transaction (a batch's multi-row writes and settings). */
function recordTransactions(db: ReturnType<ReturnType<typeof useTestDatabase>>["db"]): string[][] {
  const dialect = new PgDialect();
  const seen: string[][] = [];
  const transaction = db.transaction.bind(db);
  db.transaction = ((work, config) =>
    transaction(async (tx) => {
      const statements: string[] = [];
      seen.push(statements);
      const execute = tx.execute.bind(tx);
      tx.execute = ((q: SQL) => {
        statements.push(dialect.sqlToQuery(q).sql);
        return execute(q);
      }) as typeof tx.execute;
      return work(tx);
    }, config)) as typeof db.transaction;
  return seen;
}
