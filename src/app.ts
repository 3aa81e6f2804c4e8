// Assembles a running Haven from a database: the pipeline (what adapters and the console
// call), the outbox worker that delivers alerts, and the retention timer.
import { loadModel, RiskEngine } from "./engine/index.ts";
import { outboxDepth, OutboxWorker, type OutboxOptions } from "./alerts/outbox.ts";
import { addMetricsSource } from "./metrics.ts";
import { silentLogger, type Logger } from "./log.ts";
import { Pipeline, type PipelineOptions, type ScoringEngine } from "./pipeline.ts";
import { PartitionLeases, pendingHandoffs, type LeaseOptions } from "./pipeline/leases.ts";
import type { Database } from "./store/db.ts";
import { purgeExpired } from "./store/retention.ts";
import type { PersistedState } from "./store/risk-states.ts";
import type { HavenService } from "./types.ts";

export interface Haven {
  /** What adapters and the console call. */
  service: HavenService;
  /** The same object as `service`, with the pipeline's extras (held-message count, flush). */
  pipeline: Pipeline;
  database: Database;
  /** Starts the outbox delivery loop and the hourly retention purge. */
  startWorkers(): void;
  /** Delivers everything due now (tests use it instead of waiting); returns deliveries made. */
  drainOutbox(): Promise<number>;
  /** Stops workers and writes held messages if the database allows (does not close the database). */
  stop(): Promise<void>;
  /** Partition leases, when scaleOut is on. */
  leases: PartitionLeases | null;
}

export interface HavenOptions {
  database: Database;
  log?: Logger;
  /** A risk engine; by default the current model is loaded from models/. */
  engine?: ScoringEngine;
  /** Model version to load when no engine is given. */
  model?: string;
  outbox?: OutboxOptions;
  pipeline?: PipelineOptions;
  /** How often the retention purge runs under startWorkers (default hourly; 0 turns it off). */
  retentionEveryMs?: number;
  /**
   * Scale-out: this worker shares the database with others and scores only the partitions
   * it holds a lease on (messages of other partitions are stored and handed over).
   * Leases are renewed from startWorkers (or by calling leases.tick()).
   */
  scaleOut?: { owner: string } & LeaseOptions;
}

export async function createHaven(opts: HavenOptions): Promise<Haven> {
  const log = opts.log ?? silentLogger;
  // The engine reports evicted state to the pipeline, which exists only after the engine.
  const evictTo: { pipeline?: Pipeline } = {};
  const engine = opts.engine ?? (await loadEngine(opts.model, (s) => evictTo.pipeline?.keepEvicted(s)));
  const p = new Pipeline(opts.database, engine, log, opts.pipeline);
  evictTo.pipeline = p;
  const leases = opts.scaleOut
    ? new PartitionLeases(opts.database.db, opts.scaleOut.owner, log, (change, release) => p.onOwnershipChange(change, release), opts.scaleOut)
    : null;
  if (leases) p.useLeases(leases);
  const worker = new OutboxWorker(opts.database, p.sinks, log, opts.outbox);
  let retentionTimer: NodeJS.Timeout | null = null;
  const unregister = addMetricsSource({
    heldMessages: () => p.heldMessages,
    outboxDepth: () => outboxDepth(opts.database.db),
    ...(leases ? { ownedPartitions: () => leases.ownedPartitions.length, pendingHandoffs: () => pendingHandoffs(opts.database.db) } : {}),
  });
  const everyMs = opts.retentionEveryMs ?? 3_600_000;

  const purge = async () => {
    try {
      const r = await purgeExpired(opts.database.db);
      if (r.messages || r.caseMessages) log.info(r, "retention: removed expired message text");
    } catch (err) {
      log.warn({ err: String(err) }, "retention purge failed; will try again");
    }
  };

  return {
    service: p,
    pipeline: p,
    database: opts.database,
    leases,
    startWorkers() {
      worker.start();
      leases?.start();
      if (everyMs > 0 && !retentionTimer) {
        void purge();
        retentionTimer = setInterval(() => void purge(), everyMs);
        retentionTimer.unref();
      }
    },
    drainOutbox: () => worker.drain(),
    async stop() {
      if (retentionTimer) clearInterval(retentionTimer);
      retentionTimer = null;
      // The pipeline writes its state while the leases still hold; then they are given back.
      await p.stop();
      await leases?.stop();
      await worker.stop();
      unregister();
    },
  };
}

/** The current (or named) model from models/, with evicted state handed to the pipeline to write. */
async function loadEngine(version: string | undefined, onEvict: (s: PersistedState) => void): Promise<ScoringEngine> {
  return new RiskEngine(loadModel(version), { onEvict });
}
