/**
 * The portrait gate and the η decision (MRLF §III-B, §IV-E): a person-sized
 * segmenter region counts as a portrait only when the person detector also
 * scores it ≥ τ; τ is chosen on held-out images (`chooseDetectorThreshold`).
 * See ./portrait.ts for the measurement itself.
 */
import type { PortraitConfig, PortraitMeasurement } from "./portrait";

export type PortraitReason = "no person-sized region" | "detector sees no person" | "person";

export interface Portrait {
  person: boolean;
  /** The portrait ratio: the person area when the gate passes, else 0. */
  ratio: number;
  reason: PortraitReason;
}

/**
 * Apply the gate with detector threshold τ. Without a detector (detectorScore
 * null on a person-sized region, because none was configured) the region counts.
 */
export function gatePortrait(
  m: Pick<PortraitMeasurement, "area" | "maskFile" | "detectorScore">,
  cfg: PortraitConfig,
  detectorThreshold: number,
): Portrait {
  if (m.area < cfg.minPersonArea) return { person: false, ratio: 0, reason: "no person-sized region" };
  if (m.detectorScore !== null && m.detectorScore < detectorThreshold)
    return { person: false, ratio: 0, reason: "detector sees no person" };
  return { person: true, ratio: m.area, reason: "person" };
}

export interface DecisionMetrics {
  n: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  /** null when nothing was predicted positive / nothing is truly positive. */
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

/** Confusion counts and precision / recall / F1 of a binary decision. */
export function decisionMetrics(predicted: readonly boolean[], truth: readonly boolean[]): DecisionMetrics {
  if (predicted.length !== truth.length) throw new Error(`decisionMetrics: ${predicted.length} predictions for ${truth.length} truths`);
  let tp = 0,
    fp = 0,
    fn = 0,
    tn = 0;
  predicted.forEach((p, i) => {
    if (p && truth[i]) tp++;
    else if (p) fp++;
    else if (truth[i]) fn++;
    else tn++;
  });
  const precision = tp + fp > 0 ? tp / (tp + fp) : null;
  const recall = tp + fn > 0 ? tp / (tp + fn) : null;
  const f1 =
    precision !== null && recall !== null && precision + recall > 0
      ? (2 * precision * recall) / (precision + recall)
      : tp + fp + fn === 0
        ? null
        : 0;
  return { n: predicted.length, tp, fp, fn, tn, precision, recall, f1 };
}

export interface CalibrationSample {
  area: number;
  detectorScore: number | null;
  /** Ground truth: the image shows a person (true portrait ratio > 0). */
  truthPerson: boolean;
}

export interface ThresholdChoice {
  threshold: number;
  metrics: DecisionMetrics;
  /** Every candidate with its person-presence metrics (for the notebook). */
  candidates: { threshold: number; metrics: DecisionMetrics }[];
}

/** Candidate detector thresholds 0, 0.01, …, 0.60. */
export const DETECTOR_GRID: readonly number[] = Array.from({ length: 61 }, (_, i) => i / 100);

/**
 * Choose τ on held-out samples: the largest threshold whose person-presence F1
 * equals the best F1 (the strictest gate that costs nothing on held-out data,
 * so cats and food are rejected as far as the data allow).
 */
export function chooseDetectorThreshold(
  samples: readonly CalibrationSample[],
  cfg: PortraitConfig,
  grid: readonly number[] = DETECTOR_GRID,
): ThresholdChoice {
  if (samples.length === 0) throw new Error("chooseDetectorThreshold: no calibration samples");
  if (!samples.some((s) => s.truthPerson))
    throw new Error("chooseDetectorThreshold: no calibration image shows a person; render more calibration images");
  const truth = samples.map((s) => s.truthPerson);
  const candidates = grid.map((t) => ({
    threshold: t,
    metrics: decisionMetrics(
      samples.map((s) => gatePortrait({ ...s, maskFile: null }, cfg, t).person),
      truth,
    ),
  }));
  const f1 = (c: (typeof candidates)[number]) => c.metrics.f1 ?? -1;
  const best = Math.max(...candidates.map(f1));
  const chosen = candidates.filter((c) => f1(c) === best).reduce((a, b) => (b.threshold > a.threshold ? b : a));
  return { threshold: chosen.threshold, metrics: chosen.metrics, candidates };
}
