/**
 * Student's t distribution (and the normal, its ν = ∞ limit): CDF, two-sided
 * tail and quantile for any real ν > 0 — Satterthwaite's degrees of freedom
 * (./two-level.ts) are not integers.
 *
 *   F_ν(t) = 1 − ½ I_{ν/(ν+t²)}(ν/2, ½)   for t ≥ 0,   F_ν(−t) = 1 − F_ν(t),
 *
 * with I_x(a, b) the regularized incomplete beta function, evaluated by its
 * continued fraction (modified Lentz; Press et al., Numerical Recipes, 3rd ed.,
 * §6.4) on the side of x where it converges fast. The normal CDF is
 * Φ(z) = ½ erfc(−z/√2), with erf(x) = P(½, x²), the regularized lower
 * incomplete gamma function (series / continued fraction, ibid. §6.2).
 * Quantiles invert the CDF by a bracketed Newton iteration. Checked against
 * scipy.stats.t and scipy.stats.norm in test/stats/student-t.test.ts.
 */

const EPS = 1e-16;
const TINY = 1e-300;

/** log Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error ≈ 1e-15). */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new Error(`logGamma: x must be > 0, got ${x}`);
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta (Numerical Recipes' betacf). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) return h;
  }
  throw new Error(`incomplete beta: no convergence for a=${a}, b=${b}, x=${x}`);
}

/**
 * log Γ(a + b) − log Γ(a) without the cancellation of two huge log-gammas when
 * a is large (Satterthwaite's ν can be 10⁶ and more): Stirling's series,
 * (a − ½)·log1p(b/a) + b·log(a + b) − b + the difference of the 1/(12z) terms.
 */
function logGammaShift(a: number, b: number): number {
  if (a < 1e4) return logGamma(a + b) - logGamma(a);
  const corr = (z: number) => 1 / (12 * z) - 1 / (360 * z ** 3) + 1 / (1260 * z ** 5);
  return (a - 0.5) * Math.log1p(b / a) + b * Math.log(a + b) - b + corr(a + b) - corr(a);
}

/**
 * Regularized incomplete beta I_x(a, b), 0 ≤ x ≤ 1, a, b > 0. `y` = 1 − x when
 * the caller knows it more precisely than 1 − x rounds (x near 1).
 */
export function incompleteBeta(x: number, a: number, b: number, y = 1 - x): number {
  if (!(a > 0 && b > 0)) throw new Error(`incompleteBeta: a and b must be > 0 (a=${a}, b=${b})`);
  if (!(x >= 0 && x <= 1)) throw new Error(`incompleteBeta: x must be in [0, 1], got ${x}`);
  if (x === 0 || x === 1) return x;
  const logX = y < 0.5 ? Math.log1p(-y) : Math.log(x);
  const logY = x < 0.5 ? Math.log1p(-x) : Math.log(y);
  const logB = a >= b ? logGammaShift(a, b) - logGamma(b) : logGammaShift(b, a) - logGamma(a);
  const lbt = logB + a * logX + b * logY;
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lbt) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(lbt) * betaContinuedFraction(b, a, y)) / b;
}

/** Regularized lower incomplete gamma P(a, x). */
function incompleteGammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const gln = logGamma(a);
  if (x < a + 1) {
    let ap = a;
    let sum = 1 / a;
    let del = sum;
    for (let n = 0; n < 10000; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * EPS) return sum * Math.exp(-x + a * Math.log(x) - gln);
    }
    throw new Error(`incomplete gamma: series did not converge (a=${a}, x=${x})`);
  }
  return 1 - incompleteGammaQcf(a, x, gln);
}

/** Upper Q(a, x) by its continued fraction (x ≥ a + 1). */
function incompleteGammaQcf(a: number, x: number, gln: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) return Math.exp(-x + a * Math.log(x) - gln) * h;
  }
  throw new Error(`incomplete gamma: continued fraction did not converge (a=${a}, x=${x})`);
}

/** erfc(x) to ≈ 1e-15 relative accuracy, also far in the tail. */
export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  // erfc(27) ≈ 5e-319 is already below the smallest normal double: 0 beyond (the continued fraction would
  // not converge for astronomically large x, e.g. a difference over a standard error at rounding level).
  if (x > 27) return 0;
  const x2 = x * x;
  if (x2 < 1.5) return 1 - incompleteGammaP(0.5, x2);
  return incompleteGammaQcf(0.5, x2, logGamma(0.5));
}

/** Standard normal CDF Φ(z). */
export const normalCdf = (z: number): number => 0.5 * erfc(-z / Math.SQRT2);

/** P[|Z| ≥ |z|] for a standard normal Z. */
export const normalTwoSided = (z: number): number => erfc(Math.abs(z) / Math.SQRT2);

function checkDf(df: number): void {
  if (!(df > 0)) throw new Error(`Student t: degrees of freedom must be > 0 (or Infinity), got ${df}`);
}

/** P[|T| ≥ |t|] for T ~ t_ν (ν = Infinity: the normal). */
export function tTwoSided(t: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(t)) throw new Error("tTwoSided: t is NaN");
  if (!Number.isFinite(t)) return 0;
  if (df === Infinity) return normalTwoSided(t);
  // Very large ν (Satterthwaite's, when the items dominate): the first term of the expansion in 1/ν,
  // F_ν(t) = Φ(t) − φ(t)(t³ + t)/(4ν) + O(ν⁻²), exact to ~1e-13 here, where the continued fraction converges slowly.
  if (df >= 1e7) {
    const a = Math.abs(t);
    if (a > 40) return 0; // both terms underflow (and (a³ + a)·e^(−a²/2) would read ∞ · 0)
    return normalTwoSided(t) + (2 * Math.exp(-0.5 * t * t) * (a ** 3 + a)) / (4 * df * Math.sqrt(2 * Math.PI));
  }
  return incompleteBeta(df / (df + t * t), df / 2, 0.5, (t * t) / (df + t * t));
}

/** The CDF of t_ν (ν = Infinity: the normal). */
export function tCdf(t: number, df: number): number {
  checkDf(df);
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const tail = tTwoSided(t, df) / 2;
  return t >= 0 ? 1 - tail : tail;
}

/** Density of t_ν. */
function tPdf(t: number, df: number): number {
  if (df === Infinity) return Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
  return Math.exp(logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * The p-quantile of t_ν (ν = Infinity: the normal), 0 < p < 1. Works on the
 * upper tail q = min(p, 1 − p) so extreme levels (Holm's 1 − α/m) keep their
 * precision: solves tTwoSided(x) = 2q for x ≥ 0 by Newton steps kept inside a
 * bracket (bisection when a step leaves it).
 */
export function tQuantile(p: number, df: number): number {
  checkDf(df);
  if (!(p > 0 && p < 1)) throw new Error(`tQuantile: p must be in (0, 1), got ${p}`);
  if (p === 0.5) return 0;
  const q = Math.min(p, 1 - p);
  const target = 2 * q;
  // Bracket [lo, hi] with tail(lo) ≥ target ≥ tail(hi).
  let lo = 0;
  let hi = 1;
  while (tTwoSided(hi, df) > target) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) throw new Error(`tQuantile: no bracket for p=${p}, df=${df}`);
  }
  let x = (lo + hi) / 2;
  for (let it = 0; it < 200; it++) {
    const f = tTwoSided(x, df) - target; // decreasing in x
    if (f > 0) lo = x;
    else hi = x;
    if (Math.abs(f) <= 1e-15 * target || hi - lo <= 1e-15 * Math.max(1, x)) break;
    const step = f / (2 * tPdf(x, df)); // d tail / dx = −2 pdf
    let next = x + step;
    if (!(next > lo && next < hi) || !Number.isFinite(next)) next = (lo + hi) / 2;
    x = next;
  }
  return p > 0.5 ? x : -x;
}
