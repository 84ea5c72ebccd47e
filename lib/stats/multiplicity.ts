/**
 * Family-wise error control for a family of m hypotheses: Holm's step-down
 * procedure (Holm 1979, "A simple sequentially rejective multiple test
 * procedure", Scand. J. Statist. 6).
 *
 * Sort the p-values p_(1) ≤ … ≤ p_(m); reject H_(1) … H_(r) for the largest r
 * with p_(j) ≤ α/(m − j + 1) for every j ≤ r. The adjusted p-value is
 *
 *   p̃_(r) = max_{j ≤ r} min(1, (m − j + 1) p_(j)),
 *
 * and H_(r) is rejected iff p̃_(r) ≤ α. The row of rank r is read at the level
 * 1 − α/(m − r + 1) (its "adjusted interval").
 *
 * Why Holm, and why a family-wise rate. A verdict in the claims table is read
 * claim by claim ("does MRLF beat its baselines in New York?"), so the error
 * that matters is a false verdict on any one claim: the family-wise error rate
 * (FWER), not the false discovery rate, which only bounds the expected share of
 * false verdicts among the decisive ones. Holm controls the FWER at α under any
 * dependence between the p-values — our claims share systems, seeds and test
 * items, so their p-values are dependent in unknown ways; Benjamini–Hochberg's
 * FDR guarantee needs positive regression dependence (PRDS), which two claims
 * with opposite directions on the same systems need not have. Holm is uniformly
 * more powerful than Bonferroni (its first step is Bonferroni's).
 */

export interface HolmResult {
  /** Adjusted p-value of each input (same order). */
  adjusted: number[];
  /** 1-based rank of each input in increasing p (ties: input order). */
  rank: number[];
  m: number;
}

export function holm(ps: readonly number[]): HolmResult {
  ps.forEach((p, i) => {
    if (!(p >= 0 && p <= 1)) throw new Error(`holm: p-value ${i} is ${p}, not in [0, 1]`);
  });
  const m = ps.length;
  const order = ps.map((_, i) => i).sort((a, b) => ps[a] - ps[b] || a - b);
  const adjusted = new Array<number>(m);
  const rank = new Array<number>(m);
  let running = 0;
  order.forEach((i, j) => {
    running = Math.max(running, Math.min(1, (m - j) * ps[i]));
    adjusted[i] = running;
    rank[i] = j + 1;
  });
  return { adjusted, rank, m };
}

/** The confidence level at which Holm reads the row of rank r among m: 1 − α/(m − r + 1). */
export function holmLevel(alpha: number, m: number, rank: number): number {
  if (!(rank >= 1 && rank <= m)) throw new Error(`holmLevel: rank ${rank} not in 1..${m}`);
  return 1 - alpha / (m - rank + 1);
}
