import { z } from "zod";
import { HavenError, PLATFORM_ACTIONS, STAGES } from "../types.ts";

// Per-community settings. Stored as revisions (who changed what, when); these
// defaults apply to a community nobody has configured yet.
export const communitySettingsSchema = z
  .object({
    /** Risk score (0–1) at which an alert is raised. */
    threshold: z.number().min(0).max(1).default(0.6),
    /** Minimum number of distinct warning stages before an alert. */
    minStages: z.number().int().min(1).max(8).default(2),
    /** live: alerts are delivered; shadow: stored as would-be alerts only; off: not scored. */
    mode: z.enum(["live", "shadow", "off"]).default("live"),
    /** No second alert about the same case within this many minutes, unless severe. */
    cooldownMinutes: z.number().int().min(0).max(10_080).default(60),
    /** Re-alert when a case's score has risen by at least this much since its last alert. */
    realertStep: z.number().min(0.01).max(1).default(0.15),
    /** Re-alert when one of these stages appears for the first time in a case. */
    severeStages: z.array(z.enum(STAGES)).default(["images", "meeting", "coercion"]),
    /** Where alerts go: Discord channel id or Telegram chat id. Null: not delivered until set. */
    modChannel: z.string().min(1).nullable().default(null),
    exemptChannels: z.array(z.string().min(1)).default([]),
    /** Discord role ids (staff) whose messages are not scored. */
    exemptRoles: z.array(z.string().min(1)).default([]),
    exemptUsers: z.array(z.string().min(1)).default([]),
    languages: z.array(z.enum(["en", "nl"])).min(1).default(["en", "nl"]),
    /** Days to keep the text of messages that never became part of a case. */
    retentionDays: z.number().int().min(1).max(3650).default(30),
    /** Days to keep the text of closed (decided) cases. */
    caseRetentionDays: z.number().int().min(1).max(3650).default(365),
    /** Platform actions moderators may trigger from an alert. Off until an admin enables them. */
    platformActions: z.array(z.enum(PLATFORM_ACTIONS)).default([]),
    /**
     * Platform actions Haven takes on its own, without a moderator, on a live alert at or
     * above autoActionScore (once per case). Empty by default: Haven never punishes on its
     * own unless an admin configures it to.
     */
    autoActions: z.array(z.enum(PLATFORM_ACTIONS)).default([]),
    /** Risk score (0–1) an alert must reach before autoActions run. */
    autoActionScore: z.number().min(0).max(1).default(0.9),
    /** Timeout length for the timeout action. */
    timeoutMinutes: z.number().int().min(1).max(40_320).default(60),
    /** Maximum evidence excerpts in an alert. */
    maxExcerpts: z.number().int().min(1).max(20).default(5),
  })
  .strict();

export type CommunitySettings = z.infer<typeof communitySettingsSchema>;
export const DEFAULT_SETTINGS: CommunitySettings = communitySettingsSchema.parse({});

/** Validate a (partial) change on top of current settings; errors name the setting. */
export function applySettingsChange(current: CommunitySettings, change: Record<string, unknown>): CommunitySettings {
  const parsed = communitySettingsSchema.safeParse({ ...current, ...change });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const name = issue.path.length ? issue.path.join(".") : "settings";
  throw new HavenError(`Invalid setting ${name}: ${issue.message}`, "config.settings");
}

/** Parse stored settings leniently: unknown keys from older versions are dropped, missing ones defaulted. */
export function parseStoredSettings(stored: unknown): CommunitySettings {
  const obj = typeof stored === "object" && stored !== null ? stored : {};
  const known = Object.fromEntries(Object.entries(obj).filter(([k]) => k in communitySettingsSchema.shape));
  const parsed = communitySettingsSchema.safeParse(known);
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}
