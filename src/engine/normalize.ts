// Text normalisation before matching: evasion tricks (homoglyphs, zero-width characters,
// leetspeak, spaced or stretched letters) and chat shorthand are folded into plain lower-case
// words so that one pattern catches every spelling. Never throws, idempotent, fast on ASCII.
import { checkLNP, clean as cleanConfusables, confusablesMap, remove as removeConfusables } from "confusables";

// Zero-width, joiners, soft hyphen, bidi controls, tags (variation selectors are marks, removed below).
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufeff\uffa0]|\u115f|\u1160|\u17b4|\u17b5|\udb40[\udc00-\udc7f]/g;
const MARKS = /\p{M}+/gu;

// Emoji that stand for a word in chat; mapped to that word (in English: patterns of both
// languages accept these tokens).
const EMOJI: Record<string, string> = {
  "📸": " camera ",
  "📷": " camera ",
  "🤳": " selfie ",
  "🎥": " video ",
  "📹": " video ",
  "🤫": " shh ",
  "🤐": " shh ",
  "🏠": " home ",
  "🏡": " home ",
  "🏫": " school ",
  "🎁": " gift ",
  "💰": " money ",
  "💸": " money ",
  "💵": " money ",
  "🚗": " car ",
  "🍆": " eggplant ",
  "🍑": " peach ",
  "💦": " splash ",
  "👅": " tongue ",
  "🔞": " nsfw ",
  "😈": " devil ",
};
const EMOJI_RE = new RegExp(Object.keys(EMOJI).join("|"), "gu");

// Leetspeak digits/symbols, only when sandwiched between letters ("p1c", "s3nd", "n00dz") or
// ending a short word ("m3", "h1"), so that ages ("13f", "12yo") and numbers survive.
const LEET: Record<string, string> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", $: "s", "!": "i", "|": "l" };
const LEET_RE = /(?<=[a-z])[013457@$!|]+(?=[a-z])|(?<=(?<![a-z0-9])[a-z]{1,3})[013](?![a-z0-9])|(?<=[a-z]{2})[013457](?![a-z0-9])/g;
// A leading digit of a word ("0ur", "5tuur", "4fter", "4l5") is a letter too, unless what
// follows is a unit, an ordinal or an age ("13f", "12yo", "4th", "5am", "5ghz").
const LEAD_LEET_RE = /(?<![a-z0-9'])([013457])([a-z]+)([013457]?)(?![a-z0-9])/g;
// Short words and words mixing digits all through ("0n", "1t", "s33", "53lf13", "4r34"): a
// two-character token only when it becomes a common word ("3d", "4k", "5g" stay).
const TOKEN_LEET_RE = /(?<![a-z0-9'])(?=[a-z0-9]*[a-z])(?=[a-z0-9]*[013457])[a-z013457]{2,}(?![a-z0-9'])/g;
const TWO_LETTER_WORDS = new Set("on in it is at er as or so no go me we be he of up us an ok ik en de je ze".split(" "));
const NOT_LEET_SUFFIX = new Set(
  "st nd rd th yo yr yrs yro yold hr hrs min mins am pm km cm mm kg gb mb kb fps mph ms de ste jr jaar jarige yrsold ever real got get give ward".split(" "),
);

// English chat shorthand with one meaning. "u" is left alone (it is also Dutch); patterns accept it.
const SHORTHAND: Record<string, string> = {
  ur: "your",
  r: "are",
  rn: "right now",
  pls: "please",
  plz: "please",
  plss: "please",
  wyd: "what are you doing",
  wbu: "what about you",
  hbu: "how about you",
  bf: "boyfriend",
  gf: "girlfriend",
  pix: "pics",
  picz: "pics",
  pics: "pics",
  pict: "pic",
  vid: "video",
  vids: "videos",
  cuz: "because",
  coz: "because",
  bc: "because",
  ppl: "people",
  abt: "about",
  tmrw: "tomorrow",
  tmr: "tomorrow",
  "2nite": "tonight",
  tonite: "tonight",
  nite: "night",
  msgs: "messages",
  msg: "message",
  txt: "text",
  bday: "birthday",
  ru: "are you",
  wut: "what",
  luv: "love",
  gurl: "girl",
  urself: "yourself",
  ne1: "anyone",
  any1: "anyone",
  no1: "no one",
  sum1: "someone",
  every1: "everyone",
  evry1: "everyone",
  w8: "wait",
  m8: "mate",
  h8: "hate",
  // Misspellings of the words warning signs turn on (none is a Dutch or English word)
  alon: "alone",
  aloen: "alone",
  alown: "alone",
  parnts: "parents",
  parants: "parents",
  perents: "parents",
  prents: "parents",
  secrit: "secret",
  secert: "secret",
  sekret: "secret",
  secrect: "secret",
  seceret: "secret",
  delet: "delete",
  delte: "delete",
  dlete: "delete",
  snd: "send",
  sned: "send",
  wana: "wanna",
  wnna: "wanna",
  adress: "address",
  beautifull: "beautiful",
  beutiful: "beautiful",
  beatiful: "beautiful",
  butiful: "beautiful",
  matur: "mature",
  privat: "private",
  promis: "promise",
  anyon: "anyone",
  watsapp: "whatsapp",
  whatsap: "whatsapp",
  whatapp: "whatsapp",
  pictur: "picture",
  piture: "picture",
  pitcure: "picture",
  liv: "live",
  virgen: "virgin",
  webcame: "webcam",
  webcm: "webcam",
  aleen: "alleen",
  ouwers: "ouders",
  // Old chat-room spellings (none is a Dutch word)
  sexi: "sexy",
  hawt: "hot",
  hott: "hot",
  nekkid: "naked",
  nakid: "naked",
  evr: "ever",
  "2day": "today",
  "2morrow": "tomorrow",
  "2moro": "tomorrow",
  l8r: "later",
  gr8: "great",
  undies: "underwear",
  gud: "good",
  addy: "address",
  kool: "cool",
  mite: "might",
  wearin: "wearing",
  doin: "doing",
  goin: "going",
  comin: "coming",
  talkin: "talking",
  sendin: "sending",
  lookin: "looking",
  thinkin: "thinking",
  gettin: "getting",
  kissin: "kissing",
  touchin: "touching",
  chattin: "chatting",
  textin: "texting",
  feelin: "feeling",
  kis: "kiss",
  dis: "this",
  some1: "someone",
  shud: "should",
  cud: "could",
  wud: "would",
  hav: "have",
  kno: "know",
  pic: "pic",
  snapchat: "snap",
  hw: "how",
  bout: "about",
  b4: "before",
  wen: "when",
  wher: "where",
  whr: "where",
  pik: "pic",
  skool: "school",
  skl: "school",
  // Dutch and Flemish chat ("kzen" = "ik ben", "zedde gij" = "zijt gij")
  kzen: "ik ben",
  kben: "ik ben",
  kzijn: "ik ben",
  kheb: "ik heb",
  kwil: "ik wil",
  kga: "ik ga",
  kzal: "ik zal",
  kkan: "ik kan",
  kweet: "ik weet",
  kmoet: "ik moet",
  kvind: "ik vind",
  bn: "ben",
  ff: "even",
  wss: "waarschijnlijk",
  zedde: "zijt ge",
  zijde: "zijt ge",
  zyde: "zijt ge",
  hebde: "hebt ge",
  hedde: "hebt ge",
  bende: "bent ge",
  zitte: "zit ge",
  moete: "moet ge",
  kunde: "kunt ge",
  gade: "gaat ge",
  doede: "doet ge",
  moogde: "moogt ge",
  sc: "snap",
  ig: "insta",
  instagram: "insta",
};
const SHORTHAND_RE = new RegExp(`(?<![\\p{L}\\p{N}'])(?:${Object.keys(SHORTHAND).join("|")})(?![\\p{L}\\p{N}'])`, "gu");

const DIGIT_SHORTHAND = new RegExp(`(?<![\\p{L}\\p{N}'])(?:${Object.keys(SHORTHAND).filter((k) => /[0-9]/.test(k)).join("|")})(?![\\p{L}\\p{N}'])`, "gu");
const HAS_DIGIT_SHORTHAND = new RegExp(DIGIT_SHORTHAND.source, "u");

const STRETCHED_RE = /(\p{L})\1{2,}/gu;

// Single letters separated by spaces, dots, dashes or stars ("s e n d", "p.i.c").
const SPACED_RE = /(?<![\p{L}\p{N}'?])\p{L}(?: \p{L}(?![\p{L}\p{N}'?])){2,}/gu;
const BREAK_RE = /[^\p{L}\p{N}'?]+/gu;

// The same expressions for ASCII text (most chat), without Unicode property classes: on ASCII
// input they match exactly what the ones above match, several times faster.
const ASCII = {
  shorthand: new RegExp(`(?<![a-z0-9'])(?:${Object.keys(SHORTHAND).join("|")})(?![a-z0-9'])`, "g"),
  stretched: /([a-z])\1{2,}/g,
  spaced: /(?<![a-z0-9'?])[a-z](?: [a-z](?![a-z0-9'?])){2,}/g,
  break: /[^a-z0-9'?]+/g,
};
const UNICODE = { shorthand: SHORTHAND_RE, stretched: STRETCHED_RE, spaced: SPACED_RE, break: BREAK_RE };
/** Digits leetspeak reads as letters; the symbols it reads as letters are @ $ ! | (LEET's keys). */
const isLeetDigit = (c: number) => c === 48 || c === 49 || c === 51 || c === 52 || c === 53 || c === 55;
const isLeet = (c: number) => isLeetDigit(c) || c === 64 || c === 36 || c === 33 || c === 124;
const isAz = (c: number) => c >= 97 && c <= 122;
/**
 * Whether a leetspeak expression may match: a leetspeak digit next to a letter, or a run of
 * leetspeak characters between two letters (symbols count only there: "hey!" is no leetspeak).
 * Without one, none of them runs. (Out of range charCodeAt is NaN: not a letter.)
 */
function leetNextToLetter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isLeetDigit(c)) {
      if (isAz(s.charCodeAt(i - 1)) || isAz(s.charCodeAt(i + 1))) return true;
    } else if (isLeet(c) && isAz(s.charCodeAt(i - 1))) {
      let j = i + 1;
      while (j < s.length && isLeet(s.charCodeAt(j))) j++;
      if (isAz(s.charCodeAt(j))) return true;
    }
  }
  return false;
}
/** Shorthand spelled with digits ("b4", "any1") needs a digit. */
function hasDigit(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;
// Short words a spaced-out run may contain; the run is re-split on them, longest first.
const SPACED_WORDS = new Set(
  (
    "send sent me a u r are you your ur pic pics picture photo foto fotos pix nude nudes video vid cam webcam snap sex naked alone home secret " +
    "dont tell anyone meet now rn i am im of and stuur een je jij jou mij naakt alleen thuis geheim niks zeggen afspreken selfie selfies show " +
    "parents mom dad kik skype insta whatsapp number delete chat nobody no one our just us between old how age where live kiss touch body " +
    "bed bra pick up come over ouders mama papa niemand ons ben bent oud hoe waar woon zoenen lichaam kamer"
  ).split(" "),
);
const MAX_SPLIT = 8;

function splitSpaced(joined: string): string {
  const out: string[] = [];
  let i = 0;
  while (i < joined.length) {
    let took = 0;
    for (let len = Math.min(MAX_SPLIT, joined.length - i); len >= 1; len--) {
      if (SPACED_WORDS.has(joined.slice(i, i + len))) {
        took = len;
        break;
      }
    }
    if (took === 0) return joined; // not made of known words: keep it as one word
    out.push(joined.slice(i, i + took));
    i += took;
  }
  return out.join(" ");
}

/**
 * Plain lower-case text for matching. Idempotent: normalize(normalize(x)) === normalize(x).
 */
export function normalize(text: string, options: { reference?: boolean } = {}): string {
  if (typeof text !== "string" || text.length === 0) return "";
  let s = text.toLowerCase();
  let re = ASCII;
  if (NON_ASCII.test(s)) {
    // Folding twice makes it idempotent (a fold can expose more to fold); folding ASCII changes nothing.
    const fold = options.reference ? foldWhole : foldUnicode;
    s = fold(s);
    if (NON_ASCII.test(s)) s = fold(s);
    if (NON_ASCII.test(s)) re = UNICODE;
  }
  if (s.includes("`")) s = s.replace(/`/g, "'");
  // Stretched letters ("pleeease", "heyyy"): three or more of a letter become one.
  if (hasTriple(s)) s = s.replace(re.stretched, "$1");
  const before = s;
  // Repeated until stable: undoing one digit can reveal the next ("h0m3" -> "hom3" -> "home").
  // Shorthand spelled with digits ("any1", "b4") before leetspeak would read the digit as a letter ("anyi").
  if (hasDigit(s) && HAS_DIGIT_SHORTHAND.test(s)) s = s.replace(DIGIT_SHORTHAND, shorthand);
  for (let pass = 0; pass < 4 && leetNextToLetter(s); pass++) {
    const next = s.replace(LEET_RE, leet).replace(LEAD_LEET_RE, leadLeet).replace(TOKEN_LEET_RE, tokenLeet);
    if (next === s) break;
    s = next;
  }
  const leeted = s !== before;
  // The word-by-word path; `reference: true` runs the expressions instead (what it must agree with).
  if (re === ASCII && !options.reference) return (!leeted && plainAscii(s)) || asciiWords(s, leeted);
  // Everything that is not a letter, digit, apostrophe or question mark is a word break.
  s = s.replace(re.break, " ");
  const broken = s;
  s = s.replace(re.spaced, spaced);
  // Leetspeak and joined letters can stretch again ("e3e", "s s s"); breaks cannot.
  if ((leeted || s !== broken) && hasTriple(s)) s = s.replace(re.stretched, "$1");
  s = s.replace(re.shorthand, shorthand);
  // "zedde gij" became "zijt ge gij": one pronoun is enough.
  if (s.includes(" ge g")) s = s.replace(/ ge (gij|ge)(?![\p{L}\p{N}'])/gu, " $1");
  if (s.includes("  ")) s = s.replace(/ {2,}/g, " ");
  return s.trim();
}

const SHORTHAND_WORDS = new Map(Object.entries(SHORTHAND));
const isWordChar = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 39 || c === 63;
const isLetter = (w: string) => w.length === 1 && w.charCodeAt(0) >= 97 && w.charCodeAt(0) <= 122;

/** Shorthand words by first and last character: a bit per length (most words are ruled out without a lookup). */
const SHORTHAND_SHAPES = new Int32Array(128 * 128);
for (const w of SHORTHAND_WORDS.keys()) SHORTHAND_SHAPES[(w.charCodeAt(0) & 127) * 128 + (w.charCodeAt(w.length - 1) & 127)]! |= 1 << Math.min(w.length, 31);
const mayBeShorthand = (s: string, start: number, end: number) =>
  (SHORTHAND_SHAPES[(s.charCodeAt(start) & 127) * 128 + (s.charCodeAt(end - 1) & 127)]! & (1 << Math.min(end - start, 31))) !== 0;

/** Whether a part of a word with question marks ("ur?", "wyd??") may be shorthand, without cutting it. */
function someMayBeShorthand(s: string, start: number, end: number): boolean {
  let from = start;
  for (let i = start; i <= end; i++) {
    if (i < end && s.charCodeAt(i) !== 63) continue;
    if (i > from && mayBeShorthand(s, from, i)) return true;
    from = i + 1;
  }
  return false;
}

/**
 * `asciiWords` for the usual message: no leetspeak undone and no spaced-out letters. Words are
 * not cut out of the text unless one may be shorthand, and text that is already plain words
 * comes back as it is. Null when spaced-out letters need the full treatment.
 */
function plainAscii(s: string): string | null {
  let out = "";
  let plain = true; // so far `out` would equal s: every break one space between words, no word rewritten
  let singles = 0;
  let start = -1;
  let question = false;
  let lastEnd = -1;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 32;
    if (isWordChar(c)) {
      if (start < 0) {
        start = i;
        question = false;
        const oneSpace = lastEnd >= 0 ? i - lastEnd === 1 && s.charCodeAt(lastEnd) === 32 : i === 0;
        if (!oneSpace && plain) {
          // From here on the output is rebuilt word by word.
          plain = false;
          out = s.slice(0, lastEnd < 0 ? 0 : lastEnd);
        }
        if (!plain && lastEnd >= 0) out += " ";
      }
      if (c === 63) question = true;
      continue;
    }
    if (start < 0) continue;
    // A word s[start, i).
    const one = i - start === 1 && s.charCodeAt(start) >= 97 && s.charCodeAt(start) <= 122;
    singles = one ? singles + 1 : 0;
    if (singles >= 3) return null;
    let word: string | null = null;
    if (question ? someMayBeShorthand(s, start, i) : mayBeShorthand(s, start, i)) {
      const w = s.slice(start, i);
      const replaced = question ? w.split("?").map((part) => SHORTHAND_WORDS.get(part) ?? part).join("?") : SHORTHAND_WORDS.get(w);
      if (replaced !== undefined && replaced !== w) word = replaced;
    }
    if (word !== null && plain) {
      plain = false;
      out = s.slice(0, start);
    }
    if (!plain) out += word ?? s.slice(start, i);
    lastEnd = i;
    start = -1;
  }
  if (lastEnd < 0) return "";
  if (plain) out = lastEnd === s.length ? s : s.slice(0, lastEnd);
  // Where the text began with a break the expressions saw a leading space; the pronoun fix-up depends on it.
  if (!isWordChar(s.charCodeAt(0))) out = ` ${out}`;
  if (out.includes(" ge g")) out = out.replace(/ ge (gij|ge)(?![a-z0-9'])/g, " $1");
  return out.trimStart();
}

/**
 * The rest of `normalize` for ASCII text, word by word in one pass instead of one expression per
 * step (most chat is ASCII): the same breaks, spaced-out letters, stretching and shorthand.
 */
function asciiWords(s: string, leeted: boolean): string {
  let words: string[] = [];
  let start = -1;
  for (let i = 0; i <= s.length; i++) {
    if (i < s.length && isWordChar(s.charCodeAt(i))) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      words.push(s.slice(start, i));
      start = -1;
    }
  }
  // Three or more single letters in a row ("s e n d") are one spaced-out word.
  let spacedOut = false;
  for (let i = 0; i < words.length; i++) {
    if (!isLetter(words[i]!)) continue;
    let j = i + 1;
    while (j < words.length && isLetter(words[j]!)) j++;
    if (j - i >= 3) {
      const run = words.slice(i, j);
      const split = splitSpaced(run.join("")).split(" ");
      words.splice(i, j - i, ...split);
      if (split.join(" ") !== run.join(" ")) spacedOut = true;
      j = i + split.length;
    }
    i = j - 1;
  }
  if (leeted || spacedOut) {
    const joined = words.join(" ");
    if (hasTriple(joined)) words = joined.replace(ASCII.stretched, "$1").split(" ");
  }
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    // "?" is not part of a shorthand word: "ur?" is "your?".
    words[i] = w.includes("?") ? w.split("?").map((part) => SHORTHAND_WORDS.get(part) ?? part).join("?") : (SHORTHAND_WORDS.get(w) ?? w);
  }
  // Where the text began with a break the expressions saw a leading space; the pronoun fix-up below depends on it.
  let out = (s.length > 0 && !isWordChar(s.charCodeAt(0)) ? " " : "") + words.join(" ");
  if (out.includes(" ge g")) out = out.replace(/ ge (gij|ge)(?![a-z0-9'])/g, " $1");
  return out.trimStart();
}

/** Three equal characters in a row (cheaper than running the back-reference expression). */
function hasTriple(s: string): boolean {
  for (let i = 2; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === s.charCodeAt(i - 1) && c === s.charCodeAt(i - 2)) return true;
  }
  return false;
}

function leet(m: string): string {
  let out = "";
  for (const c of m) out += LEET[c] ?? c;
  return out;
}
function leadLeet(m: string, digits: string, rest: string, tail: string): string {
  // A word needs a vowel: "5ghz" and "30nt" are amounts.
  if (rest.length + tail.length < 2 || !/[aeiouy]/.test(leet(digits) + rest + leet(tail))) return m;
  if (!tail && NOT_LEET_SUFFIX.has(rest)) return digits === "4" && /^(?:ever|real|got|get|give|ward)$/.test(rest) ? `for${rest}` : m;
  return leet(digits) + rest + leet(tail);
}
function tokenLeet(m: string): string {
  const out = leet(m);
  if (m.length === 2) return TWO_LETTER_WORDS.has(out) ? out : m;
  // Leading digits are LEAD_LEET_RE's call (ages, units); "u14", "kl17", "e300", "7u45", "1v1"
  // are teams, flights, amounts, times and scores.
  if (/^[0-9]+[a-z]+$|^[a-z]+[0-9]{2,}$|^[0-9]+[a-z][0-9]+$/.test(m)) return m;
  return /[aeiouy]/.test(out) ? out : m;
}
function spaced(run: string): string {
  return splitSpaced(run.replace(/ /g, ""));
}
function shorthand(w: string): string {
  return SHORTHAND_WORDS.get(w) ?? w;
}

function foldUnicode(text: string): string {
  return foldByCharacter(text) ?? foldWhole(text);
}

function foldWhole(text: string): string {
  let s = text.replace(INVISIBLE, "");
  s = s.replace(/[\u2018\u2019\u00b4]/g, "'");
  s = s.replace(EMOJI_RE, (e) => EMOJI[e] ?? " ");
  // Emoji and invisible characters were often all there was: the rest is identity on ASCII.
  if (!NON_ASCII.test(s)) return s.toLowerCase();
  s = s.normalize("NFKC").toLowerCase();
  s = removeConfusables(s).toLowerCase();
  return s.normalize("NFD").replace(MARKS, "").normalize("NFC");
}

// Folding one character at a time gives what folding the whole text gives, unless characters
// act on their neighbours: combining marks, Hangul jamo (which compose), a capital sigma (its
// lower case depends on the next letter). Texts with those, or with a character that does not
// fold to ASCII, take the whole-text path. So do characters unassigned in the regular
// expressions' Unicode tables (\p{Cn}): ICU's normalisation data can be newer (Node 20's ICU
// knows U+1AEC as a combining mark, its \p{M} does not), and only the whole text sees both agree.
const CONTEXT_SENSITIVE = /[\p{M}\p{Cn}\u03a3\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff\uffa0-\uffdc]/u;
/** Variation selectors ("❤️") are marks that combine with nothing and are dropped. */
const isContextSensitive = (s: string) => CONTEXT_SENSITIVE.test(s.replace(/[\ufe00-\ufe0f]/g, ""));
/** Folded symbols that stay non-ASCII (most emoji) become word breaks later on: a space now does the same. */
// eslint-disable-next-line no-control-regex
const ONLY_BREAKS = /^[^\p{L}\p{N}'?`\x00-\x7f]+$/u;
/** A character's fold on its own: `shallow` when invisible/quote/emoji handling made it ASCII, else its compatibility form and that form folded with and without the confusables map. */
type CharFold = { shallow: string } | { shallow: null; compat: string; withMap: string; noMap: string };
const CHAR_FOLDS = new Map<number, CharFold | null>();
const MAX_CHAR_FOLDS = 8192;
const stripMarks = (s: string) => s.normalize("NFD").replace(MARKS, "").normalize("NFC");

function foldCharacter(cp: number): CharFold | null {
  const known = CHAR_FOLDS.get(cp);
  if (known !== undefined) return known;
  const ch = String.fromCodePoint(cp);
  let out: CharFold | null = null;
  // A lone surrogate may pair with one across a removed invisible character.
  if (!isContextSensitive(ch) && !(cp >= 0xd800 && cp <= 0xdfff)) {
    const shallow = ch.replace(INVISIBLE, "").replace(/[\u2018\u2019\u00b4]/g, "'").replace(EMOJI_RE, (e) => EMOJI[e] ?? " ");
    if (!NON_ASCII.test(shallow)) out = { shallow };
    else {
      const compat = shallow.normalize("NFKC").toLowerCase();
      let mapped = "";
      for (const c of cleanConfusables(compat)) mapped += confusablesMap.get(c) || c;
      // (A symbol that a second fold would change again, as the whole-text path does, is not one.)
      const asBreak = (f: string) => (ONLY_BREAKS.test(f) && foldWhole(f) === f ? " " : f);
      const withMap = asBreak(stripMarks(mapped.toLowerCase()));
      const noMap = asBreak(stripMarks(compat));
      if (!isContextSensitive(compat) && !NON_ASCII.test(withMap) && !NON_ASCII.test(noMap)) out = { shallow: null, compat, withMap, noMap };
    }
  }
  if (CHAR_FOLDS.size < MAX_CHAR_FOLDS) CHAR_FOLDS.set(cp, out);
  return out;
}

/** `foldWhole` one character at a time (each character's fold remembered), or null when that could differ. */
function foldByCharacter(text: string): string | null {
  // One pass gives the usual result (every fold shallow); runs of ASCII are copied as slices.
  const folds: CharFold[] = [];
  let deep = false;
  let out = "";
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) < 0x80) continue;
    const at = i;
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    const fold = foldCharacter(cp);
    if (!fold) return null;
    folds.push(fold);
    if (fold.shallow === null) deep = true;
    else if (!deep) out += text.slice(run, at) + fold.shallow;
    run = i + 1;
  }
  if (!deep) return out + text.slice(run);
  // The confusables library leaves a text alone when its compatibility form is plain letters,
  // digits and punctuation; otherwise it maps every character ("|" is "l") and drops controls.
  if (checkLNP(assemble(text, folds, COMPAT))) return assemble(text, folds, NO_MAP);
  return assemble(text, folds, WITH_MAP);
}

const COMPAT = 0;
const NO_MAP = 1;
const WITH_MAP = 2;

/** The text with each non-ASCII character replaced by its fold (`folds`, in order) in one of the three forms. */
function assemble(text: string, folds: readonly CharFold[], form: number): string {
  let out = "";
  let k = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      // With the map the library also reads "|" as "l" and drops control characters (\0-\x08, \x0e-\x1f, \x7f).
      if (form !== WITH_MAP) out += text[i]!;
      else if (c === 124) out += "l";
      else if (!(c <= 8 || (c >= 0x0e && c <= 0x1f) || c === 0x7f)) out += text[i]!;
      continue;
    }
    if (text.codePointAt(i)! > 0xffff) i++;
    const f = folds[k++]!;
    out += f.shallow ?? (form === COMPAT ? f.compat : form === NO_MAP ? f.noMap : f.withMap);
  }
  return out;
}
