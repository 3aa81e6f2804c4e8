// Which language a normalised message is in: a count of common function words. Short
// messages with no clue return null and the conversation's language is used instead. Words
// both languages' chat uses ("ok", "lol") count for neither.
import type { Lang } from "../types.ts";

export const NL_FUNCTION_WORDS = new Set(
  "de het een en ik je jij ge gij is niet nie ni dat da wat van op te zijn ben bent zijt heb hebt met voor maar ook nog wel al als dan naar om bij mij me mijn jouw uw er hier daar hoe waarom wie waar wanneer echt zo heel gewoon eens even ff oke ja nee neen nu toch weet kan wil moet gaan ga doen doe zeg vind goed leuk stuur ze iedereen".split(" "),
);
export const EN_FUNCTION_WORDS = new Set(
  "the a an and i you u your yours is not dont don't that what of on to are am be have has with for but also still well as then at me my mine there here how why who where when really so just do does did say like good send can will would should get got it this yes no now im i'm".split(" "),
);

/** The language by counts of function words (see WordIndex for counting them in one pass). */
export function langOf(nl: number, en: number): Lang | null {
  if (nl === en) return null;
  return nl > en ? "nl" : "en";
}

export function detectLang(normalized: string | readonly string[]): Lang | null {
  let nl = 0;
  let en = 0;
  for (const w of typeof normalized === "string" ? normalized.split(" ") : normalized) {
    if (NL_FUNCTION_WORDS.has(w)) nl++;
    if (EN_FUNCTION_WORDS.has(w)) en++;
  }
  return langOf(nl, en);
}
