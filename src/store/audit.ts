// The audit trail: who viewed, labelled, exported, decided or changed what. Append-only.
import { auditLog } from "./schema.ts";
import type { Db } from "./db.ts";

export interface AuditEntry {
  /** Who: "console:alice", "discord:1234", "cli", "system". */
  actor: string;
  /** What, as a dotted verb: "case.view", "case.reveal", "case.label", "settings.change", "case.export", "user.erase". */
  action: string;
  communityId?: number | null;
  /** What it was done to: "case:12", "user:discord:99". */
  subject?: string | null;
  details?: Record<string, unknown>;
}

/** Appends one entry. Pass a transaction as `db` to record it atomically with the change. */
export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    actor: entry.actor,
    action: entry.action,
    communityId: entry.communityId ?? null,
    subject: entry.subject ?? null,
    details: entry.details ?? {},
  });
}
