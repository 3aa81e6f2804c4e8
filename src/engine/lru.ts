// A bounded map of engine states that drops the least recently used first. Slots in plain arrays
// linked by two Int32Arrays (as lru-cache does), without lru-cache's per-call option objects,
// TTL and fetch checks and diagnostics, which cost the engine more per lookup than its own
// scoring; and without Map delete + set per lookup, ~40 times a Map lookup. Deterministic: no
// clock, only the order of calls.

const NONE = -1;

export class StateLru<V> {
  private readonly index = new Map<string, number>();
  private keys: string[] = [];
  private vals: (V | undefined)[] = [];
  private next = new Int32Array(0);
  private prev = new Int32Array(0);
  /** least and most recently used slots */
  private head = NONE;
  private tail = NONE;
  private readonly free: number[] = [];

  constructor(
    private readonly max: number,
    /** Called for every value that leaves by eviction or delete (not when replaced by set), with its slot. */
    private readonly onDrop: (key: string, value: V, slot: number) => void,
  ) {}

  get size(): number {
    return this.index.size;
  }

  /** The value, marked as just used. */
  get(key: string): V | undefined {
    const i = this.index.get(key);
    if (i === undefined) return undefined;
    if (i !== this.tail) this.moveToTail(i);
    return this.vals[i];
  }

  /** The value, recency unchanged. */
  peek(key: string): V | undefined {
    const i = this.index.get(key);
    return i === undefined ? undefined : this.vals[i];
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  /** The slot holding `key`, or -1. A slot stays the key's until the key leaves (see onDrop). */
  slotOf(key: string): number {
    return this.index.get(key) ?? NONE;
  }

  /** The value in a slot, marked as just used: for callers that keep slots, no key lookup. */
  getAt(slot: number): V {
    if (slot !== this.tail) this.moveToTail(slot);
    return this.vals[slot] as V;
  }

  /** The value in a slot, recency unchanged (undefined once the slot is free). */
  valueAt(slot: number): V | undefined {
    return this.vals[slot];
  }

  keyAt(slot: number): string {
    return this.keys[slot]!;
  }

  /** Insert or replace as most recently used; the least recently used leave beyond `max`. Returns the slot. */
  set(key: string, value: V): number {
    const found = this.index.get(key);
    if (found !== undefined) {
      this.vals[found] = value;
      if (found !== this.tail) this.moveToTail(found);
      return found;
    }
    if (this.index.size >= this.max && this.head !== NONE) this.drop(this.head);
    const i = this.slot();
    this.keys[i] = key;
    this.vals[i] = value;
    this.index.set(key, i);
    this.prev[i] = this.tail;
    this.next[i] = NONE;
    if (this.tail !== NONE) this.next[this.tail] = i;
    else this.head = i;
    this.tail = i;
    return i;
  }

  delete(key: string): boolean {
    const i = this.index.get(key);
    if (i === undefined) return false;
    this.drop(i);
    return true;
  }

  /** Keys from the least to the most recently used. */
  *oldestFirst(): IterableIterator<string> {
    for (let i = this.head; i !== NONE; i = this.next[i]!) yield this.keys[i]!;
  }

  private drop(i: number): void {
    const key = this.keys[i]!;
    const value = this.vals[i] as V;
    this.unlink(i);
    this.index.delete(key);
    this.keys[i] = "";
    this.vals[i] = undefined;
    this.free.push(i);
    this.onDrop(key, value, i);
  }

  private unlink(i: number): void {
    const p = this.prev[i]!;
    const n = this.next[i]!;
    if (p !== NONE) this.next[p] = n;
    else this.head = n;
    if (n !== NONE) this.prev[n] = p;
    else this.tail = p;
  }

  private moveToTail(i: number): void {
    this.unlink(i);
    this.prev[i] = this.tail;
    this.next[i] = NONE;
    if (this.tail !== NONE) this.next[this.tail] = i;
    else this.head = i;
    this.tail = i;
  }

  /** A free slot; the link arrays grow by doubling (up to `max`), not all at once. */
  private slot(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    const i = this.keys.length;
    if (i >= this.next.length) {
      const size = Math.min(Math.max(this.max, 1), Math.max(1024, this.next.length * 2));
      const next = new Int32Array(size);
      const prev = new Int32Array(size);
      next.set(this.next);
      prev.set(this.prev);
      this.next = next;
      this.prev = prev;
    }
    this.keys.push("");
    this.vals.push(undefined);
    return i;
  }
}
