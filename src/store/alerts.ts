// Alerts: every alert raised, delivered or shadow, with the reasons that caused it.
import { and, desc, eq, isNotNull, max } from "drizzle-orm";
import type { Reason, Stage } from "../types.ts";
import type { Db } from "./db.ts";
import { alerts } from "./schema.ts";

export type AlertRow = typeof alerts.$inferSelect;

export async function insertAlert(
  db: Db,
  a: {
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
  },
): Promise<AlertRow> {
  const rows = await db
    .insert(alerts)
    .values({ ...a, deliveryState: a.mode === "shadow" ? "shadow" : "pending" })
    .returning();
  return rows[0]!;
}

export async function getAlert(db: Db, alertId: number): Promise<AlertRow | null> {
  const rows = await db.select().from(alerts).where(eq(alerts.id, alertId)).limit(1);
  return rows[0] ?? null;
}

export async function caseAlerts(db: Db, caseId: number): Promise<AlertRow[]> {
  return db.select().from(alerts).where(eq(alerts.caseId, caseId)).orderBy(alerts.id);
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
