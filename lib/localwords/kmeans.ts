/**
 * Word clustering (local-words paper, Algorithm 1, Sect. 2.2) and the elbow
 * rule for k (Sect. 4.2).
 *
 * Initialisation — farthest point: the first centre is a word vector drawn from
 * the seeded stream; each next centre is the vector farthest from the centres
 * chosen so far. "Farthest from the first two centres" is read as the usual
 * farthest-first traversal: maximise the distance to the *nearest* chosen centre.
 *
 * Iteration — Lloyd's k-means: assign each vector to its nearest centre
 * (Euclidean), move each centre to the mean of its vectors, repeat until the
 * centres stop changing (equivalently: no assignment changes). We use Elkan's
 * (2003) bounds to skip distance computations that cannot change an assignment;
 * the result is the same as plain Lloyd from the same centres. An empty cluster
 * keeps its previous centre.
 *
 * SSE = Σ_i ||x_i − c_{a(i)}||² (within-cluster sum of squared errors).
 */
import { Rng } from "../runtime/rng";

export interface KMeansResult {
  k: number;
  /** Cluster index of each vector. */
  assignment: Int32Array;
  /** k × dim centres, row-major. */
  centres: Float64Array;
  sse: number;
  iterations: number;
  converged: boolean;
  /** Distance computations done (for the bench; plain Lloyd does n·k per iteration). */
  distanceEvaluations: number;
}

export interface KMeansOptions {
  maxIterations?: number;
  /** Starting centres (k × dim); default: farthest-point initialisation from `rng`. */
  initialCentres?: Float64Array;
}

function dist2(x: Float64Array, i: number, c: Float64Array, j: number, dim: number): number {
  let s = 0;
  const a = i * dim;
  const b = j * dim;
  for (let t = 0; t < dim; t++) {
    const d = x[a + t] - c[b + t];
    s += d * d;
  }
  return s;
}

/** dist2 of rows i..i+3 of x to row j of x into out[0..3]: four independent sums, each over t in order. */
function dist2Rows4(x: Float64Array, i: number, j: number, dim: number, out: Float64Array): void {
  const a0 = i * dim;
  const a1 = a0 + dim;
  const a2 = a1 + dim;
  const a3 = a2 + dim;
  const b = j * dim;
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  for (let t = 0; t < dim; t++) {
    const v = x[b + t];
    const d0 = x[a0 + t] - v;
    const d1 = x[a1 + t] - v;
    const d2 = x[a2 + t] - v;
    const d3 = x[a3 + t] - v;
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
  }
  out[0] = s0;
  out[1] = s1;
  out[2] = s2;
  out[3] = s3;
}

/** Farthest-point initial centres; the first index comes from `rng`. Returns the chosen row indices. */
export function farthestPointInit(x: Float64Array, n: number, dim: number, k: number, rng: Rng): number[] {
  if (k > n) throw new Error(`kmeans: k=${k} exceeds the number of vectors (${n})`);
  const chosen = [rng.int(n)];
  const nearest = new Float64Array(n).fill(Infinity);
  const d4 = new Float64Array(4);
  while (chosen.length < k) {
    const last = chosen[chosen.length - 1];
    let best = -1;
    let bestD = -1;
    // Four rows' distances to the last centre at once (each summed over t in order, as dist2).
    for (let i = 0; i < n; i += 4) {
      const m = Math.min(4, n - i);
      if (m === 4) dist2Rows4(x, i, last, dim, d4);
      else for (let q = 0; q < m; q++) d4[q] = dist2(x, i + q, x, last, dim);
      for (let q = 0; q < m; q++) {
        if (d4[q] < nearest[i + q]) nearest[i + q] = d4[q];
        if (nearest[i + q] > bestD) {
          bestD = nearest[i + q];
          best = i + q;
        }
      }
    }
    chosen.push(best);
  }
  return chosen;
}

/**
 * Distances from row i of x to centres j0..j0+3 at once (x[t] loaded once per
 * four centres): the full-scan kernel. Writes squared distances to out[0..3].
 */
function dist2x4(x: Float64Array, i: number, c: Float64Array, j0: number, dim: number, out: Float64Array): void {
  const a = i * dim;
  const b0 = j0 * dim;
  const b1 = b0 + dim;
  const b2 = b1 + dim;
  const b3 = b2 + dim;
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  for (let t = 0; t < dim; t++) {
    const v = x[a + t];
    const d0 = v - c[b0 + t];
    const d1 = v - c[b1 + t];
    const d2 = v - c[b2 + t];
    const d3 = v - c[b3 + t];
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
  }
  out[0] = s0;
  out[1] = s1;
  out[2] = s2;
  out[3] = s3;
}

/**
 * Squared distances from row i of x to the centres listed in cand[0..m) into out[0..m),
 * four at a time: each sum still runs over t in order, so every value equals dist2's,
 * but four independent chains hide the add latency that bounds a single sum.
 */
function dist2List(x: Float64Array, i: number, c: Float64Array, cand: Int32Array, m: number, dim: number, out: Float64Array): void {
  const a = i * dim;
  let q = 0;
  for (; q + 4 <= m; q += 4) {
    const b0 = cand[q] * dim;
    const b1 = cand[q + 1] * dim;
    const b2 = cand[q + 2] * dim;
    const b3 = cand[q + 3] * dim;
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (let t = 0; t < dim; t++) {
      const v = x[a + t];
      const d0 = v - c[b0 + t];
      const d1 = v - c[b1 + t];
      const d2 = v - c[b2 + t];
      const d3 = v - c[b3 + t];
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    out[q] = s0;
    out[q + 1] = s1;
    out[q + 2] = s2;
    out[q + 3] = s3;
  }
  if (q + 2 <= m) {
    const b0 = cand[q] * dim;
    const b1 = cand[q + 1] * dim;
    let s0 = 0,
      s1 = 0;
    for (let t = 0; t < dim; t++) {
      const v = x[a + t];
      const d0 = v - c[b0 + t];
      const d1 = v - c[b1 + t];
      s0 += d0 * d0;
      s1 += d1 * d1;
    }
    out[q] = s0;
    out[q + 1] = s1;
    q += 2;
  }
  if (q < m) out[q] = dist2(x, i, c, cand[q], dim);
}

/** All k squared distances of row i into row i of `d2` (n × k), four centres per pass. */
function fullScan(x: Float64Array, i: number, c: Float64Array, k: number, dim: number, d2: Float64Array, quad: Float64Array): void {
  const o = i * k;
  let j = 0;
  for (; j + 8 <= k; j += 8) dist2x8(x, i, c, j, dim, d2, o + j);
  for (; j + 4 <= k; j += 4) {
    dist2x4(x, i, c, j, dim, quad);
    d2[o + j] = quad[0];
    d2[o + j + 1] = quad[1];
    d2[o + j + 2] = quad[2];
    d2[o + j + 3] = quad[3];
  }
  for (; j < k; j++) d2[o + j] = dist2(x, i, c, j, dim);
}

/** dist2 to centres j0..j0+7 into out[at..at+7]: eight independent sums, each in order over t. */
function dist2x8(x: Float64Array, i: number, c: Float64Array, j0: number, dim: number, out: Float64Array, at: number): void {
  const a = i * dim;
  const b = j0 * dim;
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0,
    s4 = 0,
    s5 = 0,
    s6 = 0,
    s7 = 0;
  for (let t = 0; t < dim; t++) {
    const v = x[a + t];
    const d0 = v - c[b + t];
    const d1 = v - c[b + dim + t];
    const d2 = v - c[b + 2 * dim + t];
    const d3 = v - c[b + 3 * dim + t];
    const d4 = v - c[b + 4 * dim + t];
    const d5 = v - c[b + 5 * dim + t];
    const d6 = v - c[b + 6 * dim + t];
    const d7 = v - c[b + 7 * dim + t];
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
    s4 += d4 * d4;
    s5 += d5 * d5;
    s6 += d6 * d6;
    s7 += d7 * d7;
  }
  out[at] = s0;
  out[at + 1] = s1;
  out[at + 2] = s2;
  out[at + 3] = s3;
  out[at + 4] = s4;
  out[at + 5] = s5;
  out[at + 6] = s6;
  out[at + 7] = s7;
}

/** near[at..at+k−1) = the centres other than j, by ½ d(c_j, ·) ascending, ties by index (insertion sort: k is small). */
function sortByHalfDistance(near: Int32Array, at: number, j: number, k: number, halfCC: Float64Array): void {
  let w = 0;
  for (let q = 0; q < k; q++) {
    if (q === j) continue;
    const h = halfCC[j * k + q];
    let p = at + w++;
    while (p > at && halfCC[j * k + near[p - 1]] > h) {
      near[p] = near[p - 1];
      p--;
    }
    near[p] = q;
  }
}

/**
 * Lloyd's iteration accelerated with Elkan's (2003) bounds: per point an upper
 * bound u on the distance to its centre and k lower bounds l_j on the distances
 * to every centre, moved by the triangle inequality when centres move. Centre j
 * is skipped for point i when u ≤ l_j or u ≤ ½·d(c_a, c_j), so only distances that
 * could change the assignment are computed. Same fixed point and path as plain
 * Lloyd from the same centres (exact ties aside): the bounds only skip work.
 */
export function kmeans(xIn: ArrayLike<number>, n: number, dim: number, k: number, rng: Rng, opts: KMeansOptions = {}): KMeansResult {
  if (!Number.isInteger(k) || k < 1) throw new Error(`kmeans: k must be a positive integer, got ${k}`);
  if (xIn.length !== n * dim) throw new Error(`kmeans: data has ${xIn.length} values, expected n×dim = ${n}×${dim}`);
  const x = xIn instanceof Float64Array ? xIn : Float64Array.from(xIn);
  const maxIterations = opts.maxIterations ?? 300;
  const c = new Float64Array(k * dim);
  if (opts.initialCentres) {
    if (opts.initialCentres.length !== k * dim)
      throw new Error(`kmeans: initialCentres has ${opts.initialCentres.length} values, expected ${k * dim}`);
    c.set(opts.initialCentres);
  } else {
    farthestPointInit(x, n, dim, k, rng).forEach((row, j) => c.set(x.subarray(row * dim, row * dim + dim), j * dim));
  }
  const a = new Int32Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n * k); // squared distances at first, then distances (below)
  const sums = new Float64Array(k * dim);
  const counts = new Float64Array(k);
  const moved = new Float64Array(k);
  const drift = new Float64Array(k); // Σ of each centre's moves so far
  const prev = new Float64Array(k * dim);
  const halfCC = new Float64Array(k * k); // ½ d(c_j, c_q)
  const s = new Float64Array(k); // ½ min_{q≠j} d(c_j, c_q)
  const quad = new Float64Array(4);
  const near = new Int32Array(k * Math.max(k - 1, 0)); // per centre, the others by distance
  const cand = new Int32Array(k + 1);
  const candD = new Float64Array(k + 1);
  let evals = 0;

  // First assignment: every distance, which also initialises the lower bounds.
  for (let i = 0; i < n; i++) {
    fullScan(x, i, c, k, dim, lower, quad);
    const o = i * k;
    let bi = 0;
    for (let j = 1; j < k; j++) if (lower[o + j] < lower[o + bi]) bi = j;
    for (let j = 0; j < k; j++) lower[o + j] = Math.sqrt(lower[o + j]);
    a[i] = bi;
    upper[i] = lower[o + bi];
    counts[bi]++;
    for (let t = 0; t < dim; t++) sums[bi * dim + t] += x[i * dim + t];
  }
  evals += n * k;
  let iterations = 0;
  let converged = false;
  for (;;) {
    // Move centres to their means (an empty cluster keeps its centre).
    prev.set(c);
    for (let j = 0; j < k; j++) if (counts[j] > 0) for (let t = 0; t < dim; t++) c[j * dim + t] = sums[j * dim + t] / counts[j];
    let anyMoved = false;
    for (let j = 0; j < k; j++) {
      moved[j] = Math.sqrt(dist2(c, j, prev, j, dim));
      if (moved[j] > 0) anyMoved = true;
    }
    iterations++;
    if (!anyMoved) {
      converged = true;
      break;
    }
    if (iterations >= maxIterations) break;
    // Move the bounds with the centres. Lower bounds are kept lazily: lower[i, j]
    // stores d + drift[j] at the time d was computed, and the bound now is
    // lower[i, j] − drift[j] (the sum of centre j's moves since then is subtracted
    // at once instead of a pass over all n·k bounds every iteration).
    for (let j = 0; j < k; j++) drift[j] += moved[j];
    for (let i = 0; i < n; i++) upper[i] += moved[a[i]];
    for (let j = 0; j < k; j++) {
      for (let q = j + 1; q < k; q++) cand[q - j - 1] = q;
      dist2List(c, j, c, cand, k - j - 1, dim, candD);
      let best = Infinity;
      for (let q = 0; q < k; q++) {
        if (q === j) continue;
        const h = q < j ? halfCC[q * k + j] : Math.sqrt(candD[q - j - 1]) / 2;
        halfCC[j * k + q] = h;
        if (h < best) best = h;
      }
      s[j] = best;
      // The other centres by ½ d(c_j, ·), nearest first: a point of centre j stops at the first
      // one whose half-distance is ≥ its bound u — no later centre can be nearer (Elkan's lemma).
      sortByHalfDistance(near, j * (k - 1), j, k, halfCC);
    }
    evals += (k * (k - 1)) / 2; // centre-to-centre distances
    for (let i = 0; i < n; i++) {
      let ai = a[i];
      let u = upper[i];
      if (u <= s[ai]) continue;
      const o = i * k;
      // Candidates: centres neither bound rules out (against the loose upper bound), scanned
      // nearest-first until the half-distance bound cuts the rest off.
      let m = 0;
      const row = ai * (k - 1);
      for (let w = 0; w < k - 1; w++) {
        const j = near[row + w];
        if (u <= halfCC[ai * k + j]) break;
        if (u <= lower[o + j] - drift[j]) continue;
        cand[m++] = j;
      }
      if (m === 0) continue;
      // The own centre's exact distance and the candidates', four at a time; the nearest wins, ties
      // to the lower index — the comparison is a total order on (distance, index), so the result is
      // a full scan's whatever the order of the candidates.
      cand[m] = ai;
      dist2List(x, i, c, cand, m + 1, dim, candD);
      evals += m + 1;
      u = Math.sqrt(candD[m]);
      lower[o + ai] = u + drift[ai];
      for (let q = 0; q < m; q++) {
        const j = cand[q];
        const d = Math.sqrt(candD[q]);
        lower[o + j] = d + drift[j];
        if (d < u || (d === u && j < ai)) {
          ai = j;
          u = d;
        }
      }
      upper[i] = u;
      const old = a[i];
      if (ai !== old) {
        counts[old]--;
        counts[ai]++;
        const po = i * dim;
        const so = old * dim;
        const sn = ai * dim;
        for (let t = 0; t < dim; t++) {
          const v = x[po + t];
          sums[so + t] -= v;
          sums[sn + t] += v;
        }
        a[i] = ai;
      }
    }
  }
  // Exact SSE (the bounds are loose by construction).
  let sse = 0;
  for (let i = 0; i < n; i++) sse += dist2(x, i, c, a[i], dim);
  return { k, assignment: a, centres: c, sse, iterations, converged, distanceEvaluations: evals };
}

export interface ElbowResult {
  ks: number[];
  sse: number[];
  /** The k at the elbow. */
  k: number;
  /** Each point's distance below the chord (normalised units). */
  score: number[];
}

/**
 * The elbow rule: with k and SSE both scaled to [0, 1], the elbow is the point
 * farthest below the straight line from the first to the last (k, SSE) point
 * (the "kneedle" reading of "the value of k at the elbow point"). The paper
 * gives no formula; this one is deterministic and scale-free.
 */
export function elbow(ks: readonly number[], sse: readonly number[]): ElbowResult {
  if (ks.length !== sse.length || ks.length < 3)
    throw new Error(`kmeans: elbow needs at least 3 (k, SSE) points with matching lengths (got ${ks.length} and ${sse.length})`);
  const k0 = ks[0];
  const k1 = ks[ks.length - 1];
  const smin = Math.min(...sse);
  const smax = Math.max(...sse);
  const nx = (k: number) => (k - k0) / (k1 - k0);
  const ny = (s: number) => (smax > smin ? (s - smin) / (smax - smin) : 0);
  const y0 = ny(sse[0]);
  const y1 = ny(sse[sse.length - 1]);
  const score = ks.map((k, i) => y0 + (y1 - y0) * nx(k) - ny(sse[i]));
  let best = 0;
  for (let i = 1; i < score.length; i++) if (score[i] > score[best]) best = i;
  return { ks: [...ks], sse: [...sse], k: ks[best], score };
}

/** Group item indices by cluster. */
export function clusterMembers(assignment: Int32Array, k: number): number[][] {
  const out: number[][] = Array.from({ length: k }, () => []);
  assignment.forEach((c, i) => out[c].push(i));
  return out;
}
