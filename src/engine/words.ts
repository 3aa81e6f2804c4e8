// Whole-word lookups in a normalised message without cutting its words out: each word's hash is
// computed while scanning, and only a word whose hash is known is compared with its entry.
// Used for the function words that tell the language and the explicit word lists.

export const WORD_NL = 1;
export const WORD_EN = 2;
export const EXPLICIT_EN = 4;
export const EXPLICIT_NL = 8;
/** first word of an explicit multi-word entry */
export const PHRASE_EN = 16;
export const PHRASE_NL = 32;

/** Receives the hash of each word of a scan, in order. */
export interface WordSink {
  word(key: number): void;
}

interface Entry {
  word: string;
  flags: number;
  next: Entry | undefined;
}

/** 30 bits of FNV-1a: small integers, so the table's keys stay unboxed. */
export const hashStep = (h: number, c: number) => Math.imul(h ^ c, 0x01000193);
export const FNV = 0x811c9dc5 | 0;
export const finish = (h: number) => h & 0x3fffffff;

/** Bits of the hash that index `present` (8 KB): most words of a message are in no list and stop there. */
const PRESENT_BITS = 16;
const PRESENT_MASK = (1 << PRESENT_BITS) - 1;

export class WordIndex {
  private readonly table = new Map<number, Entry>();
  /** one bit per low hash value that some entry has (a map lookup per word cost more than the rest of the scan) */
  private readonly present = new Int32Array(1 << (PRESENT_BITS - 5));
  /** results of the last `scan` */
  nl = 0;
  en = 0;
  /** the first word flagged with the scan's `firstOf` flags, or null */
  first: string | null = null;
  /** flags of all words seen */
  seen = 0;

  add(word: string, flags: number): void {
    let h = FNV;
    for (let i = 0; i < word.length; i++) h = hashStep(h, word.charCodeAt(i));
    const key = finish(h);
    for (let e = this.table.get(key); e; e = e.next) {
      if (e.word === word) {
        e.flags |= flags;
        return;
      }
    }
    this.table.set(key, { word, flags, next: this.table.get(key) });
    this.present[(key & PRESENT_MASK) >>> 5]! |= 1 << (key & 31);
  }

  /**
   * Counts Dutch and English function words, notes the first word with one of `firstOf`'s flags, and
   * every flag seen; hands each word's hash to `sink` (the stage classifier), so that it needs no pass of its own.
   */
  scan(text: string, firstOf: number, sink: WordSink | null = null): void {
    this.nl = 0;
    this.en = 0;
    this.first = null;
    this.seen = 0;
    let h = FNV;
    let start = 0;
    for (let i = 0; i <= text.length; i++) {
      const c = i < text.length ? text.charCodeAt(i) : 32;
      if (c !== 32) {
        h = hashStep(h, c);
        continue;
      }
      const key = finish(h);
      if (sink !== null && i > start) sink.word(key);
      if (i > start && (this.present[(key & PRESENT_MASK) >>> 5]! & (1 << (key & 31))) !== 0) {
        for (let e = this.table.get(key); e; e = e.next) {
          if (e.word.length !== i - start || !text.startsWith(e.word, start)) continue;
          const f = e.flags;
          if (f & WORD_NL) this.nl++;
          if (f & WORD_EN) this.en++;
          if (f & firstOf && this.first === null) this.first = e.word;
          this.seen |= f;
          break;
        }
      }
      h = FNV;
      start = i + 1;
    }
  }
}
