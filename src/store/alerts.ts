// Alerts: every alert raised, delivered or shadow, with the reasons that caused it.
import { and, desc, eq, isNotNull, max, sql } from "drizzle-orm";
import type { Reason, Stage } from "../types.ts";
import type { Db } from "./db.ts";
import { alerts, channels, messages } from "./schema.ts";

export type AlertRow = typeof alerts.$inferSelect;

export interface NewAlert {
  caseId: number;
  communityId: number;
  trigger: "new" | "rise" | "severe";
  mode: "live" | "shadow";
  score: number;
  threshold: number;
  stages: Stage[];
  reasons: Reason[];
  modelVersion: string;
  triggerMessageId: number | null;
}

/**
 * An alert raised on a case, in one statement (one round trip where three separate ones
 * cost the alert path most of its time): the alert row, the case's last-alert score and
 * time, and for a live alert its delivery in the outbox (`alert:<id>`, as enqueue writes it).
 * Returns the alert's id.
 */
export async function raiseAlert(
  db: Db,
  a: NewAlert,
  at: Date,
  deliverOn: string | null,
): Promise<number> {
  const result = await db.execute(sql`
    with a as (
      insert into ${alerts} (case_id, community_id, trigger, mode, score, threshold, stages, reasons, model_version, trigger_message_id, delivery_state)
      values (${a.caseId}::int, ${a.communityId}::int, ${a.trigger}::text, ${a.mode}::text, ${a.score}::real, ${a.threshold}::real, ${JSON.stringify(a.stages)}::jsonb,
        ${JSON.stringify(a.reasons)}::jsonb, ${a.modelVersion}::text, ${a.triggerMessageId}::bigint, ${a.mode === "shadow" ? "shadow" : "pending"}::text)
      returning id
    ), c as (
      update cases set last_alert_score = ${a.score}::real, last_alert_at = ${at.toISOString()}::timestamptz, updated_at = now() where id = ${a.caseId}::int
    ), o as (
      insert into outbox (kind, platform, idempotency_key, payload)
      select 'alert', ${deliverOn}::text, 'alert:' || a.id,
        jsonb_build_object('kind', 'alert', 'alertId', a.id, 'caseId', ${a.caseId}::int, 'communityId', ${a.communityId}::int)
      from a where ${deliverOn}::text is not null
      on conflict (idempotency_key) do nothing
    )
    select id from a`);
  const rows = (result as { rows?: { id: unknown }[] }).rows ?? (result as unknown as { id: unknown }[]);
  return Number(rows[0]!.id);
}

export async function getAlert(db: Db, alertId: number): Promise<AlertRow | null> {
  const rows = await db.select().from(alerts).where(eq(alerts.id, alertId)).limit(1);
  return rows[0] ?? null;
}

export async function caseAlerts(db: Db, caseId: number): Promise<AlertRow[]> {
  return db.select().from(alerts).where(eq(alerts.caseId, caseId)).orderBy(alerts.id);
}

/** Platform ids of the channels where the case's alerts were raised (the alert policy alerts once per channel). */
export async function caseAlertChannels(db: Db, caseId: number): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: channels.platformId })
    .from(alerts)
    .innerJoin(messages, eq(messages.id, alerts.triggerMessageId))
    .innerJoin(channels, eq(channels.id, messages.channelId))
    .where(eq(alerts.caseId, caseId));
  return rows.map((r) => r.id);
}

/** The platform message of the case's most recent delivered alert, to edit or follow up. */
export async function latestDeliveredAlert(db: Db, caseId: number): Promise<AlertRow | null> {
  const rows = await db
    .select()
    .from(alerts)
    .where(and(eq(alerts.caseId, caseId), isNotNull(alerts.platformRef)))
    .orderBy(desc(alerts.id))
    .limit(1);
  return rows[0] ?? null;
}

export async function latestAlert(db: Db, caseId: number): Promise<AlertRow | null> {
  const rows = await db.select().from(alerts).where(eq(alerts.caseId, caseId)).orderBy(desc(alerts.id)).limit(1);
  return rows[0] ?? null;
}

export async function markAlertDelivered(db: Db, alertId: number, ref: string): Promise<void> {
  await db.update(alerts).set({ deliveryState: "delivered", platformRef: ref, deliveredAt: new Date() }).where(eq(alerts.id, alertId));
}

export async function markAlertFailed(db: Db, alertId: number): Promise<void> {
  await db.update(alerts).set({ deliveryState: "failed" }).where(eq(alerts.id, alertId));
}

export async function lastAlertAt(db: Db, communityId: number): Promise<number | null> {
  const rows = await db.select({ at: max(alerts.createdAt) }).from(alerts).where(eq(alerts.communityId, communityId));
  const at = rows[0]?.at;
  return at ? new Date(at).getTime() : null;
}
