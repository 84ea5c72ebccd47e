/**
 * Notebook 07's live peer check: our multinomial Naive Bayes (the scikit-learn
 * reference reading) and IGR against scikit-learn's MultinomialNB(alpha=1) and
 * a numpy IGR, on the features of this run's settings (first seed, all words
 * that pass N1 = 3). Needs Debian python3-sklearn/-scipy/-numpy (make
 * reproduce installs them) and fails loudly without them.
 */
import type { Cell, ResultTable } from "../../results/table";
import { buildCorpus } from "../../localwords/corpus";
import { frequencyFilter } from "../../localwords/preprocess";
import { splitUsers } from "../../localwords/datasets";
import { sklearnPeerCheck } from "../../localwords/peer";
import type { LocalWordsData } from "./data";

/** The settings the peer check runs on: the headline and one synthetic setting, or a researcher's own data. */
export const PEER_SETTINGS: readonly string[] = [
  "geotext-raw-state-official",
  "geotext-raw-city-official",
  "geotext-bow-state-official",
  "synthetic-state-split",
];

export function peerCheckTable(
  data: Pick<LocalWordsData, "settings">,
  seed: number,
  settingIds: readonly string[] = PEER_SETTINGS,
): ResultTable {
  const own = data.settings.filter((s) => s.dataset.own);
  const settings = own.length ? own : data.settings.filter((s) => settingIds.includes(s.id));
  const rows: Record<string, Cell>[] = settings.map((s) => {
    const sp = splitUsers(s.dataset, s.protocol, seed);
    const vocab = [...frequencyFilter(sp.train, 3).vocab].sort();
    const train = buildCorpus(sp.train, { vocab });
    const test = buildCorpus(sp.test, { vocab, labels: train.labels });
    const r = sklearnPeerCheck(train, test);
    return {
      setting: s.label,
      train: r.users_train,
      test: r.users_test,
      words: r.words,
      labels: r.labels,
      agree: r.nb_predictions_agree ? "identical" : `${r.nb_disagreements} differ`,
      jll: r.nb_max_abs_jll_diff.toExponential(1),
      igr: r.igr_max_abs_diff.toExponential(1),
    };
  });
  return {
    name: "localwords-sklearn-peer",
    title: "Our multinomial NB and IGR vs scikit-learn MultinomialNB(alpha=1) and numpy, on this run's features",
    reproduces: "implementation check (not a paper result)",
    dataset: {
      name: settings.map((s) => s.dataset.dataset.name).join("+") || "none",
      synthetic: settings.every((s) => s.dataset.dataset.synthetic),
      description: "first seed of each setting; every word that passes N1 = 3 on the training users",
    },
    columns: [
      { key: "setting", label: "Setting", source: "info" },
      { key: "train", label: "Training users", digits: 0 },
      { key: "test", label: "Test users", digits: 0 },
      { key: "words", label: "Words", digits: 0 },
      { key: "labels", label: "Locations", digits: 0 },
      { key: "agree", label: "Predictions vs scikit-learn", source: "info" },
      { key: "jll", label: "max |Δ joint log-likelihood|", source: "info" },
      { key: "igr", label: "max |Δ IGR| vs numpy", source: "info" },
    ],
    rows,
    notes: [
      "The peer runs /usr/bin/python3 tools/localwords_peer.py on the same sparse matrices (Debian python3-sklearn, python3-scipy, python3-numpy).",
    ],
  };
}
