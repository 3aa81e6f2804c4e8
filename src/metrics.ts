// Prometheus metrics (prom-client), served by the console at /metrics. One registry per
// process; every Haven in the process (normally one) reports into it.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: "haven_" });

/** What a running Haven reports on demand: held messages, undelivered outbox rows; partitions and handovers when scaled out. */
export interface MetricsSource {
  heldMessages(): number;
  outboxDepth(): Promise<number>;
  ownedPartitions?(): number;
  pendingHandoffs?(): Promise<number>;
}
const sources = new Set<MetricsSource>();

export function addMetricsSource(s: MetricsSource): () => void {
  sources.add(s);
  return () => void sources.delete(s);
}

export const metrics = {
  messagesIn: new Counter({ name: "haven_messages_in_total", help: "Messages handed to the pipeline by adapters", registers: [registry] }),
  messagesRejected: new Counter({ name: "haven_messages_rejected_total", help: "Malformed messages refused at the pipeline boundary", registers: [registry] }),
  messagesScored: new Counter({ name: "haven_messages_scored_total", help: "Messages stored and scored", registers: [registry] }),
  scores: new Histogram({
    name: "haven_message_score",
    help: "Risk score of the top subject after each scored message that carried one",
    buckets: [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
    registers: [registry],
  }),
  alerts: new Counter({ name: "haven_alerts_total", help: "Alerts raised", labelNames: ["mode"] as const, registers: [registry] }),
  deliveries: new Counter({ name: "haven_deliveries_total", help: "Outbox deliveries made", labelNames: ["platform"] as const, registers: [registry] }),
  deliveryFailures: new Counter({ name: "haven_delivery_failures_total", help: "Outbox delivery attempts that failed (retried later)", labelNames: ["platform"] as const, registers: [registry] }),
  dbSeconds: new Histogram({
    name: "haven_db_seconds",
    help: "Duration of pipeline database transactions",
    labelNames: ["op"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  }),
  batchSize: new Histogram({ name: "haven_batch_messages", help: "Messages written per batch transaction", buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500], registers: [registry] }),
  held: new Gauge({
    name: "haven_held_messages",
    help: "Messages held in memory while the database is unavailable",
    registers: [registry],
    collect() {
      let n = 0;
      for (const s of sources) n += s.heldMessages();
      this.set(n);
    },
  }),
  outboxDepth: new Gauge({
    name: "haven_outbox_depth",
    help: "Outbox rows not yet delivered (nor given up)",
    registers: [registry],
    async collect() {
      let n = 0;
      for (const s of sources) n += await s.outboxDepth().catch(() => 0);
      this.set(n);
    },
  }),
  partitionsOwned: new Gauge({
    name: "haven_partitions_owned",
    help: "Scale-out partitions this process holds a lease on",
    registers: [registry],
    collect() {
      let n = 0;
      for (const s of sources) n += s.ownedPartitions?.() ?? 0;
      this.set(n);
    },
  }),
  handoffsPending: new Gauge({
    name: "haven_handoffs_pending",
    help: "Messages stored by one worker and waiting for the owner of their partition (all workers); growing means a partition has no live owner",
    registers: [registry],
    async collect() {
      // A shared table: every source sees the same rows (one that cannot reach it answers nothing).
      let n = 0;
      for (const s of sources) if (s.pendingHandoffs) n = Math.max(n, await s.pendingHandoffs().catch(() => 0));
      this.set(n);
    },
  }),
};
