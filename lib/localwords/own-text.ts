/**
 * Preprocessing of a researcher's own raw tweets, in any language (the
 * local-words paper, Sect. 2.1, generalised beyond English):
 *
 * 1. Sentences: each tweet is cut at sentence ends, line breaks and URLs
 *    (`splitSentences`); these are word2vec's sentences. A crawl that stores a
 *    user's tweets concatenated into one text would otherwise give word2vec a
 *    single "sentence" per user.
 * 2. Language per tweet, from its script: Han → zh, kana → ja, Hangul → ko,
 *    Thai → th; Latin-script text is English unless the function-word
 *    detector of the MRLF preprocessing (`isEnglish`) says otherwise.
 * 3. Words: English sentences go through the capitalisation-based entity
 *    merge (`EntityMerger`, the stand-in for the paper's Stanford NER, which is
 *    an English model); every other sentence through the script-aware
 *    segmenter (`segmentWords`: jieba for Chinese, ICU for Japanese/Thai/…).
 *    The entity merge is English-only and the report says how many tweets it
 *    did not apply to.
 * 4. Gazetteer merge of multi-word place names in any case (`GazetteerMerger`):
 *    the entity merge relies on capitals, so on a lower-cased corpus it finds
 *    nothing, and the report says how many tokens each merge produced.
 * 5. Stop words: the union of the English, Chinese, Japanese, Korean and Thai
 *    lists (`multilingualStopwords`, sources in lib/text/segment.ts).
 */
import { isEnglish } from "../data/preprocess-posts";
import { countUrls, dominantScript, multilingualStopwords, segmentWords, splitSentences, STOPWORD_SOURCES } from "../text/segment";
import { GazetteerMerger, placeGazetteer } from "./gazetteer";
import { EntityMerger, RawUser, Segmented } from "./preprocess";

export interface OwnTextReport {
  users: number;
  tweets: number;
  sentences: number;
  /** URLs dropped (each also ended a sentence). */
  urls: number;
  /** Tweets by detected language: en, zh, ja, ko, th, other-latin, or the script's name. */
  languages: Record<string, number>;
  /** Capitalisation-based entity merge (English only). */
  ner: { tweets: number; skippedTweets: number; mergedTokens: number; distinct: number; vetoed: number };
  /** Share of upper-case letters among cased letters; below 1 % the corpus counts as lower-cased. */
  upperShare: number;
  lowerCased: boolean;
  gazetteer: { mergedTokens: number; distinct: number; names: number; source: string };
  tokens: number;
  types: number;
  stopTokens: number;
}

/** Language of one tweet (see module doc). */
export function tweetLanguage(tweet: string): string {
  switch (dominantScript(tweet)) {
    case "han":
      return "zh";
    case "kana":
      return "ja";
    case "hangul":
      return "ko";
    case "thai":
      return "th";
    case "latin":
      return isEnglish(tweet) === false ? "other-latin" : "en";
    case "cyrillic":
      return "cyrillic";
    case "arabic":
      return "arabic";
    default:
      return "other";
  }
}

export interface OwnTextOptions {
  stopwords?: ReadonlySet<string>;
  gazetteer?: GazetteerMerger;
  entities?: EntityMerger;
}

/** Segment every user's tweets (see module doc); no frequency filter yet (N1 is fitted on the training users). */
export function segmentOwnUsers(users: readonly RawUser[], opts: OwnTextOptions = {}): { users: Segmented[]; report: OwnTextReport } {
  const stop = opts.stopwords ?? multilingualStopwords();
  const gaz = opts.gazetteer ?? new GazetteerMerger(placeGazetteer());
  const ner = opts.entities ?? new EntityMerger();
  const languages: Record<string, number> = {};
  let tweets = 0,
    sentences = 0,
    urls = 0,
    tokens = 0,
    stopTokens = 0,
    nerTweets = 0,
    upper = 0,
    cased = 0;
  const types = new Set<string>();
  const out = users.map((u) => {
    const sents: string[][] = [];
    for (const t of u.tweets) {
      tweets++;
      urls += countUrls(t);
      for (const ch of t.match(/\p{Lu}|\p{Ll}/gu) ?? []) {
        cased++;
        if (/\p{Lu}/u.test(ch)) upper++;
      }
      const lang = tweetLanguage(t);
      languages[lang] = (languages[lang] ?? 0) + 1;
      if (lang === "en") nerTweets++;
      for (const s of splitSentences(t)) {
        const words = gaz.merge(lang === "en" ? ner.tokenize(s) : segmentWords(s));
        tokens += words.length;
        for (const w of words) types.add(w);
        const kept = words.filter((w) => !stop.has(w));
        stopTokens += words.length - kept.length;
        if (kept.length) {
          sents.push(kept);
          sentences++;
        }
      }
    }
    return { id: u.id, label: u.label, coord: u.coord, sentences: sents };
  });
  const upperShare = cased ? upper / cased : 0;
  return {
    users: out,
    report: {
      users: users.length,
      tweets,
      sentences,
      urls,
      languages: Object.fromEntries(Object.entries(languages).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))),
      ner: {
        tweets: nerTweets,
        skippedTweets: tweets - nerTweets,
        mergedTokens: ner.mergedTokens,
        distinct: ner.accepted,
        vetoed: ner.vetoed,
      },
      upperShare,
      lowerCased: cased > 0 && upperShare < 0.01,
      gazetteer: { mergedTokens: gaz.merged, distinct: gaz.names.size, names: gaz.gazetteer.size, source: gaz.gazetteer.source },
      tokens,
      types: types.size,
      stopTokens,
    },
  };
}

/** The report as sentences for a dataset's notes. */
export function describeOwnText(r: OwnTextReport): string[] {
  const langs = Object.entries(r.languages)
    .map(([l, n]) => `${l} ${n}`)
    .join(", ");
  const notes = [
    `Text: ${r.tweets} tweets of ${r.users} users cut into ${r.sentences} sentences at sentence ends, line breaks and URLs (${r.urls} URLs dropped); word2vec contexts stay within a sentence.`,
    `Languages (per tweet, by script; Latin-script text by function words): ${langs}. Words: Chinese by jieba (@node-rs/jieba), Japanese/Thai/Lao/Khmer/Myanmar by ICU's word segmenter, other scripts at letter/digit boundaries.`,
    `Entity merge (capitalised runs, vetoed by compromise; the paper's Stanford NER is English): applied to ${r.ner.tweets} English tweets, ${r.ner.mergedTokens} entity tokens merged (${r.ner.distinct} distinct runs accepted, ${r.ner.vetoed} vetoed); not applied to ${r.ner.skippedTweets} tweets in other languages.`,
  ];
  if (r.lowerCased)
    notes.push(
      `The text is lower-cased (${(100 * r.upperShare).toFixed(2)} % upper-case letters): the capitalisation-based entity merge cannot find entities in it; the gazetteer merge below does not need capitals.`,
    );
  notes.push(
    `Gazetteer merge of multi-word place names in any case (${r.gazetteer.names} names: ${r.gazetteer.source}): ${r.gazetteer.mergedTokens} tokens merged (${r.gazetteer.distinct} distinct names).`,
  );
  notes.push(
    `Stop words (${Object.values(STOPWORD_SOURCES).join("; ")}): ${r.stopTokens} of ${r.tokens} tokens removed; ${r.types} word types before.`,
  );
  return notes;
}
