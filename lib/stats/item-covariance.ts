/**
 * The item covariance C of G runs' item means (Acc, Mean km, Acc@161, Acc@1 km,
 * and paired differences of them) in closed form: the covariance that the item
 * bootstrap of ./item-bootstrap.ts estimates by resampling the distinct items,
 * without its Monte Carlo noise and at the cost of one pass over the items
 * instead of 2,000.
 *
 * The resampling being described. A replicate gives the N distinct items
 * multinomial counts c ~ Mult(N; 1/N, …), so E c = 1 and Cov c = I − 11ᵀ/N, and
 * run g's statistic is the weighted mean X_g(c) = Σ_{i∈g} c_i v_gi / Σ_{i∈g} c_i.
 * Its derivative at c = 1 (every item once: the plain statistic) is the run's
 * influence vector
 *
 *   U_gj = ∂X_g/∂c_j = (v_gj − X_g)/n_g  for j ∈ g (0 otherwise),   Σ_j U_gj = 0
 *
 * (lib/metrics/weighted.ts `influence`), and to first order (the delta method for
 * the bootstrap distribution — the infinitesimal jackknife: Efron 1982, "The
 * Jackknife, the Bootstrap and Other Resampling Plans", §6; Efron & Tibshirani
 * 1993, §21.3)
 *
 *   C_gh = U_g (I − 11ᵀ/N) U_hᵀ = Σ_j U_gj U_hj.
 *
 * For one run this is exact, not an approximation: Σ c = N is fixed, X(c) is
 * linear in c, and C = Σ (v_i − X)²/n² — the ideal bootstrap's variance of a
 * mean, e.g. p(1 − p)/n for an accuracy. Where runs share only part of their
 * items the denominator Σ_{i∈g} c_i varies by a relative √(1/n_g), and the ideal
 * bootstrap differs from C by terms of relative order 1/n_g — below the ±√(2/B)
 * ≈ 3 % relative noise of a 2,000-replicate bootstrap (test/stats/item-covariance.test.ts
 * checks the two against each other). Runs without a common item get C_gh = 0
 * exactly, as the bootstrap's own were set to.
 *
 * Where it is not used (./paired.ts): clustered items, whose cluster sizes make
 * the denominator itself random at first order (a Flickr owner with a third of a
 * test set's photos: 15 % short of the bootstrap's sd, measured), and statistics
 * that are not item means (macro scores, medians). The function itself takes any
 * units and influences; the caller decides where a first-order covariance is
 * good enough.
 *
 * Why it matters: at the papers' size (235,120 users, ten 80/20 splits: ≈ 47,000
 * test users each) the bootstrap over every distinct user was 10 of notebook 07's
 * ≈ 40 minutes at paper scale (measured).
 */
import type { ResamplingUnits } from "./item-bootstrap";

/**
 * C from each run's item influences: `influences[g][i]` is ∂M/∂w_i of run g's item i (the items in
 * `units.slots[g]`'s order); an item's influence adds to its unit's.
 */
export function linearizedItemCovariance(units: ResamplingUnits, influences: readonly ArrayLike<number>[]): number[][] {
  const G = units.slots.length;
  if (influences.length !== G) throw new Error(`item covariance: ${influences.length} influence lists for ${G} runs`);
  // U_g as a dense vector over the units (the runs of one claim share most of theirs).
  const U = units.slots.map((s, g) => {
    const v = influences[g];
    if (v.length !== s.length) throw new Error(`item covariance: run ${g} has ${s.length} items but ${v.length} influences`);
    const u = new Float64Array(units.distinctUnits);
    for (let i = 0; i < s.length; i++) {
      if (!Number.isFinite(v[i])) throw new Error(`item covariance: run ${g}, item ${i}: influence ${v[i]}`);
      u[s[i]] += v[i];
    }
    return u;
  });
  // Only run g's own units can contribute to C_gh (U_gj = 0 elsewhere): each run's distinct units, once.
  const own = units.slots.map((s) => Int32Array.from(new Set(s)));
  const covariance = Array.from({ length: G }, () => new Array<number>(G).fill(0));
  for (let g = 0; g < G; g++)
    for (let h = g; h < G; h++) {
      const ug = U[g],
        uh = U[h],
        js = own[g];
      let c = 0;
      for (let k = 0; k < js.length; k++) c += ug[js[k]] * uh[js[k]];
      covariance[g][h] = covariance[h][g] = c;
    }
  return covariance;
}
