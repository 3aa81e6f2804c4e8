// Finds the engine's states by platform and ids without building key strings ("p|discord|…|…"
// hashed and compared in a map of every state cost more than scoring): a person per author id,
// holding the LRU slots of its actor state and of the pairs it is the actor of; conversations
// by channel id. Entries live exactly as long as the states they point to (see `remove`).
import type { AnyState } from "./state.ts";

export interface Person {
  id: string;
  /** LRU slot of this person's actor state, or -1 */
  actor: number;
  /** targets of this person's pairs, and each pair's slot (parallel, exact-size arrays) */
  outT: Person[];
  outS: number[];
  /** pairs with this person as the target */
  inN: number;
}

const NO_PEOPLE: Person[] = [];
const NO_SLOTS: number[] = [];

export class StateIndex {
  private readonly people = new Map<string, Map<string, Person>>();
  private readonly convs = new Map<string, Map<string, number>>();
  /** the last platform's maps: a message stream is mostly one platform */
  private platform = "";
  private lastPeople = new Map<string, Person>();
  private lastConvs = new Map<string, number>();

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

  person(platform: string, id: string): Person | undefined {
    this.use(platform);
    return this.lastPeople.get(id);
  }

  /** Slot of a conversation's state, or -1. */
  conversation(platform: string, channelId: string): number {
    this.use(platform);
    return this.lastConvs.get(channelId) ?? -1;
  }

  /** Slot of the pair from `actor` to `target`, or -1. */
  static pair(actor: Person | undefined, target: Person | undefined): number {
    if (!actor || !target) return -1;
    const ts = actor.outT;
    for (let i = 0; i < ts.length; i++) if (ts[i] === target) return actor.outS[i]!;
    return -1;
  }

  /** A state now held in `slot` (inserted, or replaced under the same key). */
  add(s: AnyState, slot: number): void {
    this.use(s.platform);
    if (s.kind === "conversation") this.lastConvs.set(s.channelId, slot);
    else if (s.kind === "actor") this.ensure(s.id).actor = slot;
    else {
      const a = this.ensure(s.actor);
      if (a.outS.includes(slot)) return;
      const t = this.ensure(s.target);
      a.outT = a.outT.concat([t]);
      a.outS = a.outS.concat([slot]);
      t.inN++;
    }
  }

  /** A state that left `slot` (evicted or deleted). */
  remove(s: AnyState, slot: number): void {
    this.use(s.platform);
    if (s.kind === "conversation") {
      if (this.lastConvs.get(s.channelId) === slot) this.lastConvs.delete(s.channelId);
      return;
    }
    if (s.kind === "actor") {
      const a = this.lastPeople.get(s.id);
      if (a && a.actor === slot) {
        a.actor = -1;
        this.release(a);
      }
      return;
    }
    const a = this.lastPeople.get(s.actor);
    const i = a ? a.outS.indexOf(slot) : -1;
    if (!a || i < 0) return;
    const t = a.outT[i]!;
    a.outT = a.outT.length === 1 ? NO_PEOPLE : a.outT.filter((_, j) => j !== i);
    a.outS = a.outS.length === 1 ? NO_SLOTS : a.outS.filter((_, j) => j !== i);
    t.inN--;
    this.release(a);
    if (t !== a) this.release(t);
  }

  private ensure(id: string): Person {
    let p = this.lastPeople.get(id);
    if (!p) {
      p = { id, actor: -1, outT: NO_PEOPLE, outS: NO_SLOTS, inN: 0 };
      this.lastPeople.set(id, p);
    }
    return p;
  }

  private release(p: Person): void {
    if (p.actor < 0 && p.outS.length === 0 && p.inN === 0) this.lastPeople.delete(p.id);
  }
}
