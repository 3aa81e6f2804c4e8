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
  /** The same state as JSON, when the engine took it as a snapshot: stored as is, parsed only when read. */
  json?: string;
}

/** A stage seen on a pair: its strength, and the strongest evidence that carried it. */
export interface StageMark {
  /** strength 0..1 as of ts */
  s: number;
  ts: number;
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
  /** sextortion (a threat to expose images): strength as of `xt`; absent on almost every pair */
  x?: number;
  xt?: number;
  /** minor ages the two gave as a number: the actor's × 32 + the target's (0 = not given); see `actorAge`, `targetAge` */
  ages: number;
  /** bits: FAM_CALLED the target called the actor mom, dad, grandma… (the actor is family); FAM_OPEN the actor spoke
   * of the target's parents as people they know ("your mom said"); FAM_MUTUAL the target answered in kind ("miss u too");
   * FAM_HIDDEN the actor kept something from the target's parents ("don't tell your mum", v59) */
  fam: number;
  convs: string[];
  lastTs: number;
  score: number;
}

export interface TargetSummary {
  /** the target's author id */
  id: string;
  /** pair log-odds */
  z: number;
  /** weighted evidence */
  ev: number;
  /** stages present, as a bit set over STAGE_BITS */
  st: number;
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
  /** the minor age (years) this author last gave as a number ("im 12", "ik ben 13"); 0 = none */
  age: number;
  /** people this author called mom, dad, grandma…, most recent last (empty for almost everyone) */
  fam: string[];
  /** one summary per target (an array: objects keyed by author id would each get their own hidden class) */
  targets: TargetSummary[];
  /**
   * Messages with warning signs, to spot copy-pasted openers: per message [text hash, conversation
   * hash, 1 once the same text was seen in another conversation], flattened.
   */
  copies: number[];
  lastTs: number;
  score: number;
}

export interface ConversationState {
  kind: "conversation";
  platform: string;
  channelId: string;
  /** recent distinct authors, most recent last */
  recent: string[];
  /** recent messages, for replies: a 25-bit hash of each message id times 32, plus its author's index in `au` */
  mh: number[];
  /** authors of the recent messages */
  au: string[];
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
export const MAX_MESSAGE_AUTHORS = 16;
/** 25 bits of a message id's hash: with 5 bits of author index, a small integer. */
const HASH_MASK = 0x1ffffff;
export const MAX_CONVS = 4;
export const MAX_TARGETS = 16;
export const MAX_COPIES = 8;
export const MAX_FAMILY = 4;

export const conversationKey = (platform: string, channelId: string) => `c|${platform}|${channelId}`;
export const actorKey = (platform: string, authorId: string) => `a|${platform}|${authorId}`;
export const pairKey = (platform: string, actor: string, target: string) => `p|${platform}|${actor}|${target}`;

export function newConversation(platform: string, channelId: string): ConversationState {
  return { kind: "conversation", platform, channelId, recent: [], mh: [], au: [], en: 0, nl: 0, pend: {}, lastTs: 0, score: 0 };
}

export const FAM_CALLED = 1;
export const FAM_OPEN = 2;
export const FAM_MUTUAL = 4;
/** The actor kept something from the child's parents ("don't tell your mum", "she doesn't need to know"): v59's `openCovert`. */
export const FAM_HIDDEN = 8;

export function newActor(platform: string, id: string): ActorState {
  return { kind: "actor", platform, id, minor: 0, adult: 0, child: 0, age: 0, fam: NO_FAMILY, targets: [], copies: [], lastTs: 0, score: 0 };
}
export function newPair(platform: string, actor: string, target: string): PairState {
  return { kind: "pair", platform, actor, target, stages: {}, tMinor: 0, tChild: 0, tAdult: 0, aAdult: 0, aMinor: 0, ages: 0, fam: 0, convs: [], lastTs: 0, score: 0 };
}

/** Shared by every actor with nobody called family: never changed in place (`touchList` copies). */
const NO_FAMILY: string[] = [];

export const actorAge = (p: PairState) => p.ages >> 5;
export const targetAge = (p: PairState) => p.ages & 31;
export const withAges = (actor: number, target: number) => actor * 32 + target;

/**
 * A bounded most-recent-last list with `id` added: the same array when it already ends with it,
 * else a new array of exact size (push would reserve room for 16 more), keeping stored strings.
 */
export function touchList(list: string[], id: string, max: number): string[] {
  const n = list.length;
  if (n > 0 && list[n - 1] === id) return list;
  const i = list.indexOf(id);
  if (i >= 0) id = list[i]!;
  const rest = i >= 0 ? list.slice(0, i).concat(list.slice(i + 1)) : list;
  return appendBounded(rest, id, max);
}

/** `list` with `x` appended, at most `max` long, as a new array of exact size (concat allocates exactly). */
export function appendBounded<T>(list: T[], x: T, max: number): T[] {
  const out = list.concat([x]);
  return out.length > max ? out.slice(out.length - max) : out;
}

/** Stages in a fixed order, for bit sets. */
export const STAGE_BITS: readonly Stage[] = ["trust", "personal", "isolation", "risk", "sexual", "images", "meeting", "coercion", "age"];

export function stageBits(stages: readonly Stage[]): number {
  let bits = 0;
  for (const s of stages) bits |= 1 << STAGE_BITS.indexOf(s);
  return bits;
}

export function bitStages(bits: number): Stage[] {
  const out: Stage[] = [];
  for (let i = 0; i < STAGE_BITS.length; i++) if (bits & (1 << i)) out.push(STAGE_BITS[i]!);
  return out;
}

/** A 30-bit hash (a small integer in V8) of a message id, to find the author of a replied-to message. */
export function idHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h & 0x3fffffff;
}

/** A copy of a string that does not keep a larger string alive (V8 slices share their parent). */
export function ownString(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/**
 * A stored state in the current layout. States written before the compact layout (message id
 * lists, nested stage reasons, stage lists per target) are converted, so nothing is lost on upgrade.
 * Ages (`age`, `ages`) and family (`fam`) have defaults in `newActor`/`newPair`: `hydrate` lays a
 * stored state over those, so older states that lack them load unchanged.
 */
export function upgrade(s: AnyState): AnyState {
  const raw = s as unknown as Record<string, unknown>;
  if (s.kind === "conversation" && Array.isArray(raw.msgs)) {
    const conv = { ...s, mh: [] as number[], au: [] as string[] };
    delete (conv as Record<string, unknown>).msgs;
    for (const [m, a] of raw.msgs as [string, string][]) rememberMessage(conv, m, a);
    return conv;
  }
  if (s.kind === "conversation" && Array.isArray(raw.mi) && Array.isArray(raw.ma)) {
    // An interim layout: hashes and author indexes in two lists.
    const mi = raw.mi as number[];
    const ma = raw.ma as number[];
    const conv = { ...s, mh: mi.map((h, i) => (h & HASH_MASK) * 32 + (ma[i] ?? 0)) };
    delete (conv as Record<string, unknown>).mi;
    delete (conv as Record<string, unknown>).ma;
    return conv;
  }
  if (s.kind === "pair") {
    const stages: PairState["stages"] = {};
    for (const [k, v] of Object.entries(s.stages) as [Stage, StageMark & { r?: unknown }][]) {
      const r = v.r as { m: string; c: string; e: string; r: string; w: number } | string;
      stages[k] = typeof r === "object" && r !== null ? { s: v.s, ts: v.ts, m: r.m, c: r.c, e: r.e, r: r.r, w: r.w } : v;
    }
    return { ...s, stages };
  }
  if (s.kind === "actor") {
    let targets = s.targets;
    if (!Array.isArray(targets)) {
      targets = Object.entries(targets as Record<string, Omit<TargetSummary, "id"> & { st: number | Stage[] }>).map(([id, t]) => ({
        ...t,
        id,
        st: Array.isArray(t.st) ? stageBits(t.st) : t.st,
      }));
    }
    let copies = s.copies as unknown[];
    if (copies.some((c) => Array.isArray(c))) {
      copies = (copies as [number, string[]][]).flatMap(([h, convs]) => [h & 0x3fffffff, idHash(convs[0] ?? ""), convs.length >= 2 ? 1 : 0]);
    }
    return { ...s, targets, copies: copies as number[] };
  }
  return s;
}

/** Note who wrote a message (for replies to it later), keeping the last MAX_RECENT_MESSAGES. */
export function rememberMessage(conv: ConversationState, messageId: string, author: string): void {
  let slot = conv.au.indexOf(author);
  if (slot < 0) {
    slot = conv.au.length;
    if (slot >= MAX_MESSAGE_AUTHORS) {
      // Reuse the slot of the author whose last message is oldest; forget their messages.
      let oldest = 0;
      let at = Infinity;
      for (let a = 0; a < conv.au.length; a++) {
        let last = -1;
        for (let i = conv.mh.length - 1; i >= 0; i--) {
          if ((conv.mh[i]! & 31) === a) {
            last = i;
            break;
          }
        }
        if (last < at) {
          at = last;
          oldest = a;
        }
      }
      slot = oldest;
      conv.mh = conv.mh.filter((e) => (e & 31) !== slot);
    }
    conv.au = slot < conv.au.length ? conv.au.map((a, i) => (i === slot ? author : a)) : conv.au.concat([author]);
  }
  conv.mh = appendBounded(conv.mh, (idHash(messageId) & HASH_MASK) * 32 + slot, MAX_RECENT_MESSAGES);
}

/** Author of a recent message of the conversation, if remembered. */
export function authorOf(conv: ConversationState, messageId: string): string | undefined {
  const h = idHash(messageId) & HASH_MASK;
  for (let i = conv.mh.length - 1; i >= 0; i--) {
    const e = conv.mh[i]!;
    if (Math.floor(e / 32) === h) return conv.au[e & 31];
  }
  return undefined;
}

export function isState(value: unknown): value is AnyState {
  if (typeof value !== "object" || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === "pair" || kind === "actor" || kind === "conversation";
}
