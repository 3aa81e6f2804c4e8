// Human judgements on cases: moderator decisions and reviewer labels. They feed training.
import { asc, eq } from "drizzle-orm";
import type { Stage } from "../types.ts";
import type { Db } from "./db.ts";
import { labels } from "./schema.ts";

export type LabelValue = "grooming" | "benign" | "unsure";

export async function addLabel(
  db: Db,
  label: { caseId: number; label: LabelValue; source: "moderator" | "reviewer"; actor: string; messageId?: number | null; stages?: Stage[] | null },
): Promise<number> {
  const rows = await db
    .insert(labels)
    .values({
      caseId: label.caseId,
      label: label.label,
      source: label.source,
      actor: label.actor,
      messageId: label.messageId ?? null,
      stages: label.stages ?? null,
    })
    .returning({ id: labels.id });
  return rows[0]!.id;
}

export async function caseLabels(db: Db, caseId: number) {
  return db.select().from(labels).where(eq(labels.caseId, caseId)).orderBy(asc(labels.id));
}
