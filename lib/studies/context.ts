/**
 * What a study of notebooks 02–06 starts from: the run's parameters and
 * seeds, the experiment context (backend, sizes, backbone), the prepared
 * cities, the shared noisy-image cleaning, and per (city, seed) the split the
 * models train on — seeded, then cleaned (η filter, inpainting), with the
 * frozen image features of its images. Everything heavy is cached on disk and
 * memoised here, so several studies of one notebook share it.
 */
import type { NotebookRun } from "../runtime/run";
import type { Params } from "../runtime/params";
import { seedList } from "../runtime/params";
import type { DatasetRef } from "../results/table";
import { preparedCity, type PreparedCity } from "../data/preprocess-posts";
import type { Post } from "../data/posts";
import { INDEPENDENT, isGeneratedCity, plantedSignal, type GeneratorSettings, type SyntheticCityId } from "../data/synthetic/instagram";
import { CITY_SPECS } from "../data/synthetic/pois";
import { imageFeatures, type FeatureSet } from "../image/features";
import { experimentContext, type ExperimentContext } from "../experiments/context";
import { mrlfCities } from "../experiments/cities";
import { postsDataReport, postsTableDataset } from "../data/selection";
import { cleanSplit, imageCleaning, type CleaningReport, type ImageCleaning } from "../experiments/cleaning";
import { splitCity, type CitySplit } from "../experiments/split";

export interface StudySplit {
  city: string;
  seed: number;
  /** The seeded split before cleaning (Table III's "all images" starts here). */
  raw: CitySplit<Post>;
  /** The split every model trains on: η-filtered train/val, inpainted images. */
  split: CitySplit<Post>;
  cleaning: CleaningReport;
  /** Frozen features of the cleaned split's images (MRLF's image input). */
  features: FeatureSet;
}

export interface MrlfStudy {
  run: Pick<NotebookRun, "name" | "params" | "markdown">;
  params: Params;
  ctx: ExperimentContext;
  seeds: number[];
  cities: PreparedCity[];
  generator: GeneratorSettings;
  dataset: DatasetRef;
  cleaning: ImageCleaning;
  split(city: string, seed: number): Promise<StudySplit>;
  cityName(city: string): string;
  /** What the synthetic generator planted in this city (claims.judge's `planted`); null for real data. */
  planted(city: string): string | null;
  /** The study whose first city and seed the learning rates are chosen on (itself unless given). */
  tuneOn: MrlfStudy | null;
}

export interface MrlfStudyOptions {
  /** Synthetic generator mode and signal shares (default: independent, the cities' own shares). */
  generator?: GeneratorSettings;
  /** A subset of mrlfCities(params) (default: all). */
  cities?: readonly string[];
  /** Seeds (default: seedList(params)). */
  seeds?: readonly number[];
  /** Reuse an experiment context (one per notebook). */
  ctx?: ExperimentContext;
  /** Choose learning rates on this study's validation data instead (e.g. the independent-mode study). */
  tuneOn?: MrlfStudy;
}

export const cityName = (c: string): string => (CITY_SPECS as Record<string, { name: string }>)[c]?.name ?? c;

/**
 * The DatasetRef of several prepared cities: the generator's name for
 * synthetic cities (its mode shows, e.g. the correlated posts), else the
 * manifest the posts came from (lib/data/selection.ts, one rule for every
 * MRLF table).
 */
export function datasetOf(cities: readonly PreparedCity[]): DatasetRef {
  if (cities.length === 0) throw new Error("datasetOf: cities: empty list");
  const ref = postsTableDataset(cities);
  if (!cities.every((c) => c.synthetic)) return ref;
  return { ...ref, name: cities[0].name.replace(new RegExp(`-${cities[0].city}`), "") || ref.name };
}

export async function mrlfStudy(run: Pick<NotebookRun, "name" | "params" | "markdown">, opts: MrlfStudyOptions = {}): Promise<MrlfStudy> {
  const params = run.params;
  const generator = opts.generator ?? INDEPENDENT;
  const all = mrlfCities(params);
  const ids = opts.cities ?? all;
  for (const c of ids) if (!all.includes(c)) throw new Error(`mrlfStudy: cities: "${c}" is not one of ${all.join(", ")}`);
  const ctx = opts.ctx ?? (await experimentContext(params));
  const cities: PreparedCity[] = [];
  for (const c of ids) cities.push(await preparedCity(params, c, undefined, generator));
  const cleaning = await imageCleaning(params, cities);
  const splits = new Map<string, Promise<StudySplit>>();
  const split = (city: string, seed: number): Promise<StudySplit> => {
    const key = `${city}/${seed}`;
    let p = splits.get(key);
    if (!p) {
      const ds = cities.find((c) => c.city === city);
      if (!ds) throw new Error(`mrlfStudy: no prepared city "${city}" (have ${cities.map((c) => c.city).join(", ")})`);
      p = (async () => {
        const raw = splitCity(ds, seed);
        const { split: cleaned, report } = cleanSplit(raw, cleaning);
        const files = [...cleaned.train, ...cleaned.val, ...cleaned.test].flatMap((q) => q.images);
        const features = await imageFeatures(ctx.backbone, files, { cacheDir: params.cacheDir, label: `image-features ${city}` });
        return { city, seed, raw, split: cleaned, cleaning: report, features };
      })();
      splits.set(key, p);
    }
    return p;
  };
  const generated = cities.every(isGeneratedCity);
  return {
    run,
    params,
    ctx,
    seeds: [...(opts.seeds ?? seedList(params))],
    cities,
    generator,
    dataset: datasetOf(cities),
    cleaning,
    split,
    cityName,
    planted: (city) => (generated ? plantedSignal(city as SyntheticCityId, generator) : null),
    tuneOn: opts.tuneOn ?? null,
  };
}

/** The notebook header: scale, seeds, backend, data and what the generator planted. */
export function describeStudy(study: MrlfStudy): string {
  const lines = [
    `Scale **${study.params.scale}**, seeds ${study.seeds.join(", ")} (each a new split and a new initialisation), TensorFlow.js backend **${study.ctx.backend}**.`,
    ...postsDataReport(study.params).map((l) => `- ${l}`),
    `- Data: ${study.dataset.name}${study.dataset.synthetic ? " (SYNTHETIC)" : ""}, cities ${study.cities.map((c) => `${study.cityName(c.city)} (${c.posts.length} posts, ${c.pois.length} POIs)`).join(", ")}.`,
    `- Image features for MRLF: ${study.ctx.backbone.description}.`,
    `- Noisy images (shared cleaning, notebook 01): portrait ratio > η = ${study.cleaning.eta} removed from training and validation, person regions inpainted (detector τ = ${study.cleaning.tau.toFixed(2)}, chosen on held-out images).`,
  ];
  if (study.cities.every(isGeneratedCity)) {
    lines.push(
      "- **What the synthetic data plant** (so a verdict here checks the implementation; it is not evidence about the paper's data):",
    );
    for (const c of study.cities) lines.push(`  - ${study.cityName(c.city)}: ${study.planted(c.city)}`);
  }
  return lines.join("\n");
}

/**
 * The claim-evidence fields every MRLF study shares. The setting is the city
 * (or a variant of it, e.g. the correlated posts); the registry lists the
 * paper's cities only, so a researcher's own city is judged under its label
 * (lib/claims/evaluate.ts: settingLabel).
 */
export function cityEvidence(study: Pick<MrlfStudy, "dataset" | "cityName">, city: string, setting: string = city) {
  return {
    setting,
    settingLabel: `${study.dataset.name} · ${study.cityName(city)}`,
    data: { name: study.dataset.name, synthetic: study.dataset.synthetic },
    itemNoun: "test posts",
  };
}

/** A city as a table column key ("new-york" → "new_york"). */
export const cityColumn = (city: string): string => city.replace(/-/g, "_");
