/**
 * Exact McNemar test for two classifiers scored on the same items
 * (McNemar 1947; the exact form is the binomial test of the discordant pairs,
 * Edwards 1948 / Dietterich 1998 for classifier comparison):
 *
 *   b = #items A gets right and B wrong,  c = #items A wrong and B right,
 *   under H0 (equal accuracy) b ~ Binomial(b + c, 1/2), and the two-sided
 *   p = min(1, 2 · P[X ≤ min(b, c)]).
 *
 * For p = 1/2 the binomial is symmetric, so this equals scipy's
 * `binomtest(b, b + c, 0.5, alternative="two-sided").pvalue` (checked in
 * test/stats/mcnemar.test.ts against Debian's python3-scipy).
 */
export interface McNemar {
  /** A right, B wrong. */
  b: number;
  /** A wrong, B right. */
  c: number;
  /** Exact two-sided p-value (1 when there are no discordant items). */
  p: number;
}

/** P[X ≤ k] for X ~ Binomial(n, 1/2), by log-sum-exp over the terms. */
export function binomialHalfCdf(k: number, n: number): number {
  if (!(Number.isInteger(n) && n >= 0 && Number.isInteger(k)))
    throw new Error(`binomialHalfCdf: need integers 0 ≤ k, n (got k=${k}, n=${n})`);
  if (k < 0) return 0;
  if (k >= n) return 1;
  const logs: number[] = [];
  let lc = 0; // log C(n, 0)
  for (let i = 0; i <= k; i++) {
    if (i > 0) lc += Math.log(n - i + 1) - Math.log(i);
    logs.push(lc);
  }
  const m = Math.max(...logs);
  const s = logs.reduce((a, l) => a + Math.exp(l - m), 0);
  return Math.min(1, Math.exp(m + Math.log(s) - n * Math.LN2));
}

export function mcnemarExact(b: number, c: number): McNemar {
  if (!(Number.isInteger(b) && Number.isInteger(c) && b >= 0 && c >= 0))
    throw new Error(`mcnemarExact: counts must be non-negative integers (b=${b}, c=${c})`);
  const n = b + c;
  const p = n === 0 ? 1 : Math.min(1, 2 * binomialHalfCdf(Math.min(b, c), n));
  return { b, c, p };
}

/** Discordant counts of two prediction vectors against one truth. */
export function discordant(truth: ArrayLike<number>, a: ArrayLike<number>, bPred: ArrayLike<number>): { b: number; c: number } {
  if (a.length !== truth.length || bPred.length !== truth.length)
    throw new Error(`discordant: ${truth.length} items but ${a.length} and ${bPred.length} predictions`);
  let b = 0,
    c = 0;
  for (let i = 0; i < truth.length; i++) {
    const ra = a[i] === truth[i];
    const rb = bPred[i] === truth[i];
    if (ra && !rb) b++;
    else if (!ra && rb) c++;
  }
  return { b, c };
}
