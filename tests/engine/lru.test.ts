import { describe, expect, it } from "vitest";
import { StateLru } from "../../src/engine/lru.ts";

describe("StateLru", () => {
  const make = (max: number) => {
    const dropped: string[] = [];
    const lru = new StateLru<number>(max, (k) => dropped.push(k));
    return { lru, dropped };
  };

  it("never holds more than max, dropping the least recently used first", () => {
    const { lru, dropped } = make(3);
    for (const k of ["a", "b", "c"]) lru.set(k, 1);
    lru.set("d", 1);
    expect(dropped).toEqual(["a"]);
    expect(lru.get("b")).toBe(1); // b used: now the most recent
    lru.set("e", 1);
    expect(dropped).toEqual(["a", "c"]);
    lru.set("f", 1);
    expect(dropped).toEqual(["a", "c", "d"]);
    expect(lru.size).toBe(3);
    expect([...lru.oldestFirst()]).toEqual(["b", "e", "f"]);
  });

  it("peek and has leave recency alone; replacing a value drops nothing", () => {
    const { lru, dropped } = make(2);
    lru.set("a", 1);
    lru.set("b", 2);
    lru.set("a", 3); // replaced: the most recent, nothing dropped
    expect(dropped).toEqual([]);
    lru.set("c", 1);
    expect(dropped).toEqual(["b"]);
    expect(lru.peek("a")).toBe(3);
    expect(lru.has("a")).toBe(true);
    lru.set("d", 1); // peek and has did not make a recent: it leaves before c
    expect(dropped).toEqual(["b", "a"]);
  });

  it("reuses the slots of dropped values and keeps order across many", () => {
    const { lru, dropped } = make(100);
    for (let i = 0; i < 1000; i++) {
      lru.set(`k${i}`, i);
      if (i % 3 === 0) lru.get(`k${i - 50}`);
    }
    expect(lru.size).toBe(100);
    expect(dropped.length).toBe(900);
    const order = [...lru.oldestFirst()];
    expect(new Set(order).size).toBe(100);
    expect(order.slice(-2)).toEqual(["k999", "k949"]); // k949 was looked up after k999 was set
    for (const k of order) expect(lru.peek(k)).toBe(Number(k.slice(1)));
  });

  it("delete drops a value once", () => {
    const { lru, dropped } = make(4);
    lru.set("a", 1);
    expect(lru.delete("a")).toBe(true);
    expect(lru.delete("a")).toBe(false);
    expect(dropped).toEqual(["a"]);
    expect(lru.size).toBe(0);
  });
});
