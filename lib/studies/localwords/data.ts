/**
 * The datasets notebooks 07 and 08 iterate over, produced by one function
 * (over the run's data selection, lib/data/selection.ts):
 *
 *   GeoText raw text (folds 4–5)   state, city   official folds 4 → 5, or 1–3 → 5 with user_info.train.gz
 *                                                 (headline), and seeded 80/20 splits
 *   GeoText bag-of-words (4–5)     state, city   official folds 4 → 5 (the comparison: same users, no text processing)
 *   synthetic users (SYNTHETIC)    state, city   seeded 80/20 splits
 *   own data (DATA=…)              LEVEL(s)      seeded 80/20 splits, instead of all of the above
 *
 * A *setting* is one dataset under one protocol; its id is what the claims
 * registry (lib/claims/registry.ts) calls it, its short label what tables show
 * ("GeoText raw, state, folds 4→5": trained on fold 4, tested on fold 5; "folds 1–3→5" with the training folds;
 * "… 80/20 splits": seeded 80/20 splits per location; "BoW": bag-of-words).
 */
import type { Params } from "../../runtime/params";
import { microblogDatasetsForRun, type MicroblogDefaultOptions } from "../../localwords/for-run";
import { LocalWordsDataset, TextCorpus, Protocol, protocolId, trainFoldsLabel } from "../../localwords/datasets";

export interface LocalWordsSetting {
  /** e.g. "geotext-raw-state-official": the claims registry's setting id. */
  id: string;
  /** e.g. "GeoText raw text, state, official folds (4 → 5)". */
  label: string;
  dataset: LocalWordsDataset;
  protocol: Protocol;
}

export interface LocalWordsData {
  datasets: LocalWordsDataset[];
  corpora: TextCorpus[];
  settings: LocalWordsSetting[];
  /** Markdown lines: which data this run uses, how it was chosen, and what is absent. */
  report: string[];
  /** Synthetic data only: the generator's word kinds (word → kind), for reading clusters. */
  plantedKinds: Map<string, string>;
  /** GeoText's raw text as loaded (null when absent or with DATA=…): the stop-word variant starts from it. */
  geotextRaw: import("../../data/geotext-raw").GeoTextRawCorpus | null;
}

const SOURCE_TITLE: Record<string, string> = {
  "geotext-raw": "GeoText raw",
  "geotext-bow": "GeoText BoW",
  "synthetic-microblog": "synthetic",
};
const PROTOCOL_SHORT = (p: Protocol): string => (p.kind === "official" ? `folds ${trainFoldsLabel(p)}→${p.testFold}` : "80/20 splits");

export function settingsOf(datasets: readonly LocalWordsDataset[]): LocalWordsSetting[] {
  return datasets.flatMap((d) =>
    d.protocols.map((p) => ({
      id: `${d.id}-${protocolId(p)}`,
      label: `${d.own ? d.own.manifest : (SOURCE_TITLE[d.corpus.id] ?? d.corpus.id)}, ${d.level}, ${PROTOCOL_SHORT(p)}`,
      dataset: d,
      protocol: p,
    })),
  );
}

/**
 * Every dataset of notebooks 07/08, in table order, and their settings: the
 * run's data selection (lib/data/selection.ts — GeoText and the synthetic users
 * by default, a researcher's own users with DATA=…). GeoText parts are skipped,
 * with the reason in `report`, when their data is not on this machine;
 * `opts.geotext: false` skips them on purpose (tests).
 */
export async function localWordsDatasets(
  params: Params,
  opts: MicroblogDefaultOptions & { env?: NodeJS.ProcessEnv } = {},
): Promise<LocalWordsData> {
  const { datasets, report, geotextRaw } = await microblogDatasetsForRun(params, opts.env ?? process.env, opts);
  const corpora = [...new Set(datasets.map((d) => d.corpus))];
  const plantedKinds = new Map<string, string>();
  for (const d of datasets) for (const [w, k] of d.wordKinds ?? []) plantedKinds.set(w, k);
  return { datasets, corpora, settings: settingsOf(datasets), report, plantedKinds, geotextRaw: geotextRaw ?? null };
}
