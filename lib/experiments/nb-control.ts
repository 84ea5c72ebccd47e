/**
 * The NB control: a multinomial Naive Bayes over a post's caption words and
 * hashtags, the simplest strong model a researcher would try first. It is not
 * one of the paper's baselines; it is the suite's own control (claims family
 * "suite controls"): "MRLF beats every baseline" means little if a ten-line
 * model beats MRLF.
 *
 *   features   every word of the caption (lib/text wordTokens: Unicode letters
 *              and digits, lower-cased — the full caption, not MRLF's first
 *              100 characters) and every hashtag as "#tag" (so the word "wien"
 *              and the tag #wien are different features); counts are exponents
 *   model      the project's multinomial NB (lib/localwords/naive-bayes.ts,
 *              reading "multinomial" = scikit-learn's MultinomialNB), checked
 *              against scikit-learn on a Vienna split in notebook 02
 *   smoothing  α chosen on validation from a small grid (ExperimentSizes.nbAlphas),
 *              by the rule the neural models' learning rates follow
 *              (lib/studies/mrlf/tuning.ts: first city and seed of each dataset)
 *   prior      the training share of each POI; a POI without training posts has
 *              prior 0 and is never predicted (its test posts count as errors)
 */
import { wordTokens, normalizeTag } from "../text";
import { buildCorpus, type Corpus, type UserBag } from "../localwords/corpus";
import { fitNb, jointLogLikelihood, type NbModel } from "../localwords/naive-bayes";
import type { ExperimentContext } from "./context";
import { resultFromProbs, type RunResult } from "./run";
import type { CitySplit, SplitPost } from "./split";

export const NB_CONTROL = "NB control";

/** A post as a bag of caption words and "#"-prefixed hashtags. */
export function postBag(p: Pick<SplitPost, "id" | "poiId" | "text" | "hashtags">): UserBag {
  const counts = new Map<string, number>();
  for (const w of wordTokens(p.text)) counts.set(w, (counts.get(w) ?? 0) + 1);
  for (const h of p.hashtags) {
    const t = normalizeTag(h);
    if (t) counts.set(`#${t}`, (counts.get(`#${t}`) ?? 0) + 1);
  }
  return { id: p.id, label: p.poiId, counts };
}

/** The split's three parts as corpora over the training vocabulary, labels in the split's label order. */
export function nbCorpora(split: CitySplit): { train: Corpus; val: Corpus; test: Corpus } {
  const labels = split.pois.map((p) => p.id);
  const train = buildCorpus(split.train.map(postBag), { labels });
  const over = (posts: readonly SplitPost[]) => buildCorpus(posts.map(postBag), { labels, vocab: train.vocab });
  return { train, val: over(split.val), test: over(split.test) };
}

/** Normalised posterior probabilities, row-major [docs × labels]. */
export function nbProbs(m: NbModel, c: Corpus): Float32Array {
  const L = m.nLabels;
  const out = new Float32Array(c.docs.length * L);
  const j = new Float64Array(L);
  c.docs.forEach((d, i) => {
    jointLogLikelihood(m, d, j);
    let mx = -Infinity;
    for (const v of j) if (v > mx) mx = v;
    let sum = 0;
    for (let l = 0; l < L; l++) sum += Math.exp(j[l] - mx);
    for (let l = 0; l < L; l++) out[i * L + l] = Math.exp(j[l] - mx) / sum;
  });
  return out;
}

export const fitNbControl = (train: Corpus, alpha: number): NbModel =>
  fitNb(train.docs, train.labels.length, train.vocab.length, { reading: "multinomial", alpha });

/** Validation accuracy and mean log-loss of one α (the tuning's evidence). */
export function nbValidationScore(split: CitySplit, alpha: number): { valAcc: number; valLoss: number } {
  const c = nbCorpora(split);
  const m = fitNbControl(c.train, alpha);
  const p = nbProbs(m, c.val);
  const L = m.nLabels;
  let ok = 0,
    loss = 0;
  c.val.docs.forEach((d, i) => {
    let best = 0;
    for (let l = 1; l < L; l++) if (p[i * L + l] > p[i * L + best]) best = l;
    if (best === d.y) ok++;
    loss -= Math.log(Math.max(p[i * L + d.y], 1e-12));
  });
  const n = Math.max(1, c.val.docs.length);
  return { valAcc: ok / n, valLoss: loss / n };
}

/** The NB control on one split: fit on training, predict the test part. */
export async function runNbControl(_ctx: ExperimentContext, split: CitySplit, seed: number, alpha: number): Promise<RunResult> {
  const t0 = Date.now();
  const c = nbCorpora(split);
  const m = fitNbControl(c.train, alpha);
  const probs = nbProbs(m, c.test);
  const unseen = m.logPrior.filter((v) => v === -Infinity).length;
  const emptyTest = c.test.docs.filter((d) => d.terms.length === 0).length;
  return resultFromProbs(split, NB_CONTROL, seed, probs, {
    fromCache: false,
    trainSeconds: (Date.now() - t0) / 1000,
    learningRate: alpha,
    notes: [
      "NB control: multinomial Naive Bayes over every caption word and every hashtag (the suite's own control, not a paper baseline; lib/experiments/nb-control.ts), α chosen on validation",
    ],
    details: `α ${alpha}; ${c.train.vocab.length} features (words + #tags); ${emptyTest} test posts had no known feature${unseen ? `; ${unseen} POIs without training posts (never predicted)` : ""}`,
  });
}
