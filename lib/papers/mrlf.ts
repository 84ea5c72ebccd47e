/**
 * Every number the MRLF paper publishes about its own results, in one place
 * (Dai et al., "Multi-modal Representation Learning for Social Post Location
 * Inference"; ../shared/papers/000_f281c6575f84d9c9.txt). Tables and claims read
 * them from here; nothing else types a published figure.
 *
 * Fig. 2–4 are bar/line charts whose values the text does not print: where a
 * claim rests on them, the registry says "figure only".
 */
export type MrlfCity = "new-york" | "melbourne" | "hong-kong";
export const MRLF_CITIES: readonly MrlfCity[] = ["new-york", "melbourne", "hong-kong"];
export const MRLF_CITY_NAMES: Readonly<Record<MrlfCity, string>> = {
  "new-york": "New York",
  melbourne: "Melbourne",
  "hong-kong": "Hong Kong",
};

export type PaperTable2Model = "Tagvisor" | "DeepGeo" | "LocTwi" | "ResNet50" | "ResNet101" | "DenseNet121" | "MRLF";
export interface AccMean {
  acc: number;
  meanKm: number;
}

/** Table I (collected posts per city). */
export const PAPER_TABLE1: Readonly<
  Record<MrlfCity, { posts: number; locations: number; images: number; hashtags: number; text: number }>
> = {
  "new-york": { posts: 137676, locations: 40, images: 16357, hashtags: 137676, text: 116961 },
  melbourne: { posts: 43656, locations: 20, images: 12956, hashtags: 33296, text: 30529 },
  "hong-kong": { posts: 43393, locations: 27, images: 38414, hashtags: 33525, text: 37235 },
};

/** Table II: Acc and Mean (km) per city. */
export const PAPER_TABLE2: Readonly<Record<PaperTable2Model, Readonly<Record<MrlfCity, AccMean>>>> = {
  Tagvisor: {
    "new-york": { acc: 0.681, meanKm: 2.385 },
    melbourne: { acc: 0.652, meanKm: 0.724 },
    "hong-kong": { acc: 0.523, meanKm: 1.745 },
  },
  DeepGeo: {
    "new-york": { acc: 0.738, meanKm: 1.804 },
    melbourne: { acc: 0.742, meanKm: 1.243 },
    "hong-kong": { acc: 0.654, meanKm: 1.522 },
  },
  LocTwi: {
    "new-york": { acc: 0.724, meanKm: 1.921 },
    melbourne: { acc: 0.734, meanKm: 1.22 },
    "hong-kong": { acc: 0.644, meanKm: 1.582 },
  },
  ResNet50: {
    "new-york": { acc: 0.669, meanKm: 2.785 },
    melbourne: { acc: 0.694, meanKm: 1.257 },
    "hong-kong": { acc: 0.811, meanKm: 0.767 },
  },
  ResNet101: {
    "new-york": { acc: 0.644, meanKm: 3.608 },
    melbourne: { acc: 0.718, meanKm: 1.368 },
    "hong-kong": { acc: 0.809, meanKm: 0.73 },
  },
  DenseNet121: {
    "new-york": { acc: 0.553, meanKm: 3.927 },
    melbourne: { acc: 0.604, meanKm: 1.608 },
    "hong-kong": { acc: 0.538, meanKm: 1.892 },
  },
  MRLF: { "new-york": { acc: 0.828, meanKm: 1.51 }, melbourne: { acc: 0.86, meanKm: 0.512 }, "hong-kong": { acc: 0.847, meanKm: 0.715 } },
};

/** The six baselines of Table II. */
export const PAPER_TABLE2_BASELINES: readonly Exclude<PaperTable2Model, "MRLF">[] = [
  "Tagvisor",
  "DeepGeo",
  "LocTwi",
  "ResNet50",
  "ResNet101",
  "DenseNet121",
];

/** Table III: the image-only part of MRLF on all images vs after removing noisy images (portrait ratio > 0.5). */
export const PAPER_TABLE3: Readonly<Record<"all" | "remove", Readonly<Record<MrlfCity, AccMean>>>> = {
  all: { "new-york": { acc: 0.579, meanKm: 3.755 }, melbourne: { acc: 0.676, meanKm: 1.399 }, "hong-kong": { acc: 0.6, meanKm: 1.708 } },
  remove: { "new-york": { acc: 0.579, meanKm: 3.695 }, melbourne: { acc: 0.697, meanKm: 1.261 }, "hong-kong": { acc: 0.6, meanKm: 1.669 } },
};

/**
 * The paper's Table II differences between MRLF and the strongest baseline on
 * each metric (the text of Sec. IV-B quotes them: 9.0 %/0.294 km New York,
 * 11.8 %/0.212 km Melbourne, 3.6 %/0.015 km Hong Kong).
 */
export function paperMarginOverBaselines(city: MrlfCity, metric: "acc" | "meanKm"): { baseline: string; diff: number } {
  const best = PAPER_TABLE2_BASELINES.map((b) => ({ baseline: b, v: PAPER_TABLE2[b][city][metric] })).sort((x, y) =>
    metric === "acc" ? y.v - x.v : x.v - y.v,
  )[0];
  return { baseline: best.baseline, diff: PAPER_TABLE2.MRLF[city][metric] - best.v };
}

/** The paper's Table II difference MRLF − B for every baseline B in a city (to set beside ours against the same B). */
export function paperDiffsOverBaselines(city: MrlfCity, metric: "acc" | "meanKm"): Record<string, number> {
  return Object.fromEntries(PAPER_TABLE2_BASELINES.map((b) => [b, PAPER_TABLE2.MRLF[city][metric] - PAPER_TABLE2[b][city][metric]]));
}
