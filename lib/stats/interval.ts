/**
 * A confidence interval: [lo, hi] at a nominal coverage. Intervals come from
 * ./two-level.ts (X̄ ± t·SE, at 95 % or at a family-wise level).
 */
export interface Interval {
  lo: number;
  hi: number;
  /** Nominal coverage, e.g. 0.95. */
  level: number;
}
