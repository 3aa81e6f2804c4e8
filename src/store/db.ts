// Opens Haven's database: real PostgreSQL through node-postgres when a URL is given,
// embedded PostgreSQL (PGlite) otherwise. Both get the same schema and migrations.
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { HavenError } from "../types.ts";
import * as schema from "./schema.ts";

export type Schema = typeof schema;
/** The drizzle database, whichever driver is behind it. Transactions have the same shape. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Backend = "postgres" | "pglite";

export interface Database {
  db: Db;
  backend: Backend;
  /** Where it is, for logs: host:port/db for Postgres (never the password), a path or "memory" for PGlite. */
  location: string;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../drizzle");

export interface OpenOptions {
  /** postgres:// URL; when absent, PGlite is used. */
  url?: string | undefined;
  /** PGlite data directory; "memory" (or absent with memory: true) for an in-memory database. */
  dataDir?: string | undefined;
  memory?: boolean;
  /** Apply pending migrations after opening (default true). */
  migrate?: boolean;
  /** Connection pool size for Postgres. */
  poolSize?: number;
}

/** host:port/database of a Postgres URL, safe to print: no user, no password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || "localhost"}:${u.port || "5432"}${u.pathname || ""}`;
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

export async function openDatabase(opts: OpenOptions = {}): Promise<Database> {
  const database = opts.url ? await openPostgres(opts.url, opts.poolSize ?? 10) : await openPglite(opts);
  if (opts.migrate !== false) {
    try {
      await migrateDatabase(database);
    } catch (err) {
      await database.close().catch(() => {});
      throw err;
    }
  }
  return database;
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const where = describeUrl(url);
  try {
    new URL(url);
  } catch {
    throw new HavenError("DATABASE_URL is not a valid URL", "db.url", "use postgres://user:password@host:5432/database");
  }
  const { default: pg } = await import("pg");
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5_000 });
  // A client losing its server must not crash the process; the next query on it reports
  // the error and the pool replaces it. pg only guards idle clients, so a client that is
  // checked out (between a transaction's queries) needs its own listener.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => {});
    const reason = err instanceof Error ? err.message.replace(url, where) : String(err);
    throw new HavenError(
      `Cannot connect to PostgreSQL at ${where}: ${reason}`,
      "db.connect",
      "check that the server runs and DATABASE_URL is right, or unset DATABASE_URL to use the embedded database",
    );
  }
  const db = drizzle(pool, { schema }) as unknown as Db;
  // drizzle's pool transaction leaks the client when BEGIN itself fails (a connection the
  // server terminated while idle) and returns broken clients to the pool. Run each
  // transaction on a client we check out and release ourselves, discarding it on error.
  // One drizzle wrapper per pooled client: building one reads the whole schema's relations again.
  const wrappers = new WeakMap<object, Db>();
  const transaction: Db["transaction"] = async (work, config) => {
    const client = await pool.connect();
    let failure: Error | undefined;
    try {
      let onClient = wrappers.get(client);
      if (!onClient) {
        onClient = drizzle(client, { schema }) as unknown as Db;
        wrappers.set(client, onClient);
      }
      return await onClient.transaction(work, config);
    } catch (err) {
      failure = err instanceof Error ? err : new Error(String(err));
      throw err;
    } finally {
      client.release(failure && isConnectionError(failure) ? failure : undefined);
    }
  };
  db.transaction = transaction;
  return { db, backend: "postgres", location: where, close: () => pool.end() };
}

async function openPglite(opts: OpenOptions): Promise<Database> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const memory = opts.memory || !opts.dataDir || opts.dataDir === "memory";
  let client;
  if (memory) {
    client = new PGlite();
  } else {
    const dir = resolve(opts.dataDir!);
    mkdirSync(dirname(dir), { recursive: true });
    try {
      client = new PGlite(dir);
      await client.waitReady;
    } catch (err) {
      throw new HavenError(
        `Cannot open the embedded database at ${dir}: ${err instanceof Error ? err.message : String(err)}`,
        "db.pglite",
        "check the directory is writable and not used by another Haven process, or set HAVEN_DATA_DIR",
      );
    }
  }
  const db = drizzle(client, { schema }) as unknown as Db;
  return { db, backend: "pglite", location: memory ? "memory" : resolve(opts.dataDir!), close: () => client.close() };
}

/** An error that means the connection is unusable, not that the statement was wrong. */
function isConnectionError(err: Error): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && /^(ECONN|EPIPE|ETIMEDOUT|57P0|08)/.test(code)) return true;
  return /terminat|Connection|not queryable/i.test(err.message);
}

/** Apply pending migrations from drizzle/. Applying them again is a no-op. */
export async function migrateDatabase(database: Database): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_DIR };
  if (database.backend === "postgres") {
    const { migrate } = await import("drizzle-orm/node-postgres/migrator");
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await migrate(database.db as any, config);
  } else {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await migrate(database.db as any, config);
  }
}

/** The PGlite directory under Haven's data directory. */
export function pgliteDir(dataDir: string): string {
  return join(dataDir, "db");
}
