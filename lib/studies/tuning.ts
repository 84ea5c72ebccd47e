/**
 * Learning rates chosen on validation data only. For every model whose
 * schedule lists candidates (lib/experiments/sizes.ts), each candidate trains
 * on the first city's and first seed's training part; the one with the best
 * validation Acc at its kept epoch wins (ties: lower validation loss, then the
 * smaller rate). The test part is never read. The winning run is the same
 * cached model the study uses for that city and seed, so the choice costs only
 * the other candidates. Notebook 02 shows the evidence table.
 */
import { BASELINES, type BaselineName } from "../experiments/baselines";
import { runMrlf } from "../experiments/mrlf-run";
import type { RunResult } from "../experiments/run";
import type { ScheduledModel } from "../experiments/sizes";
import type { MrlfStudy } from "./context";

export interface CandidateScore {
  learningRate: number;
  valAcc: number;
  valLoss: number;
  bestEpoch: number;
  epochsRun: number;
  /** Whether the rate decayed at least once before training stopped. */
  decayed: boolean;
}

export interface LearningRateChoice {
  model: ScheduledModel;
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

const memo = new WeakMap<MrlfStudy, Map<ScheduledModel, Promise<LearningRateChoice | null>>>();

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

/** The validation evidence and choice for one model (null when its schedule has no candidates). */
export function learningRateChoice(study: MrlfStudy, model: ScheduledModel): Promise<LearningRateChoice | null> {
  const base = study.tuneOn ?? study;
  let byModel = memo.get(base);
  if (!byModel) memo.set(base, (byModel = new Map()));
  let p = byModel.get(model);
  if (!p) {
    p = (async () => {
      const candidates = base.ctx.sizes.schedule[model].candidates;
      if (candidates.length === 0) return null;
      const city = base.cities[0].city;
      const seed = base.seeds[0];
      const s = await base.split(city, seed);
      const which = MODEL_OF[model]!;
      const scores: CandidateScore[] = [];
      const runs: RunResult[] = [];
      for (const lr of candidates) {
        const r =
          which === "MRLF"
            ? await runMrlf(base.ctx, s.split, seed, s.features, { learningRate: lr })
            : await BASELINES[which].run(base.ctx, { split: s.split, seed, features: s.features, learningRate: lr });
        scores.push(validationScore(r));
        runs.push(r);
      }
      return { model, city, seed, candidates: scores, chosen: pickCandidate(scores), runs };
    })();
    byModel.set(model, p);
  }
  return p;
}

/** The learning rate a model trains with in this study: the validation choice, or the schedule's fixed rate. */
export async function chosenLearningRate(study: MrlfStudy, model: ScheduledModel): Promise<number> {
  const c = await learningRateChoice(study, model);
  return c ? c.chosen : study.ctx.sizes.schedule[model].learningRate;
}
