/**
 * The datasets notebooks 07 and 08 iterate over, produced by one function so
 * that a different selection (a researcher's own microblog data, issue 13) is
 * a change here and nowhere else.
 *
 *   GeoText raw text (folds 4–5)   state, city   official folds 4 → 5 (headline) and seeded 80/20 splits
 *   GeoText bag-of-words (4–5)     state, city   official folds 4 → 5 (the comparison: same users, no text processing)
 *   synthetic users (SYNTHETIC)    state, city   seeded 80/20 splits
 *
 * A *setting* is one dataset under one protocol; its id is what the claims
 * registry (lib/claims/registry.ts) calls it, its short label what tables show
 * ("GeoText raw, state, folds 4→5": trained on fold 4, tested on fold 5;
 * "… 80/20 splits": seeded 80/20 splits per location; "BoW": bag-of-words).
 */
import type { Params } from "../runtime/params";
import { loadGeoText } from "../data/geotext";
import { loadGeoTextRaw, crossCheckGeoText } from "../data/geotext-raw";
import { LocalWordsDataset, TextCorpus, Protocol, OFFICIAL_FOLDS, PAPER_SPLIT, geotextRawCorpus, geotextBowCorpus, labelledGeoDataset, syntheticCorpus, syntheticDataset, protocolId, LabelLevel } from "../localwords/datasets";
import type { MicroblogScaleSpec, SyntheticMicroblog } from "../data/synthetic/microblog";

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
  /** Why a dataset is absent, when one is. */
  missing: string[];
  /** Synthetic data only: the generator's word kinds (word → kind), for reading clusters. */
  plantedKinds: Map<string, string>;
}

const LEVELS: readonly LabelLevel[] = ["state", "city"];

const SOURCE_TITLE: Record<string, string> = { "geotext-raw": "GeoText raw", "geotext-bow": "GeoText BoW", "synthetic-microblog": "synthetic" };
const PROTOCOL_SHORT = (p: Protocol): string => (p.kind === "official" ? `folds ${p.trainFold}→${p.testFold}` : "80/20 splits");

export function settingsOf(datasets: readonly LocalWordsDataset[]): LocalWordsSetting[] {
  return datasets.flatMap((d) =>
    d.protocols.map((p) => ({
      id: `${d.id}-${protocolId(p)}`,
      label: `${SOURCE_TITLE[d.corpus.id] ?? d.corpus.id}, ${d.level}, ${PROTOCOL_SHORT(p)}`,
      dataset: d,
      protocol: p,
    })),
  );
}

/** Word → planted kind of the synthetic generator (what each word was made to be). */
export function plantedKinds(p: SyntheticMicroblog["planted"]): Map<string, string> {
  const out = new Map<string, string>();
  const add = (kind: string, words: Iterable<string>) => {
    for (const w of words) if (!out.has(w)) out.set(w, kind);
  };
  add("local", [...p.cityLocal, ...p.stateLocal]);
  add("regional", p.regional);
  add("community", p.community.flat());
  add("trending", p.trending.flat());
  add("personal", p.personal);
  add("common", p.common);
  return out;
}

/**
 * Every dataset of notebooks 07/08, in table order. GeoText parts are skipped
 * (with the reason in `missing`) when their data is not on this machine;
 * `opts.geotext: false` skips them on purpose (tests), `opts.syntheticScale`
 * overrides the synthetic size.
 */
export async function localWordsDatasets(params: Pick<Params, "seed" | "scale" | "cacheDir">, opts: { geotext?: boolean; syntheticScale?: MicroblogScaleSpec } = {}): Promise<LocalWordsData> {
  const datasets: LocalWordsDataset[] = [];
  const corpora: TextCorpus[] = [];
  const missing: string[] = [];
  if (opts.geotext !== false) {
    const raw = await loadGeoTextRaw({ onMissing: (why) => missing.push(`GeoText raw text: ${why}`) });
    const bow = await loadGeoText({ onMissing: (why) => missing.push(`GeoText bag-of-words: ${why}`) });
    if (raw && bow) crossCheckGeoText(raw, bow);
    if (raw) {
      const c = await geotextRawCorpus(raw, params.cacheDir);
      corpora.push(c);
      for (const level of LEVELS) datasets.push(labelledGeoDataset(c, level, raw.dataset, `GeoText raw text (${level})`, { protocols: [OFFICIAL_FOLDS, PAPER_SPLIT] }));
    }
    if (bow) {
      const c = geotextBowCorpus(bow);
      corpora.push(c);
      for (const level of LEVELS) datasets.push(labelledGeoDataset(c, level, bow.dataset, `GeoText bag-of-words (${level})`, { protocols: [OFFICIAL_FOLDS] }));
    }
  }
  const scale = opts.syntheticScale ?? params.scale;
  const syn = syntheticCorpus(params.seed, scale);
  corpora.push(syn.corpus);
  for (const level of LEVELS) datasets.push(syntheticDataset(syn, level));
  return { datasets, corpora, settings: settingsOf(datasets), missing, plantedKinds: plantedKinds(syn.planted) };
}
