/**
 * Every number the local-words paper publishes about its own results, in one
 * place (../shared/papers/003_96a7ed8e081e3aac.txt), plus the published GeoText
 * results that our GeoText runs are set beside.
 *
 * The bodies of the paper's Tables 6 and 7 and the values of Fig. 5/6 are
 * missing from the text: what survives is in the prose of Sect. 4.3. The text
 * lists its four datasets' figures without naming the order; we assume the
 * order of Sect. 4.1: Weibo(City), Weibo(Prov), Twitter(City), Twitter(State).
 */
export type LocalWordsPaperDataset = "Weibo(City)" | "Weibo(Prov)" | "Twitter(City)" | "Twitter(State)";

export const PAPER_FIGURES: Readonly<
  Record<LocalWordsPaperDataset, { wordsAfterIgr: number; localWords: number; k: number; gainOverNbIgr: number }>
> = {
  "Weibo(City)": { wordsAfterIgr: 46265, localWords: 25864, k: 28, gainOverNbIgr: 4.66 },
  "Weibo(Prov)": { wordsAfterIgr: 48267, localWords: 27245, k: 28, gainOverNbIgr: 3.58 },
  "Twitter(City)": { wordsAfterIgr: 45330, localWords: 25093, k: 32, gainOverNbIgr: 5.72 },
  "Twitter(State)": { wordsAfterIgr: 47250, localWords: 28466, k: 32, gainOverNbIgr: 6.08 },
};

/**
 * The paper dataset a run is compared with: state level ↔ Twitter(State), city
 * level ↔ Twitter(City); own data at country level is compared with the
 * paper's coarse level, Twitter(State).
 */
export const paperAnalogueOf = (level: "state" | "city" | "country"): LocalWordsPaperDataset =>
  level === "city" ? "Twitter(City)" : "Twitter(State)";

/**
 * Published GeoText text-only results on the official test fold (fold 5),
 * trained on folds 1–3 (5,685 users). Only numbers we could read in a source
 * are filled in; the rest are null.
 */
export interface GeoTextPublished {
  source: string;
  citation: string;
  /** Exactly where in the source the numbers are printed (table, page). */
  where: string;
  trainFolds: string;
  /** Over the 48 contiguous states + DC. */
  stateAccuracy: number | null;
  /** How the source's state accuracy is obtained. */
  stateLabels: string;
  /** Over the 4 US Census regions. */
  regionAccuracy: number | null;
  accAt161: number | null;
  meanKm: number | null;
  medianKm: number | null;
}

export const GEOTEXT_PUBLISHED: readonly GeoTextPublished[] = [
  {
    source: "Eisenstein et al. 2010, geographic topic model",
    citation:
      'J. Eisenstein, B. O\'Connor, N. A. Smith, E. P. Xing, "A Latent Variable Model for Geographic Lexical Variation", EMNLP 2010, pp. 1277–1287, Table 3: mean 900 km, median 494 km, 58 % region (4 Census regions), 24 % state (48 states + DC), the text-only geographic topic model on the 1,895 test users.',
    where:
      "Table 3 (prediction results on the test fold) of the EMNLP 2010 paper, pp. 1277–1287 (the page within that range is not checked here: no copy of the paper is shipped)",
    trainFolds: "folds 1–3 (5,685 users)",
    stateAccuracy: 0.24,
    stateLabels: "predicted coordinates mapped to one of 48 states + DC",
    regionAccuracy: 0.58,
    accAt161: null,
    meanKm: 900,
    medianKm: 494,
  },
  {
    source: "Wing & Baldridge 2011, geodesic grid + KL divergence",
    citation:
      'B. Wing, J. Baldridge, "Simple Supervised Document Geolocation with Geodesic Grids", ACL 2011, pp. 955–964, abstract: "we obtain a median error of 479 km" on the GeoText Twitter data (their mean and accuracies are not in the text we could read).',
    where: "the abstract, p. 955 (the paper's first page)",
    trainFolds: "folds 1–3 (5,685 users)",
    stateAccuracy: null,
    stateLabels: "—",
    regionAccuracy: null,
    accAt161: null,
    meanKm: null,
    medianKm: 479,
  },
];
