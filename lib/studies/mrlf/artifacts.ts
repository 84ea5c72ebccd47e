/**
 * Artifacts that several notebooks share, declared by name: which notebook
 * shows each (its producer), which read it, and the one function that builds
 * it. A consumer calls the function, so nothing is shared by rebuilding a
 * matching cache key elsewhere. In `make reproduce` the experiment graph's
 * units compute them (lib/workflow/graph.ts: `prepare`, `lr/<model>`,
 * `full-mrlf/<city>/<seed>`, `late-fusion/<city>/<seed>`) before the
 * notebooks that read them start; a notebook opened by hand computes whatever
 * is missing.
 */
import type { RunResult } from "../../experiments/run";
import { runMrlf } from "../../experiments/mrlf-run";
import { runLateFusion } from "../../experiments/baselines";
import type { MrlfStudy } from "./context";
import { chosenLearningRate } from "./tuning";

export interface ArtifactSpec {
  producer: string;
  consumers: readonly string[];
  what: string;
}

export type ArtifactName = "cleaned-images" | "learning-rates" | "full-mrlf" | "late-fusion";

export const SHARED_ARTIFACTS: Readonly<Record<ArtifactName, ArtifactSpec>> = {
  "cleaned-images": {
    producer: "01-preprocessing",
    consumers: ["02-mrlf", "03-ablation", "04-fusion-variants", "05-noisy-images", "06-low-frequency-hashtags"],
    what: "portrait ratio of every image (segmenter gated by a detector, τ chosen on held-out images), the η filter and inpainted images (lib/experiments/cleaning.ts)",
  },
  "learning-rates": {
    producer: "02-mrlf",
    consumers: ["03-ablation", "04-fusion-variants", "05-noisy-images", "06-low-frequency-hashtags"],
    what: "learning rates chosen on the first city's and seed's validation part (lib/studies/mrlf/tuning.ts)",
  },
  "full-mrlf": {
    producer: "02-mrlf",
    consumers: ["03-ablation", "04-fusion-variants", "06-low-frequency-hashtags"],
    what: "MRLF with all three modalities and its own fusion, per city and seed, on the cleaned split (Table II's MRLF; Fig. 2's full model; Fig. 3's MRLF; Fig. 4's own cut)",
  },
  "late-fusion": {
    producer: "02-mrlf",
    consumers: ["04-fusion-variants"],
    what: "the late-fusion baseline per city and seed (Table II's row; the control of the fusion claim in notebook 04)",
  },
};

/** `full-mrlf`: MRLF as Table II trains it, for one city and seed of a study (over text + hashtags where the city has no images). */
export async function fullMrlf(study: MrlfStudy, city: string, seed: number): Promise<RunResult> {
  const s = await study.split(city, seed);
  return runMrlf(study.ctx, s.split, seed, s.features, {
    learningRate: await chosenLearningRate(study, "MRLF", city),
    overrides: study.fullOverrides(city),
  });
}

/** `late-fusion`: the late-fusion baseline as Table II trains it (text + hashtags where the city has no images). */
export async function lateFusion(study: MrlfStudy, city: string, seed: number): Promise<RunResult> {
  const s = await study.split(city, seed);
  return runLateFusion(study.ctx, {
    split: s.split,
    seed,
    features: s.features,
    learningRate: await chosenLearningRate(study, "Late fusion", city),
    images: study.hasImages(city),
  });
}
