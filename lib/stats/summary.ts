/**
 * Mean and sample standard deviation over repeated runs (seeds, splits).
 *
 *   mean = (1/n) Σ x_i,   sd = sqrt( Σ (x_i − mean)² / (n − 1) )   (0 for n = 1)
 *
 * The sd is Bessel-corrected, like numpy's `std(ddof=1)`: it describes how much
 * one more seed would move the result, not the uncertainty of the mean (for
 * that, see the two-level intervals in ./two-level.ts).
 */
export interface MeanSd {
  mean: number;
  sd: number;
  n: number;
}

export function meanSd(xs: readonly number[]): MeanSd {
  if (xs.length === 0) throw new Error("meanSd: empty list");
  for (const [i, x] of xs.entries()) if (!Number.isFinite(x)) throw new Error(`meanSd: item ${i} is ${x}`);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, sd, n: xs.length };
}
