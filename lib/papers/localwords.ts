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

export const PAPER_FIGURES: Readonly<Record<LocalWordsPaperDataset, { wordsAfterIgr: number; localWords: number; k: number; gainOverNbIgr: number }>> = {
  "Weibo(City)": { wordsAfterIgr: 46265, localWords: 25864, k: 28, gainOverNbIgr: 4.66 },
  "Weibo(Prov)": { wordsAfterIgr: 48267, localWords: 27245, k: 28, gainOverNbIgr: 3.58 },
  "Twitter(City)": { wordsAfterIgr: 45330, localWords: 25093, k: 32, gainOverNbIgr: 5.72 },
  "Twitter(State)": { wordsAfterIgr: 47250, localWords: 28466, k: 32, gainOverNbIgr: 6.08 },
};

/** The paper dataset a run is compared with: state level ↔ Twitter(State), city level ↔ Twitter(City). */
export const paperAnalogueOf = (level: "state" | "city"): LocalWordsPaperDataset => (level === "state" ? "Twitter(State)" : "Twitter(City)");

/**
 * Published GeoText text-only results for context. Eisenstein et al. (2010),
 * Table 3, geographic topic model, on GeoText's own folds (folds 1–3 train, 4
 * dev, 5 test): mean 900 km, median 494 km, 58 % accuracy over the 4 US Census
 * regions, 24 % over the 48 contiguous states + DC.
 */
export const GEOTEXT_PUBLISHED = [
  { source: "Eisenstein et al. 2010 (geographic topic model; GeoText original folds: 1–3 train, 5 test)", regionAccuracy: 0.58, stateAccuracy: 0.24, meanKm: 900, medianKm: 494 },
];
