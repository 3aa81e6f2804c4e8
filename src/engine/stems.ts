// Tokenising and stemming with natural (aggressive tokenizers and Porter stemmers, English and
// Dutch). The modules are loaded by file: natural's index would also load its classifiers,
// WordNet and storage back-ends (tens of MB) that Haven does not use.
import { createRequire } from "node:module";
import type { Lang } from "../types.ts";

const require = createRequire(import.meta.url);
interface Stemmer {
  stem(word: string): string;
}
interface TokenizerClass {
  new (): { tokenize(text: string): string[] };
}
const stemmers: Record<Lang, Stemmer> = {
  en: require("natural/lib/natural/stemmers/porter_stemmer.js") as Stemmer,
  nl: require("natural/lib/natural/stemmers/porter_stemmer_nl.js") as Stemmer,
};
const tokenizers: Record<Lang, { tokenize(text: string): string[] }> = {
  en: new (require("natural/lib/natural/tokenizers/aggressive_tokenizer.js") as TokenizerClass)(),
  nl: new (require("natural/lib/natural/tokenizers/aggressive_tokenizer_nl.js") as TokenizerClass)(),
};

/** The words of a (normalised) text, as natural tokenises them for the language. */
export function tokens(text: string, lang: Lang): string[] {
  return tokenizers[lang].tokenize(text);
}

/** A word's stem (Porter, English or Dutch): "pictures" and "picture" share "pictur". */
export function stem(word: string, lang: Lang): string {
  return stemmers[lang].stem(word.toLowerCase());
}
