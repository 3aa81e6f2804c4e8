// Explicit vocabulary for the sexual stage, taken at run time from a maintained word list
// (naughty-words: the LDNOOBW lists) so that Haven's own files never spell it out.
import { createRequire } from "node:module";
import { normalize } from "./normalize.ts";

const require = createRequire(import.meta.url);

export interface ExplicitLexicon {
  words: Set<string>;
  /** Multi-word entries, as one alternation; null when there are none. */
  phrases: RegExp | null;
  /** First words of the multi-word entries: the alternation runs only on messages with one. */
  firstWords: Set<string>;
}

// Entries that are everyday words, plain profanity, news vocabulary or collide with our
// normalisation ("pik" becomes "pic") would flag ordinary talk; the stage has its own rules.
const TOO_COMMON = new Set([
  ...["pic", "pot", "del", "gat", "schatje", "gras maaien", "rape", "rapist", "sucks", "suck", "shit", "fuck", "fucking", "fucked", "damn", "crap", "hell"],
  // English profanity and insults that gamers and teens swear with, and game modes ("escort", "domination", "hardcore")
  ...["fuckin", "motherfucker", "clusterfuck", "fucktards", "shitty", "bullshit", "apeshit", "ass", "asshole", "arsehole", "bastard", "bastardo", "bitch", "bitches"],
  ...["bollocks", "butt", "dick", "tosser", "spastic", "mong", "escort", "domination", "hardcore", "scat", "twinkie", "santorum", "xx"],
  // Dutch and Flemish everyday words and idioms: "jouw beurt" (your turn), "nicht" (niece), "muts" (hat), "poot" (paw),
  // "de hond uitlaten" (walk the dog), "de ballen" (Flemish goodbye), "naaien" (sewing), "balen" (to be fed up)
  ...["beurt", "nicht", "muts", "poot", "paal", "palen", "matje", "knor", "toeter", "asbak", "anita", "johny", "griet", "naaien", "zuigen", "spuiten", "standje", "stootje"],
  ...["kanen", "slempen", "balen", "boemelen", "buffelen", "reutelen", "raaskallen", "vergallen", "bedonderen", "belazeren", "flikken", "klooien", "wippen", "hol", "kont", "reet", "bekken"],
  ...["de hond uitlaten", "de ballen", "de pijp uitgaan", "aardappels afgieten", "driehoog achter wonen", "achter het raam zitten", "remsporen", "gedoogzone", "welzijnsmafia", "huisdealer", "publiciteitsgeil"],
  // Dutch profanity and insults
  ...["kut", "kloten", "lul", "eikel", "hufter", "klootzak", "rotzak", "schoft", "sufferd", "dombo", "klojo", "lummel", "mafketel", "watje", "aso", "engerd", "drol", "stront", "poep", "poepen"],
  ...["schijt", "schijten", "zeiken", "zeiker", "afzeiken", "oprotten", "opzouten", "verkloten", "verneuken", "godverdomme", "gadverdamme", "potverdorie", "zuiplap", "zakkenwasser", "teringlijer", "graftak", "klerebeer", "wijf", "mof", "piesen"],
]);

export function loadExplicit(langs: readonly string[]): ExplicitLexicon {
  const words = new Set<string>();
  const phrases: string[] = [];
  const firstWords = new Set<string>();
  for (const lang of langs) {
    let list: unknown;
    try {
      list = require(`naughty-words/${lang}.json`);
    } catch {
      continue; // a missing list only weakens the sexual stage; the lexicon rules still work
    }
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (typeof entry !== "string") continue;
      const w = normalize(entry);
      if (w.length < 3 || TOO_COMMON.has(w)) continue;
      if (w.includes(" ")) {
        phrases.push(w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
        firstWords.add(w.slice(0, w.indexOf(" ")));
      }
      else words.add(w);
    }
  }
  phrases.sort((a, b) => b.length - a.length);
  return { words, firstWords, phrases: phrases.length ? new RegExp(`(?<![a-z0-9])(?:${phrases.join("|")})(?![a-z0-9])`) : null };
}
