/**
 * Percentile confidence intervals from bootstrap replicates (Efron & Tibshirani
 * 1993, ch. 13): the (1−level)/2 and (1+level)/2 quantiles of the replicates.
 *
 * Quantiles use linear interpolation between order statistics, the definition
 * of numpy's `percentile(..., method="linear")` (Hyndman & Fan type 7):
 *   h = (n − 1) q,  Q(q) = x_(⌊h⌋) + (h − ⌊h⌋)(x_(⌊h⌋+1) − x_(⌊h⌋)).
 */
export interface Interval {
  lo: number;
  hi: number;
  /** Nominal coverage, e.g. 0.95. */
  level: number;
}

/** Type-7 quantile of already sorted values. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new Error("quantile: no values");
  if (!(q >= 0 && q <= 1)) throw new Error(`quantile: q must be in [0, 1], got ${q}`);
  const h = (n - 1) * q;
  const i = Math.floor(h);
  if (i + 1 >= n) return sorted[n - 1];
  return sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]);
}

export function percentileInterval(replicates: ArrayLike<number>, level = 0.95): Interval {
  if (!(level > 0 && level < 1)) throw new Error(`percentileInterval: level must be in (0, 1), got ${level}`);
  const sorted = Float64Array.from(replicates).sort();
  for (let i = 0; i < sorted.length; i++)
    if (!Number.isFinite(sorted[i])) throw new Error(`percentileInterval: replicate ${i} is not finite`);
  const tail = (1 - level) / 2;
  return { lo: quantileSorted(sorted, tail), hi: quantileSorted(sorted, 1 - tail), level };
}
