/**
 * The cross-validated Naive Bayes error of a subset S of word groups (clusters,
 * or the IGR bands of ./tune.ts), kept up to date as groups leave or join S:
 * what the wrapper (./wrapper.ts) and the CV tuning of N2 (./tune.ts) ask.
 *
 * Fit once per fold; a held-out user d of fold φ is scored by the NB fitted on
 * the other folds. With f_φ(w,l) those folds' counts, F_φ(w) = Σ_l f_φ(w,l) and
 * Eq. 3's P_φ(w|l) = (f_φ(w,l)+α)/(F_φ(w)+α|L|), the score of label l is
 *   user-words:  log P_φ(l) + Σ_{w ∈ d∩S} log P_φ(w|l)
 *   literal:     log P_φ(l) + Σ_{w ∈ d∩S, f_φ(w,l) > 0} log P_φ(w|l).
 * A word never seen at l contributes log(α/(F_φ(w)+α|L|)) to every such label
 * (user-words) or 0 (literal): the same amount for all labels where it is
 * unseen. Taking that amount out of every label changes no argmax, so the
 * scorer keeps only what differs between labels:
 *   score_l ≡ log P_φ(l) + Σ_{w ∈ d∩S, f_φ(w,l) > 0} e_φ(w,l),
 *   e_φ(w,l) = log(f_φ(w,l)+α) − log α           (user-words)
 *   e_φ(w,l) = log(f_φ(w,l)+α) − log(F_φ(w)+α|L|) (literal),
 * a sum over the few labels where the user's words were seen (a selected word
 * is seen at a few percent of 400 cities). A label none of them was seen at
 * scores its prior alone, so the best of those is the first of the fold's
 * labels in prior order that is not among them. Removing (or adding) a group
 * re-scores only the users with words in it; nothing of size users × labels is
 * stored. The multinomial reading, whose normaliser sums over S, keeps the
 * dense precomputation of `denseCvScorer`.
 *
 * Scores are compared as a refitted NB compares them (the first maximum wins).
 * The sums leave out terms common to all labels, so they round differently
 * from a refit: a user whose two best labels tie mathematically (log 2 + log 3
 * against log 6) may be counted differently; tests compare with refitting NB
 * and with the dense precomputation, and decisions differ only on such ties.
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

/**
 * Per fold: log priors, the labels in prior order (ties: lower label first),
 * and per feature word the labels it was seen at with e_φ(w,l) (module doc), as
 * runs start[(φ·F + fw)] .. start[φ·F + fw + 1) of (label, e).
 */
interface FoldModel {
  F: number;
  logPrior: Float64Array; // folds × L
  priorOrder: Int32Array; // folds × L
  start: Int32Array; // folds · F + 1
  label: Int32Array;
  e: Float64Array;
  /** Per (fold, word): max(0, max_l e) − min(0, min_l e), how far the word can move one label against another. */
  spread: Float64Array; // folds × F
}

function foldModel(p: CvScorerInput, fwOf: Int32Array, F: number): FoldModel {
  const { docs, nLabels: L, fold, folds, reading } = p;
  const alpha = p.alpha ?? 1;
  const literal = reading === "literal";
  const n = docs.length;
  // The training users' feature terms sorted by word (a counting sort): per word, its (label, count, fold) entries.
  const perWord = new Int32Array(F + 1);
  for (const d of docs)
    for (let t = 0; t < d.terms.length; t++) {
      const fw = fwOf[d.terms[t]];
      if (fw >= 0) perWord[fw + 1]++;
    }
  for (let fw = 0; fw < F; fw++) perWord[fw + 1] += perWord[fw];
  const entries = perWord[F];
  const eLabel = new Int32Array(entries);
  const eFold = new Int32Array(entries);
  const eCount = new Float64Array(entries);
  const fill = perWord.slice(0, F);
  docs.forEach((d, i) => {
    for (let t = 0; t < d.terms.length; t++) {
      const fw = fwOf[d.terms[t]];
      if (fw < 0) continue;
      const q = fill[fw]++;
      eLabel[q] = d.y;
      eFold[q] = fold[i];
      eCount[q] = d.counts[t];
    }
  });
  // Priors per fold, and the labels in prior order.
  const perLabel = new Float64Array(L);
  const held = new Float64Array(folds * L);
  const heldUsers = new Float64Array(folds);
  docs.forEach((d, i) => {
    perLabel[d.y]++;
    held[fold[i] * L + d.y]++;
    heldUsers[fold[i]]++;
  });
  const logPrior = new Float64Array(folds * L);
  const priorOrder = new Int32Array(folds * L);
  for (let phi = 0; phi < folds; phi++) {
    const nTrain = n - heldUsers[phi];
    const pr = logPrior.subarray(phi * L, phi * L + L);
    for (let l = 0; l < L; l++) {
      const c = perLabel[l] - held[phi * L + l];
      pr[l] = c > 0 ? Math.log(c / nTrain) : -Infinity;
    }
    const order = Array.from({ length: L }, (_, l) => l).sort((a, b) => (pr[b] > pr[a] ? 1 : pr[b] < pr[a] ? -1 : a - b));
    priorOrder.set(order, phi * L);
  }
  // Per word: f(w, l) over all folds and each fold's held-out part, on the labels it was used at (integer counts:
  // exact whatever the order); fold φ's run for the word holds the labels where the other folds used it, ascending,
  // and fold φ's runs follow fold φ−1's.
  const logNum = logTable(alpha);
  const logDen = logTable(alpha * L);
  const logAlpha = Math.log(alpha);
  const tot = new Float64Array(L);
  const heldW = new Float64Array(folds * L);
  const heldSum = new Float64Array(folds);
  const mark = new Uint8Array(L);
  const used = new Int32Array(L);
  // Two passes over the words: the first counts each fold's (word, label) pairs, the second fills them in place.
  const perFold = new Int32Array(folds);
  const start = new Int32Array(folds * F + 1);
  let label = new Int32Array(0);
  let e = new Float64Array(0);
  const fill2 = new Int32Array(folds);
  for (let pass = 0; pass < 2; pass++) {
    if (pass === 1) {
      let at = 0;
      for (let phi = 0; phi < folds; phi++) {
        fill2[phi] = at;
        at += perFold[phi];
      }
      label = new Int32Array(at);
      e = new Float64Array(at);
    }
    for (let fw = 0; fw < F; fw++) {
      let nUsed = 0;
      let sum = 0;
      heldSum.fill(0);
      for (let q = perWord[fw]; q < perWord[fw + 1]; q++) {
        const l = eLabel[q];
        if (!mark[l]) {
          mark[l] = 1;
          used[nUsed++] = l;
        }
        tot[l] += eCount[q];
        heldW[eFold[q] * L + l] += eCount[q];
        sum += eCount[q];
        heldSum[eFold[q]] += eCount[q];
      }
      used.subarray(0, nUsed).sort();
      for (let phi = 0; phi < folds; phi++) {
        if (pass === 1) start[phi * F + fw] = fill2[phi];
        const den = pass === 1 && literal ? logDen(sum - heldSum[phi]) : 0;
        for (let j = 0; j < nUsed; j++) {
          const l = used[j];
          const x = tot[l] - heldW[phi * L + l];
          if (!(x > 0)) continue;
          if (pass === 0) {
            perFold[phi]++;
            continue;
          }
          const q = fill2[phi]++;
          label[q] = l;
          e[q] = literal ? logNum(x) - den : logNum(x) - logAlpha;
        }
      }
      for (let j = 0; j < nUsed; j++) {
        const l = used[j];
        tot[l] = 0;
        mark[l] = 0;
        for (let phi = 0; phi < folds; phi++) heldW[phi * L + l] = 0;
      }
    }
  }
  start[folds * F] = label.length;
  const spread = new Float64Array(folds * F);
  for (let j = 0; j < folds * F; j++) {
    let hi = 0;
    let lo = 0;
    for (let q = start[j]; q < start[j + 1]; q++) {
      if (e[q] > hi) hi = e[q];
      if (e[q] < lo) lo = e[q];
    }
    spread[j] = hi - lo;
  }
  return { F, logPrior, priorOrder, start, label, e, spread };
}

/**
 * Each user's feature words grouped by group: user i's groups (ascending) are
 * segGroup[segStart[i] .. segStart[i+1]), segment s's words (feature indices,
 * in term order) terms[segTerm[s] .. segTerm[s+1]); and per group the users
 * with words in it.
 */
interface Segments {
  segStart: Int32Array;
  segGroup: Int32Array;
  segTerm: Int32Array;
  terms: Int32Array;
  groupStart: Int32Array;
  groupUser: Int32Array;
}

function segmentsOf(docs: readonly SparseDoc[], clusterOf: Int32Array, fwOf: Int32Array, k: number): Segments {
  const n = docs.length;
  const segCount = new Int32Array(n);
  let nTerms = 0;
  const count = new Int32Array(k);
  const touched = new Int32Array(k);
  docs.forEach((d, i) => {
    let m = 0;
    for (let t = 0; t < d.terms.length; t++) {
      const c = clusterOf[d.terms[t]];
      if (c < 0 || !(d.counts[t] > 0)) continue;
      nTerms++;
      if (count[c]++ === 0) touched[m++] = c;
    }
    segCount[i] = m;
    for (let j = 0; j < m; j++) count[touched[j]] = 0;
  });
  const segStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) segStart[i + 1] = segStart[i] + segCount[i];
  const nSeg = segStart[n];
  const segGroup = new Int32Array(nSeg);
  const segTerm = new Int32Array(nSeg + 1);
  const terms = new Int32Array(nTerms);
  const perGroup = new Int32Array(k);
  const place = new Int32Array(k);
  let at = 0;
  docs.forEach((d, i) => {
    let m = 0;
    for (let t = 0; t < d.terms.length; t++) {
      const c = clusterOf[d.terms[t]];
      if (c < 0 || !(d.counts[t] > 0)) continue;
      if (count[c]++ === 0) touched[m++] = c;
    }
    // Groups ascending (insertion sort: a user touches few), then each group's words in term order.
    for (let j = 1; j < m; j++) {
      const c = touched[j];
      let q = j;
      while (q > 0 && touched[q - 1] > c) touched[q] = touched[--q];
      touched[q] = c;
    }
    let s = segStart[i];
    for (let j = 0; j < m; j++) {
      const c = touched[j];
      segGroup[s] = c;
      segTerm[s++] = at;
      place[c] = at;
      at += count[c];
      count[c] = 0;
      perGroup[c]++;
    }
    for (let t = 0; t < d.terms.length; t++) {
      const c = clusterOf[d.terms[t]];
      if (c < 0 || !(d.counts[t] > 0)) continue;
      terms[place[c]++] = fwOf[d.terms[t]];
    }
  });
  segTerm[nSeg] = at;
  const groupStart = new Int32Array(k + 1);
  for (let c = 0; c < k; c++) groupStart[c + 1] = groupStart[c] + perGroup[c];
  const groupUser = new Int32Array(nSeg);
  const fill = groupStart.slice(0, k);
  for (let i = 0; i < n; i++) for (let s = segStart[i]; s < segStart[i + 1]; s++) groupUser[fill[segGroup[s]]++] = i;
  return { segStart, segGroup, segTerm, terms, groupStart, groupUser };
}

/** Feature index of each word (−1: no feature) and the count of features. */
function featureIndex(clusterOf: Int32Array): { fwOf: Int32Array; F: number } {
  const fwOf = new Int32Array(clusterOf.length).fill(-1);
  let F = 0;
  for (let w = 0; w < clusterOf.length; w++) if (clusterOf[w] >= 0) fwOf[w] = F++;
  return { fwOf, F };
}

/** Scratch for scoring one user: per-label sums and the labels they touch. */
class LabelSums {
  readonly E: Float64Array;
  readonly mark: Uint8Array;
  readonly list: Int32Array;
  m = 0;
  constructor(L: number) {
    this.E = new Float64Array(L);
    this.mark = new Uint8Array(L);
    this.list = new Int32Array(L);
  }
  add(fm: FoldModel, base: number, fw: number): void {
    const { E, mark, list } = this;
    for (let p = fm.start[base + fw]; p < fm.start[base + fw + 1]; p++) {
      const l = fm.label[p];
      if (!mark[l]) {
        mark[l] = 1;
        list[this.m++] = l;
      }
      E[l] += fm.e[p];
    }
  }
  /** Score of the last argmax's label, and the highest score of any other label. */
  best = -Infinity;
  second = -Infinity;
  /** The NB prediction (first maximum) for a user of fold φ with these sums. */
  argmax(fm: FoldModel, phi: number, L: number): number {
    const { E, mark, list } = this;
    const pr = fm.logPrior;
    const o = phi * L;
    let best = -Infinity;
    let second = -Infinity;
    let bestL = -1;
    for (let j = 0; j < this.m; j++) {
      const l = list[j];
      const v = pr[o + l] + E[l];
      if (bestL < 0 || v > best || (v === best && l < bestL)) {
        if (bestL >= 0) second = best;
        best = v;
        bestL = l;
      } else if (v > second) second = v;
    }
    // Labels without any of the user's words score their prior alone: the best two of them in prior order.
    for (let j = 0, found = 0; j < L && found < 2; j++) {
      const l = fm.priorOrder[o + j];
      if (mark[l]) continue;
      const v = pr[o + l];
      if (bestL < 0 || v > best || (v === best && l < bestL)) {
        if (bestL >= 0) second = best;
        best = v;
        bestL = l;
      } else if (v > second) second = v;
      found++;
    }
    this.best = best;
    this.second = second;
    return bestL;
  }
  clear(): void {
    for (let j = 0; j < this.m; j++) {
      const l = this.list[j];
      this.E[l] = 0;
      this.mark[l] = 0;
    }
    this.m = 0;
  }
}

/** Labels kept in order per user while its candidate groups are taken out. */
const TOP = 4;

/** Whether score v of label l comes before score w of label m (the first maximum wins). */
const before = (v: number, l: number, w: number, m: number): boolean => v > w || (v === w && l < m);

/** See the module doc. */
export class SparseCvScorer implements CvScorer {
  private readonly n: number;
  private readonly L: number;
  private readonly y: Int32Array;
  private readonly fold: Int32Array;
  private readonly fm: FoldModel;
  private readonly seg: Segments;
  private readonly inSubset: Uint8Array;
  private readonly wrongNow: Uint8Array;
  /** Per user: its best score under S and how far the next label is below it. */
  private readonly top1: Float64Array;
  private readonly gap: Float64Array;
  private wrong = 0;
  private readonly sums: LabelSums;
  private readonly affected: Uint8Array;
  private readonly affList: Int32Array;
  private readonly top: Int32Array;
  private readonly labelAt: Int32Array;
  private readonly labelStart: Int32Array;
  private readonly labelCount: Int32Array;
  private entGroup = new Int32Array(0);
  private entE = new Float64Array(0);
  private readonly unsafe: Uint8Array;

  constructor(p: CvScorerInput, initial: readonly number[]) {
    check(p);
    const { docs, nLabels: L, clusterOf, k } = p;
    const n = docs.length;
    this.n = n;
    this.L = L;
    const { fwOf, F } = featureIndex(clusterOf);
    this.y = Int32Array.from(docs, (d) => d.y);
    this.fold = p.fold;
    this.fm = foldModel(p, fwOf, F);
    this.seg = segmentsOf(docs, clusterOf, fwOf, k);
    this.inSubset = new Uint8Array(k);
    for (const c of initial) {
      if (!(c >= 0 && c < k)) throw new Error(`wrapper: group ${c} is outside 0..${k - 1}`);
      this.inSubset[c] = 1;
    }
    this.wrongNow = new Uint8Array(n);
    this.top1 = new Float64Array(n);
    this.gap = new Float64Array(n);
    this.sums = new LabelSums(L);
    this.affected = new Uint8Array(L);
    this.affList = new Int32Array(L);
    this.top = new Int32Array(TOP);
    this.labelAt = new Int32Array(L);
    this.labelStart = new Int32Array(L);
    this.labelCount = new Int32Array(L);
    let most = 0;
    for (let i = 0; i < n; i++) most = Math.max(most, this.seg.segStart[i + 1] - this.seg.segStart[i]);
    this.unsafe = new Uint8Array(most);
    for (let i = 0; i < n; i++) {
      this.wrongNow[i] = this.predict(i, -1) !== this.y[i] ? 1 : 0;
      this.wrong += this.wrongNow[i];
    }
  }

  /** NB's prediction for user i under the current subset without group `drop` (−1: none). */
  private predict(i: number, drop: number): number {
    const { seg, fm, sums } = this;
    const phi = this.fold[i];
    const base = phi * fm.F;
    for (let s = seg.segStart[i]; s < seg.segStart[i + 1]; s++) {
      const c = seg.segGroup[s];
      if (!this.inSubset[c] || c === drop) continue;
      for (let t = seg.segTerm[s]; t < seg.segTerm[s + 1]; t++) sums.add(fm, base, seg.terms[t]);
    }
    const l = sums.argmax(fm, phi, this.L);
    if (drop < 0) {
      this.top1[i] = sums.best;
      this.gap[i] = sums.best - sums.second;
    }
    sums.clear();
    return l;
  }

  error(): number {
    return this.wrong / this.n;
  }

  /**
   * One pass over the users with words in a candidate. A user's words in S are
   * laid out once as (label, word, e) entries grouped by label, in word order;
   * for each of its candidate groups only the labels that group's words touch
   * are summed again without them (the same additions, in the same order, as
   * scoring the subset without the group), and the best label is the best of
   * those, of the user's other labels (its top few, kept in order) and of the
   * labels none of its words was seen at (prior order).
   */
  errorsWithout(candidates: readonly number[]): number[] {
    const { seg, fm, L } = this;
    const k = this.inSubset.length;
    const isCand = new Uint8Array(k);
    for (const c of candidates) {
      if (!this.inSubset[c]) throw new Error(`wrapper: group ${c} is not in the subset`);
      isCand[c] = 1;
    }
    const delta = new Float64Array(k);
    const { E, mark, list } = this.sums;
    const aff = this.affected;
    const affList = this.affList;
    const top = this.top;
    const pr = fm.logPrior;
    const at = this.labelAt;
    const cnt = this.labelCount;
    const unsafe = this.unsafe;
    for (let i = 0; i < this.n; i++) {
      // Removing a group moves each label by at most the spread of its words: a user whose best label leads by
      // more keeps its prediction, and only the other (user, group) pairs are scored.
      const phi = this.fold[i];
      const base = phi * fm.F;
      const margin = 1e-9 * (1 + Math.abs(this.top1[i]));
      let any = false;
      for (let s = seg.segStart[i]; s < seg.segStart[i + 1]; s++) {
        unsafe[s - seg.segStart[i]] = 0;
        if (!isCand[seg.segGroup[s]]) continue;
        let spread = 0;
        for (let t = seg.segTerm[s]; t < seg.segTerm[s + 1]; t++) spread += fm.spread[base + seg.terms[t]];
        if (!(this.gap[i] > spread + margin)) {
          unsafe[s - seg.segStart[i]] = 1;
          any = true;
        }
      }
      if (!any) continue;
      const o = phi * L;
      const y = this.y[i];
      // Entries (label, group of the word, e) of the user's words in S, counted per label, then placed by label in word order.
      let m = 0;
      let total = 0;
      for (let s = seg.segStart[i]; s < seg.segStart[i + 1]; s++) {
        if (!this.inSubset[seg.segGroup[s]]) continue;
        for (let t = seg.segTerm[s]; t < seg.segTerm[s + 1]; t++) {
          const fw = seg.terms[t];
          for (let p = fm.start[base + fw]; p < fm.start[base + fw + 1]; p++) {
            const l = fm.label[p];
            if (!mark[l]) {
              mark[l] = 1;
              list[m++] = l;
            }
            cnt[l]++;
            total++;
          }
        }
      }
      if (this.entGroup.length < total) {
        this.entGroup = new Int32Array(total * 2);
        this.entE = new Float64Array(total * 2);
      }
      const eg = this.entGroup;
      const ee = this.entE;
      let off = 0;
      for (let j = 0; j < m; j++) {
        const l = list[j];
        at[l] = off;
        this.labelStart[l] = off;
        off += cnt[l];
      }
      for (let s = seg.segStart[i]; s < seg.segStart[i + 1]; s++) {
        const c = seg.segGroup[s];
        if (!this.inSubset[c]) continue;
        for (let t = seg.segTerm[s]; t < seg.segTerm[s + 1]; t++) {
          const fw = seg.terms[t];
          for (let p = fm.start[base + fw]; p < fm.start[base + fw + 1]; p++) {
            const q = at[fm.label[p]]++;
            eg[q] = c;
            ee[q] = fm.e[p];
          }
        }
      }
      // Sums over S, in word order per label (as LabelSums adds them), and the top labels.
      let nTop = 0;
      for (let j = 0; j < m; j++) {
        const l = list[j];
        let v = 0;
        for (let q = this.labelStart[l]; q < at[l]; q++) v += ee[q];
        E[l] = v;
        const sc = pr[o + l] + v;
        if (nTop === TOP && !before(sc, l, pr[o + top[TOP - 1]] + E[top[TOP - 1]], top[TOP - 1])) continue;
        let q = nTop < TOP ? nTop++ : TOP - 1;
        while (q > 0 && before(sc, l, pr[o + top[q - 1]] + E[top[q - 1]], top[q - 1])) {
          top[q] = top[q - 1];
          q--;
        }
        top[q] = l;
      }
      let out = -1;
      for (let j = 0; j < L; j++) {
        const l = fm.priorOrder[o + j];
        if (!mark[l]) {
          out = l;
          break;
        }
      }
      for (let s = seg.segStart[i]; s < seg.segStart[i + 1]; s++) {
        const c = seg.segGroup[s];
        if (!isCand[c] || !unsafe[s - seg.segStart[i]]) continue;
        // The labels the group's words touch, summed without them.
        let na = 0;
        for (let t = seg.segTerm[s]; t < seg.segTerm[s + 1]; t++) {
          const fw = seg.terms[t];
          for (let p = fm.start[base + fw]; p < fm.start[base + fw + 1]; p++) {
            const l = fm.label[p];
            if (!aff[l]) {
              aff[l] = 1;
              affList[na++] = l;
            }
          }
        }
        let bestL = out;
        let best = out >= 0 ? pr[o + out] : -Infinity;
        for (let j = 0; j < na; j++) {
          const l = affList[j];
          let v = 0;
          for (let q = this.labelStart[l]; q < at[l]; q++) if (eg[q] !== c) v += ee[q];
          const sc = pr[o + l] + v;
          if (bestL < 0 || before(sc, l, best, bestL)) {
            best = sc;
            bestL = l;
          }
        }
        let found = false;
        for (let j = 0; j < nTop; j++) {
          const l = top[j];
          if (aff[l]) continue;
          found = true;
          const sc = pr[o + l] + E[l];
          if (bestL < 0 || before(sc, l, best, bestL)) {
            best = sc;
            bestL = l;
          }
          break;
        }
        if (!found && nTop < m)
          for (let j = 0; j < m; j++) {
            const l = list[j];
            if (aff[l]) continue;
            const sc = pr[o + l] + E[l];
            if (bestL < 0 || before(sc, l, best, bestL)) {
              best = sc;
              bestL = l;
            }
          }
        for (let j = 0; j < na; j++) aff[affList[j]] = 0;
        delta[c] += (bestL !== y ? 1 : 0) - this.wrongNow[i];
      }
      for (let j = 0; j < m; j++) {
        const l = list[j];
        E[l] = 0;
        mark[l] = 0;
        cnt[l] = 0;
      }
    }
    return candidates.map((c) => (this.wrong + delta[c]) / this.n);
  }

  private rescore(c: number): void {
    const { seg } = this;
    for (let g = seg.groupStart[c]; g < seg.groupStart[c + 1]; g++) {
      const i = seg.groupUser[g];
      const now = this.predict(i, -1) !== this.y[i] ? 1 : 0;
      this.wrong += now - this.wrongNow[i];
      this.wrongNow[i] = now;
    }
  }

  add(c: number): void {
    if (this.inSubset[c]) throw new Error(`wrapper: group ${c} is already in the subset`);
    this.inSubset[c] = 1;
    this.rescore(c);
  }

  remove(c: number): void {
    if (!this.inSubset[c]) throw new Error(`wrapper: group ${c} is not in the subset`);
    this.inSubset[c] = 0;
    this.rescore(c);
  }
}

/**
 * The CV error after adding groups 0, 1, …, k−1 one by one to the empty set
 * (./tune.ts: the IGR bands from the highest threshold down). Each user is
 * walked once through its groups in that order, its label sums growing by the
 * words each group adds, and its prediction taken after each.
 */
export function cumulativeErrors(p: CvScorerInput): number[] {
  if (p.reading === "multinomial") {
    const dense = denseCvScorer(p, []);
    return Array.from({ length: p.k }, (_, j) => (dense.add(j), dense.error()));
  }
  check(p);
  const { docs, nLabels: L, clusterOf, k } = p;
  const n = docs.length;
  const { fwOf, F } = featureIndex(clusterOf);
  const fm = foldModel(p, fwOf, F);
  const seg = segmentsOf(docs, clusterOf, fwOf, k);
  const sums = new LabelSums(L);
  // change[j]: how the number of wrong users changes when group j joins.
  const change = new Float64Array(k);
  let wrong0 = 0;
  for (let i = 0; i < n; i++) {
    const phi = p.fold[i];
    const base = phi * F;
    const y = docs[i].y;
    let wrong = sums.argmax(fm, phi, L) !== y ? 1 : 0;
    wrong0 += wrong;
    for (let s = seg.segStart[i]; s < seg.segStart[i + 1]; s++) {
      for (let t = seg.segTerm[s]; t < seg.segTerm[s + 1]; t++) sums.add(fm, base, seg.terms[t]);
      const now = sums.argmax(fm, phi, L) !== y ? 1 : 0;
      change[seg.segGroup[s]] += now - wrong;
      wrong = now;
    }
    sums.clear();
  }
  const out: number[] = [];
  let w = wrong0;
  for (let j = 0; j < k; j++) {
    w += change[j];
    out.push(w / n);
  }
  return out;
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
