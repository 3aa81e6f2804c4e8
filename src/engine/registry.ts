// Finds the engine's states by platform and ids without building key strings ("p|discord|…|…"
// hashed and compared in a map of every state cost more than scoring): a small number per
// person (author id), with the LRU slots of its actor state and of the pairs it is the actor of;
// conversations by channel id. Entries live exactly as long as the states they point to (see
// `remove`). People are numbers into typed arrays, not objects: an object and two small arrays
// per person cost about 230 bytes (Node has no pointer compression), these about 90.

/** A person's number, or NONE. */
export type Person = number;
export const NONE = -1;

/** What `add`/`remove` need of a state (kept structural: no import cycle with state.ts). */
type Indexed =
  | { kind: "conversation"; platform: string; channelId: string }
  | { kind: "actor"; platform: string; id: string }
  | { kind: "pair"; platform: string; actor: string; target: string };

export class StateIndex {
  private readonly people = new Map<string, Map<string, Person>>();
  private readonly convs = new Map<string, Map<string, number>>();
  /** the last platform's maps: a message stream is mostly one platform */
  private platform = "";
  private lastPeople = new Map<string, Person>();
  private lastConvs = new Map<string, number>();

  /** per person: actor state slot, pairs as target, first pair as actor (target, slot) */
  private actor = new Int32Array(0);
  private inN = new Int32Array(0);
  private t1 = new Int32Array(0);
  private s1 = new Int32Array(0);
  /** further pairs of the few people who are the actor of several, [target, slot, …] */
  private readonly more = new Map<Person, number[]>();
  /** people numbers handed out, and those free again */
  private count = 0;
  private readonly free: number[] = [];

  private use(platform: string): void {
    if (platform === this.platform) return;
    let p = this.people.get(platform);
    let c = this.convs.get(platform);
    if (!p || !c) {
      p = new Map();
      c = new Map();
      this.people.set(platform, p);
      this.convs.set(platform, c);
    }
    this.platform = platform;
    this.lastPeople = p;
    this.lastConvs = c;
  }

  person(platform: string, id: string): Person {
    this.use(platform);
    return this.lastPeople.get(id) ?? NONE;
  }

  /** Slot of a person's actor state, or -1. */
  actorOf(p: Person): number {
    return p === NONE ? -1 : this.actor[p]!;
  }

  /** Slot of a conversation's state, or -1. */
  conversation(platform: string, channelId: string): number {
    this.use(platform);
    return this.lastConvs.get(channelId) ?? -1;
  }

  /** Slot of the pair from `actor` to `target`, or -1. */
  pair(actor: Person, target: Person): number {
    if (actor === NONE || target === NONE) return -1;
    if (this.t1[actor] === target) return this.s1[actor]!;
    const more = this.more.size > 0 ? this.more.get(actor) : undefined;
    if (more) for (let i = 0; i < more.length; i += 2) if (more[i] === target) return more[i + 1]!;
    return -1;
  }

  /** A state now held in `slot` (inserted, or replaced under the same key). */
  add(s: Indexed, slot: number): void {
    this.use(s.platform);
    if (s.kind === "conversation") this.lastConvs.set(s.channelId, slot);
    else if (s.kind === "actor") {
      // ensure() may grow (replace) the arrays: call it before reading this.actor.
      const p = this.ensure(s.id);
      this.actor[p] = slot;
    }
    else {
      const a = this.ensure(s.actor);
      const t = this.ensure(s.target);
      if (this.pair(a, t) === slot) return;
      if (this.t1[a] === NONE) {
        this.t1[a] = t;
        this.s1[a] = slot;
      } else this.more.set(a, (this.more.get(a) ?? []).concat([t, slot]));
      this.inN[t]!++;
    }
  }

  /** A state that left `slot` (evicted or deleted). */
  remove(s: Indexed, slot: number): void {
    this.use(s.platform);
    if (s.kind === "conversation") {
      if (this.lastConvs.get(s.channelId) === slot) this.lastConvs.delete(s.channelId);
      return;
    }
    if (s.kind === "actor") {
      const a = this.lastPeople.get(s.id);
      if (a !== undefined && this.actor[a] === slot) {
        this.actor[a] = -1;
        this.release(a, s.id);
      }
      return;
    }
    const a = this.lastPeople.get(s.actor);
    if (a === undefined) return;
    let t: Person;
    const more = this.more.get(a);
    if (this.t1[a] !== NONE && this.s1[a] === slot) {
      t = this.t1[a]!;
      // The first further pair moves up.
      if (more) {
        this.t1[a] = more[0]!;
        this.s1[a] = more[1]!;
        this.setMore(a, more.slice(2));
      } else this.t1[a] = NONE;
    } else {
      let i = 0;
      while (more && i < more.length && more[i + 1] !== slot) i += 2;
      if (!more || i >= more.length) return;
      t = more[i]!;
      this.setMore(a, more.slice(0, i).concat(more.slice(i + 2)));
    }
    this.inN[t]!--;
    this.release(a, s.actor);
    // A pair's two people are on its platform: the target's id is the pair's.
    if (t !== a) this.release(t, s.target);
  }

  private setMore(a: Person, list: number[]): void {
    if (list.length > 0) this.more.set(a, list);
    else this.more.delete(a);
  }

  private ensure(id: string): Person {
    const known = this.lastPeople.get(id);
    if (known !== undefined) return known;
    let p = this.free.pop();
    if (p === undefined) {
      p = this.count++;
      if (p >= this.actor.length) this.grow(Math.max(1024, this.actor.length * 2));
    }
    this.actor[p] = -1;
    this.inN[p] = 0;
    this.t1[p] = NONE;
    this.s1[p] = -1;
    this.lastPeople.set(id, p);
    return p;
  }

  /** Forget person `p` (id `id`, on the current platform) once no state needs it. */
  private release(p: Person, id: string): void {
    if (this.actor[p] !== -1 || this.t1[p] !== NONE || this.inN[p] !== 0) return;
    if (this.lastPeople.get(id) === p) this.lastPeople.delete(id);
    this.free.push(p);
  }

  private grow(size: number): void {
    const grown = (a: Int32Array) => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.actor = grown(this.actor);
    this.inN = grown(this.inN);
    this.t1 = grown(this.t1);
    this.s1 = grown(this.s1);
  }
}
