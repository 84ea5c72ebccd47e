/**
 * Learning rates chosen on validation data only. For every model whose
 * schedule lists candidates (lib/experiments/sizes.ts), each candidate trains
 * on the first city's and first seed's training part — per dataset: the
 * generator's cities share one choice (on the first of them), a real city
 * (Flickr Vienna: other data, no images, so MRLF without its image branch)
 * gets its own on its own first seed — and the one with the best
 * validation Acc at its kept epoch wins (ties: lower validation loss, then the
 * smaller rate). The test part is never read. The winning run is the same
 * cached model the study uses for that city and seed, so the choice costs only
 * the other candidates. Notebook 02 shows the evidence table.
 */
import { BASELINES, type BaselineName } from "../../experiments/baselines";
import { runMrlf } from "../../experiments/mrlf-run";
import type { RunResult } from "../../experiments/run";
import type { ScheduledModel } from "../../experiments/sizes";
import type { MrlfStudy } from "./context";
import { NB_CONTROL, nbValidationScore } from "../../experiments/nb-control";
import { isGeneratedCity } from "../../data/synthetic/instagram";

export interface CandidateScore {
  /** The candidate value: a learning rate, or the NB control's smoothing α. */
  learningRate: number;
  valAcc: number;
  valLoss: number;
  /** null for models without epochs (the NB control). */
  bestEpoch: number | null;
  epochsRun: number | null;
  /** Whether the rate decayed at least once before training stopped (null without epochs). */
  decayed: boolean | null;
}

export interface LearningRateChoice {
  /** The model, or the NB control (whose value is its smoothing α). */
  model: ScheduledModel | typeof NB_CONTROL;
  city: string;
  seed: number;
  candidates: CandidateScore[];
  chosen: number;
  /** The candidate runs themselves (their training seconds go to results/volatile/, never to a table). */
  runs: RunResult[];
}

const MODEL_OF: Partial<Record<ScheduledModel, BaselineName | "MRLF">> = {
  MRLF: "MRLF",
  DeepGeo: "DeepGeo",
  LocTwi: "LocTwi",
  "MobileNetV2 linear": "Frozen backbone + linear",
  "MobileNetV2 fine-tuned": "Fine-tuned MobileNetV2 top",
  "Late fusion": "Late fusion",
  ResNet50: "ResNet50",
  ResNet101: "ResNet101",
  DenseNet121: "DenseNet121",
};

const memo = new WeakMap<MrlfStudy, Map<string, Promise<LearningRateChoice | null>>>();

/** Which data a city's hyperparameters are chosen on: the generator's cities together, every other dataset apart. */
export const tuningGroup = (c: { name: string; city: string }): string => (isGeneratedCity(c) ? "synthetic-instagram" : c.name);

/**
 * The city whose first seed's validation part chooses `city`'s hyperparameters (the first city of the same dataset in the tuning study).
 */
export function tuningCity(study: MrlfStudy, city?: string): string {
  const base = study.tuneOn ?? study;
  if (city === undefined) return base.cities[0].city;
  const own = study.cities.find((c) => c.city === city) ?? base.cities.find((c) => c.city === city);
  if (!own) throw new Error(`tuning: no city "${city}" in the study`);
  const group = tuningGroup(own);
  return (base.cities.find((c) => tuningGroup(c) === group) ?? own).city;
}

/** Score one finished run on its validation record. */
export function validationScore(r: RunResult): CandidateScore {
  const h = r.history;
  if (!h || h.length === 0 || r.bestEpoch === undefined) throw new Error(`tuning: ${r.system}: the run has no training history`);
  const best = h[r.bestEpoch - 1];
  return {
    learningRate: r.learningRate!,
    valAcc: best.valAcc,
    valLoss: best.valLoss,
    bestEpoch: r.bestEpoch,
    epochsRun: h.length,
    decayed: h.some((e) => e.lr < h[0].lr),
  };
}

/** The winner among scored candidates: best validation Acc, then lower loss, then the smaller rate. */
export function pickCandidate(scores: readonly CandidateScore[]): number {
  if (scores.length === 0) throw new Error("tuning: no candidates");
  return scores.slice().sort((a, b) => b.valAcc - a.valAcc || a.valLoss - b.valLoss || a.learningRate - b.learningRate)[0].learningRate;
}

/**
 * The validation evidence and choice for one model on `city`'s dataset (default: the first city's); null when its schedule has no
 * candidates.
 */
export function learningRateChoice(study: MrlfStudy, model: ScheduledModel, forCity?: string): Promise<LearningRateChoice | null> {
  const base = study.tuneOn ?? study;
  const city = tuningCity(study, forCity);
  const owner = base.cities.some((c) => c.city === city) ? base : study;
  let byModel = memo.get(owner);
  if (!byModel) memo.set(owner, (byModel = new Map()));
  const key = `${model}/${city}`;
  let p = byModel.get(key);
  if (!p) {
    p = (async () => {
      const candidates = owner.ctx.sizes.schedule[model].candidates;
      if (candidates.length === 0) return null;
      const seed = owner.seeds[0];
      const s = await owner.split(city, seed);
      const which = MODEL_OF[model]!;
      const scores: CandidateScore[] = [];
      const runs: RunResult[] = [];
      for (const lr of candidates) {
        const r =
          which === "MRLF"
            ? await runMrlf(owner.ctx, s.split, seed, s.features, { learningRate: lr, overrides: owner.fullOverrides(city) })
            : await BASELINES[which].run(owner.ctx, {
                split: s.split,
                seed,
                features: s.features,
                learningRate: lr,
                images: owner.hasImages(city),
              });
        scores.push(validationScore(r));
        runs.push(r);
      }
      return { model, city, seed, candidates: scores, chosen: pickCandidate(scores), runs };
    })();
    byModel.set(key, p);
  }
  return p;
}

/**
 * The learning rate a model trains with on `city` (default: the first city): the validation choice on its dataset, or the schedule's fixed
 * rate.
 */
export async function chosenLearningRate(study: MrlfStudy, model: ScheduledModel, city?: string): Promise<number> {
  const c = await learningRateChoice(study, model, city);
  return c ? c.chosen : study.ctx.sizes.schedule[model].learningRate;
}

const alphaMemo = new WeakMap<MrlfStudy, Map<string, Promise<LearningRateChoice>>>();

/**
 * The NB control's smoothing α, chosen like a learning rate: every candidate
 * (ExperimentSizes.nbAlphas, as many as the learning rates have) fits on the
 * training part of the first seed of `city`'s dataset; best validation Acc
 * wins, ties to the lower validation log-loss, then the smaller α.
 */
export function nbAlphaChoice(study: MrlfStudy, forCity?: string): Promise<LearningRateChoice> {
  const base = study.tuneOn ?? study;
  const city = tuningCity(study, forCity);
  const owner = base.cities.some((c) => c.city === city) ? base : study;
  let byCity = alphaMemo.get(owner);
  if (!byCity) alphaMemo.set(owner, (byCity = new Map()));
  let p = byCity.get(city);
  if (!p) {
    p = (async () => {
      const seed = owner.seeds[0];
      const s = await owner.split(city, seed);
      const candidates: CandidateScore[] = owner.ctx.sizes.nbAlphas.map((alpha) => ({
        learningRate: alpha,
        ...nbValidationScore(s.split, alpha),
        bestEpoch: null,
        epochsRun: null,
        decayed: null,
      }));
      return { model: NB_CONTROL, city, seed, candidates, chosen: pickCandidate(candidates), runs: [] };
    })();
    byCity.set(city, p);
  }
  return p;
}

/** The α the NB control uses on `city`. */
export const chosenAlpha = async (study: MrlfStudy, city?: string): Promise<number> => (await nbAlphaChoice(study, city)).chosen;
