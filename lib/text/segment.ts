/**
 * Words and sentences of microblog text in any Unicode script.
 *
 * Whitespace is not a word boundary everywhere: Chinese, Japanese, Thai, Lao,
 * Khmer and Myanmar write words without spaces. So a sentence is cut into
 * runs: hashtags and mentions stay whole; runs of a space-less script go to a
 * real segmenter; every other run of letters, marks and digits (Latin,
 * Cyrillic, Arabic, Hangul, Devanagari, …, which separate words by spaces or
 * punctuation) is one word.
 *
 * - Chinese (Han without kana): jieba (`@node-rs/jieba`, jieba-rs with jieba's
 *   own dictionary, accurate mode with the HMM for unknown words — jieba's
 *   default `cut(s, HMM=True)`). The local-words paper segmented Weibo with
 *   LTP, which has no JavaScript port; jieba is the most used open Chinese
 *   segmenter.
 * - Japanese (a sentence with kana), Thai, Lao, Khmer, Myanmar: ICU's
 *   dictionary-based word break iterator through `Intl.Segmenter` (Node's
 *   full ICU), keeping the word-like segments.
 *
 * Sentences: ICU's sentence break iterator (`Intl.Segmenter`, which knows
 * "。！？" as well as ". ! ?"), plus line breaks, and URLs end a sentence too
 * (the URL itself is dropped). word2vec takes its contexts within a sentence,
 * so a user whose tweets arrive concatenated into one text still gives it one
 * sentence per sentence, not one per user.
 *
 * Tokens are NFKC-normalised and lower-cased. The capitalisation-based entity
 * merge of `lib/localwords/preprocess.ts` is applied by the caller to English
 * text only; this module knows nothing about entities.
 */

/** Scripts written without spaces between words. */
const NO_SPACE =
  "\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Thai}\\p{Script=Lao}\\p{Script=Khmer}\\p{Script=Myanmar}\\u30fc\\u3005";
const WORD_CHAR = `(?:(?![${NO_SPACE}])[\\p{L}\\p{M}\\p{N}])`;

/**
 * One token: a Weibo topic `#话题#`, a #hashtag, an @mention, a run of a
 * space-less script, or a word (letters/marks/digits, with inner ' ’ - joining parts).
 */
const TOKEN_RE = new RegExp(
  [
    `#([^#\\s]{1,40})#`, // Weibo-style topic: #北京#
    `([#@][\\p{L}\\p{M}\\p{N}_]+)`, // #hashtag, @mention (any script)
    `([${NO_SPACE}]+)`, // a space-less run
    `(${WORD_CHAR}+(?:['’\\-]${WORD_CHAR}+)*)`, // a word
  ].join("|"),
  "gu",
);
const URL_RE = /(?:https?:\/\/|www\.)\S+/giu;
const KANA_RE = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const HAN_RE = /\p{Script=Han}/u;
const HAS_WORD_CHAR = /[\p{L}\p{N}]/u;

export type Script = "han" | "kana" | "hangul" | "thai" | "latin" | "cyrillic" | "arabic" | "other";

interface JiebaLike {
  cut(s: string, hmm?: boolean): string[];
}
let jiebaMemo: JiebaLike | null = null;

/** jieba with its default dictionary (loaded once per process, ≈ 0.5 s). */
export function jieba(): JiebaLike {
  if (!jiebaMemo) {
    const { Jieba } = require("@node-rs/jieba") as { Jieba: { withDict(d: Uint8Array): JiebaLike } };
    const { dict } = require("@node-rs/jieba/dict") as { dict: Uint8Array };
    jiebaMemo = Jieba.withDict(dict);
  }
  return jiebaMemo;
}

/** Chinese words of a text (jieba accurate mode with HMM), punctuation left out. */
export function segmentChinese(text: string): string[] {
  return jieba()
    .cut(text, true)
    .filter((w) => HAS_WORD_CHAR.test(w));
}

const icuMemo = new Map<string, Intl.Segmenter>();
const icuWords = (text: string, locale: string): string[] => {
  let s = icuMemo.get(locale);
  if (!s) icuMemo.set(locale, (s = new Intl.Segmenter(locale, { granularity: "word" })));
  return [...s.segment(text)].filter((x) => x.isWordLike).map((x) => x.segment);
};

function segmentRun(run: string, japanese: boolean): string[] {
  if (japanese) return icuWords(run, "ja");
  if (HAN_RE.test(run) && !KANA_RE.test(run)) return segmentChinese(run);
  if (/\p{Script=Thai}/u.test(run)) return icuWords(run, "th");
  if (/\p{Script=Lao}/u.test(run)) return icuWords(run, "lo");
  if (/\p{Script=Khmer}/u.test(run)) return icuWords(run, "km");
  if (/\p{Script=Myanmar}/u.test(run)) return icuWords(run, "my");
  return icuWords(run, "ja"); // kana-only runs and marks
}

/**
 * Words of one sentence, lower-cased, in order. A sentence containing kana is
 * Japanese, so its Han runs go to the Japanese segmenter rather than jieba.
 */
export function segmentWords(sentence: string): string[] {
  const text = sentence.normalize("NFKC").replace(URL_RE, " ");
  const japanese = KANA_RE.test(text);
  const out: string[] = [];
  for (const m of text.matchAll(TOKEN_RE)) {
    if (m[1] !== undefined) out.push(`#${m[1].toLowerCase()}`);
    else if (m[2] !== undefined) {
      if (m[2].length > 1) out.push(m[2].toLowerCase());
    } else if (m[3] !== undefined) out.push(...segmentRun(m[3], japanese).map((w) => w.toLowerCase()));
    else if (m[4] !== undefined) out.push(m[4].toLowerCase());
  }
  return out;
}

let sentenceMemo: Intl.Segmenter | null = null;

/**
 * Sentences of a text: ICU sentence breaks, line breaks, and URLs (dropped)
 * end a sentence. Empty pieces are left out.
 */
export function splitSentences(text: string): string[] {
  sentenceMemo ??= new Intl.Segmenter("en", { granularity: "sentence" });
  const out: string[] = [];
  for (const piece of text.split(/\r?\n|(?:https?:\/\/|www\.)\S+/iu)) {
    if (!piece.trim()) continue;
    for (const s of sentenceMemo.segment(piece)) if (s.segment.trim()) out.push(s.segment.trim());
  }
  return out;
}

/** How many URLs a text has (each ends a sentence). */
export const countUrls = (text: string): number => (text.match(URL_RE) ?? []).length;

/** The script most of a text's letters belong to. */
export function dominantScript(text: string): Script {
  const counts: Record<Script, number> = { han: 0, kana: 0, hangul: 0, thai: 0, latin: 0, cyrillic: 0, arabic: 0, other: 0 };
  for (const ch of text) {
    if (!/\p{L}/u.test(ch)) continue;
    if (/\p{Script=Han}/u.test(ch)) counts.han++;
    else if (KANA_RE.test(ch)) counts.kana++;
    else if (/\p{Script=Hangul}/u.test(ch)) counts.hangul++;
    else if (/\p{Script=Thai}/u.test(ch)) counts.thai++;
    else if (/\p{Script=Latin}/u.test(ch)) counts.latin++;
    else if (/\p{Script=Cyrillic}/u.test(ch)) counts.cyrillic++;
    else if (/\p{Script=Arabic}/u.test(ch)) counts.arabic++;
    else counts.other++;
  }
  // Japanese mixes kanji (Han) with kana: any kana makes the text Japanese.
  if (counts.kana > 0 && counts.kana + counts.han >= counts.latin) return "kana";
  let best: Script = "other";
  let n = 0;
  for (const [s, c] of Object.entries(counts) as [Script, number][]) if (c > n) [best, n] = [s, c];
  return best;
}

/**
 * Stop words removed from own data, by where they come from. All lists are
 * from the `stopword` npm package (MIT), keyed by ISO 639-3 code:
 * - eng: 108 English function words (the list the suite uses everywhere);
 * - zho: 78 Chinese function words (的, 地, 得, 和, 我, 你, …), which `stopword`
 *   took from the NaturalNode `natural` library's stopwords_zh (MIT, David
 *   Przybilla and Chris Umbel; the file's header says so);
 * - jpn: 109 Japanese particles and auxiliaries; kor: 598 Korean; tha: 115 Thai.
 * The scripts barely overlap, so one union serves a mixed corpus. The local-words
 * paper's own lists (891 English words; its Weibo list) are not published.
 */
export const STOPWORD_SOURCES: Readonly<Record<string, string>> = {
  eng: "English, 108 words (stopword package)",
  zho: "Chinese, 78 words (stopword package, from the natural library's stopwords_zh)",
  jpn: "Japanese, 109 words (stopword package)",
  kor: "Korean, 598 words (stopword package)",
  tha: "Thai, 115 words (stopword package)",
};

let stopMemo: Set<string> | null = null;

/** The union of the lists in STOPWORD_SOURCES, lower-cased. */
export function multilingualStopwords(): Set<string> {
  if (!stopMemo) {
    const sw = require("stopword") as Record<string, string[]>;
    stopMemo = new Set(Object.keys(STOPWORD_SOURCES).flatMap((k) => sw[k].map((w) => w.normalize("NFKC").toLowerCase())));
  }
  return stopMemo;
}

/** Chinese stop words alone (the `zho` list above). */
export function chineseStopwords(): Set<string> {
  return new Set((require("stopword") as { zho: string[] }).zho);
}
