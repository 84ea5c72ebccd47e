/**
 * Classification metrics for user geolocation (local-words paper,
 * Sect. 4.1: accuracy and the macro-averaged precision, recall and F1 "of each
 * class"; GeoText conventions: Acc@161 km and mean / median error in km).
 *
 *   accuracy     = #{ŷ = y} / n
 *   P_c = TP_c / (TP_c + FP_c),  R_c = TP_c / (TP_c + FN_c),  F1_c = 2 P_c R_c / (P_c + R_c)
 *   macro-X      = mean of X_c over the classes that occur in y or ŷ
 * with 0 where a denominator is 0 (scikit-learn's `average="macro"`,
 * `zero_division=0`, whose label set is also the union of y and ŷ).
 * Distances (Acc@161, mean and median km) are in ./distance.ts.
 */

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
