/**
 * Data preprocessing (local-words paper, Sect. 2.1, Fig. 2): merge each user's
 * tweets into one text, segment words with multi-word named entities merged
 * into one token ("New York" → "new_york"), remove English stop words, then
 * remove words whose frequency is below N1 (default 3).
 *
 * Named entities. The paper uses the Stanford NER. We use a documented rule
 * backed by the `compromise` NLP library: a named-entity span is a maximal run
 * of ≥ 2 capitalised words (lower-case connectors "of", "the", "de", "la",
 * "del", "on", "upon" allowed inside the run), unless compromise tags one of
 * its words as a date, pronoun, determiner or conjunction ("Happy Friday",
 * "Love This"). compromise alone misses many entities (it tags "Times" in
 * "Times Square" as a verb, and finds "Statue" and "Liberty" separately), so
 * capitalisation decides the span and compromise vetoes; each distinct run is
 * analysed once (memoised), because running compromise on every tweet costs
 * ≈ 7 ms a tweet.
 *
 * Tokens are lower-cased; #hashtags and @mentions stay whole; URLs and
 * punctuation are dropped. Stop words: the `stopword` package's English list
 * (`eng`, 108 words) — the paper's own 891-word list is not published.
 */
import type { LatLon } from "../geo/distance";
import type { UserBag } from "./corpus";

import type { RawUser } from "../data/microblog";
export type { RawUser };

const CONNECTORS = new Set(["of", "the", "de", "la", "del", "on", "upon"]);
const VETO_TAGS = ["Date", "Pronoun", "Determiner", "Conjunction"];
const URL_RE = /^(https?:\/\/|www\.)/i;
const RAW_TOKEN_RE = /\S+/g;

/** The English stop-word list used (stopword's `eng`). */
export function englishStopwords(): Set<string> {
  const sw = require("stopword") as { eng: string[] };
  return new Set(sw.eng.map((w) => w.toLowerCase()));
}

export class EntityMerger {
  private memo = new Map<string, boolean>();
  private nlp: ((text: string) => { terms(): { out(kind: "tags"): Record<string, string[]>[] } }) | null = null;
  /** Distinct runs vetoed / accepted (for the report). */
  vetoed = 0;
  accepted = 0;
  /** Entity tokens produced (occurrences, not distinct runs). */
  mergedTokens = 0;

  private accept(run: string): boolean {
    const hit = this.memo.get(run);
    if (hit !== undefined) return hit;
    if (!this.nlp) this.nlp = require("compromise");
    const tags = this.nlp!(run).terms().out("tags");
    const ok = !tags.some((t) => Object.values(t).some((ts) => ts.some((x) => VETO_TAGS.includes(x))));
    this.memo.set(run, ok);
    if (ok) this.accepted++;
    else this.vetoed++;
    return ok;
  }

  /** One tweet → tokens, with multi-word entities merged. */
  tokenize(tweet: string): string[] {
    const raw = tweet.match(RAW_TOKEN_RE) ?? [];
    const words: { text: string; cap: boolean; keep: boolean }[] = [];
    for (const r of raw) {
      if (URL_RE.test(r)) continue;
      if (r[0] === "#" || r[0] === "@") {
        const t = r.replace(/[^\p{L}\p{N}_#@]/gu, "");
        if (t.length > 1) words.push({ text: t.toLowerCase(), cap: false, keep: true });
        continue;
      }
      const core = r.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
      if (!core) continue;
      const cap = /^\p{Lu}\p{Ll}/u.test(core) || /^\p{Lu}$/u.test(core);
      words.push({ text: core, cap, keep: true });
      // Punctuation at the end of a word ends any entity run.
      if (/[.,!?;:)]$/.test(r)) words.push({ text: "", cap: false, keep: false });
    }
    const out: string[] = [];
    let i = 0;
    while (i < words.length) {
      if (words[i].cap) {
        // Extend a capitalised run, allowing connectors between capitalised words.
        let j = i + 1;
        let lastCap = i;
        while (
          j < words.length &&
          words[j].keep &&
          (words[j].cap || (CONNECTORS.has(words[j].text.toLowerCase()) && j + 1 < words.length && words[j + 1].cap))
        ) {
          if (words[j].cap) lastCap = j;
          j++;
        }
        if (lastCap > i) {
          const run = words.slice(i, lastCap + 1).map((w) => w.text);
          if (this.accept(run.join(" "))) {
            out.push(run.join("_").toLowerCase());
            this.mergedTokens++;
            i = lastCap + 1;
            continue;
          }
          // "The Kelvor Square": a vetoed first word (often sentence-initial) does not sink the rest.
          if (lastCap > i + 1 && words[i + 1].cap && this.accept(run.slice(1).join(" "))) {
            out.push(words[i].text.toLowerCase(), run.slice(1).join("_").toLowerCase());
            this.mergedTokens++;
            i = lastCap + 1;
            continue;
          }
        }
      }
      if (words[i].keep) out.push(words[i].text.toLowerCase());
      i++;
    }
    return out;
  }
}

/** The paper's "merge tweets": one user, one text (tweets stay sentence boundaries). */
export const mergeTweets = (tweets: readonly string[]): string => tweets.join("\n");

export interface PreprocessReport {
  users: number;
  tweets: number;
  /** Word types after segmentation (the paper's "original words"). */
  typesAfterSegmentation: number;
  tokensAfterSegmentation: number;
  stopwordTokensRemoved: number;
  typesAfterStopwords: number;
  /** Types removed by the N1 frequency filter, and their tokens. */
  lowFrequencyTypesRemoved: number;
  lowFrequencyTokensRemoved: number;
  typesAfterN1: number;
  entityRunsAccepted: number;
  entityRunsVetoed: number;
}

export interface Segmented {
  id: string;
  label: string;
  coord?: LatLon;
  sentences: string[][];
}

/** Segment and remove stop words (no frequency filter yet: N1 is fitted on the training users only). */
export function segmentUsers(
  users: readonly RawUser[],
  stopwords: ReadonlySet<string> = englishStopwords(),
  merger = new EntityMerger(),
): { users: Segmented[]; tokens: number; stopTokens: number; typesBefore: number } {
  let tokens = 0;
  let stopTokens = 0;
  const types = new Set<string>();
  const out = users.map((u) => {
    const sentences = u.tweets.map((t) => {
      const toks = merger.tokenize(t);
      tokens += toks.length;
      for (const w of toks) types.add(w);
      const kept = toks.filter((w) => !stopwords.has(w));
      stopTokens += toks.length - kept.length;
      return kept;
    });
    return { id: u.id, label: u.label, coord: u.coord, sentences };
  });
  return { users: out, tokens, stopTokens, typesBefore: types.size };
}

/** Bag of words of a segmented user, restricted to `vocab` when given. */
export function toBag(u: Segmented, vocab?: ReadonlySet<string>): UserBag {
  const counts = new Map<string, number>();
  for (const s of u.sentences) for (const w of s) if (!vocab || vocab.has(w)) counts.set(w, (counts.get(w) ?? 0) + 1);
  const sentences = vocab ? u.sentences.map((s) => s.filter((w) => vocab.has(w))) : u.sentences;
  return { id: u.id, label: u.label, counts, coord: u.coord, sentences };
}

/** Words whose total count over `bags` is ≥ n1, and what the filter removed. */
export function frequencyFilter(
  bags: readonly Pick<UserBag, "counts">[],
  n1: number,
): { vocab: Set<string>; removedTypes: number; removedTokens: number; totalTypes: number } {
  if (!Number.isInteger(n1) || n1 < 1) throw new Error(`preprocess: N1 must be a positive integer, got ${n1}`);
  const f = new Map<string, number>();
  for (const b of bags) for (const [w, c] of b.counts) f.set(w, (f.get(w) ?? 0) + c);
  const vocab = new Set<string>();
  let removedTypes = 0;
  let removedTokens = 0;
  for (const [w, c] of f) {
    if (c >= n1) vocab.add(w);
    else {
      removedTypes++;
      removedTokens += c;
    }
  }
  return { vocab, removedTypes, removedTokens, totalTypes: f.size };
}

/** Bag-of-words data (GeoText): drop stop words from the counts; report how many tokens went. */
export function removeStopwordsFromBags(
  bags: readonly UserBag[],
  stopwords: ReadonlySet<string> = englishStopwords(),
): { bags: UserBag[]; stopTokens: number; stopTypes: number } {
  let stopTokens = 0;
  const stopTypes = new Set<string>();
  const out = bags.map((b) => {
    const counts = new Map<string, number>();
    for (const [w, c] of b.counts) {
      if (stopwords.has(w)) {
        stopTokens += c;
        stopTypes.add(w);
      } else counts.set(w, c);
    }
    return { ...b, counts };
  });
  return { bags: out, stopTokens, stopTypes: stopTypes.size };
}
