// Does a message address the person it answers with a family word ("mom can you…", "thx dad",
// "grandma im 10", "ja ma", "oma ik ben 9", "ok papa")? Then that person is the author's parent
// or relative. EN + NL. Only words at the edges count, and only as a form of address: "mom says
// no", "my mom", "dont tell mom" talk about someone, they do not call the other person that.
// Words are compared by hash while scanning: no word strings are built.

/** Family words that address someone at the start of a message or on their own. "daddy" is left out: groomers ask to be called that. */
const FAMILY = [
  "mom", "mum", "mommy", "mummy", "momma", "mama", "mamma", "mam", "mammie", "mother",
  "dad", "papa", "pappa", "pappie", "father",
  "grandma", "grandpa", "granny", "grannie", "gran", "grandad", "granddad", "gramps", "nana",
  "auntie", "aunty", "aunt", "uncle",
  "oma", "opa", "omi", "opi", "tante", "nonkel", "oom", "bomma", "bompa", "moeke", "vake",
];
/** Only at the end: at the start, Flemish "ma" is "but" ("ma ik weet het niet"). */
const FAMILY_END_ONLY = ["ma", "pa"];
/** What may stand before the family word at the start ("ok papa", "hey mom"). */
const LEAD = [
  "hi", "hey", "hello", "hoi", "hallo", "hey", "yo", "ok", "okay", "oki", "k", "kk", "yes", "yeah", "ya", "yep", "no", "nope",
  "ja", "jaa", "jep", "nee", "neen", "thx", "thanks", "ty", "dankje", "dankjewel", "bedankt", "merci", "love", "luv", "sorry", "sry",
  "night", "goodnight", "morning", "bye", "doei", "dag", "slaapwel", "welterusten",
];
/** A family word at the start addresses someone when a first or second person, a plea or a question follows. */
const NEXT = [
  "i", "im", "ive", "ill", "id", "me", "my", "you", "u", "ur", "youre", "pls", "please", "plz", "thx", "thanks", "ty",
  "where", "when", "what", "how", "why", "guess", "look", "help", "come", "love", "sorry", "ok", "yes", "no", "hi", "hey",
  "ik", "kben", "kzen", "kheb", "mij", "jij", "gij", "ge", "waar", "wanneer", "wat", "hoe", "waarom", "kijk", "kom", "help", "sorry", "ja", "nee",
];
/** "mom can you", "mama mag ik": a modal verb then I or you. */
const MODAL = ["can", "could", "will", "would", "do", "did", "are", "r", "may", "should", "kan", "kun", "kunt", "wil", "mag", "ben", "heb", "zal", "ga", "moet", "kunde", "zijt", "wilt"];
const PERSON = ["i", "you", "u", "we", "ik", "je", "jij", "ge", "gij", "wij", "k"];
/**
 * After a greeting or a yes/no/thanks, a family word is address whatever follows ("ja oma tot 8
 * uur", "ok dad see u at 5"), unless a verb makes it someone talked about ("yes mom is home",
 * "ja mama zegt nee"). Used with `leadAddress` (models since v28).
 */
const REPORT = [
  "is", "was", "isnt", "wasnt", "says", "said", "say", "wants", "wanted", "thinks", "knows", "knew", "has", "had", "hasnt",
  "will", "wont", "would", "works", "worked", "went", "goes", "comes", "came", "lets", "let", "doesnt", "didnt", "dont", "cant",
  "can", "could", "does", "did", "needs", "made", "makes", "got", "gets", "left", "told", "asked", "called", "s", "and", "or",
  "zit", "zat", "zegt", "zei", "zeggen", "wil", "wilde", "denkt", "dacht", "weet", "wist", "heeft", "gaat",
  "ging", "komt", "kwam", "laat", "liet", "moet", "mag", "kan", "kon", "zal", "werkt", "vindt", "vond", "vroeg", "belt", "belde",
  "en", "of", "die", "wordt", "werd",
];
/** Trailing words skipped before the family word at the end ("12 auntie lol"). */
const TRAIL = ["lol", "haha", "hahaha", "hehe", "hihi", "xd", "x", "xx", "xxx", "xoxo", "pls", "please", "plz", "aub", "ajb"];
/** Before a family word at the end these make it someone talked about: "my mom", "with dad", "tell mom". */
const ABOUT = [
  "my", "mine", "your", "ur", "ya", "his", "her", "their", "our", "the", "a", "to", "with", "from", "for", "at", "and", "or", "of",
  "tell", "ask", "call", "told", "asked", "text", "show", "like", "than", "by",
  "mijn", "mn", "me", "je", "jouw", "uw", "zijn", "haar", "hun", "de", "het", "een", "bij", "met", "van", "naar", "voor", "tegen", "en", "aan", "of", "zeg", "vraag", "bel", "dan", "door",
];

function hashWord(w: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 0x01000193);
  return h & 0x3fffffff; // a small integer: Set lookups of heap numbers cost more
}
const set = (words: readonly string[]) => new Set(words.map(hashWord));
const FAMILY_H = set(FAMILY);
const FAMILY_END_H = set([...FAMILY, ...FAMILY_END_ONLY]);
const LEAD_H = set(LEAD);
const NEXT_H = set(NEXT);
const MODAL_H = set(MODAL);
const PERSON_H = set(PERSON);
const REPORT_H = set(REPORT);
const TRAIL_H = set(TRAIL);
const ABOUT_H = set(ABOUT);

/** Letters, digits and the apostrophe make words; anything else separates them. */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 39 || (c >= 65 && c <= 90) || c > 127;
}

// Hashes of the first and last four words of the message being checked (module scratch: no allocation per call).
const head = new Int32Array(4);
const tail = new Int32Array(4);

function hashSpan(text: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    // Words are hashed as lower case (normalised text already is).
    h = Math.imul(h ^ (c >= 65 && c <= 90 ? c + 32 : c), 0x01000193);
  }
  return h & 0x3fffffff; // a small integer: Set lookups of heap numbers cost more
}

/**
 * True when the (normalised) message addresses its reader as a parent or relative. With
 * `afterLead` (models since v28) a family word after a greeting or yes/no/thanks is address
 * unless a verb follows it (REPORT).
 */
export function addressesFamily(text: string, afterLead = false): boolean {
  // Only the edges matter: the first four words forwards, the last four backwards (long texts cost no more).
  const n = text.length;
  let heads = 0;
  let i = 0;
  while (heads < 4) {
    while (i < n && !isWordChar(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && isWordChar(text.charCodeAt(i))) i++;
    head[heads++] = hashSpan(text, start, i);
  }
  if (heads === 0) return false;
  let tails = 0;
  let j = n;
  while (tails < 4) {
    while (j > 0 && !isWordChar(text.charCodeAt(j - 1))) j--;
    if (j <= 0) break;
    const end = j;
    while (j > 0 && isWordChar(text.charCodeAt(j - 1))) j--;
    tail[tails++] = hashSpan(text, j, end);
  }
  // tail[0] is the last word; words = how many the message has, up to what was read.
  const words = heads < 4 ? heads : tails < 4 ? tails : 8;
  if (words === 1) return FAMILY_H.has(head[0]!);
  // At the start, or after a greeting or a yes/no/thanks: "mom can you", "ok papa", "oma ik ben 9".
  const at = FAMILY_H.has(head[0]!) ? 0 : LEAD_H.has(head[0]!) && FAMILY_H.has(head[1]!) ? 1 : -1;
  if (at >= 0) {
    if (words === at + 1) return true;
    const next = head[at + 1]!;
    if (NEXT_H.has(next)) return true;
    if (words > at + 2 && MODAL_H.has(next) && PERSON_H.has(head[at + 2]!)) return true;
    if (afterLead && at === 1 && !REPORT_H.has(next)) return true;
  }
  // At the end, after any laughs or pleas: "thx dad", "ja ma", "12 auntie lol"; not "my mom", "tell dad".
  let last = 0;
  while (last < 2 && last < words - 1 && TRAIL_H.has(tail[last]!)) last++;
  if (last >= words - 1 || last + 1 >= tails) return false;
  return FAMILY_END_H.has(tail[last]!) && !ABOUT_H.has(tail[last + 1]!);
}
