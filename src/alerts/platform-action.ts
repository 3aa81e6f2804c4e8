// Platform actions against a case's suspect (timeout, ban, delete the triggering message):
// what the adapter is asked to do, whether a moderator pressed the button or the
// community's admins configured Haven to act on its own above a score.
import { eq } from "drizzle-orm";
import type { CommunitySettings } from "../config/settings.ts";
import { latestAlert } from "../store/alerts.ts";
import { recordAudit } from "../store/audit.ts";
import type { Db } from "../store/db.ts";
import { channels, messages, participants, type cases } from "../store/schema.ts";
import type { Platform, PlatformActionKind } from "../types.ts";
import { enqueue } from "./outbox.ts";

export type PlatformActionRequest = { kind: PlatformActionKind; communityId: string; userId: string; channelId?: string; messageId?: string; durationSeconds?: number };

type CaseRow = typeof cases.$inferSelect;

/** Who the audit log and the case show for actions Haven takes on its own. */
export const AUTOMATIC_ACTOR = "haven:automatic";

/**
 * The request for `kind` against the case's suspect in its community, or why there is none
 * (a delete needs a stored triggering message).
 */
export async function buildPlatformAction(
  db: Db,
  kase: CaseRow,
  communityPlatformId: string,
  kind: PlatformActionKind,
  settings: CommunitySettings,
): Promise<{ request: PlatformActionRequest; suspectName: string } | { error: string }> {
  const [suspect] = await db.select().from(participants).where(eq(participants.id, kase.suspectId)).limit(1);
  if (!suspect) return { error: `case ${kase.id} has no suspect` };
  const request: PlatformActionRequest = { kind, communityId: communityPlatformId, userId: suspect.platformId };
  if (kind === "timeout") request.durationSeconds = settings.timeoutMinutes * 60;
  if (kind === "delete") {
    const alert = await latestAlert(db, kase.id);
    const target = alert?.triggerMessageId
      ? (
          await db
            .select({ id: messages.platformMessageId, channel: channels.platformId })
            .from(messages)
            .innerJoin(channels, eq(channels.id, messages.channelId))
            .where(eq(messages.id, alert.triggerMessageId))
            .limit(1)
        )[0]
      : undefined;
    if (!target) return { error: `case ${kase.id} has no message to delete` };
    request.channelId = target.channel;
    request.messageId = target.id;
  }
  return { request, suspectName: suspect.displayName ?? suspect.platformId };
}

/** Outbox key of an automatic action: once per case and kind, however often the case re-alerts. */
export const autoActionKey = (caseId: number, kind: PlatformActionKind) => `auto:${caseId}:${kind}`;

/**
 * Haven acting on its own: only when an admin enabled automatic actions for the community,
 * only on a live alert at or above `autoActionScore`, each action once per case, audited
 * under AUTOMATIC_ACTOR. Runs in the transaction that raised the alert.
 */
export async function requestAutoActions(
  db: Db,
  args: { kase: CaseRow; platform: Platform; communityPlatformId: string; settings: CommunitySettings; score: number; alertId: number },
): Promise<PlatformActionKind[]> {
  const { kase, settings } = args;
  if (settings.mode !== "live" || !settings.autoActions.length || args.score < settings.autoActionScore) return [];
  const done: PlatformActionKind[] = [];
  for (const kind of settings.autoActions) {
    const built = await buildPlatformAction(db, kase, args.communityPlatformId, kind, settings);
    if ("error" in built) continue;
    const fresh = await enqueue(db, args.platform, autoActionKey(kase.id, kind), { kind: "platform_action", caseId: kase.id, communityId: kase.communityId, action: built.request });
    if (!fresh) continue;
    await recordAudit(db, {
      actor: AUTOMATIC_ACTOR,
      action: `case.${kind}`,
      communityId: kase.communityId,
      subject: `case:${kase.id}`,
      details: { ...built.request, automatic: true, alert: args.alertId, score: args.score, autoActionScore: settings.autoActionScore },
    });
    done.push(kind);
  }
  return done;
}
