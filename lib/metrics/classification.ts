/**
 * Classification and distance metrics for user geolocation (local-words paper,
 * Sect. 4.1: accuracy and the macro-averaged precision, recall and F1 "of each
 * class"; GeoText conventions: Acc@161 km and mean / median error in km).
 *
 *   accuracy     = #{ŷ = y} / n
 *   P_c = TP_c / (TP_c + FP_c),  R_c = TP_c / (TP_c + FN_c),  F1_c = 2 P_c R_c / (P_c + R_c)
 *   macro-X      = mean of X_c over the classes that occur in y or ŷ
 * with 0 where a denominator is 0 (scikit-learn's `average="macro"`,
 * `zero_division=0`, whose label set is also the union of y and ŷ).
 */
import { haversineKm, LatLon } from "../geo/distance";

export interface ClassificationMetrics {
  n: number;
  accuracy: number;
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
  /** Classes averaged over. */
  classes: number;
}

function checkPair(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): void {
  if (yTrue.length !== yPred.length) throw new Error(`metrics: y_true has ${yTrue.length} labels, y_pred has ${yPred.length}`);
  if (yTrue.length === 0) throw new Error("metrics: no predictions to score");
  for (let i = 0; i < yTrue.length; i++)
    if (!Number.isInteger(yTrue[i]) || !Number.isInteger(yPred[i]) || yTrue[i] < 0 || yPred[i] < 0)
      throw new Error(`metrics: item ${i}: labels must be non-negative integers (got y_true=${yTrue[i]}, y_pred=${yPred[i]})`);
}

export function classificationMetrics(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): ClassificationMetrics {
  checkPair(yTrue, yPred);
  const n = yTrue.length;
  const tp = new Map<number, number>();
  const predCount = new Map<number, number>();
  const trueCount = new Map<number, number>();
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const t = yTrue[i];
    const p = yPred[i];
    trueCount.set(t, (trueCount.get(t) ?? 0) + 1);
    predCount.set(p, (predCount.get(p) ?? 0) + 1);
    if (t === p) {
      correct++;
      tp.set(t, (tp.get(t) ?? 0) + 1);
    }
  }
  const classes = [...new Set([...trueCount.keys(), ...predCount.keys()])].sort((a, b) => a - b);
  let sp = 0;
  let sr = 0;
  let sf = 0;
  for (const c of classes) {
    const t = tp.get(c) ?? 0;
    const pc = predCount.get(c) ?? 0;
    const tc = trueCount.get(c) ?? 0;
    const prec = pc > 0 ? t / pc : 0;
    const rec = tc > 0 ? t / tc : 0;
    sp += prec;
    sr += rec;
    sf += prec + rec > 0 ? (2 * prec * rec) / (prec + rec) : 0;
  }
  const k = classes.length;
  return { n, accuracy: correct / n, macroPrecision: sp / k, macroRecall: sr / k, macroF1: sf / k, classes: k };
}

export interface DistanceMetrics {
  n: number;
  /** Fraction of users whose predicted location centre is within 161 km (100 miles) of the true coordinates. */
  accAt161: number;
  meanKm: number;
  medianKm: number;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error("metrics: median of an empty list");
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Errors in km between the predicted label's centre and each user's true
 * coordinates. `centres[label]` is the location centre (see `labelCentres`).
 */
export function distanceMetrics(
  truth: readonly LatLon[],
  predicted: ArrayLike<number>,
  centres: readonly (LatLon | null)[],
  thresholdKm = 161,
): DistanceMetrics {
  if (truth.length !== predicted.length) throw new Error(`metrics: ${truth.length} true coordinates but ${predicted.length} predictions`);
  if (truth.length === 0) throw new Error("metrics: no predictions to score");
  const errs = truth.map((t, i) => {
    const c = centres[predicted[i]];
    if (!c) throw new Error(`metrics: item ${i}: predicted label ${predicted[i]} has no centre (no training user with coordinates there?)`);
    if (!Number.isFinite(t.lat) || !Number.isFinite(t.lon))
      throw new Error(`metrics: item ${i}: true coordinates are not finite (${t.lat}, ${t.lon})`);
    return haversineKm(t, c);
  });
  const within = errs.filter((e) => e <= thresholdKm).length;
  return { n: errs.length, accAt161: within / errs.length, meanKm: errs.reduce((a, b) => a + b, 0) / errs.length, medianKm: median(errs) };
}

/**
 * A centre per label: the coordinate-wise median of the training users'
 * coordinates at that label (robust to the odd far-away user; a label's
 * geographic centre would need a gazetteer the synthetic data lacks).
 */
export function labelCentres(coords: readonly (LatLon | undefined)[], labels: ArrayLike<number>, nLabels: number): (LatLon | null)[] {
  const lat: number[][] = Array.from({ length: nLabels }, () => []);
  const lon: number[][] = Array.from({ length: nLabels }, () => []);
  coords.forEach((c, i) => {
    if (!c) return;
    lat[labels[i]].push(c.lat);
    lon[labels[i]].push(c.lon);
  });
  return lat.map((la, l) => (la.length ? { lat: median(la), lon: median(lon[l]) } : null));
}
