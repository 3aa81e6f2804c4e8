// Haven's platform-neutral vocabulary. Adapters translate to and from these types;
// nothing here names Discord or Telegram beyond the Platform tag.

export const PLATFORMS = ["discord", "telegram"] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Warning-sign stages, after the grooming stages child-protection organisations describe. */
export const STAGES = ["trust", "personal", "isolation", "risk", "sexual", "images", "meeting", "coercion", "age"] as const;
export type Stage = (typeof STAGES)[number];
/** Stages that on their own justify a re-alert on an open case. */
export const SEVERE_STAGES: readonly Stage[] = ["images", "meeting", "coercion"];

export type Lang = "en" | "nl";
export type ChannelKind = "group" | "dm";

/** One chat message as Haven sees it: text and metadata, never media. */
export interface ChatMessage {
  platform: Platform;
  /** Discord guild id or Telegram group chat id. */
  communityId: string;
  communityName?: string;
  /** Channel, thread or chat id; unique within the platform. */
  channelId: string;
  channelName?: string;
  channelKind: ChannelKind;
  /** Platform message id; unique within (platform, channelId). */
  messageId: string;
  authorId: string;
  authorName?: string;
  text: string;
  /** Milliseconds since the epoch, from the platform's timestamp. */
  ts: number;
  replyToId?: string | null;
  /** Author ids mentioned in the message. */
  mentions?: string[];
  /** Number of images/files attached: counted, never downloaded. */
  attachments?: number;
  /** Link back to the platform message, when the platform has one. */
  link?: string | null;
  /** Telegram forwarded-from, Discord message reference to another channel, etc. */
  forwardedFrom?: string | null;
}

export interface MessageRef {
  platform: Platform;
  channelId: string;
  messageId: string;
}

/** Evidence that one message shows one stage. */
export interface StageSignal {
  stage: Stage;
  /** Strength of the evidence, 0–1. */
  weight: number;
  /** The normalised text span or rule that matched. */
  evidence: string;
  /** Id of the lexicon entry / rule / classifier that produced it. */
  rule: string;
}

export type Subject =
  | { kind: "pair"; actor: string; target: string }
  | { kind: "actor"; actor: string };

export interface Reason {
  stage: Stage;
  messageId: string;
  conversationId: string;
  evidence: string;
  rule: string;
  /** Contribution of this evidence to the score, in score units. */
  contribution: number;
}

/** An explainable score for a pair or an actor. */
export interface RiskScore {
  subject: Subject;
  score: number;
  stages: Stage[];
  reasons: Reason[];
  /** Ids of children (targets) involved: for an actor, all approached targets. */
  targets: string[];
  conversationIds: string[];
}

export interface Assessment {
  messageId: string;
  conversationId: string;
  authorId: string;
  lang: Lang;
  signals: StageSignal[];
  /** The highest-scoring subject this message touched (its author as actor or in a pair), if any evidence exists. */
  top: RiskScore | null;
}

export type CaseStatus = "open" | "confirmed" | "dismissed" | "escalated";
export type Mode = "live" | "shadow" | "off";

export const DECISIONS = ["confirm", "dismiss", "escalate"] as const;
export type Decision = (typeof DECISIONS)[number];
export const PLATFORM_ACTIONS = ["timeout", "ban", "delete"] as const;
export type PlatformActionKind = (typeof PLATFORM_ACTIONS)[number];
export type ModeratorActionKind = Decision | PlatformActionKind;

/** Rights an adapter (or the console) vouches for when it forwards an action. */
export type Right = "decide" | "timeout" | "ban" | "delete" | "configure";

export interface Actor {
  /** "discord" | "telegram" | "console" | "cli" */
  via: Platform | "console" | "cli";
  id: string;
  name?: string;
  rights: Right[];
}

export interface ModeratorAction {
  caseId: number;
  kind: ModeratorActionKind;
  actor: Actor;
  note?: string;
  /** When given, the case must belong to this community (else not_found): a moderator acts on their own community's cases. */
  scope?: { platform: Platform; communityId: string };
}

export interface Excerpt {
  messageId: string;
  authorId: string;
  ts: number;
  /** Truncated text; no media. */
  text: string;
  stages: Stage[];
  link: string | null;
}

/** What an adapter renders in the moderators' channel. */
export interface AlertPayload {
  alertId: number;
  caseId: number;
  platform: Platform;
  communityId: string;
  communityName: string | null;
  channelId: string;
  channelName: string | null;
  suspect: { id: string; name: string | null };
  targets: { id: string; name: string | null }[];
  score: number;
  threshold: number;
  /** Stages in the order first seen, with when. */
  timeline: { stage: Stage; ts: number; messageId: string }[];
  excerpts: Excerpt[];
  actions: ModeratorActionKind[];
  /** Why this alert exists: first alert, score rise, new severe stage. */
  trigger: "new" | "rise" | "severe";
  status: CaseStatus;
  decidedBy: string | null;
  /** Platform actions Haven requested on its own for this case (an admin enabled autoActions). */
  automatic?: PlatformActionKind[];
}

/** How an adapter delivers to its platform. Errors thrown are retried by the outbox. */
export interface AlertSink {
  platform: Platform;
  /** Post a new alert, or edit/follow up on the case's earlier message when `previousRef` is given. Returns the platform ref of the message. */
  deliverAlert(alert: AlertPayload, modDestination: string, previousRef: string | null): Promise<{ ref: string }>;
  /** Show a decision on an already-delivered alert message. */
  showDecision(alert: AlertPayload, modDestination: string, ref: string): Promise<void>;
  /** Timeout/ban the suspect or delete a message in the watched community. */
  performAction(action: { kind: PlatformActionKind; communityId: string; userId: string; channelId?: string; messageId?: string; durationSeconds?: number }): Promise<void>;
}

export class HavenError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly hint?: string,
  ) {
    super(hint ? `${message} — ${hint}` : message);
    this.name = "HavenError";
  }
}

export interface IngestResult {
  /** False when this platform message was already stored (duplicate delivery): nothing changed. */
  stored: boolean;
  /** False when the message was skipped (exempt channel/role/user, mode off). */
  scored: boolean;
  assessment: Assessment | null;
  /** Alerts raised by this message (delivered later by the outbox, or stored as shadow). */
  alertIds: number[];
  /** True when the database was unavailable: the message is held in memory and written (and scored) when it returns. */
  buffered?: boolean;
}

export type ActionResult =
  | { ok: true; caseId: number; status: CaseStatus; message: string }
  | { ok: false; reason: "forbidden" | "not_found" | "not_enabled" | "invalid" | "already_decided"; message: string };

export interface CaseSummary {
  id: number;
  platform: Platform;
  communityId: string;
  status: CaseStatus;
  score: number;
  stages: Stage[];
  suspect: { id: string; name: string | null };
  targets: { id: string; name: string | null }[];
  openedAt: number;
  decidedBy: string | null;
  alerts: number;
}

export interface CommunityStatus {
  settings: import("./config/settings.ts").CommunitySettings;
  revision: number;
  openCases: number;
  lastAlertAt: number | null;
}

/**
 * What adapters (and the console) call. Implemented by the pipeline (src/pipeline.ts);
 * it knows no platform. Every method is safe to retry.
 */
export interface HavenService {
  ingest(msg: ChatMessage, context?: { authorRoles?: string[] }): Promise<IngestResult>;
  editMessage(ref: MessageRef, text: string, editedAt: number): Promise<IngestResult>;
  deleteMessage(ref: MessageRef, deletedAt: number): Promise<void>;
  act(action: ModeratorAction): Promise<ActionResult>;
  getSettings(platform: Platform, communityId: string): Promise<import("./config/settings.ts").CommunitySettings>;
  /** Validates and stores a new settings revision; throws HavenError naming the bad setting. Requires the "configure" right. */
  changeSettings(platform: Platform, communityId: string, change: Record<string, unknown>, actor: Actor): Promise<import("./config/settings.ts").CommunitySettings>;
  status(platform: Platform, communityId: string): Promise<CommunityStatus>;
  /** A case, only if it belongs to the given community (moderators see their own community's cases). */
  getCase(caseId: number, scope: { platform: Platform; communityId: string }): Promise<CaseSummary | null>;
  /** Last stored platform message id of a channel, for back-filling after a reconnect. */
  lastMessageId(platform: Platform, channelId: string): Promise<string | null>;
  registerSink(sink: AlertSink): void;
  /** Opaque single-purpose tokens (link codes, button callback ids). */
  createToken(purpose: string, payload: Record<string, unknown>, ttlSeconds: number | null): Promise<string>;
  /** Resolves a token; `consume` marks it used so it cannot be used again. */
  resolveToken(token: string, purpose: string, consume?: boolean): Promise<Record<string, unknown> | null>;
  /** Adds a moderator's note to a case (requires the "decide" right); false when the case is not found in scope. */
  addNote?(caseId: number, text: string, actor: Actor, scope?: { platform: Platform; communityId: string }): Promise<boolean>;
  /** Communities whose alerts go to this moderators' channel (settings.modChannel), so commands typed there reach the right community after a restart. */
  communitiesByModChannel?(platform: Platform, modChannel: string): Promise<string[]>;
}
