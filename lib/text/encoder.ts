/**
 * Post text → fixed-length id sequences for MRLF's four text inputs
 * (paper Sec. III-A and IV-A "Parameter setting"):
 *
 *   textChars  characters of the text, at most 100 ("maximum number of … text characters to 100")
 *   textWords  words of that same 100-character text (so at most 50 words)
 *   tagChars   the post's hashtags joined by spaces, as characters, at most 100
 *   tagWords   the hashtags as a word sequence, at most 100 ("maximum number of hashtags … 100")
 *
 * Reading of the paper: the 100-character cap applies to the text the model sees,
 * so the word view is taken from the same truncated text. Hashtags rarer than
 * `minTagCount` in the training split are removed from both hashtag views (the
 * paper removes hashtags seen < 50 times per city, Sec. IV-A); how many were
 * removed is reported in `EncodedPosts.removed`.
 *
 * Vocabularies (characters, text words, hashtags) are built on the training
 * posts only; unseen tokens map to OOV_ID, padding is PAD_ID (see vocab.ts).
 */
import { buildVocab, encodeTokens, type Vocab } from "./vocab";
import { charTokens, normalizeTag, wordTokens } from "./tokenize";

/** The fields of a post the text encoder reads (lib/data/posts.ts `Post` fits). */
export interface TextPost {
  id?: string;
  text: string;
  hashtags: readonly string[];
}

export interface TextEncodingConfig {
  maxTextChars: number;
  maxTextWords: number;
  maxTagChars: number;
  maxTags: number;
  /** Drop hashtags seen fewer times than this in training (paper: 50 on full-size data). */
  minTagCount: number;
  /** Minimum training count for a text word to get its own id (rarer → OOV). */
  minWordCount: number;
}

export const DEFAULT_TEXT_ENCODING: TextEncodingConfig = {
  maxTextChars: 100,
  maxTextWords: 50,
  maxTagChars: 100,
  maxTags: 100,
  minTagCount: 1,
  minWordCount: 1,
};

export interface TextEncoder {
  config: TextEncodingConfig;
  chars: Vocab;
  words: Vocab;
  tags: Vocab;
}

/** Per-post id matrices, row-major [n × maxLen]. */
export interface EncodedPosts {
  n: number;
  textChars: Int32Array;
  textWords: Int32Array;
  tagChars: Int32Array;
  tagWords: Int32Array;
  /** What filtering removed, and why. */
  removed: { rareTagOccurrences: number; postsLeftWithoutTags: number; reason: string };
}

const truncatedChars = (text: string, max: number): string[] => charTokens(text).slice(0, max);
const cleanTags = (tags: readonly string[]): string[] => tags.map(normalizeTag).filter((t) => t.length > 0);

function validatePost(p: TextPost, i: number, where: string): void {
  if (typeof p.text !== "string") throw new Error(`${where}: post ${p.id ?? i}: text: expected a string, got ${typeof p.text}`);
  if (!Array.isArray(p.hashtags)) throw new Error(`${where}: post ${p.id ?? i}: hashtags: expected an array of strings`);
}

/** Fit vocabularies on the training posts. */
export function fitTextEncoder(train: readonly TextPost[], config: Partial<TextEncodingConfig> = {}): TextEncoder {
  const cfg: TextEncodingConfig = { ...DEFAULT_TEXT_ENCODING, ...config };
  for (const [k, v] of Object.entries(cfg))
    if (!Number.isInteger(v) || v < 1) throw new Error(`fitTextEncoder: config.${k}: expected a positive integer, got ${v}`);
  if (train.length === 0) throw new Error("fitTextEncoder: no training posts (the vocabulary is built on the training split)");
  train.forEach((p, i) => validatePost(p, i, "fitTextEncoder"));
  const tags = buildVocab(
    train.map((p) => cleanTags(p.hashtags)),
    { minCount: cfg.minTagCount },
  );
  const kept = (p: TextPost) => cleanTags(p.hashtags).filter((t) => tags.ids.has(t));
  const chars = buildVocab(
    train.flatMap((p) => [truncatedChars(p.text, cfg.maxTextChars), truncatedChars(kept(p).join(" "), cfg.maxTagChars)]),
  );
  const words = buildVocab(
    train.map((p) => wordTokens(truncatedChars(p.text, cfg.maxTextChars).join(""))),
    { minCount: cfg.minWordCount },
  );
  return { config: cfg, chars, words, tags };
}

/** Encode posts with a fitted encoder. */
export function encodePosts(enc: TextEncoder, posts: readonly TextPost[]): EncodedPosts {
  const c = enc.config;
  const n = posts.length;
  const out: EncodedPosts = {
    n,
    textChars: new Int32Array(n * c.maxTextChars),
    textWords: new Int32Array(n * c.maxTextWords),
    tagChars: new Int32Array(n * c.maxTagChars),
    tagWords: new Int32Array(n * c.maxTags),
    removed: { rareTagOccurrences: 0, postsLeftWithoutTags: 0, reason: `hashtags seen < ${c.minTagCount} times in the training split` },
  };
  posts.forEach((p, i) => {
    validatePost(p, i, "encodePosts");
    const text = truncatedChars(p.text, c.maxTextChars);
    const all = cleanTags(p.hashtags);
    // Tags never seen in training are OOV, not "rare": only training-rare tags are removed.
    const tags = all.filter((t) => !enc.tags.dropped.has(t));
    out.removed.rareTagOccurrences += all.length - tags.length;
    if (all.length > 0 && tags.length === 0) out.removed.postsLeftWithoutTags++;
    out.textChars.set(encodeTokens(text, enc.chars, c.maxTextChars), i * c.maxTextChars);
    out.textWords.set(encodeTokens(wordTokens(text.join("")), enc.words, c.maxTextWords), i * c.maxTextWords);
    out.tagChars.set(encodeTokens(truncatedChars(tags.join(" "), c.maxTagChars), enc.chars, c.maxTagChars), i * c.maxTagChars);
    out.tagWords.set(encodeTokens(tags, enc.tags, c.maxTags), i * c.maxTags);
  });
  return out;
}
