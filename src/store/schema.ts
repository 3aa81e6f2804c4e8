// The single source of truth for Haven's database. `npm run db:generate` turns changes
// here into a migration under drizzle/; migrations are applied at start-up.
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { Stage } from "../types.ts";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const createdAt = () => ts("created_at").notNull().defaultNow();

/** A Discord guild or Telegram group. */
export const communities = pgTable(
  "communities",
  {
    id: serial("id").primaryKey(),
    platform: text("platform").notNull(),
    platformId: text("platform_id").notNull(),
    name: text("name"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("communities_platform_key").on(t.platform, t.platformId)],
);

/** Settings are never updated in place: each change is a new revision with who made it. */
export const settingsRevisions = pgTable(
  "settings_revisions",
  {
    id: serial("id").primaryKey(),
    communityId: integer("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    revision: integer("revision").notNull(),
    settings: jsonb("settings").notNull(),
    /** The keys this revision changed, for the history view. */
    changed: jsonb("changed").$type<string[]>().notNull().default([]),
    changedBy: text("changed_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("settings_revisions_key").on(t.communityId, t.revision)],
);

export const channels = pgTable(
  "channels",
  {
    id: serial("id").primaryKey(),
    communityId: integer("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    platform: text("platform").notNull(),
    platformId: text("platform_id").notNull(),
    kind: text("kind").$type<"group" | "dm">().notNull(),
    name: text("name"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("channels_platform_key").on(t.platform, t.platformId)],
);

/** Platform accounts: ids and a display name, nothing more. */
export const participants = pgTable(
  "participants",
  {
    id: serial("id").primaryKey(),
    platform: text("platform").notNull(),
    platformId: text("platform_id").notNull(),
    displayName: text("display_name"),
    firstSeen: createdAt(),
    erasedAt: ts("erased_at"),
  },
  (t) => [uniqueIndex("participants_platform_key").on(t.platform, t.platformId)],
);

/** Messages: text and metadata only. Media is never downloaded or stored. */
export const messages = pgTable(
  "messages",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    channelId: integer("channel_id")
      .notNull()
      .references(() => channels.id, { onDelete: "cascade" }),
    platformMessageId: text("platform_message_id").notNull(),
    authorId: integer("author_id")
      .notNull()
      .references(() => participants.id),
    sentAt: ts("sent_at").notNull(),
    /** Null once purged by retention or erasure. */
    text: text("text"),
    textPurgedAt: ts("text_purged_at"),
    editedAt: ts("edited_at"),
    deletedAt: ts("deleted_at"),
    replyToPlatformId: text("reply_to_platform_id"),
    mentions: jsonb("mentions").$type<string[]>().notNull().default([]),
    attachments: integer("attachments").notNull().default(0),
    link: text("link"),
    forwardedFrom: text("forwarded_from"),
    lang: text("lang"),
    /** The engine's score for the top subject after this message, if any. */
    score: real("score"),
    scoredAt: ts("scored_at"),
    createdAt: createdAt(),
  },
  (t) => [
    // A platform message id is unique within its channel (Telegram ids are per chat).
    uniqueIndex("messages_platform_key").on(t.channelId, t.platformMessageId),
    index("messages_channel_time").on(t.channelId, t.sentAt),
    index("messages_author").on(t.authorId),
    index("messages_retention").on(t.sentAt).where(sql`text is not null`),
  ],
);

/** Per-message stage evidence from the engine. */
export const messageSignals = pgTable(
  "message_signals",
  {
    messageId: bigint("message_id", { mode: "number" })
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    stage: text("stage").$type<Stage>().notNull(),
    weight: real("weight").notNull(),
    evidence: text("evidence").notNull(),
    rule: text("rule").notNull(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.stage, t.rule] })],
);

/**
 * Engine state per conversation, author→target pair and actor, so that a worker can
 * restore what it evicted or took over. `key` is the engine's own key.
 */
export const riskStates = pgTable(
  "risk_states",
  {
    key: text("key").primaryKey(),
    kind: text("kind").$type<"conversation" | "pair" | "actor">().notNull(),
    platform: text("platform").notNull(),
    score: real("score").notNull().default(0),
    state: jsonb("state").notNull(),
    modelVersion: text("model_version").notNull(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [index("risk_states_kind_score").on(t.kind, t.score)],
);

/** A case groups the alerts about one suspect and the children approached. */
export const cases = pgTable(
  "cases",
  {
    id: serial("id").primaryKey(),
    communityId: integer("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    suspectId: integer("suspect_id")
      .notNull()
      .references(() => participants.id),
    /** The channel where the case was opened (its first alert's conversation). */
    channelId: integer("channel_id").references(() => channels.id, { onDelete: "set null" }),
    status: text("status").$type<"open" | "confirmed" | "dismissed" | "escalated">().notNull().default("open"),
    score: real("score").notNull(),
    stages: jsonb("stages").$type<Stage[]>().notNull().default([]),
    lang: text("lang"),
    /** Score at the case's last alert, for re-alert decisions. */
    lastAlertScore: real("last_alert_score"),
    lastAlertAt: ts("last_alert_at"),
    /** Reviewer who has claimed the case in the console. */
    claimedBy: integer("claimed_by"),
    claimedAt: ts("claimed_at"),
    decidedBy: text("decided_by"),
    decidedAt: ts("decided_at"),
    openedAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("cases_queue").on(t.status, t.score),
    index("cases_suspect").on(t.communityId, t.suspectId),
  ],
);

export const caseTargets = pgTable(
  "case_targets",
  {
    caseId: integer("case_id")
      .notNull()
      .references(() => cases.id, { onDelete: "cascade" }),
    participantId: integer("participant_id")
      .notNull()
      .references(() => participants.id),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.participantId] })],
);

/** The messages that carried a case's evidence (kept past retention while the case lives). */
export const caseMessages = pgTable(
  "case_messages",
  {
    caseId: integer("case_id")
      .notNull()
      .references(() => cases.id, { onDelete: "cascade" }),
    messageId: bigint("message_id", { mode: "number" })
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.messageId] })],
);

export const caseNotes = pgTable("case_notes", {
  id: serial("id").primaryKey(),
  caseId: integer("case_id")
    .notNull()
    .references(() => cases.id, { onDelete: "cascade" }),
  author: text("author").notNull(),
  text: text("text").notNull(),
  createdAt: createdAt(),
});

/** Every alert raised, delivered or not (shadow mode stores would-be alerts). */
export const alerts = pgTable(
  "alerts",
  {
    id: serial("id").primaryKey(),
    caseId: integer("case_id")
      .notNull()
      .references(() => cases.id, { onDelete: "cascade" }),
    communityId: integer("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    trigger: text("trigger").$type<"new" | "rise" | "severe">().notNull(),
    mode: text("mode").$type<"live" | "shadow">().notNull(),
    score: real("score").notNull(),
    threshold: real("threshold").notNull(),
    stages: jsonb("stages").$type<Stage[]>().notNull(),
    /** The engine's reasons (stages, message ids, weights): an auditor can replay them. */
    reasons: jsonb("reasons").notNull(),
    modelVersion: text("model_version").notNull(),
    /** The message that raised it. */
    triggerMessageId: bigint("trigger_message_id", { mode: "number" }).references(() => messages.id, { onDelete: "set null" }),
    /** pending | delivered | failed | shadow */
    deliveryState: text("delivery_state").$type<"pending" | "delivered" | "failed" | "shadow">().notNull(),
    /** Platform ref of the alert message in the mod channel. */
    platformRef: text("platform_ref"),
    deliveredAt: ts("delivered_at"),
    createdAt: createdAt(),
  },
  (t) => [index("alerts_case").on(t.caseId)],
);

/** Durable deliveries: written in the same transaction as the change that needs them. */
export const outbox = pgTable(
  "outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** alert | decision | platform_action */
    kind: text("kind").notNull(),
    platform: text("platform").notNull(),
    /** Unique per intended effect: a retry or restart never sends twice. */
    idempotencyKey: text("idempotency_key").notNull(),
    payload: jsonb("payload").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    lockedUntil: ts("locked_until"),
    lastError: text("last_error"),
    deliveredAt: ts("delivered_at"),
    /** Set when attempts are exhausted; kept for a moderator to see. */
    failedAt: ts("failed_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("outbox_idempotency_key").on(t.idempotencyKey),
    index("outbox_due").on(t.nextAttemptAt).where(sql`delivered_at is null and failed_at is null`),
  ],
);

/** Human judgements: moderator decisions and reviewer labels. They feed training. */
export const labels = pgTable(
  "labels",
  {
    id: serial("id").primaryKey(),
    caseId: integer("case_id")
      .notNull()
      .references(() => cases.id, { onDelete: "cascade" }),
    /** Null for a label on the whole case; set for a per-message stage correction. */
    messageId: bigint("message_id", { mode: "number" }).references(() => messages.id, { onDelete: "cascade" }),
    label: text("label").$type<"grooming" | "benign" | "unsure">().notNull(),
    stages: jsonb("stages").$type<Stage[]>(),
    /** moderator | reviewer */
    source: text("source").notNull(),
    actor: text("actor").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("labels_case").on(t.caseId)],
);

/** Who saw, labelled, exported or changed what. Append-only. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: createdAt(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    communityId: integer("community_id"),
    subject: text("subject"),
    details: jsonb("details").notNull().default({}),
  },
  (t) => [index("audit_log_at").on(t.at), index("audit_log_community").on(t.communityId)],
);

/** Console accounts. */
export const users = pgTable(
  "users",
  {
    id: serial("id").primaryKey(),
    username: text("username").notNull(),
    passwordHash: text("password_hash"),
    /** owner accounts see every community. */
    isOwner: boolean("is_owner").notNull().default(false),
    disabledAt: ts("disabled_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_username_key").on(t.username)],
);

/** A console user's role in one community. */
export const memberships = pgTable(
  "memberships",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    communityId: integer("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    role: text("role").$type<"reviewer" | "admin">().notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.communityId] })],
);

export const sessions = pgTable("sessions", {
  /** SHA-256 of the session token; the token itself lives only in the cookie. */
  tokenHash: text("token_hash").primaryKey(),
  userId: integer("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  csrfToken: text("csrf_token").notNull(),
  expiresAt: ts("expires_at").notNull(),
  createdAt: createdAt(),
});

/**
 * Short-lived opaque tokens: owner set-up links, Telegram group↔mod-chat link codes,
 * and button callback ids (resolved server-side so a payload cannot be forged).
 */
export const tokens = pgTable(
  "tokens",
  {
    token: text("token").primaryKey(),
    /** setup | link | callback */
    purpose: text("purpose").notNull(),
    payload: jsonb("payload").notNull(),
    expiresAt: ts("expires_at"),
    usedAt: ts("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("tokens_purpose").on(t.purpose)],
);

/** Partition ownership for scale-out: one worker owns a partition while its lease lives. */
export const leases = pgTable("leases", {
  partition: integer("partition").primaryKey(),
  owner: text("owner").notNull(),
  expiresAt: ts("expires_at").notNull(),
});

/**
 * Messages stored by a worker that does not own their partition, waiting for the owner to
 * score them (scale-out): the owner takes them in message order and deletes the row in the
 * transaction that scores the message.
 */
export const handoffs = pgTable(
  "handoffs",
  {
    messageId: bigint("message_id", { mode: "number" })
      .primaryKey()
      .references(() => messages.id, { onDelete: "cascade" }),
    partition: integer("partition").notNull(),
    /** The author's roles as the adapter saw them (for role exemptions). */
    roles: jsonb("roles").$type<string[]>().notNull().default([]),
    /** An edit of a message that was scored already: its scores are replaced. */
    edited: boolean("edited").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index("handoffs_partition").on(t.partition, t.messageId)],
);

/**
 * Failed console sign-ins, one row per limiter key (an address, and an address with a
 * username), so that every console process in front of one database enforces the same
 * limit and a restart forgets nothing. Rows older than the limiter's window are deleted as
 * new failures come in.
 */
export const loginFailures = pgTable(
  "login_failures",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    key: text("key").notNull(),
    at: ts("at").notNull(),
  },
  (t) => [index("login_failures_key_at").on(t.key, t.at)],
);
