// `haven bench --pipeline [--json] [--workers N] [--messages N] [--rate R]`: a sustained
// synthetic stream through the whole pipeline (store, engine, policy, cases, outbox) on a
// fresh database: PGlite in memory, or a new database on the Postgres server of
// DATABASE_URL (dropped afterwards). With --workers N, N processes (forks of this CLI)
// share that database as scale-out workers do in production: each leases its fair share of
// the partitions (src/pipeline/leases.ts) and is offered the messages of those partitions'
// communities (as a Discord shard or a partition-aware router would); the figures are summed.
// Each worker opens its connection pool as `haven start` does (10 connections). Latencies:
// from handing a message to ingest() to its score being committed, and for messages that
// raised an alert, to the alert's outbox row being committed (same transaction).
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { sql } from "drizzle-orm";
import { createHaven } from "../app.ts";
import { parseConversations, toChatMessage, type Conversation } from "../corpus/format.ts";
import { silentLogger } from "../log.ts";
import { pendingHandoffs, type PartitionLeases } from "../pipeline/leases.ts";
import { partitionOf } from "../pipeline/partition.ts";
import { leases as leasesTable } from "../store/schema.ts";
import { describeUrl, openDatabase, type Database } from "../store/db.ts";
import type { ChatMessage } from "../types.ts";
import { HavenError } from "../types.ts";
import { action } from "./run.ts";
import { loadEnv } from "../config/env.ts";
import { boundHeapGrowth } from "./heap.ts";
import { devSetPath } from "../corpus/dev-set.ts";

interface Options {
  pipeline?: boolean;
  json?: boolean;
  workers: string;
  messages: string;
  rate?: string;
  communities: string;
  grooming?: string;
  spread?: boolean;
  pairs?: string;
  data: string;
  model: string;
  workerIndex?: string;
}

interface WorkerResult {
  messages: number;
  errors: number;
  alerts: number;
  seconds: number;
  latencies: number[];
  triggerLatencies: number[];
  peakRssMb: number;
  handedOver: number;
  /** CPU time this worker process used in the measured window (all its threads: JS, GC, libuv). */
  cpuSeconds: number;
}

export function registerBenchPipeline(program: Command): void {
  program
    .command("bench")
    .description("measure the whole pipeline (store, engine, policy, outbox): throughput, latency, memory, rows written")
    .requiredOption("--pipeline", "benchmark the pipeline (without it, `haven bench` measures the engine alone)")
    .option("--json", "print exactly one JSON object on stdout")
    .option("--workers <n>", "worker processes sharing the database (Postgres only)", "1")
    .option("--messages <n>", "messages in the stream (all workers together)", "50000")
    .option("--rate <r>", "offer messages at this rate (messages/second, all workers together) instead of as fast as possible")
    .option("--communities <n>", "communities the conversations are spread over", "200")
    .option("--grooming <share>", "share of conversations that are grooming (the rest benign)", "0.05")
    .option("--data <file>", "labelled conversations to mix", devSetPath())
    .option("--model <version>", "model version under models/", "current")
    .option("--pairs <n>", "instead of the labelled conversations, open this many adult→child pairs (a probing question and a reply each, in a DM of its own): memory with that many pairs tracked")
    .option("--spread", "with --workers: offer each worker every N-th message whatever its community (a load balancer in front of webhook workers), so most are handed over to their partition's owner")
    .option("--worker-index <i>", "(internal) run as worker i of --workers")
    .action(
      action(async ({ env }, opts: Options) => {
        const workers = Math.max(1, Math.floor(Number(opts.workers) || 1));
        if (opts.workerIndex !== undefined) return runAsChild(opts, workers);
        const url = env.DATABASE_URL;
        if (!url && workers > 1) {
          throw new HavenError("--workers needs PostgreSQL", "bench.workers", "set DATABASE_URL (the embedded database serves one process)");
        }
        const bench = url ? await freshPostgres(url) : null;
        const database = bench ? await openDatabase({ url: bench.url }) : await openDatabase({ memory: true });
        try {
          const before = await dbFigures(database);
          const started = Date.now();
          const parts = workers === 1 ? [await runWorker(opts, 0, 1, database)] : await runChildren(opts, workers, bench!.url);
          const wall = workers === 1 ? parts[0]!.seconds : Math.max(...parts.map((p) => p.seconds));
          const after = await dbFigures(database);
          const total = parts.reduce((n, p) => n + p.messages, 0);
          const lat = sorted(parts.flatMap((p) => p.latencies));
          const trig = sorted(parts.flatMap((p) => p.triggerLatencies));
          const per1000 = (x: number) => Math.round((x / Math.max(1, total)) * 1000);
          const result = {
            backend: database.backend,
            workers,
            messages: total,
            pairs: opts.pairs ? Number(opts.pairs) : null,
            rate: opts.rate ? Number(opts.rate) : null,
            asyncCommit: env.HAVEN_ASYNC_COMMIT,
            messagesPerSecond: Math.round(total / wall),
            p50IngestToScoreMs: q(lat, 0.5),
            p99IngestToScoreMs: q(lat, 0.99),
            maxIngestToScoreMs: q(lat, 1),
            alerts: parts.reduce((n, p) => n + p.alerts, 0),
            p99TriggerToOutboxMs: q(trig, 0.99),
            errors: parts.reduce((n, p) => n + p.errors, 0),
            handedOver: parts.reduce((n, p) => n + p.handedOver, 0),
            peakRssMb: Math.max(...parts.map((p) => p.peakRssMb)),
            // Worker CPU per message (all workers): with the database's own CPU, what a core buys.
            workerCpuUsPerMessage: Math.round((parts.reduce((n, p) => n + p.cpuSeconds, 0) / Math.max(1, total)) * 1e6),
            rowsPer1000Messages: per1000(after.rows - before.rows),
            bytesPer1000Messages: per1000(after.bytes - before.bytes),
            wallSeconds: Math.round((Date.now() - started) / 100) / 10,
          };
          if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
          else {
            process.stdout.write(
              `pipeline on ${result.backend}${bench ? ` (${describeUrl(url!)})` : ""}, ${workers} worker(s): ${total} messages, ${result.messagesPerSecond} msg/s` +
                `${result.rate ? ` offered at ${result.rate} msg/s` : ""}${result.asyncCommit ? " (HAVEN_ASYNC_COMMIT on)" : ""}\n` +
                `ingest→score p50 ${result.p50IngestToScoreMs} ms, p99 ${result.p99IngestToScoreMs} ms, max ${result.maxIngestToScoreMs} ms; ` +
                `${result.alerts} alerts, trigger→outbox p99 ${result.p99TriggerToOutboxMs} ms; ${result.errors} errors\n` +
                `peak RSS ${result.peakRssMb} MB per worker; worker CPU ${result.workerCpuUsPerMessage} µs per message; per 1,000 messages: ${result.rowsPer1000Messages} rows, ${result.bytesPer1000Messages} bytes of tables\n` +
                (workers > 1
                  ? opts.spread
                    ? `split: each worker leased a fair share of the partitions and was offered every ${workers}th message; ${result.handedOver} were handed over to their owner (not in the ingest→score figures; the run ends when all are scored)\n`
                    : `split: each worker leased a fair share of the partitions (hash of the community) and was offered those communities' messages\n`
                  : ""),
            );
          }
        } finally {
          await database.close();
          await bench?.drop();
        }
      }),
    );
}

// ── one worker ────────────────────────────────────────────────────────────────────────

/** Runs worker `index` of `of` on its share of the stream; `ready` is awaited after the warm-up. */
async function runWorker(opts: Options, index: number, of: number, database: Database, ready?: () => Promise<void>): Promise<WorkerResult> {
  // As `haven start` does.
  boundHeapGrowth();
  const haven = await createHaven({
    database,
    log: silentLogger,
    model: opts.model,
    retentionEveryMs: 0,
    // As `haven start` would run with the same environment.
    pipeline: { asyncCommit: loadEnv().HAVEN_ASYNC_COMMIT },
    ...(of > 1 ? { scaleOut: { owner: `bench-${index}` } } : {}),
  });
  const owned = haven.leases ? new Set(await settleLeases(haven.leases, database, of)) : null;
  haven.leases?.start();
  const all = loadStream(opts);
  const stream: MessageSource = !owned
    ? all
    : opts.spread
      ? materialize(all).filter((_, i) => i % of === index)
      : materialize(all).filter((m) => owned.has(partitionOf(m.platform, m.communityId, haven.leases!.partitions)));
  // Warm-up (JIT, caches, connections): not counted.
  const warm = Math.min(2000, Math.floor(stream.length / 20));
  await feed(haven.service.ingest.bind(haven.service), part(stream, 0, warm), null);
  await ready?.();
  const rate = opts.rate ? Number(opts.rate) / of : null;
  const start = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const r = await feed(haven.service.ingest.bind(haven.service), part(stream, warm, stream.length), rate);
  // Handed-over messages count once their owner has scored them.
  while (owned && (await pendingHandoffs(database.db)) > 0) await new Promise((res) => setTimeout(res, 20));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  await haven.stop();
  return { ...r, messages: stream.length - warm, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
}

/** Renews and claims until the `workers` workers each hold a fair share of every partition; returns this one's. */
async function settleLeases(leases: PartitionLeases, database: Database, workers: number): Promise<number[]> {
  const deadline = Date.now() + 120_000;
  const share = Math.ceil(leases.partitions / workers);
  for (;;) {
    await leases.tick();
    const rows = await database.db
      .select({ owner: leasesTable.owner, n: sql<number>`(count(*) filter (where ${leasesTable.partition} >= 0))::int` })
      .from(leasesTable)
      .where(sql`${leasesTable.expiresAt} > now()`)
      .groupBy(leasesTable.owner);
    const total = rows.reduce((n, r) => n + Number(r.n), 0);
    if (rows.length === workers && total === leases.partitions && rows.every((r) => Number(r.n) <= share)) return leases.ownedPartitions;
    if (Date.now() > deadline) throw new HavenError("bench workers did not settle their partition leases within 2 minutes", "bench.leases");
    await new Promise((r) => setTimeout(r, 100));
  }
}

type Ingest = (m: ChatMessage) => Promise<{ alertIds: number[]; scored: boolean }>;

/** Offers messages as fast as the pipeline takes them (a bounded window in flight), or at `rate` per second. */
/** Messages by position: an array, or made on demand (the --pairs stream), so that the stream does not weigh on the worker's memory. */
interface MessageSource {
  readonly length: number;
  at(i: number): ChatMessage | undefined;
}

const part = (src: MessageSource, from: number, to: number): MessageSource => ({ length: to - from, at: (i) => src.at(from + i) });
const materialize = (src: MessageSource): ChatMessage[] => Array.from({ length: src.length }, (_, i) => src.at(i)!);

async function feed(ingest: Ingest, stream: MessageSource, rate: number | null) {
  const latencies: number[] = [];
  const triggerLatencies: number[] = [];
  let errors = 0;
  let alerts = 0;
  let handedOver = 0;
  const window = 2048;
  let inFlight = 0;
  let wake: (() => void) | null = null;
  const t0 = performance.now();
  const one = async (m: ChatMessage, due: number) => {
    try {
      const r = await ingest(m);
      const ms = performance.now() - due;
      // A handed-over message is scored later by its owner: no ingest-to-score time here.
      if (r.scored) latencies.push(ms);
      else handedOver++;
      if (r.alertIds.length) {
        alerts += r.alertIds.length;
        triggerLatencies.push(ms);
      }
    } catch {
      errors++;
    } finally {
      inFlight--;
      wake?.();
    }
  };
  for (let i = 0; i < stream.length; i++) {
    let due = performance.now();
    if (rate) {
      due = t0 + (i / rate) * 1000;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    }
    while (inFlight >= window) await new Promise<void>((r) => (wake = r));
    wake = null;
    inFlight++;
    void one(stream.at(i)!, rate ? due : performance.now());
  }
  // All answered (no promise per message is kept: they would weigh on the measured memory).
  while (inFlight > 0) await new Promise<void>((r) => (wake = r));
  return { latencies, triggerLatencies, errors, alerts, handedOver };
}

// ── the stream ────────────────────────────────────────────────────────────────────────

function loadStream(opts: Options): MessageSource {
  if (opts.pairs) {
    const pairs = Math.max(1, Math.floor(Number(opts.pairs) || 1));
    const communities = Math.max(1, Math.floor(Number(opts.communities) || 200));
    return { length: pairs * 2, at: (i) => (i < pairs * 2 ? pairMessage(i, communities) : undefined) };
  }
  let text: string;
  try {
    text = readFileSync(opts.data, "utf8");
  } catch {
    throw new HavenError(`Cannot read ${opts.data}`, "bench.data", "pass --data with a labelled JSONL file");
  }
  const total = Math.max(1000, Math.floor(Number(opts.messages) || 50_000));
  const share = Math.min(1, Math.max(0, Number(opts.grooming ?? 0.05)));
  return synthesize(parseConversations(text, opts.data), total, Math.max(1, Math.floor(Number(opts.communities) || 200)), share);
}

/**
 * Copies of the labelled conversations, each copy with its own channel and people, spread
 * over `communities` communities, started at staggered times and interleaved, until `total`
 * messages; grooming conversations make up `share` of them (the dev set has far more than a
 * real server). Deterministic, so that every worker process builds the same stream and
 * takes its own partitions of it.
 */
export function synthesize(convs: Conversation[], total: number, communities: number, share = 0.05): ChatMessage[] {
  if (convs.length === 0) throw new HavenError("No conversations to replay", "bench.data");
  const grooming = convs.filter((c) => c.label === "grooming").length;
  const benign = convs.length - grooming;
  // Each grooming conversation is taken in a copy with this probability (a fixed, spread sequence).
  const keep = grooming === 0 ? 0 : benign === 0 ? 1 : Math.min(1, (share * benign) / ((1 - share) * grooming));
  let g = 0;
  const out: { m: ChatMessage; order: number }[] = [];
  const t0 = Date.parse("2026-01-01T00:00:00Z");
  for (let copy = 0; out.length < total; copy++) {
    for (const [ci, c] of convs.entries()) {
      if (out.length >= total) break;
      if (c.label === "grooming" && ((g++ * 0.6180339887) % 1) >= keep) continue;
      const clone: Conversation = { ...c, id: `${c.id}#${copy}`, scenario: c.scenario ? `${c.scenario}#${copy}` : null };
      const community = `bench-${(copy * convs.length + ci) % communities}`;
      const first = Date.parse(c.messages[0]?.ts ?? "2026-01-01T00:00:00Z");
      const offset = t0 + (copy * 997 + out.length) * 1000 - first;
      for (const m of c.messages) {
        if (out.length >= total) break;
        const msg = toChatMessage(clone, m);
        msg.communityId = community;
        msg.ts += offset;
        out.push({ m: msg, order: out.length });
      }
    }
  }
  out.sort((a, b) => a.m.ts - b.m.ts || a.order - b.order);
  return out.map((x) => x.m);
}

// Openings of the --pairs stream: warning signs (non-explicit) and replies, varied so that
// pairs carry evidence and state as real ones do.
const OPENERS = ["hey how old are you?", "what school do you go to?", "you seem so mature for your age", "is anyone home with you right now?", "hoe oud ben jij?", "zijn je ouders thuis?"];
const REPLIES = ["13", "why", "lol ok", "im in year 8", "12", "nee"];

/** Message `i` of the --pairs stream: pair i/2's opening (even) or the child's reply (odd), in a DM of its own, a second after the pair before. */
export function pairMessage(i: number, communities: number): ChatMessage {
  const n = i >> 1;
  const platform: ChatMessage["platform"] = n % 4 === 3 ? "telegram" : "discord";
  const ts = Date.parse("2026-01-01T00:00:00Z") + n * 1_000;
  return i % 2 === 0
    ? { platform, communityId: `bench-${n % communities}`, channelId: `dm-${n}`, channelKind: "dm", attachments: 0, messageId: `${n}a`, authorId: `adult-${n}`, text: OPENERS[n % OPENERS.length]!, ts, replyToId: null }
    : { platform, communityId: `bench-${n % communities}`, channelId: `dm-${n}`, channelKind: "dm", attachments: 0, messageId: `${n}b`, authorId: `child-${n}`, text: REPLIES[n % REPLIES.length]!, ts: ts + 400, replyToId: `${n}a` };
}

// ── worker processes ──────────────────────────────────────────────────────────────────

type ChildMessage = { type: "ready" } | { type: "done"; result: WorkerResult } | { type: "failed"; error: string };

async function runAsChild(opts: Options, workers: number): Promise<void> {
  const send = (m: ChildMessage) => new Promise<void>((r) => process.send!(m, () => r()));
  const url = process.env.DATABASE_URL;
  if (!process.send || !url) throw new HavenError("--worker-index is internal to bench --workers", "bench.worker");
  const database = await openDatabase({ url, migrate: false });
  try {
    const go = new Promise<void>((r) => process.once("message", () => r()));
    const result = await runWorker(opts, Number(opts.workerIndex), workers, database, async () => {
      await send({ type: "ready" });
      await go;
    });
    await send({ type: "done", result });
  } catch (err) {
    await send({ type: "failed", error: err instanceof Error ? err.message : String(err) });
  } finally {
    await database.close();
    process.disconnect?.();
  }
}

async function runChildren(opts: Options, workers: number, url: string): Promise<WorkerResult[]> {
  const args = ["bench", "--pipeline", "--workers", String(workers), "--messages", opts.messages, "--communities", opts.communities, "--grooming", String(opts.grooming ?? 0.05), "--data", opts.data, "--model", opts.model];
  if (opts.rate) args.push("--rate", opts.rate);
  if (opts.spread) args.push("--spread");
  const children: ChildProcess[] = [];
  const readies: Promise<void>[] = [];
  const dones: Promise<WorkerResult>[] = [];
  for (let i = 0; i < workers; i++) {
    const child = fork(process.argv[1]!, [...args, "--worker-index", String(i)], {
      env: { ...process.env, DATABASE_URL: url },
      execArgv: process.execArgv,
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    children.push(child);
    let ready!: () => void;
    readies.push(new Promise((r) => (ready = r)));
    dones.push(
      new Promise((resolveDone, reject) => {
        child.on("message", (m: ChildMessage) => {
          if (m.type === "ready") ready();
          else if (m.type === "done") resolveDone(m.result);
          else reject(new HavenError(`bench worker ${i} failed: ${m.error}`, "bench.worker"));
        });
        child.on("exit", (code) => reject(new HavenError(`bench worker ${i} exited (${code}) before reporting`, "bench.worker")));
      }),
    );
  }
  try {
    await Promise.all(readies);
    for (const c of children) c.send("go");
    return await Promise.all(dones);
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill();
  }
}

// ── database figures ──────────────────────────────────────────────────────────────────

async function freshPostgres(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const { default: pg } = await import("pg");
  const name = `haven_bench_${process.pid}_${randomBytes(3).toString("hex")}`;
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Rows and bytes (tables and indexes) in the database now. */
async function dbFigures(database: Database): Promise<{ rows: number; bytes: number }> {
  const rowsOf = (r: unknown) => ((r as { rows?: unknown[] }).rows ?? (r as unknown[])) as Record<string, unknown>[];
  const tables = rowsOf(await database.db.execute(sql`select tablename from pg_tables where schemaname = 'public'`)).map((r) => String(r.tablename));
  let rows = 0;
  let bytes = 0;
  for (const t of tables) {
    const [r] = rowsOf(await database.db.execute(sql.raw(`select count(*)::bigint as n, pg_total_relation_size('"${t}"')::bigint as b from "${t}"`)));
    rows += Number(r!.n);
    bytes += Number(r!.b);
  }
  return { rows, bytes };
}

function sorted(xs: number[]): Float64Array {
  return Float64Array.from(xs).sort();
}

function q(xs: Float64Array, p: number): number | null {
  if (!xs.length) return null;
  return Math.round(xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]! * 10) / 10;
}
