// The risk engine: messages in (in time order), explainable scores out. Pure: no clock (time
// comes from message timestamps), no platform, no database; state is bounded and can be
// evicted to the store and hydrated back with the same results.
import type { Assessment, ChatMessage, Lang, Reason, RiskScore, Stage, StageSignal } from "../types.ts";
import type { Model, Scoring } from "./model.ts";
import { normalize } from "./normalize.ts";
import { sortReasons, evaluateActor, evaluatePair, pairScore, sigmoid, actorZ, type ActorEval, type PairEval, type PairFeatures } from "./score.ts";
import { StateLru } from "./lru.ts";
import { StateIndex, type Person } from "./registry.ts";
import { detectSignals, quotedParts } from "./signals.ts";
import { addressesFamily } from "./address.ts";
import {
  actorKey,
  authorOf,
  conversationKey,
  idHash,
  ownString,
  rememberMessage,
  stageBits,
  upgrade,
  isState,
  MAX_CONVS,
  MAX_COPIES,
  MAX_FAMILY,
  MAX_PENDING,
  MAX_RECENT_AUTHORS,
  MAX_TARGETS,
  newActor,
  newConversation,
  newPair,
  pairKey,
  touchList,
  actorAge,
  targetAge,
  withAges,
  type ActorState,
  type AnyState,
  type ConversationState,
  type PairState,
  type PersistedState,
  type PendingSignal,
  FAM_CALLED,
  FAM_MUTUAL,
  FAM_OPEN,
  FAM_HIDDEN,
} from "./state.ts";

export interface EngineOptions {
  /** Most states (conversations, pairs, actors) kept in memory; the least recently used are evicted. */
  maxTrackedStates?: number;
  /** States idle this long (in message time) are evicted. */
  idleMs?: number;
  /** Receives every evicted state, to be written to the store. */
  onEvict?: (state: PersistedState) => void;
  /** Every pair score computed, with its features (used by training). */
  onPairScored?: (pair: { actor: string; target: string }, features: PairFeatures, msg: ChatMessage) => void;
}

/** Per-message context from the caller (the community's settings), never from a platform. */
export interface ObserveOptions {
  /** Languages the community watches; rules of other languages give no evidence. Default: all. */
  languages?: readonly Lang[];
}

const MAX_COUNTERPARTS = 3;

/** A subject's score; its explanation is built only if it is the message's top score. */
interface Candidate {
  score: number;
  evidence: boolean;
  pair: PairState | null;
  pairEval: PairEval | null;
  actor: ActorState | null;
  actorEval: ActorEval | null;
  current: PairState | undefined;
}
/**
 * Idle states leave a few per message: each eviction serialises the state for the store, and
 * 64 at once made single messages take ~5 ms when message time jumped (a replay, a quiet
 * night). When a sweep finds more, the next message goes on with it.
 */
const MAX_IDLE_SWEEP = 8;
/** Otherwise idle states are looked for at most once per minute of message time (walking the LRU costs). */
const SWEEP_EVERY_MS = 60_000;

export class RiskEngine {
  readonly modelVersion: string;
  private readonly sc: Scoring;
  private readonly cache: StateLru<AnyState>;
  private readonly index = new StateIndex();
  /** inserts so far: person numbers held across one may be stale */
  private inserts = 0;
  /**
   * States changed since the last drain, in the order they first changed (as a Set of keys
   * would keep them): LRU slots, or the key of a state changed while not in memory (-1: left).
   */
  private dirtyList: (number | string)[] = [];
  /** per slot: its position in dirtyList + 1, or 0 */
  private dirtyAt = new Int32Array(1024);
  /** keys in dirtyList as strings, with their position */
  private readonly dirtyKeys = new Map<string, number>();
  private readonly idleMs: number;
  private readonly onEvict: ((s: PersistedState) => void) | undefined;
  private readonly onPairScored: EngineOptions["onPairScored"];
  private current: ChatMessage | null = null;
  private lastSweep = -Infinity;
  /** The last sweep stopped at its cap: idle states are left, the next message sweeps on. */
  private sweepMore = false;
  /** Per channel, the last minor age or school year said (the message's mark in `mh`), for a "same" right after it. Transient. */
  private readonly disclosures = new Map<string, { author: string; mark: number; age: number; ask?: number }>();
  /** Per channel, the last age question asked ("how old r u?", "hoe oud ben je?"; v21's `ageAnswer`), for a number answered right after it. Transient. */
  private readonly ageQuestions = new Map<string, { author: string; mark: number }>();

  constructor(
    private readonly model: Model,
    opts: EngineOptions = {},
  ) {
    this.modelVersion = model.version;
    this.sc = model.scoring;
    this.idleMs = opts.idleMs ?? 7 * 86_400_000;
    this.onEvict = opts.onEvict;
    this.onPairScored = opts.onPairScored;
    this.cache = new StateLru<AnyState>(Math.max(16, opts.maxTrackedStates ?? 40_000), (key, value, slot) => {
      this.undirty(key, slot);
      this.index.remove(value, slot);
      this.onEvict?.(persisted(key, value));
    });
  }

  /** Number of states in memory. */
  get size(): number {
    return this.cache.size;
  }

  /**
   * State keys this message may touch. Pairs are found through the conversation's state:
   * when the conversation key was not loaded, hydrate it and ask again.
   */
  keysFor(msg: ChatMessage): string[] {
    const conv = this.cache.peek(conversationKey(msg.platform, msg.channelId));
    const keys = [conversationKey(msg.platform, msg.channelId), actorKey(msg.platform, msg.authorId)];
    for (const other of counterparts(msg, conv?.kind === "conversation" ? conv : undefined)) {
      keys.push(pairKey(msg.platform, msg.authorId, other), pairKey(msg.platform, other, msg.authorId), actorKey(msg.platform, other));
    }
    return keys;
  }

  isLoaded(key: string): boolean {
    return this.cache.has(key);
  }

  /** Restore a state evicted earlier (or owned by a worker that died). */
  hydrate(state: PersistedState): void {
    // A copy of its own: the caller may hold on to what it passed.
    const raw: unknown = state.json !== undefined ? JSON.parse(state.json) : structuredClone(state.state);
    if (!isState(raw) || raw.kind !== state.kind) return;
    // Defaults first: a state stored by an older engine may lack newer fields.
    const s = upgrade(raw as AnyState);
    const base: AnyState =
      s.kind === "conversation" ? newConversation(s.platform, s.channelId) : s.kind === "actor" ? newActor(s.platform, s.id) : newPair(s.platform, s.actor, s.target);
    this.insert(state.key, { ...base, ...s } as AnyState);
  }

  /** States changed since the last drain, for the store. */
  drainDirty(): PersistedState[] {
    const out: PersistedState[] = [];
    for (const key of this.drainDirtyKeys()) {
      const s = this.snapshot(key);
      if (s) out.push(s);
    }
    return out;
  }

  /**
   * Keys of the states changed since the last drain, without serialising them: a caller that
   * writes many messages at once takes each state's `snapshot` once, after the last of them.
   */
  drainDirtyKeys(): string[] {
    const out: string[] = [];
    for (const e of this.dirtyList) {
      if (typeof e === "number") {
        if (e < 0) continue;
        this.dirtyAt[e] = 0;
        out.push(this.cache.keyAt(e));
      } else if (this.cache.peek(e)) out.push(e);
    }
    this.dirtyList = [];
    this.dirtyKeys.clear();
    return out;
  }

  /** A state in memory as it is now, serialised for the store; undefined when it is not in memory. */
  snapshot(key: string): PersistedState | undefined {
    const s = this.cache.peek(key);
    return s ? persisted(key, s) : undefined;
  }

  observe(msg: ChatMessage, opts?: ObserveOptions): Assessment {
    const sc = this.sc;
    const now = msg.ts;
    const platform = msg.platform;
    const index = this.index;
    this.current = msg;
    const text = normalize(msg.text ?? "");
    let convSlot = index.conversation(platform, msg.channelId);
    let conv: ConversationState;
    if (convSlot >= 0) conv = this.cache.getAt(convSlot) as ConversationState;
    else {
      conv = newConversation(platform, msg.channelId);
      convSlot = this.insert(conversationKey(platform, msg.channelId), conv);
    }
    const hint: Lang | null = conv.nl > conv.en ? "nl" : conv.en > conv.nl ? "en" : null;
    const found = detectSignals(this.model, text, msg.attachments ?? 0, hint, opts?.languages ?? null, quotedParts(msg.text ?? "", normalize));

    const others = counterparts(msg, conv);
    if (found.lang === "en") conv.en++;
    else if (found.lang === "nl") conv.nl++;
    const lang: Lang = found.lang ?? (conv.nl > conv.en ? "nl" : "en");
    conv.lastTs = now;
    this.markDirty(convSlot, conv);

    // Stored ids reuse one string per person and channel: memory per state stays small.
    let mePerson = index.person(platform, msg.authorId);
    let inserts = this.inserts;
    let authorSlot = index.actorOf(mePerson);
    let author = authorSlot >= 0 ? (this.cache.getAt(authorSlot) as ActorState) : undefined;
    const me = author?.id ?? internAuthor(conv, msg.authorId);
    conv.recent = touchList(conv.recent, me, MAX_RECENT_AUTHORS);
    rememberMessage(conv, msg.messageId, me);
    const warnings = found.signals.filter((s) => s.stage !== "age");
    // "same" or "ik ook" right after the other's minor age or school year: the author claims it too (a peer, or a fake one).
    let minor = found.minor;
    let claimedAge = 0;
    if (found.mutual >= SAME_CLAIM && this.disclosures.size > 0) {
      const d = this.disclosures.get(conv.channelId);
      if (d && d.ask === undefined && d.author !== me && conv.mh.length >= 2 && conv.mh[conv.mh.length - 2] === d.mark) {
        // As sure as saying the age ("same 14"): the peer rules of score.ts apply.
        minor = Math.max(minor, SAME_CLAIM_MINOR);
        claimedAge = d.age;
      }
    }
    // A yes right after the other's question whether one is a child ("zit je nog op de basisschool?" "ja"):
    // the answerer says so (lexicon kinds ask_minor and yes, since v19; models without them never get here).
    if (found.yes > 0 && this.disclosures.size > 0) {
      const d = this.disclosures.get(conv.channelId);
      if (d && d.ask !== undefined && d.author !== me && conv.mh.length >= 2 && conv.mh[conv.mh.length - 2] === d.mark) minor = Math.max(minor, d.ask * found.yes);
    }
    // A reply opening with a number right after the other's age question ("how old r u?" "31, accountant",
    // "hoe oud ben je?" "13 bijna 14") gives that age (v21's `ageAnswer`; models without it never get here).
    let adult = found.adult;
    let answeredAge = 0;
    if (sc.ageAnswer === true) {
      // Also a bare age the lexicon reads less surely ("15, gij?" at 0.8): answering the question, it is a stated age.
      const q = this.ageQuestions.size > 0 ? this.ageQuestions.get(conv.channelId) : undefined;
      if (q && q.author !== me && conv.mh.length >= 2 && conv.mh[conv.mh.length - 2] === q.mark) {
        const n = leadingAge(text);
        if (n >= 8 && n <= 17 && found.adult === 0) {
          minor = Math.max(minor, AGE_ANSWER);
          answeredAge = n;
        } else if (n >= 18 && n <= 69 && found.minor === 0) adult = Math.max(adult, AGE_ANSWER);
      }
      if (found.signals.some((x) => x.stage === "personal" && AGE_QUESTION_RULE.test(x.rule))) {
        if (this.ageQuestions.size >= MAX_DISCLOSURES) this.ageQuestions.clear();
        this.ageQuestions.set(conv.channelId, { author: me, mark: conv.mh[conv.mh.length - 1]! });
      }
    }
    if (found.minor >= SAME_CLAIM_FROM || found.askMinor > 0) {
      if (this.disclosures.size >= MAX_DISCLOSURES) this.disclosures.clear();
      const mark = conv.mh[conv.mh.length - 1]!;
      this.disclosures.set(conv.channelId, found.askMinor > 0 ? { author: me, mark, age: 0, ask: found.askMinor } : { author: me, mark, age: disclosedAge(found.signals, sc.schoolYearAge === true, sc.bareGradeAge === true) });
    }
    // An actor state only for authors with something to remember: most people never need one.
    if (!author && (warnings.length > 0 || minor > 0 || adult > 0 || found.child > 0)) {
      author = newActor(platform, me);
      authorSlot = this.newActorState(author);
    }
    if (author) {
      author.minor = Math.max(author.minor, minor);
      author.adult = Math.max(author.adult, adult);
      author.child = Math.max(author.child, found.child);
      if (found.minor > 0) {
        const age = disclosedAge(found.signals, sc.schoolYearAge === true, sc.bareGradeAge === true);
        if (age > 0) author.age = age;
      }
      if (claimedAge > 0 && author.age === 0) author.age = claimedAge;
      if (answeredAge > 0) author.age = answeredAge;
      author.lastTs = now;
      this.markDirty(authorSlot, author);
    }

    // A DM opener who speaks of the child's parents as people they know ("hi Tom, your dad said…",
    // "it's Nana"): that, too, waits for the answer, as its warning signs do.
    if (found.open > 0 && others.length === 0) holdPending(conv, msg, me, [{ stage: OPEN_MARK as Stage, weight: found.open, evidence: "", rule: OPEN_MARK }]);
    if (warnings.length > 0) {
      if (others.length === 0) holdPending(conv, msg, me, warnings);
      if (noteCopy(author!, text, conv.channelId)) this.markDirty(authorSlot, author!);
    }
    // In a group only a reply or a mention says whom the author calls mom, dad… (the last speaker may be anyone).
    const addressed = msg.channelKind === "dm" || Boolean(msg.replyToId) || (msg.mentions?.length ?? 0) > 0;
    // Scores are computed for every subject touched; the explanation only for the top one.
    const touched: Candidate[] = [];
    // The author's pair towards the first counterpart that has one (for the actor's explanation).
    let current: PairState | undefined;
    for (const other of others) {
      // A person's number is reused once all its states leave: after an insert (which may evict), look it up again.
      if (this.inserts !== inserts) {
        mePerson = index.person(platform, msg.authorId);
        inserts = this.inserts;
      }
      // The author towards the other person: stage evidence and the author's own age hint.
      let otherPerson = index.person(platform, other);
      let abSlot = index.pair(mePerson, otherPerson);
      let ab = abSlot >= 0 ? (this.cache.getAt(abSlot) as PairState) : undefined;
      // Almost always empty: then no keyed lookup (an id never used as a key is looked up in V8's string table each time).
      const pending = hasAny(conv.pend) ? conv.pend[me] : undefined;
      // The author speaks of this person's own adult life ("roomie still away?"): only of the one addressed (v19's lexicon kind adult_other).
      const otherAdult = found.otherAdult > 0 && addressed && other === others[0] ? found.otherAdult : 0;
      if (!ab && (warnings.length > 0 || adult > 0 || found.open > 0 || otherAdult > 0 || pending)) {
        ab = newPair(platform, me, other);
        abSlot = this.insert(pairKey(platform, msg.authorId, other), ab);
        // Both now have a person (the insert may also have evicted one of their states).
        mePerson = index.person(platform, msg.authorId);
        otherPerson = index.person(platform, other);
        inserts = this.inserts;
      }
      current ??= ab;
      let baSlot = index.pair(otherPerson, mePerson);
      let ba = baSlot >= 0 ? (this.cache.getAt(baSlot) as PairState) : undefined;
      // The other opened this DM with warning signs and the author answers: the opener now has a target,
      // so its evidence lands at once (not only with the opener's next message).
      const otherPending = hasAny(conv.pend) ? conv.pend[other] : undefined;
      if (!ba && otherPending) {
        ba = newPair(platform, other, me);
        baSlot = this.insert(pairKey(platform, other, msg.authorId), ba);
        landPending(ba, otherPending, conv.channelId, sc);
        delete conv.pend[other];
        ba.convs = touchList(ba.convs, conv.channelId, MAX_CONVS);
        mePerson = index.person(platform, msg.authorId);
        otherPerson = index.person(platform, other);
        inserts = this.inserts;
      }
      let otherSlot = index.actorOf(otherPerson);
      const otherActor = otherSlot >= 0 ? (this.cache.getAt(otherSlot) as ActorState) : undefined;
      // The author calls the person they answer mom, dad, grandma…: that person is family. Only
      // worth knowing about someone with something to remember (a warning sign or an age hint).
      const family = addressed && other === others[0] && otherActor !== undefined && addressesFamily(text, this.model.scoring.leadAddress === true);
      if (family) {
        if (!author) {
          author = newActor(platform, me);
          authorSlot = this.newActorState(author);
        }
        const fam = author.fam;
        author.fam = touchList(fam, other, MAX_FAMILY);
        if (author.fam !== fam) this.markDirty(authorSlot, author);
      }
      if (ab) {
        if (!author) {
          author = newActor(platform, me);
          authorSlot = this.newActorState(author);
        }
        if (pending) {
          landPending(ab, pending, conv.channelId, sc);
          delete conv.pend[me];
        }
        for (const sig of warnings) addEvidence(ab, sig.stage, sig.weight, sig.evidence, sig.rule, msg.messageId, conv.channelId, now, sc);
        if (sc.openCovert === true && warnings.some((w) => w.weight >= sc.presentAt && HIDES_FROM_PARENTS.test(w.rule))) ab.fam |= FAM_HIDDEN;
        ab.aAdult = Math.max(ab.aAdult, author.adult);
        ab.aMinor = Math.max(ab.aMinor ?? 0, author.minor);
        if (author.age > 0) ab.ages = withAges(author.age, targetAge(ab));
        if (otherActor) {
          ab.tMinor = Math.max(ab.tMinor, otherActor.minor);
          ab.tChild = Math.max(ab.tChild, otherActor.child);
          ab.tAdult = Math.max(ab.tAdult, otherActor.adult);
          if (otherActor.age > 0) ab.ages = withAges(actorAge(ab), otherActor.age);
          // Only the other person's words make the author family (never the author's own "its uncle rob").
          if ((ab.fam & FAM_CALLED) === 0 && otherActor.fam.length > 0 && otherActor.fam.includes(msg.authorId)) ab.fam |= FAM_CALLED;
        }
        if (found.open > 0) ab.fam |= FAM_OPEN;
        if (otherAdult > 0) ab.tAdult = Math.max(ab.tAdult, otherAdult);
        ab.convs = touchList(ab.convs, conv.channelId, MAX_CONVS);
        ab.lastTs = now;
        this.markDirty(abSlot, ab);
        touched.push(this.scorePair(ab, ba, author, authorSlot, now));
      }
      // The other person towards the author: the author may just have disclosed being a child.
      if (ba) {
        ba.tMinor = Math.max(ba.tMinor, author?.minor ?? 0);
        ba.tChild = Math.max(ba.tChild, author?.child ?? 0);
        ba.tAdult = Math.max(ba.tAdult, author?.adult ?? 0);
        if (author && author.age > 0) ba.ages = withAges(actorAge(ba), author.age);
        if (family) ba.fam |= FAM_CALLED;
        // The author answers the other in kind: a two-way bond, not one side working on the other.
        if (found.mutual > 0) ba.fam |= FAM_MUTUAL;
        ba.lastTs = now;
        this.markDirty(baSlot, ba);
        let otherState = otherActor;
        if (!otherState) {
          otherState = newActor(platform, other);
          otherSlot = this.newActorState(otherState);
        }
        touched.push(this.scorePair(ba, ab, otherState, otherSlot, now));
        touched.push(this.scoreActor(otherState, ba));
      }
    }
    if (author && author.targets.length > 0) touched.push(this.scoreActor(author, current));

    let best: Candidate | null = null;
    for (const c of touched) if (c.evidence && (!best || c.score > best.score)) best = c;
    const top: RiskScore | null = best ? this.explain(best) : null;
    this.sweepIdle(now);
    return { messageId: msg.messageId, conversationId: msg.channelId, authorId: msg.authorId, lang, signals: found.signals, top };
  }

  private scorePair(p: PairState, reverse: PairState | undefined, actor: ActorState, actorSlot: number, now: number): Candidate {
    const e = evaluatePair(p, reverse, now, this.sc);
    p.score = e.score;
    if (this.onPairScored && this.current) this.onPairScored({ actor: p.actor, target: p.target }, e.features, this.current);
    const targets = actor.targets;
    let i = 0;
    while (i < targets.length && targets[i]!.id !== p.target) i++;
    const prev = i < targets.length ? targets[i] : undefined;
    // p.convs is replaced, never changed in place: sharing it costs nothing and survives a store round trip.
    const summary = { id: prev?.id ?? p.target, z: actorZ(e, this.sc), ev: e.ev, st: stageBits(e.present), ts: now, convs: p.convs };
    if (prev) targets[i] = summary;
    else {
      actor.targets = actor.targets.concat([summary]);
      if (actor.targets.length > MAX_TARGETS) {
        // Keep the riskiest targets.
        const keep = [...actor.targets].sort((a, b) => b.z - a.z || a.id.localeCompare(b.id)).slice(0, MAX_TARGETS);
        actor.targets = actor.targets.filter((t) => keep.includes(t));
      }
    }
    this.markDirty(actorSlot, actor);
    return { score: e.score, evidence: hasAny(p.stages), pair: p, pairEval: e, actor: null, actorEval: null, current: undefined };
  }

  private scoreActor(a: ActorState, current: PairState | undefined): Candidate {
    const e = evaluateActor(a, this.sc);
    a.score = e.score;
    return { score: e.score, evidence: e.best !== null, pair: null, pairEval: null, actor: a, actorEval: e, current };
  }

  private explain(c: Candidate): RiskScore {
    if (c.pair && c.pairEval) return pairScore(c.pair, c.pairEval, this.sc);
    return this.explainActor(c.actor!, c.actorEval!, c.current);
  }

  private explainActor(a: ActorState, e: ActorEval, current: PairState | undefined): RiskScore {
    // Reasons: the worst pair's (if in memory) and the current pair's, scaled to the actor's score.
    const reasons = new Map<string, Reason>();
    const person = this.index.person(a.platform, a.id);
    const pairs = [e.best ? this.pairAt(person, this.index.person(a.platform, e.best)) : undefined, current];
    for (const p of pairs) {
      if (!p) continue;
      const pe = evaluatePair(p, this.pairAt(this.index.person(a.platform, p.target), person), a.lastTs, this.sc);
      for (const r of pairScore(p, pe, this.sc).reasons) {
        const k = `${r.stage}|${r.messageId}|${r.conversationId}`;
        if (!reasons.has(k)) reasons.set(k, r);
      }
    }
    const list = [...reasons.values()];
    const sum = list.reduce((acc, r) => acc + r.contribution, 0);
    const rise = Math.max(0, e.score - sigmoid(this.sc.bias));
    for (const r of list) r.contribution = sum > 0 ? (rise * r.contribution) / sum : 0;
    sortReasons(list);
    const convs = new Set<string>();
    for (const t of a.targets) for (const c of t.convs) convs.add(c);
    return { subject: { kind: "actor", actor: a.id }, score: e.score, stages: e.stages, reasons: list, targets: e.targets, conversationIds: [...convs] };
  }

  /** Insert a new actor state (marked changed); its slot. */
  private newActorState(a: ActorState): number {
    const slot = this.insert(actorKey(a.platform, a.id), a);
    this.markDirty(slot, a);
    return slot;
  }

  /** The pair from one person to another, marked as just used. */
  private pairAt(actor: Person, target: Person): PairState | undefined {
    const slot = this.index.pair(actor, target);
    return slot >= 0 ? (this.cache.getAt(slot) as PairState) : undefined;
  }

  private insert(key: string, s: AnyState): number {
    this.inserts++;
    const slot = this.cache.set(key, s);
    this.index.add(s, slot);
    return slot;
  }

  /** Note a changed state: by slot while it is in memory, else (evicted while in use) by key. */
  private markDirty(slot: number, s: AnyState): void {
    if (slot >= 0 && this.cache.valueAt(slot) === s) this.markSlot(slot);
    else this.markKey(s.kind === "conversation" ? conversationKey(s.platform, s.channelId) : s.kind === "actor" ? actorKey(s.platform, s.id) : pairKey(s.platform, s.actor, s.target));
  }

  private markSlot(slot: number): void {
    if (slot >= this.dirtyAt.length) {
      const grown = new Int32Array(Math.max(slot + 1, this.dirtyAt.length * 2));
      grown.set(this.dirtyAt);
      this.dirtyAt = grown;
    }
    if (this.dirtyAt[slot] !== 0) return;
    if (this.dirtyKeys.size > 0) {
      // Changed once while out of memory: it keeps that place.
      const key = this.cache.keyAt(slot);
      const at = this.dirtyKeys.get(key);
      if (at !== undefined) {
        this.dirtyKeys.delete(key);
        this.dirtyList[at] = slot;
        this.dirtyAt[slot] = at + 1;
        return;
      }
    }
    this.dirtyAt[slot] = this.dirtyList.push(slot);
  }

  private markKey(key: string): void {
    const slot = this.cache.slotOf(key);
    if (slot >= 0) this.markSlot(slot);
    else if (!this.dirtyKeys.has(key)) this.dirtyKeys.set(key, this.dirtyList.push(key) - 1);
  }

  /** A state left memory: it is no longer changed-and-unsaved here (onEvict saves it). */
  private undirty(key: string, slot: number): void {
    const at = slot < this.dirtyAt.length ? this.dirtyAt[slot]! : 0;
    if (at !== 0) {
      this.dirtyList[at - 1] = -1;
      this.dirtyAt[slot] = 0;
    }
    if (this.dirtyKeys.size > 0) {
      const k = this.dirtyKeys.get(key);
      if (k !== undefined) {
        this.dirtyList[k] = -1;
        this.dirtyKeys.delete(key);
      }
    }
  }

  private sweepIdle(now: number): void {
    if (!this.sweepMore && now - this.lastSweep < SWEEP_EVERY_MS && now >= this.lastSweep) return;
    this.lastSweep = now;
    const cutoff = now - this.idleMs;
    const stale: string[] = [];
    for (const key of this.cache.oldestFirst()) {
      const value = this.cache.peek(key);
      if (stale.length >= MAX_IDLE_SWEEP || !value || value.lastTs >= cutoff) break;
      stale.push(key);
    }
    for (const key of stale) this.cache.delete(key);
    this.sweepMore = stale.length >= MAX_IDLE_SWEEP;
  }
}

/**
 * A group message that speaks to a few of those present at once ("dm me u two", "you both",
 * "jullie twee"). Read from the raw text (lower-cased), so `keysFor` finds the same counterparts.
 */
const FEW_ADDRESSED = /\b(?:(?:u|you|ya|yall) (?:two|2|three|3|both)|both of (?:u|you|ya)|(?:jullie|gullie|gij|julle) (?:twee|drie|2|3|allebei|alle twee|beiden))\b/;

/** Who a message is addressed to: the replied-to author, mentions, else the last other speaker (the last few when it speaks to a few). */
function counterparts(msg: ChatMessage, conv: ConversationState | undefined): string[] {
  const out: string[] = [];
  if (msg.replyToId && conv) addCounterpart(out, msg.authorId, authorOf(conv, msg.replyToId));
  if (msg.mentions) for (const m of msg.mentions) addCounterpart(out, msg.authorId, m);
  if (out.length === 0 && conv) {
    const few = msg.channelKind !== "dm" && msg.text && FEW_ADDRESSED.test(msg.text.toLowerCase()) ? MAX_COUNTERPARTS : 1;
    for (let i = conv.recent.length - 1; i >= 0 && out.length < few; i--) addCounterpart(out, msg.authorId, conv.recent[i]);
  }
  return out;
}

/** The conversation's stored string for this author id, if it has one (equal ids then share memory). */
function internAuthor(conv: ConversationState, id: string): string {
  for (const a of conv.recent) if (a === id) return a;
  for (const a of conv.au) if (a === id) return a;
  return id;
}

function addCounterpart(out: string[], author: string, id: string | undefined): void {
  if (id && id !== author && !out.includes(id) && out.length < MAX_COUNTERPARTS) out.push(id);
}

function hasAny(record: object): boolean {
  for (const _ in record) return true;
  return false;
}



/** Rules whose match carries an age as a number ("im 12", "n_jaar"), not a school year ("groep 8", "7th grade"). */
const NUMBER_AGE_RULE = /\.(?:[a-z_]*_)?n(?:_[a-z0-9_]*)?$/;
const SCHOOL_RULE = /grade|groep|year|klas|leerjaar/;

/** A "same" claim (lexicon kind mutual, weight 1: "same", "me too", "ik ook" alone) and the age disclosures it can follow. */
const SAME_CLAIM = 1;
const SAME_CLAIM_FROM = 0.8;
const SAME_CLAIM_MINOR = 0.9;
const MAX_DISCLOSURES = 1024;
/** Isolation rules that keep something from the child's parents (v59's `openCovert`). */
const HIDES_FROM_PARENTS = /\.(?:dont_tell_parents|they_dont_need_know|dont_mention_to_parents_v44|hoeft_niet_te_weten[a-z0-9_]*|no_need_parents_v59|niet_via_ouders_v59|parent_trusts_me_v59|ouders_vertrouwen_mij_v59)$/;

/** The lexicon rules that ask the other's age (EN, NL), for v21's `ageAnswer`; since v45 also under a version suffix ("your_age_v45"). */
const AGE_QUESTION_RULE = /\.personal\.(?:how_old|how_old_bare|hows_old|how_old_turn|your_age|what_age|age_q|asl|hoe_oud|hoe_oud_kort|hoe_oud_zijt|hoe_oud_omgekeerd|leeftijd|leeftijd_kort|lft)(?:_v[0-9]+)?$/;
/** How sure a number answered to an age question is as that age (as a stated age: the peer rules of score.ts apply). */
const AGE_ANSWER = 0.85;
/** What follows a number that is no age ("20 mins", "25 euro", "12:30" normalised to "12 30"). */
const NOT_AGE_UNIT = /^(?: \d{2}\b|\s*(?:min|mins|minutes|minuten|hour|hours|hrs|h|uur|day|days|dagen|week|weeks|weken|month|months|maanden|km|miles|euros?|dollars?|bucks|points|punten|pm|am|cm|kg|procent|percent|keer|times|x)\b)/;

/** The number (1-2 digits) a message opens with, when it reads as an age; else 0. */
function leadingAge(text: string): number {
  const m = /^(\d{1,2})(?=$|[ ?!])/.exec(text);
  if (!m) return 0;
  if (NOT_AGE_UNIT.test(text.slice(m[0].length))) return 0;
  return Number(m[1]);
}

/**
 * The minor age (8-17) a message disclosed as a number, if its age evidence carries one; with `schoolYears` (v36)
 * else the usual age of a school year it named (with `bareGrades`, v47, also a grade said alone); else 0.
 */
function disclosedAge(signals: readonly StageSignal[], schoolYears: boolean, bareGrades = false): number {
  for (const s of signals) {
    if (s.stage !== "age" || !NUMBER_AGE_RULE.test(s.rule) || SCHOOL_RULE.test(s.rule)) continue;
    const m = /\b(\d{1,2})\b/.exec(s.evidence);
    const n = m ? Number(m[1]) : NaN;
    if (n >= 8 && n <= 17) return n;
  }
  if (!schoolYears) return 0;
  for (const s of signals) {
    if (s.stage !== "age") continue;
    const n = schoolYearAge(s.evidence);
    if (n > 0) return n;
    if (bareGrades && BARE_GRADE_RULE.test(s.rule)) {
      const g = /\b([4-9]|1[0-2])th\b|\b(fourth|fifth|sixth|seventh|eighth|ninth)\b/.exec(s.evidence);
      if (g) return ordinal(g[1] ?? g[2]!) + 5;
    }
  }
  return 0;
}
/** The lexicon's grade said alone ("7th" answering "what grade r u in?"): v47's `bareGradeAge`. */
const BARE_GRADE_RULE = /\.minor\.bare_grade$/;

const ORDINAL: Record<string, number> = { fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, vierde: 4, vijfde: 5, zesde: 6, eerste: 1, tweede: 2, derde: 3 };
const ordinal = (w: string) => ORDINAL[w] ?? Number.parseInt(w, 10);

/**
 * The usual age at the start of a school year a child named (v36's `schoolYearAge`): "7th grade" 12, "year 7" 11,
 * "groep 8" 11, "6de leerjaar" 11, "brugklas" and "eerste middelbaar" 12, "2 havo" 13; 0 for none or a span
 * too wide to tell ("basisschool"). Lets a fake peer's claimed age be set against a child who gave a year, not an age.
 */
export function schoolYearAge(evidence: string): number {
  let m: RegExpExecArray | null;
  if ((m = /\b([4-9]|1[0-2])(?:th)?(?: grade| grader)\b|\bgrade ([4-9]|1[0-2])\b|\b(fourth|fifth|sixth|seventh|eighth|ninth)(?: grade| grader)\b/.exec(evidence))) return ordinal(m[1] ?? m[2] ?? m[3]!) + 5;
  if ((m = /\bim(?: in)? ([4-9])th\b/.exec(evidence))) return Number(m[1]) + 5;
  if ((m = /\byear ([6-9]|1[01])\b/.exec(evidence))) return Number(m[1]) + 4;
  if ((m = /\bgroep ([5-8])\b/.exec(evidence))) return Number(m[1]) + 3;
  if ((m = /\b(vierde|vijfde|zesde|[4-6])(?:de|e)? leerjaar\b/.exec(evidence))) return ordinal(m[1]!) + 5;
  if ((m = /\b(eerste|tweede|derde|[1-3])(?:e|ste|de)? (?:jaar )?(?:middelbaar|secundair)\b/.exec(evidence))) return ordinal(m[1]!) + 11;
  if ((m = /\b([1-3]) ?(?:havo|vwo|vmbo|mavo|gym|atheneum)\b|\b(?:havo|vwo|vmbo|mavo) ?([1-3])\b/.exec(evidence))) return Number(m[1] ?? m[2]) + 11;
  if (/\b(?:brugklas|brugklasser|brugpieper|middle school|junior high)\b/.test(evidence)) return 12;
  if (/\bfreshman\b/.test(evidence)) return 14;
  if (/\bsophomore\b/.test(evidence)) return 15;
  return 0;
}

/** An opener with nobody to address yet: keep its evidence in the conversation until someone answers. */
/** A held DM opener's entry that is no stage: it spoke of the child's parents as people it knows (`open`). */
const OPEN_MARK = "open";

/** A DM opener's held signals land on its pair once the other answers. */
function landPending(p: PairState, list: readonly PendingSignal[], channelId: string, sc: Scoring): void {
  for (const [stage, weight, messageId, evidence, rule, ts] of list) {
    if (stage === OPEN_MARK) p.fam |= FAM_OPEN;
    else addEvidence(p, stage as Stage, weight, evidence, rule, messageId, channelId, ts, sc);
  }
}

function holdPending(conv: ConversationState, msg: ChatMessage, me: string, warnings: StageSignal[]): void {
  const list = (conv.pend[me] ??= []);
  for (const w of warnings) list.push([w.stage, w.weight, msg.messageId, ownString(w.evidence), w.rule, msg.ts]);
  if (list.length > MAX_PENDING) list.splice(0, list.length - MAX_PENDING);
  const authors = Object.keys(conv.pend);
  if (authors.length > MAX_RECENT_AUTHORS) delete conv.pend[authors[0]!];
}

/** Remember a message with warning signs; true when the actor state changed. */
function noteCopy(actor: ActorState, text: string, channelId: string): boolean {
  if (text.length < 24) return false;
  const h = hash(text) & 0x3fffffff;
  const c = idHash(channelId);
  const list = actor.copies;
  for (let i = 0; i < list.length; i += 3) {
    if (list[i] !== h) continue;
    if (list[i + 1] === c || list[i + 2] === 1) return false;
    // The same text with warning signs in a second conversation: a copy-pasted opener.
    actor.copies = list.slice();
    actor.copies[i + 2] = 1;
    return true;
  }
  const next = list.concat([h, c, 0]);
  actor.copies = next.length > MAX_COPIES * 3 ? next.slice(next.length - MAX_COPIES * 3) : next;
  return true;
}

/** FNV-1a, 32 bits: only to recognise a repeated text, never stored as text. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function addEvidence(p: PairState, st: Stage, weight: number, evidence: string, rule: string, messageId: string, channelId: string, ts: number, sc: Scoring): void {
  const stage = st as Exclude<Stage, "age">;
  if (stage === "coercion" && rule.includes(".sextortion.")) {
    const old = p.x === undefined ? 0 : decay(p.x, ts - (p.xt ?? ts), sc);
    p.x = 1 - (1 - old) * (1 - weight);
    p.xt = Math.max(p.xt ?? ts, ts);
  }
  const mark = p.stages[stage];
  if (!mark) {
    p.stages[stage] = { s: weight, ts, m: messageId, c: channelId, e: ownString(evidence), r: rule, w: weight };
    return;
  }
  const old = decay(mark.s, ts - mark.ts, sc);
  mark.s = 1 - (1 - old) * (1 - weight);
  mark.ts = Math.max(mark.ts, ts);
  if (weight > mark.w) {
    mark.m = messageId;
    mark.c = channelId;
    mark.e = ownString(evidence);
    mark.r = rule;
    mark.w = weight;
  }
}

function decay(strength: number, dt: number, sc: Scoring): number {
  return dt <= 0 ? strength : strength * Math.pow(0.5, dt / (sc.halfLifeDays * 86_400_000));
}

/** A snapshot of a state: its JSON, which the store writes as it is (a deep copy would be serialised again anyway). */
function persisted(key: string, s: AnyState): PersistedState {
  const json = JSON.stringify(s);
  let parsed: unknown;
  return {
    key,
    kind: s.kind,
    platform: s.platform,
    score: s.score,
    json,
    get state() {
      return (parsed ??= JSON.parse(json));
    },
  };
}
