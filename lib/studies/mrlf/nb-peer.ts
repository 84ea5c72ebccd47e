/**
 * Notebook 02's check of the NB control against scikit-learn: the project's
 * multinomial NB (lib/localwords/naive-bayes.ts) and MultinomialNB(alpha) on
 * the same sparse matrices of a real city's first split (Flickr Vienna; the
 * first city when the run has no real one), as notebook 07 does for local
 * words. Needs Debian python3-sklearn/-scipy/-numpy (make reproduce installs
 * them) and fails loudly without them.
 */
import type { Cell, ResultTable } from "../../results/table";
import { sklearnPeerCheck } from "../../localwords/peer";
import { nbCorpora, NB_CONTROL } from "../../experiments/nb-control";
import { datasetOf, type MrlfStudy } from "./context";
import { chosenAlpha } from "./tuning";

export async function nbPeerTable(study: MrlfStudy): Promise<ResultTable> {
  const real = study.cities.filter((c) => study.planted(c.city) === null && !c.synthetic);
  const cities = real.length ? real : [study.cities[0]];
  const seed = study.seeds[0];
  const rows: Record<string, Cell>[] = [];
  for (const c of cities) {
    const s = await study.split(c.city, seed);
    const corpora = nbCorpora(s.split);
    const alpha = await chosenAlpha(study, c.city);
    const r = sklearnPeerCheck(corpora.train, corpora.test, { alpha });
    rows.push({
      city: study.cityName(c.city),
      seed,
      alpha,
      train: r.users_train,
      test: r.users_test,
      features: r.words,
      labels: r.labels,
      agree: r.nb_predictions_agree ? "identical" : `${r.nb_disagreements} differ`,
      jll: r.nb_max_abs_jll_diff.toExponential(1),
    });
  }
  return {
    name: "02-nb-control-sklearn-peer",
    title: `The ${NB_CONTROL} (the project's multinomial NB) against scikit-learn MultinomialNB on the same matrices`,
    reproduces: "implementation check (not a paper result)",
    dataset: datasetOf(cities),
    columns: [
      { key: "city", label: "City", source: "info" },
      { key: "seed", label: "Seed (split)", digits: 0, source: "info" },
      { key: "alpha", label: "α (chosen on validation)", digits: 2, source: "info" },
      { key: "train", label: "Training posts", digits: 0 },
      { key: "test", label: "Test posts", digits: 0 },
      { key: "features", label: "Features (words + #tags)", digits: 0 },
      { key: "labels", label: "POIs", digits: 0 },
      { key: "agree", label: "Predictions vs scikit-learn", source: "info" },
      { key: "jll", label: "max |Δ joint log-likelihood|", source: "info" },
    ],
    rows,
    notes: [
      "The peer runs /usr/bin/python3 tools/localwords_peer.py on the same sparse count matrices (Debian python3-sklearn, python3-scipy, python3-numpy); POIs without training posts have prior 0 in both (−∞ log-likelihood, never predicted).",
    ],
  };
}
