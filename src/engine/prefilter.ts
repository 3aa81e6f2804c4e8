// A fast pre-check for lexicon rules. From each rule's pattern we extract the parts every match
// must contain (each part: literal strings, one of which occurs). Rules are indexed by the rarest
// 1-3 character gram of their best part; a rule whose gram occurs in a message must then also
// pass its other parts (substring checks) before its regex runs. Most messages run few regexes.

/** Literal strings one of which every match contains; null when the pattern guarantees none. */
type Need = string[] | null;

/** Small character classes ("[89]", "[0-7]") expand to their characters; larger ones guarantee nothing. */
const MAX_CLASS = 10;
const MAX_CHECK_LITERALS = 40;
const MAX_CHECK_PARTS = 4;

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  /** The parts every match contains (a conjunction of disjunctions), best first. */
  parse(): string[][] {
    const branches = this.branches();
    if (branches.length === 1) return branches[0]!.filter((p): p is string[] => p !== null).sort((a, b) => quality(b) - quality(a));
    const union = unionOf(branches.map(best));
    return union ? [union] : [];
  }

  private branches(): Need[][] {
    const out: Need[][] = [this.sequence()];
    while (this.src[this.i] === "|") {
      this.i++;
      out.push(this.sequence());
    }
    return out;
  }

  private sequence(): Need[] {
    const parts: Need[] = [];
    let run = "";
    const flush = () => {
      if (run) parts.push([run]);
      run = "";
    };
    while (this.i < this.src.length && this.src[this.i] !== "|" && this.src[this.i] !== ")") {
      const atom = this.atom();
      const q = this.quantifier();
      if (atom.kind === "char") {
        if (q === "optional") flush();
        else if (q === "repeat") {
          run += atom.value;
          flush();
        } else run += atom.value;
        continue;
      }
      flush();
      if (q === "optional" || atom.kind === "none") continue;
      parts.push(atom.need);
    }
    flush();
    return parts;
  }

  private atom(): { kind: "char"; value: string } | { kind: "group"; need: Need } | { kind: "none" } {
    const c = this.src[this.i]!;
    if (c === "(") {
      this.i++;
      let lookaround = false;
      if (this.src.startsWith("?:", this.i)) this.i += 2;
      else if (/^\?<?[=!]/.test(this.src.slice(this.i, this.i + 3))) {
        lookaround = true;
        this.i += this.src[this.i + 1] === "<" ? 3 : 2;
      }
      const need = unionOf(this.branches().map(best));
      this.i++; // ")"
      return lookaround ? { kind: "none" } : { kind: "group", need };
    }
    if (c === "[") return this.charClass();
    if (c === "\\") {
      const next = this.src[this.i + 1] ?? "";
      this.i += 2;
      return /[.?+*()[\]{}|\\^$/-]/.test(next) ? { kind: "char", value: next } : { kind: "none" };
    }
    this.i++;
    if (c === "^" || c === "$" || c === ".") return { kind: "none" };
    return { kind: "char", value: c };
  }

  private charClass(): { kind: "group"; need: Need } | { kind: "none" } {
    this.i++; // "["
    const start = this.i;
    while (this.i < this.src.length && this.src[this.i] !== "]") this.i += this.src[this.i] === "\\" ? 2 : 1;
    const body = this.src.slice(start, this.i);
    this.i++; // "]"
    if (body.startsWith("^") || body.includes("\\")) return { kind: "none" };
    const chars = new Set<string>();
    for (let j = 0; j < body.length; j++) {
      if (body[j + 1] === "-" && j + 2 < body.length) {
        for (let c = body.charCodeAt(j); c <= body.charCodeAt(j + 2); c++) chars.add(String.fromCharCode(c));
        j += 2;
      } else chars.add(body[j]!);
      if (chars.size > MAX_CLASS) return { kind: "none" };
    }
    return chars.size ? { kind: "group", need: [...chars] } : { kind: "none" };
  }

  private quantifier(): "one" | "optional" | "repeat" {
    const c = this.src[this.i];
    let q: "one" | "optional" | "repeat" = "one";
    if (c === "?" || c === "*") {
      this.i++;
      q = "optional";
    } else if (c === "+") {
      this.i++;
      q = "repeat";
    } else if (c === "{") {
      const m = /^\{(\d*)(,?)(\d*)\}/.exec(this.src.slice(this.i));
      if (m) {
        this.i += m[0].length;
        q = Number(m[1] || 0) === 0 ? "optional" : "repeat";
      }
    }
    if (q !== "one" && this.src[this.i] === "?") this.i++; // lazy
    return q;
  }
}

function best(parts: Need[]): Need {
  let out: Need = null;
  for (const p of parts) if (p && (out === null || quality(p) > quality(out))) out = p;
  return out;
}

function unionOf(needs: Need[]): Need {
  if (needs.length === 0 || needs.some((n) => n === null)) return null;
  return [...new Set(needs.flat() as string[])];
}

/**
 * A requirement is as good as its shortest literal (longer is rarer; spaces say nothing), and
 * fewer literals are better.
 */
function quality(need: string[]): number {
  return Math.min(...need.map(literalWorth)) * 100 - need.length;
}

// Words in nearly every chat message ("ur" is normalised to "your"): a part made of them selects
// nothing, so another part of the rule is indexed instead. Matching is unchanged; only speed.
const COMMON_WORDS = new Set(
  "you your youre you're yours u are is the a an and or of to in on it i me my we be do so that this what for with not no all every ik je jij de het een en op te van dat wat niet ze er is zijn met voor of jouw".split(" "),
);

/** Length without spaces; a lone letter is worth half (it occurs in almost every message, a lone digit does not). */
function literalWorth(s: string): number {
  const t = s.trim();
  if (t.length === 1) return /[0-9]/.test(t) ? 1 : 0.5;
  return COMMON_WORDS.has(t) ? 1 : t.length;
}

/** The parts every match of `source` contains, best first; empty when nothing is guaranteed. */
export function requiredParts(source: string): string[][] {
  try {
    return new Parser(source).parse().filter((p) => p.every((s) => s.length > 0));
  } catch {
    return [];
  }
}

/** The best single part, when it is selective enough to index on (literals of 3+ characters). */
export function requiredLiterals(source: string): Need {
  const need = requiredParts(source)[0];
  if (!need || need.some((s) => s.length < 3)) return null;
  return need;
}

// Letters by how common they are in chat (rarest last): a literal is indexed by its rarest gram.
const COMMON = " etaoinshrdlucmwyfgpbvkjxqz";
const rarity = (c: string) => {
  const i = COMMON.indexOf(c);
  return i < 0 ? COMMON.length : i;
};

function rarestGram(literal: string): string {
  const n = Math.min(3, literal.length);
  let out = literal.slice(0, n);
  let bestScore = -1;
  for (let i = 0; i + n <= literal.length; i++) {
    const g = literal.slice(i, i + n);
    let score = 0;
    for (const c of g) score += rarity(c);
    if (score > bestScore) {
      out = g;
      bestScore = score;
    }
  }
  return out;
}

/** Grams fold characters onto 8 bits (a collision only costs a regex run). */
const pair = (a: number, b: number) => ((a & 0xff) << 8) | (b & 0xff);
const SPACE = 32;

/**
 * Rules indexed by a 1-3 character gram of their best required part; unindexable rules always
 * run. A two-character gram is stored under every three-character gram it starts (the text is
 * read with a space after its end), so each position costs one or two typed-array reads.
 */
export class TrigramIndex {
  /** rule lists; a table entry is a list number + 1 (0: none) */
  private readonly lists: Int32Array[] = [];
  /** single digits */
  private readonly uni = new Int32Array(10);
  /** per character pair: a block of 256 entries in `tri` for the third character, + 1 (0: none) */
  private readonly triBlock = new Int32Array(65536);
  private tri = new Int32Array(0);
  private readonly always: Int32Array;
  /**
   * Further parts each rule's match must contain, checked before its regex runs: per part, per
   * literal, the hashes of its 3-character grams; a literal can only occur where all are in the
   * message's gram bitmap (a bitmap test instead of a substring search per literal).
   */
  private readonly checks: (Int32Array[][] | null)[];
  /** the message's 3-character grams, hashed onto 4096 bits */
  private readonly seen = new Int32Array(GRAM_BITS / 32);
  private buf = new Uint8Array(256);
  private readonly stamp: Int32Array;
  private generation = 0;

  constructor(sources: string[]) {
    this.stamp = new Int32Array(sources.length);
    this.checks = sources.map(() => null);
    const always: number[] = [];
    const grams = new Map<string, number[]>();
    sources.forEach((src, id) => {
      const parts = requiredParts(src);
      const first = parts[0];
      // A part with a single letter would make the rule a candidate everywhere anyway; single digits are rare.
      if (!first || first.some((s) => s.length === 1 && !/[0-9]/.test(s))) always.push(id);
      else for (const g of new Set(first.map(rarestGram))) grams.set(g, [...(grams.get(g) ?? []), id]);
      // Every further part whose literals all have a 3-character gram: a bitmap test each.
      const rest = parts.slice(first ? 1 : 0).filter((p) => p.length <= MAX_CHECK_LITERALS && p.every((s) => s.length >= 3)).slice(0, MAX_CHECK_PARTS);
      if (rest.length) this.checks[id] = rest.map((part) => part.map(literalGrams));
    });
    this.always = Int32Array.from(always);
    // Expand to full trigrams: a bigram's rules go under each of its 256 continuations.
    const byTri = new Map<number, number[]>();
    const put = (a: number, b: number, c: number, ids: number[]) => {
      const k = (pair(a, b) << 8) | (c & 0xff);
      byTri.set(k, [...(byTri.get(k) ?? []), ...ids]);
    };
    for (const [g, ids] of grams) {
      if (g.length === 1) {
        this.lists.push(Int32Array.from(ids));
        this.uni[g.charCodeAt(0) - 48] = this.lists.length;
      } else if (g.length === 2) for (let c = 0; c < 256; c++) put(g.charCodeAt(0), g.charCodeAt(1), c, ids);
      else put(g.charCodeAt(0), g.charCodeAt(1), g.charCodeAt(2), ids);
    }
    let blocks = 0;
    const tri: number[] = [];
    for (const [k, ids] of byTri) {
      const ab = k >>> 8;
      if (this.triBlock[ab] === 0) {
        this.triBlock[ab] = ++blocks;
        for (let i = 0; i < 256; i++) tri.push(0);
      }
      this.lists.push(Int32Array.from(new Set(ids)));
      tri[(this.triBlock[ab]! - 1) * 256 + (k & 0xff)] = this.lists.length;
    }
    this.tri = Int32Array.from(tri);
  }

  get alwaysRun(): number {
    return this.always.length;
  }

  /** Ids of rules that may match `text`, ascending. */
  candidates(text: string): number[] {
    const gen = ++this.generation;
    const out: number[] = [];
    const n = text.length;
    // The text's characters folded onto bytes, read once (two spaces after the end).
    if (this.buf.length < n + 2) this.buf = new Uint8Array(2 * n + 2);
    const buf = this.buf;
    for (let i = 0; i < n; i++) buf[i] = text.charCodeAt(i) & 0xff;
    buf[n] = SPACE;
    buf[n + 1] = SPACE;
    const seen = this.seen;
    seen.fill(0);
    for (let i = 0; i + 2 < n; i++) {
      const h = gramHash(buf[i]!, buf[i + 1]!, buf[i + 2]!);
      seen[h >>> 5]! |= 1 << (h & 31);
    }
    this.take(this.always, gen, out);
    const triBlock = this.triBlock;
    const tri = this.tri;
    const uni = this.uni;
    for (let i = 0; i < n; i++) {
      const a = buf[i]!;
      if (a >= 48 && a <= 57 && uni[a - 48] !== 0) this.take(this.lists[uni[a - 48]! - 1]!, gen, out);
      const block = triBlock[(a << 8) | buf[i + 1]!]!;
      if (block !== 0) {
        const l = tri[(block - 1) * 256 + buf[i + 2]!]!;
        if (l !== 0) this.take(this.lists[l - 1]!, gen, out);
      }
    }
    // Insertion sort: the list is short, and a comparator would call back for every pair.
    for (let i = 1; i < out.length; i++) {
      const x = out[i]!;
      let j = i - 1;
      while (j >= 0 && out[j]! > x) {
        out[j + 1] = out[j]!;
        j--;
      }
      out[j + 1] = x;
    }
    return out;
  }

  private take(list: Int32Array, gen: number, out: number[]): void {
    const stamp = this.stamp;
    for (let j = 0; j < list.length; j++) {
      const id = list[j]!;
      if (stamp[id] === gen) continue;
      stamp[id] = gen;
      const checks = this.checks[id];
      if (checks && !passes(checks, this.seen)) continue;
      out.push(id);
    }
  }
}

const GRAM_BITS = 4096;
const gramHash = (a: number, b: number, c: number) => ((a & 0xff) * 7919 + (b & 0xff) * 131 + (c & 0xff)) & (GRAM_BITS - 1);

function literalGrams(lit: string): Int32Array {
  const out: number[] = [];
  for (let i = 0; i + 2 < lit.length; i++) out.push(gramHash(lit.charCodeAt(i), lit.charCodeAt(i + 1), lit.charCodeAt(i + 2)));
  return Int32Array.from(out);
}

/** Every part has a literal whose grams are all in the message (it may occur; the regex decides). */
function passes(checks: Int32Array[][], seen: Int32Array): boolean {
  for (const part of checks) {
    let ok = false;
    for (const grams of part) {
      let all = true;
      for (let k = 0; k < grams.length; k++) {
        const h = grams[k]!;
        if ((seen[h >>> 5]! & (1 << (h & 31))) === 0) {
          all = false;
          break;
        }
      }
      if (all) {
        ok = true;
        break;
      }
    }
    if (!ok) return false;
  }
  return true;
}
