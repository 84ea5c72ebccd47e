/**
 * Information gain ratio of a word over locations (Han, Cook & Baldwin 2012),
 * the local-words paper's word filter (Sect. 2, phase 2; N2 rule in Sect. 4.2).
 *
 * With P(w) the fraction of training users whose text contains w, P(w̄) = 1 − P(w),
 * and C the location variable:
 *   IG(w)  = H(C) − P(w) H(C | w) − P(w̄) H(C | w̄)
 *   IV(w)  = −P(w) log P(w) − P(w̄) log P(w̄)
 *   IGR(w) = IG(w) / IV(w)      (0 when IV(w) = 0, i.e. w is in every text or none)
 * Presence is counted per *user* (the unit the classifier labels); the ratio
 * does not depend on the logarithm's base.
 */
import { SparseDoc } from "./corpus";

/**
 * IGR of every word id in [0, nWords). The users-per-(word, label) counts are
 * kept sparse (a word is used at few of 400 cities), and the terms of labels
 * where the word is absent, −(n_l/n0)·log(n_l/n0), depend only on n0 = users
 * without the word: computed once per distinct n0. Every term is the same
 * number, summed in the same order, as the direct formula.
 */
export function informationGainRatio(docs: readonly SparseDoc[], nLabels: number, nWords: number): Float64Array {
  const L = nLabels;
  const N = docs.length;
  if (N === 0) throw new Error("igr: no users");
  const nl = new Float64Array(L);
  for (const d of docs) nl[d.y]++;
  // Users containing w, per label, as (label, count) runs per word: a counting sort of the users' terms by word.
  const dfw = new Float64Array(nWords);
  for (const d of docs) for (let i = 0; i < d.terms.length; i++) if (d.counts[i] > 0) dfw[d.terms[i]]++;
  const start = new Int32Array(nWords + 1);
  for (let w = 0; w < nWords; w++) start[w + 1] = start[w] + dfw[w];
  const at = start.slice(0, nWords);
  const labelOf = new Int32Array(start[nWords]);
  docs.forEach((d) => {
    for (let i = 0; i < d.terms.length; i++) if (d.counts[i] > 0) labelOf[at[d.terms[i]]++] = d.y;
  });
  const plogp = (p: number) => (p > 0 ? p * Math.log(p) : 0);
  let hc = 0;
  for (let l = 0; l < L; l++) hc -= plogp(nl[l] / N);
  const absentTerms = new Map<number, Float64Array>();
  const a = new Float64Array(L);
  const out = new Float64Array(nWords);
  for (let w = 0; w < nWords; w++) {
    const n1 = dfw[w];
    const n0 = N - n1;
    if (n1 === 0 || n0 === 0) continue;
    let absent = absentTerms.get(n0);
    if (!absent) {
      absent = new Float64Array(L);
      for (let l = 0; l < L; l++) absent[l] = plogp(nl[l] / n0);
      absentTerms.set(n0, absent);
    }
    for (let p = start[w]; p < start[w + 1]; p++) a[labelOf[p]]++;
    let hWith = 0;
    let hWithout = 0;
    for (let l = 0; l < L; l++) {
      const x = a[l];
      if (x === 0) {
        hWithout -= absent[l];
        continue;
      }
      hWith -= plogp(x / n1);
      hWithout -= plogp((nl[l] - x) / n0);
    }
    for (let p = start[w]; p < start[w + 1]; p++) a[labelOf[p]] = 0;
    const pw = n1 / N;
    const ig = hc - pw * hWith - (1 - pw) * hWithout;
    const iv = -plogp(pw) - plogp(1 - pw);
    out[w] = ig / iv;
  }
  return out;
}

export interface ThresholdSweep {
  thresholds: number[];
  /** Words with IGR ≥ threshold. */
  counts: number[];
  /** The threshold after the largest drop in the word count. */
  chosen: number;
  /** Index of `chosen` in thresholds. */
  chosenIndex: number;
}

/**
 * The paper's N2 rule (Sect. 4.2, Fig. 3b): set thresholds at equal intervals,
 * count the words left at each, and pick the threshold where the count drops
 * most. "When N2 is changed from 0.15 to 0.2, the number of words declines most
 * dramatically … the final threshold N2 is set to 0.2": the drop is measured
 * from one threshold to the next and the *upper* threshold is chosen.
 */
export function chooseN2(igr: ArrayLike<number>, opts: { from?: number; to?: number; step?: number } = {}): ThresholdSweep {
  const from = opts.from ?? 0.05;
  const step = opts.step ?? 0.05;
  const to = opts.to ?? 0.5;
  if (!(step > 0) || !(to > from)) throw new Error(`igr: chooseN2: need step > 0 and to > from (got from=${from} to=${to} step=${step})`);
  const thresholds: number[] = [];
  for (let i = 0; from + i * step <= to + 1e-12; i++) thresholds.push(Number((from + i * step).toFixed(10)));
  const counts = thresholds.map((t) => {
    let n = 0;
    for (let i = 0; i < igr.length; i++) if (igr[i] >= t) n++;
    return n;
  });
  let chosenIndex = 1;
  for (let i = 2; i < thresholds.length; i++)
    if (counts[i - 1] - counts[i] > counts[chosenIndex - 1] - counts[chosenIndex]) chosenIndex = i;
  if (thresholds.length < 2) chosenIndex = 0;
  return { thresholds, counts, chosen: thresholds[chosenIndex], chosenIndex };
}
