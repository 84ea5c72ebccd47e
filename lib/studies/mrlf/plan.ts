/**
 * The trainings notebooks 02–06 run at a scale, as units for the cost estimate
 * (lib/experiments/cost.ts). The counts follow the studies' own lists —
 * BASELINES and the schedules with their learning-rate candidates (02),
 * ABLATION_VARIANTS and the sensitivity grid (03), FUSION_VARIANTS, the padding
 * check and the correlated mode (04), TABLE3_VARIANTS (05), the hashtag sweep
 * (06) — and their reuse rules: the full MRLF and late fusion of each city and
 * seed are shared artifacts trained once, a tuned model's candidate at the
 * chosen rate is its first run. Until the studies are declared as grids (the
 * workflow graph), this mirrors their loops by hand; the graph will hand its
 * units to the same estimator.
 *
 * Sizes: training posts per city are the generator's expected posts of the
 * POIs that pass the paper's filter (sparse POIs are generated to fall under it)
 * times the training fraction; steps are the schedule's epoch cap × batches per
 * epoch — exact at paper scale (no early stop), an upper bound at the default
 * scale (it stops after 4 epochs without gain). Not here: Tagvisor's random
 * forest and the local-words notebooks 07–08 (no optimizer steps; notebook 07
 * took 7 min at the default scale, and its data, GeoText, does not grow with
 * SCALE), and notebook 01's portrait detection (inference).
 */
import type { Scale } from "../../runtime/params";
import { experimentSizes, type ScheduledModel } from "../../experiments/sizes";
import { SPLIT_FRACTIONS } from "../../experiments/split";
import { ABLATION_VARIANTS, FUSION_VARIANTS, hashtagSweep, isFullModel } from "../../experiments/variants";
import { defaultThresholds } from "../../data/preprocess-posts";
import { citySize, PAPER_TABLE1, type SyntheticCityId } from "../../data/synthetic/instagram";
import type { TrainingUnit } from "../../experiments/cost";
import { sensitivityGrid } from "./sensitivity";
import { TABLE3_VARIANTS } from "./noisy-images";

/** Table II's neural models, in its order; the image CNNs only where they run (paper scale, or tiny). */
export function table2Models(scale: Scale): ScheduledModel[] {
  const base: ScheduledModel[] = ["MRLF", "DeepGeo", "LocTwi", "MobileNetV2 linear", "MobileNetV2 fine-tuned", "Late fusion"];
  // BASELINES: the from-scratch CNNs are unavailable at the default scale without local ImageNet weights.
  return scale === "default" ? base : [...base, "ResNet50", "ResNet101", "DenseNet121"];
}

/** Expected training posts of a synthetic city at a scale (see the file comment). */
export function trainPosts(scale: Scale, city: SyntheticCityId): number {
  const s = citySize(scale, city);
  const p = s.postsPerPopular;
  const popularPosts = Array.isArray(p) ? (s.popular * (p[0] + p[1])) / 2 : p.total;
  return Math.round(popularPosts * SPLIT_FRACTIONS[0]);
}

/**
 * Expected images of a synthetic city at a scale: Table I's image count at paper scale, else the
 * generator's expected posts (popular and sparse POIs) × its image presence.
 */
export function expectedImages(scale: Scale, city: SyntheticCityId): number {
  if (scale === "paper") return PAPER_TABLE1[city].images;
  const s = citySize(scale, city);
  const mean = (r: readonly [number, number]) => (r[0] + r[1]) / 2;
  const p = s.postsPerPopular;
  const posts = (Array.isArray(p) ? s.popular * mean(p as [number, number]) : p.total) + s.sparse * mean(s.postsPerSparse);
  return Math.round(posts * s.presence.image);
}

/**
 * The image passes of a run (inference, no optimizer steps), as plan units with one "step" per image:
 * notebook 01's portrait detection over every image, and the frozen image features of every image.
 */
export function inferenceUnits(scale: Scale, cities: readonly SyntheticCityId[]): TrainingUnit[] {
  return cities.flatMap((c) => {
    const images = expectedImages(scale, c);
    return [
      {
        study: "01 cleaning",
        kind: "portrait detection",
        city: c,
        trainings: 1,
        stepsPerTraining: images,
        note: "one pass per image (steps = images)",
      },
      {
        study: "02–06 features",
        kind: "image features",
        city: c,
        trainings: 1,
        stepsPerTraining: images,
        note: "one pass per image (steps = images)",
      },
    ];
  });
}

export interface PlanInputs {
  scale: Scale;
  seeds: number;
  cities: readonly SyntheticCityId[];
  /** EPOCHS: replaces every schedule's epoch cap when > 0 (as scheduleFor does). */
  epochs?: number;
}

/** Every training of notebooks 02–06 at these inputs, grouped into units. */
export function trainingUnits(p: PlanInputs): TrainingUnit[] {
  const sizes = experimentSizes(p.scale);
  const G = p.seeds;
  const [first] = p.cities;
  const second = p.cities[p.cities.length > 1 ? 1 : 0];
  const steps = (model: ScheduledModel, city: SyntheticCityId) => {
    const s = sizes.schedule[model];
    return (p.epochs && p.epochs > 0 ? p.epochs : s.epochs) * Math.ceil(trainPosts(p.scale, city) / s.batchSize);
  };
  const units: TrainingUnit[] = [];
  /** One unit per city (sizes differ), `per` trainings each. */
  const perCity = (
    study: string,
    kind: string,
    schedule: ScheduledModel,
    cities: readonly SyntheticCityId[],
    per: number,
    note: string,
  ) => {
    for (const c of cities) if (per > 0) units.push({ study, kind, city: c, trainings: per, stepsPerTraining: steps(schedule, c), note });
  };

  // 02: learning rates on the first city and seed, then every model on every city and seed.
  for (const m of table2Models(p.scale)) {
    const candidates = sizes.schedule[m].candidates.length;
    if (candidates > 0) perCity("02 learning rates", m, m, [first], candidates, `${candidates} candidate rates, first seed`);
    for (const c of p.cities) {
      // The chosen candidate's training is the first city's first run.
      const runs = G - (candidates > 0 && c === first ? 1 : 0);
      perCity("02 Table II", m, m, [c], runs, `${G} seeds${runs < G ? " (one is the chosen candidate)" : ""}`);
    }
  }
  // 03: Fig. 2's ablations (the full model is 02's); the sensitivity grid: late fusion's four arms
  // per image share on one city and seed (the full arm at the city's own share is 02's late fusion).
  const ablations = ABLATION_VARIANTS.filter((v) => !isFullModel(v, p.scale)).length;
  perCity("03 ablation", "MRLF", "MRLF", p.cities, ablations * G, `${ablations} variants × ${G} seeds`);
  const shares = sensitivityGrid(second).length;
  perCity("03 sensitivity", "Late fusion", "Late fusion", [second], shares * 4 - 1, `${shares} image shares × 4 arms, one seed`);
  // 04: Fig. 3's fusions (the first is the full model), the padding-mask check and the correlated mode on the first city.
  const fusions = FUSION_VARIANTS.filter((v) => !isFullModel(v, p.scale)).length;
  perCity("04 fusion", "MRLF", "MRLF", p.cities, fusions * G, `${fusions} fusion variants × ${G} seeds`);
  perCity("04 padding mask", "MRLF", "MRLF", [first], G, `no mask × ${G} seeds`);
  perCity("04 correlated mode", "MRLF", "MRLF", [first], 2 * G, `MRLF, text-tag-end × ${G} seeds`);
  perCity("04 correlated mode", "Late fusion", "Late fusion", [first], G, `late fusion × ${G} seeds`);
  // 05: Table III, the image-only model on each image variant.
  perCity(
    "05 noisy images",
    "MRLF image-only",
    "MRLF",
    p.cities,
    TABLE3_VARIANTS.length * G,
    `${TABLE3_VARIANTS.length} image variants × ${G} seeds`,
  );
  // 06: Fig. 4's cut-offs other than the scale's own (the full model); middle cuts on the first city only below paper scale.
  const own = defaultThresholds(p.scale).minHashtagCount;
  for (const t of hashtagSweep(p.scale).filter((x) => x !== own)) {
    const cities = t === 0 || p.scale === "paper" ? p.cities : [first];
    perCity("06 hashtag cut", "MRLF", "MRLF", cities, G, `${t === 0 ? "no cut" : `cut < ${t}`} × ${G} seeds`);
  }
  return units;
}
