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
 * centres stop changing (equivalently: no assignment changes). We use Hamerly's
 * (2010) bounds to skip distance computations that cannot change an assignment;
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

/** Farthest-point initial centres; the first index comes from `rng`. Returns the chosen row indices. */
export function farthestPointInit(x: Float64Array, n: number, dim: number, k: number, rng: Rng): number[] {
  if (k > n) throw new Error(`kmeans: k=${k} exceeds the number of vectors (${n})`);
  const chosen = [rng.int(n)];
  const nearest = new Float64Array(n).fill(Infinity);
  while (chosen.length < k) {
    const last = chosen[chosen.length - 1];
    let best = -1;
    let bestD = -1;
    for (let i = 0; i < n; i++) {
      const d = dist2(x, i, x, last, dim);
      if (d < nearest[i]) nearest[i] = d;
      if (nearest[i] > bestD) {
        bestD = nearest[i];
        best = i;
      }
    }
    chosen.push(best);
  }
  return chosen;
}

export function kmeans(xIn: ArrayLike<number>, n: number, dim: number, k: number, rng: Rng, opts: KMeansOptions = {}): KMeansResult {
  if (!Number.isInteger(k) || k < 1) throw new Error(`kmeans: k must be a positive integer, got ${k}`);
  if (xIn.length !== n * dim) throw new Error(`kmeans: data has ${xIn.length} values, expected n×dim = ${n}×${dim}`);
  const x = xIn instanceof Float64Array ? xIn : Float64Array.from(xIn);
  const maxIterations = opts.maxIterations ?? 300;
  const c = new Float64Array(k * dim);
  if (opts.initialCentres) {
    if (opts.initialCentres.length !== k * dim) throw new Error(`kmeans: initialCentres has ${opts.initialCentres.length} values, expected ${k * dim}`);
    c.set(opts.initialCentres);
  } else {
    farthestPointInit(x, n, dim, k, rng).forEach((row, j) => c.set(x.subarray(row * dim, row * dim + dim), j * dim));
  }
  const a = new Int32Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const sums = new Float64Array(k * dim);
  const counts = new Float64Array(k);
  const s = new Float64Array(k);
  const moved = new Float64Array(k);
  const prev = new Float64Array(k * dim);
  let evals = 0;

  // First assignment: full scan.
  for (let i = 0; i < n; i++) {
    let b1 = Infinity;
    let b2 = Infinity;
    let bi = 0;
    for (let j = 0; j < k; j++) {
      const d = dist2(x, i, c, j, dim);
      if (d < b1) {
        b2 = b1;
        b1 = d;
        bi = j;
      } else if (d < b2) b2 = d;
    }
    evals += k;
    a[i] = bi;
    upper[i] = Math.sqrt(b1);
    lower[i] = Math.sqrt(b2);
    counts[bi]++;
    for (let t = 0; t < dim; t++) sums[bi * dim + t] += x[i * dim + t];
  }
  let iterations = 0;
  let converged = false;
  for (;;) {
    // Move centres to their means.
    prev.set(c);
    for (let j = 0; j < k; j++) if (counts[j] > 0) for (let t = 0; t < dim; t++) c[j * dim + t] = sums[j * dim + t] / counts[j];
    let m1 = 0;
    let m2 = 0;
    let m1j = -1;
    for (let j = 0; j < k; j++) {
      moved[j] = Math.sqrt(dist2(c, j, prev, j, dim));
      if (moved[j] > m1) {
        m2 = m1;
        m1 = moved[j];
        m1j = j;
      } else if (moved[j] > m2) m2 = moved[j];
    }
    iterations++;
    if (m1 === 0) {
      converged = true;
      break;
    }
    if (iterations >= maxIterations) break;
    for (let i = 0; i < n; i++) {
      upper[i] += moved[a[i]];
      lower[i] -= a[i] === m1j ? m2 : m1;
    }
    // Half the distance from each centre to its nearest other centre.
    for (let j = 0; j < k; j++) {
      let best = Infinity;
      for (let q = 0; q < k; q++) if (q !== j) {
        const d = dist2(c, j, c, q, dim);
        if (d < best) best = d;
      }
      s[j] = k > 1 ? Math.sqrt(best) / 2 : Infinity;
    }
    evals += k * (k - 1); // centre-to-centre distances
    for (let i = 0; i < n; i++) {
      const ai = a[i];
      const bound = Math.max(s[ai], lower[i]);
      if (upper[i] <= bound) continue;
      upper[i] = Math.sqrt(dist2(x, i, c, ai, dim));
      evals++;
      if (upper[i] <= bound) continue;
      let b1 = Infinity;
      let b2 = Infinity;
      let bi = 0;
      for (let j = 0; j < k; j++) {
        const d = dist2(x, i, c, j, dim);
        if (d < b1) {
          b2 = b1;
          b1 = d;
          bi = j;
        } else if (d < b2) b2 = d;
      }
      evals += k;
      upper[i] = Math.sqrt(b1);
      lower[i] = Math.sqrt(b2);
      if (bi !== ai) {
        counts[ai]--;
        counts[bi]++;
        for (let t = 0; t < dim; t++) {
          const v = x[i * dim + t];
          sums[ai * dim + t] -= v;
          sums[bi * dim + t] += v;
        }
        a[i] = bi;
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
  if (ks.length !== sse.length || ks.length < 3) throw new Error(`kmeans: elbow needs at least 3 (k, SSE) points with matching lengths (got ${ks.length} and ${sse.length})`);
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
