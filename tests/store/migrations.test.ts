import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { migrateDatabase } from "../../src/store/db.ts";
import { testBackends, useTestDatabase } from "../fixtures/db.ts";

describe.each(testBackends())("migrations on $name", (backend) => {
  const database = useTestDatabase(backend);

  it("creates every table of the schema", async () => {
    const result = await database().db.execute<{ tablename: string }>(
      sql`select tablename from pg_tables where schemaname = 'public' order by tablename`,
    );
    const names = ((result as unknown as { rows: { tablename: string }[] }).rows).map((r) => r.tablename);
    for (const t of ["communities", "settings_revisions", "messages", "message_signals", "risk_states", "cases", "alerts", "outbox", "labels", "audit_log"]) {
      expect(names).toContain(t);
    }
  });

  it("re-applying migrations is a no-op", async () => {
    const count = async () => {
      const r = await database().db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      return (r as unknown as { rows: { n: number }[] }).rows[0]!.n;
    };
    const before = await count();
    expect(before).toBeGreaterThan(0);
    await migrateDatabase(database());
    await migrateDatabase(database());
    expect(await count()).toBe(before);
  });
});
