// Plain chat's engine state is written by a periodic flush, not with its messages. That flush
// must never write state that has seen messages not yet committed: after a crash the platform
// delivers them again and the state would count them twice.
import { PgDialect } from "drizzle-orm/pg-core";
import type { SQL } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createHaven } from "../../src/app.ts";
import { loadModel, RiskEngine } from "../../src/engine/index.ts";
import { testBackends, useTestDatabase } from "../fixtures/db.ts";
import { msg, resetClock } from "./helpers.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(testBackends())("engine state flush order on $name", (backend) => {
  const getDb = useTestDatabase(backend);

  it("writes a batch's plain-chat state only after the batch's messages are committed", async () => {
    resetClock();
    const haven = await createHaven({ database: getDb(), engine: new RiskEngine(loadModel()), retentionEveryMs: 0 });
    const db = getDb().db;
    const dialect = new PgDialect();
    const execute = db.execute.bind(db);
    // What happened, in order: a state write (with the channels its states mention) or a message insert committing.
    const events: string[] = [];
    let slowInserts = false;
    db.execute = (async (q: SQL) => {
      const { sql: text, params } = dialect.sqlToQuery(q);
      const channels = ["d1", "d2", "d3"].filter((c) => JSON.stringify(params).includes(c));
      if (/insert into risk_states/i.test(text) && !/insert into messages/i.test(text)) events.push(`states ${channels.join(",")}`);
      if (!/insert into messages/i.test(text)) return execute(q);
      if (slowInserts) await sleep(1_000);
      const result = await execute(q);
      events.push(`messages ${channels.join(",")}`);
      return result;
    }) as typeof db.execute;
    const dm = (channel: string, id: string, author: string, text: string) =>
      msg(id, author, text, { channelId: channel, channelKind: "dm", link: `https://chat.example/${channel}/${id}` });

    // A: committed; its state flush is due one second later.
    await Promise.all([dm("d1", "1", "a", "hey"), dm("d1", "2", "b", "hi how r u")].map((m) => haven.service.ingest(m)));
    slowInserts = true;
    await sleep(500);
    // B: built now, its messages take a second to commit; the flush comes due meanwhile.
    const b = Promise.all([dm("d2", "3", "c", "yo"), dm("d2", "4", "d", "sup")].map((m) => haven.service.ingest(m)));
    await sleep(650);
    // C: arrives while the flush waits for B; its messages commit a second after B's.
    const c = Promise.all([dm("d3", "5", "e", "morning"), dm("d3", "6", "f", "hello there")].map((m) => haven.service.ingest(m)));
    await Promise.all([b, c]);
    await sleep(1_200);
    slowInserts = false;
    await haven.stop();
    db.execute = execute;

    const firstStatesOf = (ch: string) => events.findIndex((e) => e.startsWith("states") && e.includes(ch));
    const committed = (ch: string) => events.findIndex((e) => e.startsWith("messages") && e.includes(ch));
    for (const ch of ["d1", "d2", "d3"]) {
      expect(committed(ch), `${ch} in ${events.join(" | ")}`).toBeGreaterThanOrEqual(0);
      expect(firstStatesOf(ch), `${ch} in ${events.join(" | ")}`).toBeGreaterThan(committed(ch));
    }
  });
});
