/**
 * Per-scale settings of the local-words experiments. The paper's full sweeps
 * (N1 = 3…10, N2 = 0.11…0.24 step 0.01) run at scale "paper" or with
 * GEOREPRO_LOCALWORDS_SWEEP=full; the default scale uses a subset so that
 * notebooks 07 + 08 fit their budget (≈ 8 minutes on one core).
 */
import type { Scale } from "../runtime/params";
import type { Word2VecOptions } from "./word2vec";
import { envVar } from "../runtime/env";

export interface ScaleSettings {
  /** word2vec.c's defaults for epochs (5) and subsampling (1e-3): fewer left the vectors nearly collinear. */
  w2v: Word2VecOptions;
  /** k at intervals of 4 (Sect. 4.3). */
  kGrid: number[];
  n1Sweep: number[];
  n2Sweep: number[];
  /** How many of the seeds the N1/N2 sweeps (Fig. 6) run over. */
  sweepSeeds: number;
}

const range = (a: number, b: number, s: number): number[] =>
  Array.from({ length: Math.round((b - a) / s) + 1 }, (_, i) => Number((a + i * s).toFixed(4)));

export function scaleSettings(scale: Scale, env: NodeJS.ProcessEnv = process.env): ScaleSettings {
  const full = scale === "paper" || envVar("GEOREPRO_LOCALWORDS_SWEEP", env) === "full";
  const kGrid = range(4, 40, 4);
  // The paper's whole grids. Over 5 of the 10 seeds at scale "paper": at 235,120 users one seed's 20 computed
  // points of the synthetic state setting take ≈ 70 s on a thread (k-means over up to 48,000 words and the
  // wrapper at every point), and 10 seeds put the N1/N2 sweeps at 6 min 24 s of notebook 07's 13.5 min on the
  // 2-core development machine (03f1f9c); 5 halve that. The points stay paired on the same 5 splits, and the
  // sweep claims' intervals carry t with 4 degrees of freedom (2.78 against 2.26 with 9): wider, and said so in
  // each row. GEOREPRO_LOCALWORDS_SWEEP=full at the default scale keeps its 10 seeds.
  if (full)
    return {
      w2v: { dim: 100, epochs: 5, sample: 1e-3 },
      kGrid,
      n1Sweep: range(3, 10, 1),
      n2Sweep: range(0.11, 0.24, 0.01),
      sweepSeeds: scale === "paper" ? 5 : 10,
    };
  if (scale === "tiny")
    return {
      w2v: { dim: 16, epochs: 5, sample: 1e-3 },
      kGrid: [2, 4, 6, 8, 10, 12],
      n1Sweep: [3, 10],
      // The ends of the paper's sweep (0.11, 0.24) are in every grid: claim lw-n2-extremes-hurt compares N2 = 0.20 with them.
      n2Sweep: [0.11, 0.17, 0.2, 0.24],
      sweepSeeds: 3,
    };
  // 32 dimensions (paper scale: 100): word2vec on GeoText's raw text and bag-of-words is most of notebook 07's
  // cold run (≈ 4 of 9.5 minutes at 50 dimensions), and 32 are ample to cluster ≈ 10k words into ≤ 40 groups.
  // The sweeps run over all 10 seeds, as every local-words comparison does (≈ 50 s more than 5 seeds; 07 is
  // not on the run's critical path).
  return {
    w2v: { dim: 32, epochs: 5, sample: 1e-3 },
    kGrid,
    n1Sweep: [3, 4, 6, 8, 10],
    n2Sweep: [0.11, 0.14, 0.17, 0.2, 0.24],
    sweepSeeds: 10,
  };
}
