/**
 * What a study of notebooks 02–06 starts from: the run's parameters and
 * seeds, the experiment context (backend, sizes, backbone), the prepared
 * cities, the shared noisy-image cleaning, and per (city, seed) the split the
 * models train on — seeded, then cleaned (η filter, inpainting), with the
 * frozen image features of its images. Everything heavy is cached on disk and
 * memoised here, so several studies of one notebook share it.
 *
 * Cities differ in what their data can do, and studies ask here, in one
 * place: whether a city is the generator's (`planted`), which modalities its
 * posts carry (`needsImages`: a dataset without image files, e.g. Flickr
 * Vienna, prints one line "<city>: no images in this dataset — <study> not
 * run" and the study writes no row), which MRLF is its full model
 * (`fullOverrides`: the image branch off without images, as in the ablation),
 * how tables name it (`cityName`), and under which claims setting it is
 * judged (`cityEvidence`).
 */
import type { NotebookRun } from "../../results/run";
import type { Params } from "../../runtime/params";
import { seedList } from "../../runtime/params";
import type { DatasetRef } from "../../results/table";
import { preparedCity, type PreparedCity } from "../../data/preprocess-posts";
import { modalitiesOf, type Post } from "../../data/posts";
import type { MrlfConfig } from "../../models/mrlf";
import { INDEPENDENT, isGeneratedCity, plantedSignal, type GeneratorSettings, type SyntheticCityId } from "../../data/synthetic/instagram";
import { CITY_SPECS } from "../../data/synthetic/pois";
import { imageFeatures, type FeatureSet } from "../../image/features";
import { experimentContext, type ExperimentContext } from "../../experiments/context";
import { mrlfCities } from "../../experiments/cities";
import { postsDataReport, postsTableDataset } from "../../data/selection";
import { cleanSplit, imageCleaning, NO_IMAGES_CLEANING, type CleaningReport, type ImageCleaning } from "../../experiments/cleaning";
import { splitCity, type CitySplit } from "../../experiments/split";

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
  /** How tables name a city: its dataset's label, else its name; a generated city in a study that also has real data says "(SYNTHETIC)". */
  cityName(city: string): string;
  /** The prepared city (throws naming the study's cities when unknown). */
  prepared(city: string): PreparedCity;
  /** False for a city whose posts carry no image files. */
  hasImages(city: string): boolean;
  /**
   * A study about to run `what` on `city` asks this: true when the city has
   * images; else it prints (once per city and study) "<city>: no images in
   * this dataset — <what> not run" and returns false (the study writes no row).
   */
  needsImages(city: string, what: string): boolean;
  /** The lines needsImages printed, in order (tables repeat them in their notes). */
  skipped: string[];
  /**
   * MRLF's full model for this city: all three modalities, or text + hashtags where there are no images (the ablation's "w/o image"
   * switch).
   */
  fullOverrides(city: string): Partial<MrlfConfig>;
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

/** The one line a study prints instead of a row when a city has no images. */
/** A split left as it is (a city without images), with the cleaning report of a cleaning that removed nothing. */
function uncleaned(raw: CitySplit<Post>): { split: CitySplit<Post>; report: CleaningReport } {
  const none = (posts: readonly Post[]) => ({
    step: "η filter",
    rule: "no images",
    postsBefore: posts.length,
    postsAfter: posts.length,
    removedPosts: 0,
    removed: [],
  });
  return { split: raw, report: { train: none(raw.train), val: none(raw.val), inpaintedImages: 0 } as unknown as CleaningReport };
}

export const noImagesLine = (label: string, what: string): string => `${label}: no images in this dataset — ${what} not run`;

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
        // A city without images has nothing to clean: its split (and so its models' cache keys) do not depend on the image cleaning.
        const { split: cleaned, report } = modalitiesOf(ds).images ? cleanSplit(raw, cleaning) : uncleaned(raw);
        const files = [...cleaned.train, ...cleaned.val, ...cleaned.test].flatMap((q) => q.images);
        const features = await imageFeatures(ctx.backbone, files, { cacheDir: params.cacheDir, label: `image-features ${city}` });
        return { city, seed, raw, split: cleaned, cleaning: report, features };
      })();
      splits.set(key, p);
    }
    return p;
  };
  return studyOf({
    run,
    params,
    ctx,
    seeds: [...(opts.seeds ?? seedList(params))],
    cities,
    generator,
    cleaning,
    split,
    tuneOn: opts.tuneOn ?? null,
  });
}

/** The per-city answers of an MrlfStudy (module comment) around its data and splits. */
export function studyOf(
  base: Pick<MrlfStudy, "run" | "params" | "ctx" | "seeds" | "cities" | "generator" | "cleaning" | "split" | "tuneOn">,
): MrlfStudy {
  const { cities } = base;
  const mixed = cities.some(isGeneratedCity) && !cities.every(isGeneratedCity);
  const prepared = (city: string): PreparedCity => {
    const c = cities.find((x) => x.city === city);
    if (!c) throw new Error(`mrlfStudy: no prepared city "${city}" (have ${cities.map((x) => x.city).join(", ")})`);
    return c;
  };
  const name = (city: string): string => {
    const c = cities.find((x) => x.city === city);
    if (c?.label) return c.label;
    return mixed && c && isGeneratedCity(c) ? `${cityName(city)} (SYNTHETIC)` : cityName(city);
  };
  const hasImages = (city: string) => modalitiesOf(prepared(city)).images;
  const skipped: string[] = [];
  const said = new Set<string>();
  return {
    ...base,
    dataset: datasetOf(cities),
    cityName: name,
    prepared,
    hasImages,
    needsImages(city, what) {
      if (hasImages(city)) return true;
      const line = noImagesLine(name(city), what);
      if (!said.has(line)) {
        said.add(line);
        skipped.push(line);
        base.run.markdown(line);
      }
      return false;
    },
    skipped,
    fullOverrides: (city) => (hasImages(city) ? {} : { useImage: false }),
    planted: (city) => {
      const c = cities.find((x) => x.city === city);
      return c && isGeneratedCity(c) ? plantedSignal(city as SyntheticCityId, base.generator) : null;
    },
  };
}

/** The notebook header: scale, seeds, backend, data and what the generator planted. */
export function describeStudy(study: MrlfStudy): string {
  const lines = [
    `Scale **${study.params.scale}**, seeds ${study.seeds.join(", ")} (each a new split and a new initialisation), TensorFlow.js backend **${study.ctx.backend}**.`,
    ...postsDataReport(study.params).map((l) => `- ${l}`),
    `- Data: ${study.dataset.name}${study.dataset.mixed ? " (MIXED: real and SYNTHETIC cities, each named)" : study.dataset.synthetic ? " (SYNTHETIC)" : ""}, cities ${study.cities.map((c) => `${study.cityName(c.city)} (${c.posts.length} posts, ${c.pois.length} POIs${c.splitBy === "owner" ? ", splits grouped by owner" : ""})`).join(", ")}.`,
    `- Image features for MRLF: ${study.ctx.backbone.description}.`,
    study.cleaning.id === NO_IMAGES_CLEANING
      ? "- Noisy images: this run's data have no images, so there is no portrait detection, η filter or inpainting."
      : `- Noisy images (shared cleaning, notebook 01): portrait ratio > η = ${study.cleaning.eta} removed from training and validation, person regions inpainted (detector τ = ${study.cleaning.tau.toFixed(2)}, chosen on held-out images)${study.cities.some((c) => !study.hasImages(c.city)) ? "; cities without images are not cleaned" : ""}.`,
  ];
  const generated = study.cities.filter(isGeneratedCity);
  if (generated.length) {
    lines.push(
      "- **What the synthetic data plant** (so a verdict here checks the implementation; it is not evidence about the paper's data):",
    );
    for (const c of generated) lines.push(`  - ${study.cityName(c.city)}: ${study.planted(c.city)}`);
  }
  for (const c of study.cities.filter((c) => !isGeneratedCity(c)))
    if (!c.synthetic)
      lines.push(
        `- **${study.cityName(c.city)}** is real data: nothing is planted, so its verdicts are evidence — about this city and platform, not the paper's (the paper's figures beside it are context only).${study.hasImages(c.city) ? "" : " It has no images: MRLF runs over text + hashtags (the image branch off, as in the ablation), and every study that needs pixels says so in one line."}`,
      );
  return lines.join("\n");
}

/** The claims-registry setting a city is judged under (a dataset may name its own, e.g. "flickr-vienna"; else the city id). */
export const settingOfCity = (study: Pick<MrlfStudy, "cities">, city: string): string =>
  study.cities.find((x) => x.city === city)?.setting ?? city;

/**
 * The claim-evidence fields every MRLF study shares. The setting is the city
 * (or a variant of it, e.g. the correlated posts), or the city's dataset's own
 * setting id (`CityDataset.setting`, e.g. "flickr-vienna", which the registry
 * lists); a researcher's own city is judged under its label
 * (lib/claims/evaluate.ts: settingLabel). The data named are the city's own, so a
 * real city in a study with synthetic ones is judged as real.
 */
export function cityEvidence(study: Pick<MrlfStudy, "dataset" | "cityName" | "cities">, city: string, setting?: string) {
  const c = study.cities.find((x) => x.city === city);
  const data = c
    ? { name: isGeneratedCity(c) ? datasetOf([c]).name : c.name, synthetic: c.synthetic }
    : { name: study.dataset.name, synthetic: study.dataset.synthetic };
  return {
    setting: setting ?? settingOfCity(study, city),
    settingLabel: `${data.name} · ${study.cityName(city)}`,
    data,
    itemNoun: "test posts",
  };
}

/** A city as a table column key ("new-york" → "new_york"). */
export const cityColumn = (city: string): string => city.replace(/-/g, "_");
