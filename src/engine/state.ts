// Engine state: per conversation (who spoke recently, who wrote which message), per
// author→target pair (stage evidence with its best reason), and per actor (age hints and a
// summary per target). Plain JSON so it can be evicted to the store and hydrated back.
import type { Stage } from "../types.ts";

export type StateKind = "conversation" | "pair" | "actor";

/** What the store keeps of a state (risk_states table). */
export interface PersistedState {
  key: string;
  kind: StateKind;
  platform: string;
  score: number;
  state: unknown;
}

/** The strongest evidence seen for a stage. */
export interface ReasonLite {
  /** message id */
  m: string;
  /** conversation (channel) id */
  c: string;
  /** evidence text */
  e: string;
  /** rule id */
  r: string;
  /** weight of the evidence */
  w: number;
}

export interface StageMark {
  /** strength 0..1 as of ts */
  s: number;
  ts: number;
  /** first seen */
  f: number;
  r: ReasonLite;
}

export interface PairState {
  kind: "pair";
  platform: string;
  actor: string;
  target: string;
  stages: Partial<Record<Stage, StageMark>>;
  /** the target's hints: disclosed minor age, hesitant replies, disclosed adult age */
  tMinor: number;
  tChild: number;
  tAdult: number;
  /** the actor disclosed an adult age / a minor's age */
  aAdult: number;
  aMinor: number;
  convs: string[];
  lastTs: number;
  score: number;
}

export interface TargetSummary {
  /** pair log-odds */
  z: number;
  /** weighted evidence */
  ev: number;
  st: Stage[];
  ts: number;
  convs: string[];
}

export interface ActorState {
  kind: "actor";
  platform: string;
  id: string;
  minor: number;
  adult: number;
  child: number;
  targets: Record<string, TargetSummary>;
  /** hashes of messages with warning signs, and in how many conversations each was sent (copy-pasted openers) */
  copies: [number, string[]][];
  lastTs: number;
  score: number;
}

export interface ConversationState {
  kind: "conversation";
  platform: string;
  channelId: string;
  /** recent distinct authors, most recent last */
  recent: string[];
  /** recent message id → author, for replies */
  msgs: [string, string][];
  en: number;
  nl: number;
  /** evidence of authors who had nobody to address yet (the opener of a DM), applied once someone answers */
  pend: Record<string, PendingSignal[]>;
  lastTs: number;
  score: number;
}

/** [stage, weight, messageId, evidence, rule, ts] */
export type PendingSignal = [string, number, string, string, string, number];
export const MAX_PENDING = 8;

export type AnyState = PairState | ActorState | ConversationState;

export const MAX_RECENT_AUTHORS = 6;
export const MAX_RECENT_MESSAGES = 64;
export const MAX_CONVS = 4;
export const MAX_TARGETS = 16;
export const MAX_COPIES = 8;

export const conversationKey = (platform: string, channelId: string) => `c|${platform}|${channelId}`;
export const actorKey = (platform: string, authorId: string) => `a|${platform}|${authorId}`;
export const pairKey = (platform: string, actor: string, target: string) => `p|${platform}|${actor}|${target}`;

export function newConversation(platform: string, channelId: string): ConversationState {
  return { kind: "conversation", platform, channelId, recent: [], msgs: [], en: 0, nl: 0, pend: {}, lastTs: 0, score: 0 };
}
export function newActor(platform: string, id: string): ActorState {
  return { kind: "actor", platform, id, minor: 0, adult: 0, child: 0, targets: {}, copies: [], lastTs: 0, score: 0 };
}
export function newPair(platform: string, actor: string, target: string): PairState {
  return { kind: "pair", platform, actor, target, stages: {}, tMinor: 0, tChild: 0, tAdult: 0, aAdult: 0, aMinor: 0, convs: [], lastTs: 0, score: 0 };
}

/** Add an id to a bounded most-recent-last list. */
export function touchList(list: string[], id: string, max: number): void {
  const i = list.indexOf(id);
  if (i >= 0) list.splice(i, 1);
  list.push(id);
  if (list.length > max) list.splice(0, list.length - max);
}

export function isState(value: unknown): value is AnyState {
  if (typeof value !== "object" || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === "pair" || kind === "actor" || kind === "conversation";
}
