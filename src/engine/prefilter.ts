// A fast pre-check for lexicon rules: from each rule's pattern we extract literal strings of
// which at least one must occur in any match, and index rules by their first three characters.
// Only rules whose trigram occurs in a message are run, which keeps per-message work small.

/** Literal strings one of which every match contains; null when the pattern guarantees none. */
type Need = string[] | null;

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): Need {
    const need = this.alternation();
    return need;
  }

  private alternation(): Need {
    const branches: Need[] = [this.sequence()];
    while (this.src[this.i] === "|") {
      this.i++;
      branches.push(this.sequence());
    }
    if (branches.length === 1) return branches[0]!;
    if (branches.some((b) => b === null)) return null;
    return [...new Set(branches.flat() as string[])];
  }

  private sequence(): Need {
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
        if (q === "optional") {
          flush();
        } else if (q === "repeat") {
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
    let best: Need = null;
    for (const p of parts) if (p && (best === null || quality(p) > quality(best))) best = p;
    return best;
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
      const need = this.alternation();
      this.i++; // ")"
      return lookaround ? { kind: "none" } : { kind: "group", need };
    }
    if (c === "[") {
      this.i++;
      while (this.i < this.src.length && this.src[this.i] !== "]") this.i += this.src[this.i] === "\\" ? 2 : 1;
      this.i++;
      return { kind: "none" };
    }
    if (c === "\\") {
      const next = this.src[this.i + 1] ?? "";
      this.i += 2;
      return /[.?+*()[\]{}|\\^$/-]/.test(next) ? { kind: "char", value: next } : { kind: "none" };
    }
    this.i++;
    if (c === "^" || c === "$" || c === ".") return { kind: "none" };
    return { kind: "char", value: c };
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

/** A requirement is as good as its shortest literal (longer is rarer), and fewer literals are better. */
function quality(need: string[]): number {
  return Math.min(...need.map((s) => s.length)) * 100 - need.length;
}

export function requiredLiterals(source: string): Need {
  try {
    const need = new Parser(source).parse();
    if (!need || need.some((s) => s.length < 3)) return null;
    return need;
  } catch {
    return null;
  }
}

// Letters by how common they are in chat (rarest last): a literal is indexed by its rarest trigram.
const COMMON = " etaoinshrdlucmwyfgpbvkjxqz";
const rarity = (c: string) => {
  const i = COMMON.indexOf(c);
  return i < 0 ? COMMON.length : i;
};

function rarestTrigram(literal: string): string {
  let best = literal.slice(0, 3);
  let bestScore = -1;
  for (let i = 0; i + 3 <= literal.length; i++) {
    const t = literal.slice(i, i + 3);
    const score = rarity(t[0]!) + rarity(t[1]!) + rarity(t[2]!);
    if (score > bestScore) {
      best = t;
      bestScore = score;
    }
  }
  return best;
}

/** A trigram as a number; non-ASCII characters fold onto 8 bits (a collision only costs a regex run). */
const code = (a: number, b: number, c: number) => ((a & 0xff) << 16) | ((b & 0xff) << 8) | (c & 0xff);

/** Rules indexed by a trigram of their required literals; unindexable rules always run. */
export class TrigramIndex {
  private readonly byTrigram = new Map<number, number[]>();
  private readonly always: number[] = [];
  private readonly stamp: Int32Array;
  private generation = 0;

  constructor(sources: string[]) {
    this.stamp = new Int32Array(sources.length);
    sources.forEach((src, id) => {
      const need = requiredLiterals(src);
      if (!need) {
        this.always.push(id);
        return;
      }
      for (const t of new Set(need.map(rarestTrigram))) {
        const k = code(t.charCodeAt(0), t.charCodeAt(1), t.charCodeAt(2));
        const list = this.byTrigram.get(k);
        if (list) list.push(id);
        else this.byTrigram.set(k, [id]);
      }
    });
  }

  get alwaysRun(): number {
    return this.always.length;
  }

  /** Ids of rules that may match `text`, ascending. */
  candidates(text: string): number[] {
    const gen = ++this.generation;
    const stamp = this.stamp;
    for (const id of this.always) stamp[id] = gen;
    let found = this.always.length;
    for (let i = 0; i + 3 <= text.length; i++) {
      const list = this.byTrigram.get(code(text.charCodeAt(i), text.charCodeAt(i + 1), text.charCodeAt(i + 2)));
      if (!list) continue;
      for (const id of list) {
        if (stamp[id] !== gen) {
          stamp[id] = gen;
          found++;
        }
      }
    }
    const out: number[] = [];
    for (let id = 0; id < stamp.length && out.length < found; id++) if (stamp[id] === gen) out.push(id);
    return out;
  }
}
