/**
 * Tokenisers for post text and hashtags. Deliberately simple and deterministic
 * (no locale-dependent behaviour): lower-case, Unicode letters/digits only.
 */

/** Unicode-aware lower-casing + whitespace normalisation. */
export const normalizeText = (text: string): string => text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();

/** Characters of the normalised text, by code point (emoji stay one symbol). */
export const charTokens = (text: string): string[] => Array.from(normalizeText(text));

/** Words: maximal runs of Unicode letters, digits, apostrophes inside words. */
export function wordTokens(text: string): string[] {
  return normalizeText(text).match(/[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu) ?? [];
}

/** A hashtag without its '#', lower-cased; empty tags are dropped by the caller. */
export const normalizeTag = (tag: string): string => normalizeText(tag).replace(/^#+/, "");
