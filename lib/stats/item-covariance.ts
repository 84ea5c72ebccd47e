/**
 * The item covariance C of G runs' statistics in closed form, for statistics
 * that are means of a per-item value (Acc, Mean km, Acc@161, Acc@1 km, and a
 * paired difference of two of them): the covariance that the item bootstrap of
 * ./item-bootstrap.ts estimates by resampling, without its Monte Carlo noise
 * and at the cost of one pass over the items instead of 2,000.
 *
 * The resampling being described. A replicate gives the N distinct units (items,
 * or clusters of items: Flickr owners) multinomial counts c ~ Mult(N; 1/N, …),
 * so E c = 1 and Cov c = I − 11ᵀ/N, and run g's statistic is the weighted mean
 *
 *   X_g(c) = Σ_{i∈g} c_{u(i)} v_gi / Σ_{i∈g} c_{u(i)}        (u(i): item i's unit).
 *
 * Its derivative at c = 1 (every unit once: the plain statistic X_g) is the
 * run's influence vector
 *
 *   U_gj = ∂X_g/∂c_j = Σ_{i∈g, u(i)=j} (v_gi − X_g) / n_g,     Σ_j U_gj = 0,
 *
 * and to first order (the delta method for the bootstrap distribution: Efron
 * 1982, "The Jackknife, the Bootstrap and Other Resampling Plans", §6.4 — the
 * infinitesimal jackknife — and Efron & Tibshirani 1993, §21.3)
 *
 *   C_gh = U_g (I − 11ᵀ/N) U_hᵀ = Σ_j U_gj U_hj.
 *
 * For one run whose items are their own units this is exact, not an
 * approximation: Σ c = N is fixed, X(c) is linear in c, and C = Σ (v_i − X)²/n²
 * — the ideal bootstrap's variance of a mean (σ̂²/n with divisor n), e.g.
 * p(1 − p)/n for an accuracy. Where runs share only part of their items, or
 * items come in clusters, the denominator Σ_{i∈g} c_{u(i)} varies and the
 * ideal bootstrap differs from C by terms of relative order 1/n_g — below the
 * ±√(2/B) ≈ 3 % relative noise of a 2,000-replicate bootstrap at every test
 * set size the suite scores (test/stats/item-covariance.test.ts checks the
 * two against each other). Runs without a common unit get C_gh = 0 exactly,
 * as the bootstrap's own were set to.
 *
 * Why it matters: at the papers' sizes (235,120 users, ten 80/20 splits:
 * ≈ 210,000 distinct test users) the bootstrap over every distinct user was
 * most of notebook 07's time at paper scale (10 of ≈ 40 minutes, measured);
 * medians and macro scores are not item means and keep the bootstrap.
 */
import type { ResamplingUnits } from "./item-bootstrap";

export interface MeanItemCovariance {
  /** Each run's mean X_g of its items' values. */
  full: number[];
  /** The G × G item covariance Σ_j U_gj U_hj. */
  covariance: number[][];
}

/**
 * `values[g][i]` is run g's value on its item i (the items in `units.slots[g]`'s
 * order); `means[g]`, when given, is the run's mean as the caller computed it
 * (the printed estimate), so that the influences are centred on exactly it.
 */
export function meanItemCovariance(
  units: ResamplingUnits,
  values: readonly ArrayLike<number>[],
  means?: readonly number[],
): MeanItemCovariance {
  const G = units.slots.length;
  if (values.length !== G) throw new Error(`item covariance: ${values.length} value lists for ${G} runs`);
  const full = units.slots.map((s, g) => {
    const v = values[g];
    if (v.length !== s.length) throw new Error(`item covariance: run ${g} has ${s.length} items but ${v.length} values`);
    if (means) return means[g];
    let sum = 0;
    for (let i = 0; i < v.length; i++) sum += v[i];
    return sum / v.length;
  });
  // U_g as a dense vector over the units (the runs of one claim share most of theirs).
  const U = units.slots.map((s, g) => {
    const u = new Float64Array(units.distinctUnits);
    const v = values[g];
    const n = s.length;
    for (let i = 0; i < n; i++) {
      const x = v[i];
      if (!Number.isFinite(x)) throw new Error(`item covariance: run ${g}, item ${i}: value ${x}`);
      u[s[i]] += (x - full[g]) / n;
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
  return { full, covariance };
}
