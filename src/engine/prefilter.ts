// A fast pre-check for lexicon rules. From each rule's pattern we extract the parts every match
// must contain (each part: literal strings, one of which occurs). One Aho-Corasick automaton over
// the literals of every rule's best parts finds, in a single pass over a message, the rules whose
// parts all occur; only their regular expressions run (about two per message instead of twenty).

/** Literal strings one of which every match contains; null when the pattern guarantees none. */
type Need = string[] | null;

/** Small character classes ("[89]", "[0-7]") expand to their characters; larger ones guarantee nothing. */
const MAX_CLASS = 10;
/** Most strings a run of exact text may expand to ("i'?m (?:in )?" is four) before it is cut. */
const MAX_EXACT = 64;
/** Parts of a rule the automaton looks for (the best ones; more select little more and cost memory). */
const MAX_INDEXED_PARTS = 2;
/**
 * Literals are indexed by their first characters only: longer ones grow the automaton. At 12
 * (v23: ~80,000 nodes) the bench's stream offers 3.68 candidate rules per message against 4.76 at
 * 8 (" ik stuu", "if you " said little about which rule could match); 16 (~122,000 nodes) offers
 * 3.54 but builds slower and scanned no faster.
 */
const MAX_LITERAL = 12;

/**
 * What a piece of pattern matches: `exact` lists every string it can match when they are few
 * (so neighbouring pieces join into longer, rarer literals: "i'?m" is "im" or "i'm", not "i"
 * and "m"), `parts` what every match contains otherwise. A repeated piece (`x+`, `x{2,}`)
 * starts and ends with one of its strings: `edge`.
 */
interface Piece {
  exact: string[] | null;
  parts: string[][];
  edge?: string[];
}
const ZERO_WIDTH: Piece = { exact: [""], parts: [] };
const UNKNOWN: Piece = { exact: null, parts: [] };

function product(a: string[], b: string[]): string[] | null {
  if (a.length * b.length > MAX_EXACT) return null;
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(x + y);
  return [...out];
}

/** A disjunction usable as a requirement: no empty alternative (it would require nothing). */
const isPart = (p: string[]) => p.length > 0 && p.every((s) => s.length > 0);

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  /** The parts every match contains (a conjunction of disjunctions), best first. */
  parse(): string[][] {
    const whole = this.alternation();
    const parts = whole.exact ? [whole.exact, ...whole.parts] : whole.parts;
    return parts.filter(isPart).sort((a, b) => quality(b) - quality(a));
  }

  private alternation(): Piece {
    const branches = [this.sequence()];
    while (this.src[this.i] === "|") {
      this.i++;
      branches.push(this.sequence());
    }
    if (branches.length === 1) return branches[0]!;
    let exact: string[] | null = [];
    for (const b of branches) {
      exact = exact && b.exact ? [...new Set([...exact, ...b.exact])] : null;
      if (exact && exact.length > MAX_EXACT) exact = null;
    }
    // Otherwise every match contains the best requirement of the branch it took.
    const union = unionOf(branches.map((b) => best(b.exact ? [b.exact, ...b.parts] : b.parts)));
    return { exact, parts: union ? [union] : [] };
  }

  private sequence(): Piece {
    const parts: string[][] = [];
    let run: string[] = [""];
    let whole = true;
    const flush = () => {
      if (isPart(run)) parts.push(run);
      run = [""];
      whole = false;
    };
    while (this.i < this.src.length && this.src[this.i] !== "|" && this.src[this.i] !== ")") {
      const piece = this.quantified(this.atom());
      if (piece.exact) {
        const joined = product(run, piece.exact);
        if (joined) run = joined;
        else {
          flush();
          run = piece.exact;
        }
      } else if (piece.edge) {
        // x+ : what came before joins the first repetition, what follows joins the last.
        const joined = product(run, piece.edge);
        if (joined) run = joined;
        else parts.push(piece.edge);
        flush();
        run = piece.edge;
      } else {
        flush();
        parts.push(...piece.parts);
      }
    }
    if (whole) return { exact: run, parts: [] };
    flush();
    return { exact: null, parts };
  }

  private atom(): Piece {
    const c = this.src[this.i]!;
    if (c === "(") {
      this.i++;
      let lookaround = false;
      if (this.src.startsWith("?:", this.i)) this.i += 2;
      else if (/^\?<?[=!]/.test(this.src.slice(this.i, this.i + 3))) {
        lookaround = true;
        this.i += this.src[this.i + 1] === "<" ? 3 : 2;
      }
      const inner = this.alternation();
      this.i++; // ")"
      return lookaround ? ZERO_WIDTH : inner;
    }
    if (c === "[") return this.charClass();
    if (c === "\\") {
      const next = this.src[this.i + 1] ?? "";
      this.i += 2;
      // \p{L}, \u{…}: a class or code point this parser does not read.
      if (this.src[this.i] === "{" && /[pPux]/.test(next)) this.i = this.src.indexOf("}", this.i) + 1 || this.src.length;
      if (next === "b" || next === "B") return ZERO_WIDTH;
      return /[.?+*()[\]{}|\\^$/-]/.test(next) ? { exact: [next], parts: [] } : UNKNOWN;
    }
    this.i++;
    if (c === "^" || c === "$") return ZERO_WIDTH;
    if (c === ".") return UNKNOWN;
    return { exact: [c], parts: [] };
  }

  private charClass(): Piece {
    this.i++; // "["
    const start = this.i;
    while (this.i < this.src.length && this.src[this.i] !== "]") this.i += this.src[this.i] === "\\" ? 2 : 1;
    const body = this.src.slice(start, this.i);
    this.i++; // "]"
    if (body.startsWith("^") || body.includes("\\")) return UNKNOWN;
    const chars = new Set<string>();
    for (let j = 0; j < body.length; j++) {
      if (body[j + 1] === "-" && j + 2 < body.length) {
        for (let c = body.charCodeAt(j); c <= body.charCodeAt(j + 2); c++) chars.add(String.fromCharCode(c));
        j += 2;
      } else chars.add(body[j]!);
      if (chars.size > MAX_CLASS) return UNKNOWN;
    }
    return chars.size ? { exact: [...chars], parts: [] } : UNKNOWN;
  }

  /** Applies a quantifier after a piece, if there is one. */
  private quantified(piece: Piece): Piece {
    const c = this.src[this.i];
    let min = 1;
    let max = 1;
    if (c === "?" || c === "*" || c === "+") {
      this.i++;
      min = c === "+" ? 1 : 0;
      max = c === "?" ? 1 : Infinity;
    } else if (c === "{") {
      const m = /^\{(\d*)(,?)(\d*)\}/.exec(this.src.slice(this.i));
      if (m) {
        this.i += m[0].length;
        min = Number(m[1] || 0);
        max = m[2] ? (m[3] ? Number(m[3]) : Infinity) : min;
      }
    }
    if ((min !== 1 || max !== 1) && this.src[this.i] === "?") this.i++; // lazy
    if (min === 1 && max === 1) return piece;
    if (min === 0) return max === 1 && piece.exact ? { exact: [...new Set([...piece.exact, ""])], parts: [] } : UNKNOWN;
    if (!piece.exact) return { exact: null, parts: piece.parts };
    if (min === max) {
      let out: string[] | null = [""];
      for (let k = 0; k < min && out; k++) out = product(out, piece.exact);
      if (out) return { exact: out, parts: [] };
    }
    return { exact: null, parts: [], edge: piece.exact };
  }
}

function best(parts: string[][]): Need {
  let out: Need = null;
  for (const p of parts) if (isPart(p) && (out === null || quality(p) > quality(out))) out = p;
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

/**
 * Word by word: a common word is worth one character, a lone letter half (it occurs in almost
 * every message, a lone digit does not), other words their length; spaces say nothing.
 */
function literalWorth(s: string): number {
  let worth = 0;
  for (const w of s.split(" ")) {
    if (!w) continue;
    if (w.length === 1) worth += /[0-9]/.test(w) ? 1 : 0.5;
    else worth += COMMON_WORDS.has(w) ? 1 : w.length;
  }
  return worth;
}

/** The parts every match of `source` contains, best first; empty when nothing is guaranteed. */
export function requiredParts(source: string): string[][] {
  try {
    return new Parser(source).parse();
  } catch {
    return [];
  }
}

/**
 * The rules whose best required parts all occur in a text, found with one Aho-Corasick automaton
 * over all their literals. Exact: a rule whose pattern matches is always offered (its parts
 * occur in every match); a rule offered may still not match (its regex decides).
 */
/**
 * Most nodes the automaton may have (literals are cut shorter until it fits). Deep nodes are
 * compact blocks, so nodes cost little; a shorter cut costs every message candidates (v23's
 * lexicon needed ~33,000 nodes at 8 characters: at 0x8000 every literal was cut to 7, and the
 * stream offered 5.75 rules per message instead of ~4; at 12 characters it needs ~80,000).
 */
const MAX_NODES = 0x20000;
/** Flag in transitions: the node reached ends a literal (or a suffix of it does). */
const OUT = 1 << 30;
const NODE_MASK = OUT - 1;
/** Nodes this deep or shallower get a full row (a few hundred: the table stays in cache); deeper ones a list of children. */
const DENSE_DEPTH = 2;

export class RuleIndex {
  /** per character code: its symbol (0: a character no literal contains) */
  private readonly symbolOf = new Uint8Array(65536);
  private readonly symbols: number;
  /** Nodes numbered below this (the shallow ones, breadth first) have a row in `delta`; deeper ones a block in `deep`. */
  private readonly dense: number;
  /**
   * the shallow nodes of the automaton: next node per node and symbol, failure links already
   * followed, with OUT set when that node has outputs: most characters then never read them
   */
  private readonly delta: Int32Array;
  /**
   * The deep nodes (most of them, with one child each), node `dense + o` at offset o: its failure
   * link, its number of children, (symbol, next node with OUT) per child, then, when it has
   * outputs, an output block. A full row each made a table of megabytes, a cache miss per character.
   * An output block: the generation (call) that last read it, the next node on the failure
   * chain with parts of its own (-1: none), the number of its own parts, the parts.
   */
  private readonly deep: Int32Array;
  /** per shallow node: offset of its output block in `deep`, or -1 */
  private readonly denseOut: Int32Array;
  /** each part's literals as indexed (cut to the same length): `reference` searches them directly */
  private readonly partLiterals: string[][] = [];
  private readonly partRule: Int32Array;
  private readonly partsOfRule: Int32Array;
  private readonly always: Int32Array;
  private readonly partSeen: Int32Array;
  private readonly ruleSeen: Int32Array;
  private readonly ruleCount: Int32Array;
  private generation = 0;

  constructor(sources: string[]) {
    const always: number[] = [];
    const partRule: number[] = [];
    const partLiterals: string[][] = [];
    this.partsOfRule = new Int32Array(sources.length);
    sources.forEach((src, rule) => {
      const parts = requiredParts(src).slice(0, MAX_INDEXED_PARTS);
      if (parts.length === 0) always.push(rule);
      this.partsOfRule[rule] = parts.length;
      for (const part of parts) {
        partRule.push(rule);
        partLiterals.push(part);
      }
    });
    this.always = Int32Array.from(always);
    this.partRule = Int32Array.from(partRule);
    this.partSeen = new Int32Array(partRule.length);
    this.ruleSeen = new Int32Array(sources.length);
    this.ruleCount = new Int32Array(sources.length);

    // A literal's start occurs wherever the literal does: shorter starts select less but keep the
    // automaton within MAX_NODES nodes.
    let literals = new Map<string, number[]>();
    for (let cut = MAX_LITERAL; cut >= 1; cut--) {
      literals = new Map();
      for (const [id, part] of partLiterals.entries()) for (const lit of new Set(part.map((l) => l.slice(0, cut)))) literals.set(lit, [...(literals.get(lit) ?? []), id]);
      const prefixes = new Set<string>();
      for (const lit of literals.keys()) for (let i = 1; i <= lit.length; i++) prefixes.add(lit.slice(0, i));
      this.partLiterals = partLiterals.map((part) => [...new Set(part.map((l) => l.slice(0, cut)))]);
      if (prefixes.size < MAX_NODES - 1) break;
    }

    let symbols = 1;
    for (const lit of literals.keys()) for (let i = 0; i < lit.length; i++) if (this.symbolOf[lit.charCodeAt(i)] === 0) this.symbolOf[lit.charCodeAt(i)] = symbols++;
    this.symbols = symbols;
    if (symbols > 255) throw new Error("prefilter: too many distinct characters in the lexicon");

    // The trie, with the parts each node ends.
    const children: Map<number, number>[] = [new Map()];
    const ends: number[][] = [[]];
    for (const [lit, parts] of literals) {
      let node = 0;
      for (let i = 0; i < lit.length; i++) {
        const sym = this.symbolOf[lit.charCodeAt(i)]!;
        let next = children[node]!.get(sym);
        if (next === undefined) {
          next = children.push(new Map()) - 1;
          ends.push([]);
          children[node]!.set(sym, next);
        }
        node = next;
      }
      ends[node]!.push(...parts);
    }
    // Breadth first (children in symbol order), a node's failure target is done before it. The
    // full transition function is only needed for the shallow rows: `step` follows failure links
    // (a table of nodes × symbols took most of the build once the automaton had 100,000 nodes).
    const nodes = children.length;
    const fail = new Int32Array(nodes);
    const depth = new Int32Array(nodes);
    /** whether a node ends a literal, or a suffix of it does */
    const hasOut = new Uint8Array(nodes);
    const step = (node: number, sym: number): number => {
      for (;;) {
        const child = children[node]!.get(sym);
        if (child !== undefined) return child;
        if (node === 0) return 0;
        node = fail[node]!;
      }
    };
    const queue = [0];
    for (let q = 0; q < queue.length; q++) {
      const node = queue[q]!;
      if (node !== 0 && (ends[node]!.length > 0 || hasOut[fail[node]!] === 1)) hasOut[node] = 1;
      const kids = children[node]!;
      const syms = kids.size === 1 ? [...kids.keys()] : [...kids.keys()].sort((a, b) => a - b);
      for (const sym of syms) {
        const child = kids.get(sym)!;
        fail[child] = node === 0 ? 0 : step(fail[node]!, sym);
        depth[child] = depth[node]! + 1;
        queue.push(child);
      }
    }
    // Renumbered: the shallow nodes (breadth first), where a scan spends most of its steps, get
    // a row each in `delta`; the deep ones a block each in `deep`, depth first (walking down a
    // literal reads neighbouring blocks), their number being `dense` + the block's offset.
    let dense = 0;
    while (dense < nodes && depth[queue[dense]!]! <= DENSE_DEPTH) dense++;
    this.dense = dense;
    // A node's outputs: its own parts, then those of the nearest suffix that has own parts.
    const hasOwn = (u: number) => u !== 0 && ends[u]!.length > 0;
    const outBlock = (u: number) => (hasOut[u] === 1 ? 3 + ends[u]!.length : 0);
    const id = new Int32Array(nodes);
    for (let q = 0; q < dense; q++) id[queue[q]!] = q;
    let size = 0;
    const deepOrder: number[] = [];
    const visit = (u: number) => {
      id[u] = dense + size;
      deepOrder.push(u);
      size += 2 + 2 * children[u]!.size + outBlock(u);
      for (const child of children[u]!.values()) visit(child);
    };
    for (let q = 0; q < dense; q++) for (const child of children[queue[q]!]!.values()) if (depth[child]! > DENSE_DEPTH) visit(child);
    const denseOut = new Int32Array(dense).fill(-1);
    for (let q = 0; q < dense; q++) {
      if (outBlock(queue[q]!) === 0) continue;
      denseOut[q] = size;
      size += outBlock(queue[q]!);
    }
    this.denseOut = denseOut;
    const deep = new Int32Array(size);
    const target = (to: number) => id[to]! | (hasOut[to] === 1 ? OUT : 0);
    const writeOut = (u: number, at: number) => {
      let link = fail[u]!;
      while (link !== 0 && !hasOwn(link)) link = fail[link]!;
      deep[at] = 0; // generation that last read it
      deep[at + 1] = link === 0 ? -1 : id[link]!;
      deep[at + 2] = ends[u]!.length;
      deep.set(ends[u]!, at + 3);
    };
    for (const u of deepOrder) {
      let at = id[u]! - dense;
      deep[at++] = id[fail[u]!]!;
      deep[at++] = children[u]!.size;
      for (const [sym, child] of children[u]!) {
        deep[at++] = sym;
        deep[at++] = target(child);
      }
      if (outBlock(u) > 0) writeOut(u, at);
    }
    for (let q = 0; q < dense; q++) if (denseOut[q]! >= 0) writeOut(queue[q]!, denseOut[q]!);
    this.deep = deep;
    this.delta = new Int32Array(dense * symbols);
    for (let q = 0; q < dense; q++) for (let sym = 0; sym < symbols; sym++) this.delta[q * symbols + sym] = target(step(queue[q]!, sym));
  }

  /** Ids of rules that may match `text`, ascending. */
  candidates(text: string): number[] {
    const gen = ++this.generation;
    const out: number[] = [];
    for (let i = 0; i < this.always.length; i++) out.push(this.always[i]!);
    const { symbolOf, delta, symbols, dense, deep, denseOut, partRule, partSeen, ruleSeen, ruleCount, partsOfRule } = this;
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      const sym = symbolOf[text.charCodeAt(i)]!;
      // A character no literal contains leads back to the root from anywhere.
      if (sym === 0) {
        node = 0;
        continue;
      }
      // A deep node without a child for it: its failure link (shallower) until one has, or has a row.
      let next = 0;
      for (;;) {
        if (node < dense) {
          next = delta[node * symbols + sym]!;
          break;
        }
        const at = node - dense;
        let k = at + 2;
        const end = k + 2 * deep[at + 1]!;
        while (k < end && deep[k] !== sym) k += 2;
        if (k < end) {
          next = deep[k + 1]!;
          break;
        }
        node = deep[at]!;
      }
      node = next & NODE_MASK;
      if (next < OUT) continue;
      // Own parts, then the next suffix's: a block read earlier in this text was read with its suffixes.
      for (let v = node; v >= 0; ) {
        const b = v < dense ? denseOut[v]! : v - dense + 2 + 2 * deep[v - dense + 1]!;
        if (deep[b] === gen) break;
        deep[b] = gen;
        for (let k = b + 3, end = b + 3 + deep[b + 2]!; k < end; k++) {
          const part = deep[k]!;
          if (partSeen[part] === gen) continue;
          partSeen[part] = gen;
          const rule = partRule[part]!;
          if (ruleSeen[rule] !== gen) {
            ruleSeen[rule] = gen;
            ruleCount[rule] = 0;
          }
          if (++ruleCount[rule]! === partsOfRule[rule]) out.push(rule);
        }
        v = deep[b + 1]!;
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

  /** What `candidates` gives, by plain string search for each indexed literal (for tests). */
  reference(text: string): number[] {
    const out = [...this.always];
    let part = 0;
    for (let rule = 0; rule < this.partsOfRule.length; rule++) {
      let all = this.partsOfRule[rule]! > 0;
      for (let k = 0; k < this.partsOfRule[rule]!; k++, part++) if (!this.partLiterals[part]!.some((lit) => text.includes(lit))) all = false;
      if (all) out.push(rule);
    }
    return out.sort((a, b) => a - b);
  }
}
