/**
 * The cross-validated Naive Bayes error of a subset S of word groups (clusters,
 * or the IGR bands of ./tune.ts), kept up to date as groups leave or join S:
 * what the wrapper (./wrapper.ts) and the CV tuning of N2 (./tune.ts) ask.
 *
 * Fit once per fold. For held-out user d of fold φ (the classifier trained on
 * the other folds), label l and group c, with P_φ(w|l) = (f_φ(w,l)+α)/(F_φ(w)+α|L|)
 * (Eq. 3):
 *   user-words:  A[d,l,c] = Σ_{w ∈ d∩c} log P_φ(w|l)
 *   literal:     A[d,l,c] = Σ_{w ∈ d∩c, f_φ(w,l) > 0} log P_φ(w|l)
 * and the score of l for d under S is log P_φ(l) + T[d,l] with T[d,l] = Σ_{c∈S} A[d,l,c]
 * (Eq. 3's normaliser is per word, so a group's part does not depend on the rest
 * of S): removing a group subtracts its words' part instead of refitting.
 * `sparseCvScorer` keeps T (users × labels) and, per user, only the groups the
 * user has words in; the multinomial reading, whose normaliser sums over S, keeps
 * the dense precomputation of `denseCvScorer`.
 *
 * Scoring every candidate removal in one pass. Removing c changes only the users
 * with words in c. For such a user, label l can only overtake the true label y
 * if its current score s_l ≥ s'_y + min_l A[d,l,c] (every A[d,l,c] is at least
 * the sum of its words' smallest log terms), so only those "threat" labels are
 * computed exactly — from the user's top-M labels, or all labels when the M-th
 * is still a threat. Scores are compared exactly as a refitted NB compares them
 * (the first maximum wins), with the same float operations in the same order as
 * the dense precomputation, so both give identical errors
 * (test/localwords/cluster-wrapper.test.ts also refits NB for every candidate).
 */
import { SparseDoc, labelWordCounts } from "./corpus";
import { NbReading } from "./naive-bayes";

/** What the wrapper and the N2 tuning need from a scorer. */
export interface CvScorer {
  /** Pooled CV error (wrong / users) of the current subset. */
  error(): number;
  /** The error of the current subset without each of `candidates` (all in the subset), in their order. */
  errorsWithout(candidates: readonly number[]): number[];
  add(c: number): void;
  remove(c: number): void;
}

export interface CvScorerInput {
  docs: readonly SparseDoc[];
  nLabels: number;
  nWords: number;
  /** Group of each word id (0..k−1), or −1 for a word that is no feature. */
  clusterOf: Int32Array;
  k: number;
  /** Fold of each user (0..folds−1). */
  fold: Int32Array;
  folds: number;
  reading: NbReading;
  alpha?: number;
}

/** The scorer for a reading: sparse for user-words and literal, dense for multinomial. */
export function cvScorer(p: CvScorerInput, initial: readonly number[]): CvScorer {
  return p.reading === "multinomial" ? denseCvScorer(p, initial) : new SparseCvScorer(p, initial);
}

function check(p: CvScorerInput): void {
  if (p.clusterOf.length !== p.nWords) throw new Error(`wrapper: clusterOf has ${p.clusterOf.length} entries, vocabulary has ${p.nWords}`);
  if (p.fold.length !== p.docs.length) throw new Error(`wrapper: ${p.fold.length} fold indices for ${p.docs.length} users`);
}

/** log(c + offset) for integer c < 256 from a table (the same values as Math.log). */
function logTable(offset: number): (c: number) => number {
  const t = new Float64Array(256);
  for (let c = 0; c < 256; c++) t[c] = Math.log(c + offset);
  return (c) => (c < 256 && (c | 0) === c ? t[c] : Math.log(c + offset));
}

/** Per fold: log priors and, per feature word and label, Eq. 3's log term (0 where unseen for literal). */
function foldTerms(p: CvScorerInput, fwOf: Int32Array, F: number): { logPrior: Float64Array; lt: Float64Array; ltLo: Float64Array } {
  const { docs, nLabels: L, nWords: V, fold, folds, reading } = p;
  const alpha = p.alpha ?? 1;
  const onlySeen = reading === "literal";
  const n = docs.length;
  const all = labelWordCounts(docs, L, V);
  const perLabel = new Float64Array(L);
  for (const d of docs) perLabel[d.y]++;
  const logPrior = new Float64Array(folds * L);
  const lt = new Float64Array(folds * F * L);
  const ltLo = new Float64Array(folds * F);
  const logNum = logTable(alpha);
  const logDen = logTable(alpha * L);
  const f = new Float64Array(V * L);
  for (let phi = 0; phi < folds; phi++) {
    f.set(all);
    const classCount = perLabel.slice();
    let held = 0;
    for (let i = 0; i < n; i++) {
      if (fold[i] !== phi) continue;
      held++;
      const d = docs[i];
      classCount[d.y]--;
      for (let t = 0; t < d.terms.length; t++) f[d.terms[t] * L + d.y] -= d.counts[t];
    }
    const nTrain = n - held;
    for (let l = 0; l < L; l++) logPrior[phi * L + l] = classCount[l] > 0 ? Math.log(classCount[l] / nTrain) : -Infinity;
    for (let w = 0; w < V; w++) {
      const fw = fwOf[w];
      if (fw < 0) continue;
      let tot = 0;
      for (let l = 0; l < L; l++) tot += f[w * L + l];
      const den = logDen(tot);
      const o = (phi * F + fw) * L;
      let lo = Infinity;
      for (let l = 0; l < L; l++) {
        const x = f[w * L + l];
        const v = onlySeen && !(x > 0) ? 0 : logNum(x) - den;
        lt[o + l] = v;
        if (v < lo) lo = v;
      }
      ltLo[phi * F + fw] = lo;
    }
  }
  return { logPrior, lt, ltLo };
}

/** Top labels kept per user for the threat search. */
const TOP = 8;

/** See the module doc. */
export class SparseCvScorer implements CvScorer {
  private readonly n: number;
  private readonly L: number;
  private readonly F: number;
  private readonly y: Int32Array;
  private readonly fold: Int32Array;
  private readonly logPrior: Float64Array;
  private readonly lt: Float64Array;
  private readonly ltLo: Float64Array;
  /** Per user, its groups (ascending) as segments of feature-word indices in term order. */
  private readonly segStart: Int32Array;
  private readonly segGroup: Int32Array;
  private readonly segTerm: Int32Array;
  private readonly terms: Int32Array;
  /** Per group, the users with words in it (and which of their segments). */
  private readonly groupStart: Int32Array;
  private readonly groupUser: Int32Array;
  private readonly groupSeg: Int32Array;
  private readonly T: Float64Array;
  private readonly inSubset: Uint8Array;
  private readonly wrongNow: Uint8Array;
  private readonly top: Int32Array;
  private readonly floor: Float64Array;
  private wrong = 0;
  private readonly a: Float64Array;
  private readonly s: Float64Array;

  constructor(p: CvScorerInput, initial: readonly number[]) {
    check(p);
    const { docs, nLabels: L, clusterOf, k } = p;
    const n = docs.length;
    this.n = n;
    this.L = L;
    const fwOf = new Int32Array(p.nWords).fill(-1);
    let F = 0;
    for (let w = 0; w < p.nWords; w++) if (clusterOf[w] >= 0) fwOf[w] = F++;
    this.F = F;
    this.y = Int32Array.from(docs, (d) => d.y);
    this.fold = p.fold;
    const ft = foldTerms(p, fwOf, F);
    this.logPrior = ft.logPrior;
    this.lt = ft.lt;
    this.ltLo = ft.ltLo;

    // Segments: each user's feature terms grouped by group (ascending), term order kept inside a group.
    const segCount = new Int32Array(n);
    let nTerms = 0;
    const mark = new Int32Array(k).fill(-1);
    docs.forEach((d, i) => {
      for (let t = 0; t < d.terms.length; t++) {
        const c = clusterOf[d.terms[t]];
        if (c < 0 || !(d.counts[t] > 0)) continue;
        nTerms++;
        if (mark[c] !== i) ((mark[c] = i), segCount[i]++);
      }
    });
    this.segStart = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) this.segStart[i + 1] = this.segStart[i] + segCount[i];
    const nSeg = this.segStart[n];
    this.segGroup = new Int32Array(nSeg);
    this.segTerm = new Int32Array(nSeg + 1);
    this.terms = new Int32Array(nTerms);
    const perGroup = new Int32Array(k);
    const groups: number[] = [];
    const byGroup = new Map<number, number[]>();
    let at = 0;
    docs.forEach((d, i) => {
      groups.length = 0;
      byGroup.clear();
      for (let t = 0; t < d.terms.length; t++) {
        const c = clusterOf[d.terms[t]];
        if (c < 0 || !(d.counts[t] > 0)) continue;
        let list = byGroup.get(c);
        if (!list) byGroup.set(c, (list = []));
        list.push(fwOf[d.terms[t]]);
      }
      const sorted = [...byGroup.keys()].sort((x, z) => x - z);
      let s = this.segStart[i];
      for (const c of sorted) {
        this.segGroup[s] = c;
        this.segTerm[s] = at;
        for (const fw of byGroup.get(c)!) this.terms[at++] = fw;
        perGroup[c]++;
        s++;
      }
    });
    this.segTerm[nSeg] = at;
    this.groupStart = new Int32Array(k + 1);
    for (let c = 0; c < k; c++) this.groupStart[c + 1] = this.groupStart[c] + perGroup[c];
    this.groupUser = new Int32Array(nSeg);
    this.groupSeg = new Int32Array(nSeg);
    const fill = this.groupStart.slice(0, k);
    for (let i = 0; i < n; i++)
      for (let s = this.segStart[i]; s < this.segStart[i + 1]; s++) {
        const c = this.segGroup[s];
        this.groupUser[fill[c]] = i;
        this.groupSeg[fill[c]++] = s;
      }

    this.T = new Float64Array(n * L);
    this.inSubset = new Uint8Array(k);
    this.wrongNow = new Uint8Array(n);
    this.top = new Int32Array(n * Math.min(TOP, L));
    this.floor = new Float64Array(n);
    this.a = new Float64Array(L);
    this.s = new Float64Array(L);
    // The initial subset: T = Σ of its groups' parts, added in ascending group order (as the dense scorer adds them).
    for (const c of initial) {
      if (!(c >= 0 && c < k)) throw new Error(`wrapper: group ${c} is outside 0..${k - 1}`);
      this.inSubset[c] = 1;
    }
    for (let i = 0; i < n; i++) {
      for (let s = this.segStart[i]; s < this.segStart[i + 1]; s++) {
        if (!this.inSubset[this.segGroup[s]]) continue;
        this.segmentVector(i, s);
        const row = i * L;
        for (let l = 0; l < L; l++) this.T[row + l] += this.a[l];
      }
      this.rescore(i);
    }
  }

  /** this.a = A[i, ·, group of segment s], summed over the segment's words in term order. */
  private segmentVector(i: number, s: number): void {
    const { L, F, lt, a } = this;
    a.fill(0);
    const base = this.fold[i] * F;
    for (let t = this.segTerm[s]; t < this.segTerm[s + 1]; t++) {
      const o = (base + this.terms[t]) * L;
      for (let l = 0; l < L; l++) a[l] += lt[o + l];
    }
  }

  /** A[i, l, group of segment s] for one label. */
  private segmentAt(i: number, s: number, l: number): number {
    const { L, F, lt } = this;
    const base = this.fold[i] * F;
    let v = 0;
    for (let t = this.segTerm[s]; t < this.segTerm[s + 1]; t++) v += lt[(base + this.terms[t]) * L + l];
    return v;
  }

  /** Scores of user i, whether NB gets it wrong, and its top labels. */
  private rescore(i: number): void {
    const { L, s, T, logPrior } = this;
    const pl = this.fold[i] * L;
    const row = i * L;
    let best = -Infinity;
    let bestL = 0;
    for (let l = 0; l < L; l++) {
      const v = logPrior[pl + l] + T[row + l];
      s[l] = v;
      if (v > best) {
        best = v;
        bestL = l;
      }
    }
    const was = this.wrongNow[i];
    const now = bestL !== this.y[i] ? 1 : 0;
    this.wrongNow[i] = now;
    this.wrong += now - was;
    // Top labels by score (ties: lower label first), and the largest score outside them.
    const M = Math.min(TOP, L);
    const top = this.top;
    const o = i * M;
    let m = 0;
    let floor = -Infinity;
    for (let l = 0; l < L; l++) {
      const v = s[l];
      if (m === M) {
        const last = s[top[o + M - 1]];
        if (!(v > last)) {
          if (v > floor) floor = v;
          continue;
        }
        if (last > floor) floor = last;
        m--;
      }
      let p = o + m++;
      while (p > o && s[top[p - 1]] < v) {
        top[p] = top[p - 1];
        p--;
      }
      top[p] = l;
    }
    this.floor[i] = floor;
  }

  error(): number {
    return this.wrong / this.n;
  }

  /** Whether NB gets user i right once the group of segment s is removed (see the module doc). */
  private rightWithout(i: number, seg: number): boolean {
    const { L, T, logPrior } = this;
    const y = this.y[i];
    const pl = this.fold[i] * L;
    const row = i * L;
    const sy = logPrior[pl + y] + T[row + y] - this.segmentAt(i, seg, y);
    if (!(sy > -Infinity)) return this.rightWithoutFull(i, seg);
    let lo = 0;
    const base = this.fold[i] * this.F;
    for (let t = this.segTerm[seg]; t < this.segTerm[seg + 1]; t++) lo += this.ltLo[base + this.terms[t]];
    const threshold = sy + lo - 1e-9 * (1 + Math.abs(sy) + Math.abs(lo));
    const M = Math.min(TOP, L);
    if (this.floor[i] >= threshold) return this.rightWithoutFull(i, seg);
    const o = i * M;
    for (let q = 0; q < M; q++) {
      const l = this.top[o + q];
      const cur = logPrior[pl + l] + T[row + l];
      if (cur < threshold) break;
      if (l === y) continue;
      const v = cur - this.segmentAt(i, seg, l);
      if (v > sy || (v === sy && l < y)) return false;
    }
    return true;
  }

  private rightWithoutFull(i: number, seg: number): boolean {
    const { L, T, logPrior, a } = this;
    this.segmentVector(i, seg);
    const pl = this.fold[i] * L;
    const row = i * L;
    let best = -Infinity;
    let bestL = 0;
    for (let l = 0; l < L; l++) {
      const v = logPrior[pl + l] + T[row + l] - a[l];
      if (v > best) {
        best = v;
        bestL = l;
      }
    }
    return bestL === this.y[i];
  }

  errorsWithout(candidates: readonly number[]): number[] {
    const delta = new Map<number, number>();
    for (const c of candidates) {
      if (!this.inSubset[c]) throw new Error(`wrapper: group ${c} is not in the subset`);
      let d = 0;
      for (let g = this.groupStart[c]; g < this.groupStart[c + 1]; g++) {
        const i = this.groupUser[g];
        d += (this.rightWithout(i, this.groupSeg[g]) ? 0 : 1) - this.wrongNow[i];
      }
      delta.set(c, d);
    }
    return candidates.map((c) => (this.wrong + delta.get(c)!) / this.n);
  }

  private update(c: number, sign: 1 | -1): void {
    const { L, T, a } = this;
    for (let g = this.groupStart[c]; g < this.groupStart[c + 1]; g++) {
      const i = this.groupUser[g];
      this.segmentVector(i, this.groupSeg[g]);
      const row = i * L;
      if (sign > 0) for (let l = 0; l < L; l++) T[row + l] += a[l];
      else for (let l = 0; l < L; l++) T[row + l] -= a[l];
      this.rescore(i);
    }
  }

  add(c: number): void {
    if (this.inSubset[c]) throw new Error(`wrapper: group ${c} is already in the subset`);
    this.inSubset[c] = 1;
    this.update(c, 1);
  }

  remove(c: number): void {
    if (!this.inSubset[c]) throw new Error(`wrapper: group ${c} is not in the subset`);
    this.inSubset[c] = 0;
    this.update(c, -1);
  }
}

// ---- dense (multinomial) --------------------------------------------------------------------

/** Precomputed per-cluster scores of every held-out user (n × L × k): the multinomial reading. */
export interface ClusterScores {
  n: number;
  L: number;
  k: number;
  folds: number;
  reading: NbReading;
  alpha: number;
  y: Int32Array;
  fold: Int32Array;
  logPrior: Float64Array; // folds × L
  A: Float64Array; // n × L × k  (index (d*L + l)*k + c)
  cnt: Float64Array; // n × k
  N: Float64Array; // folds × L × k
  V: Float64Array; // k
}

/**
 * Per held-out user, label and cluster, the part of the NB score the cluster
 * contributes when the classifier is fitted on the other folds; for the
 * multinomial reading also n[d,c] = Σ_{w ∈ d∩c} x_{d,w}, N[φ,l,c] = Σ_{w∈c} f_φ(w,l)
 * and V[c] = |c|, and a subset S scores
 *   log P_φ(l) + Σ_{c∈S} A[d,l,c] − (Σ_{c∈S} n[d,c]) · log(Σ_{c∈S} N[φ,l,c] + α Σ_{c∈S} V[c])
 * with A[d,l,c] = Σ_{w ∈ d∩c} x_{d,w} log(f_φ(w,l)+α), as a refitted NB would.
 */
export function precomputeClusterScores(p: CvScorerInput): ClusterScores {
  check(p);
  const { docs, nLabels: L, nWords, clusterOf, k, fold, folds, reading } = p;
  const alpha = p.alpha ?? 1;
  const n = docs.length;
  const A = new Float64Array(n * L * k);
  const cnt = new Float64Array(n * k);
  const N = new Float64Array(folds * L * k);
  const V = new Float64Array(k);
  for (let w = 0; w < nWords; w++) if (clusterOf[w] >= 0) V[clusterOf[w]]++;
  const logPrior = new Float64Array(folds * L);
  const y = Int32Array.from(docs, (d) => d.y);
  const all = labelWordCounts(docs, L, nWords);
  const totalPerLabel = new Float64Array(L);
  for (const d of docs) totalPerLabel[d.y]++;
  const byCount = reading === "multinomial";
  const onlySeen = reading === "literal";
  for (let phi = 0; phi < folds; phi++) {
    const held = docs.map((_, i) => i).filter((i) => fold[i] === phi);
    const f = all.slice();
    const classCount = totalPerLabel.slice();
    for (const i of held) {
      const d = docs[i];
      classCount[d.y]--;
      for (let t = 0; t < d.terms.length; t++) f[d.terms[t] * L + d.y] -= d.counts[t];
    }
    const nTrain = n - held.length;
    for (let l = 0; l < L; l++) logPrior[phi * L + l] = classCount[l] > 0 ? Math.log(classCount[l] / nTrain) : -Infinity;
    const logTerm = new Float64Array(nWords * L);
    for (let w = 0; w < nWords; w++) {
      const c = clusterOf[w];
      if (c < 0) continue;
      let F = 0;
      for (let l = 0; l < L; l++) F += f[w * L + l];
      const den = Math.log(F + alpha * L);
      for (let l = 0; l < L; l++) {
        const x = f[w * L + l];
        N[(phi * L + l) * k + c] += x;
        logTerm[w * L + l] = byCount ? Math.log(x + alpha) : onlySeen && !(x > 0) ? 0 : Math.log(x + alpha) - den;
      }
    }
    for (const i of held) {
      const d = docs[i];
      for (let t = 0; t < d.terms.length; t++) {
        const w = d.terms[t];
        const c = clusterOf[w];
        if (c < 0) continue;
        const x = d.counts[t];
        cnt[i * k + c] += x;
        const weight = byCount ? x : 1;
        const row = i * L * k + c;
        for (let l = 0; l < L; l++) A[row + l * k] += weight * logTerm[w * L + l];
      }
    }
  }
  return { n, L, k, folds, reading, alpha, y, fold, logPrior, A, cnt, N, V };
}

/** Running sums over the current subset, so a candidate removal (or addition) is O(n·L). */
export class DenseCvScorer implements CvScorer {
  private T: Float64Array; // n × L  Σ_{c∈S} A
  private nS: Float64Array; // n     Σ_{c∈S} cnt
  private NS: Float64Array; // folds × L
  private VS = 0;
  constructor(
    private p: ClusterScores,
    subset: readonly number[],
  ) {
    const { n, L, folds } = p;
    this.T = new Float64Array(n * L);
    this.nS = new Float64Array(n);
    this.NS = new Float64Array(folds * L);
    for (const c of subset) this.add(c);
  }
  error(): number {
    return this.errorWithout(-1);
  }
  errorsWithout(candidates: readonly number[]): number[] {
    return candidates.map((c) => this.errorWithout(c));
  }
  /** Pooled CV error of the current subset minus cluster `drop` (−1: drop nothing). */
  errorWithout(drop: number): number {
    const { n, L, k, A, cnt, N, V, y, fold, logPrior, alpha } = this.p;
    const multinomial = this.p.reading === "multinomial";
    const vs = this.VS - (drop >= 0 ? V[drop] : 0);
    let wrong = 0;
    for (let i = 0; i < n; i++) {
      const phi = fold[i];
      const ni = this.nS[i] - (drop >= 0 ? cnt[i * k + drop] : 0);
      let best = -Infinity;
      let bestL = 0;
      for (let l = 0; l < L; l++) {
        let s = logPrior[phi * L + l] + this.T[i * L + l] - (drop >= 0 ? A[(i * L + l) * k + drop] : 0);
        if (multinomial && ni > 0) {
          const ns = this.NS[phi * L + l] - (drop >= 0 ? N[(phi * L + l) * k + drop] : 0);
          s -= ni * Math.log(ns + alpha * vs);
        }
        if (s > best) {
          best = s;
          bestL = l;
        }
      }
      if (bestL !== y[i]) wrong++;
    }
    return wrong / n;
  }
  private update(c: number, sign: 1 | -1): void {
    const { n, L, k, A, cnt, N, V, folds } = this.p;
    for (let i = 0; i < n; i++) {
      this.nS[i] += sign * cnt[i * k + c];
      for (let l = 0; l < L; l++) this.T[i * L + l] += sign * A[(i * L + l) * k + c];
    }
    for (let j = 0; j < folds * L; j++) this.NS[j] += sign * N[j * k + c];
    this.VS += sign * V[c];
  }
  add(c: number): void {
    this.update(c, 1);
  }
  remove(c: number): void {
    this.update(c, -1);
  }
}

/** The dense scorer (every reading; the reference the sparse one is tested against). */
export function denseCvScorer(p: CvScorerInput, initial: readonly number[]): DenseCvScorer {
  return new DenseCvScorer(precomputeClusterScores(p), initial);
}
