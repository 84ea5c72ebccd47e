/**
 * Location-inference metrics (MRLF paper Sec. IV-A "Evaluation metrics"):
 *
 *   Acc  = (1/N) Σ 1[ŷ_i = y_i]                          classification accuracy
 *   Mean = (1/N) Σ haversine(centre(ŷ_i), (lat_i, lon_i))  km between the predicted
 *          location's centre and the post's true coordinates
 *
 * plus two extras the paper does not report: Acc@1km (share of posts whose
 * predicted centre lies within 1 km of the truth) and the median error in km.
 * The distances are ./distance.ts's (one implementation for both papers).
 */
import type { LatLon } from "../geo/distance";
import { distanceMetrics } from "./distance";

export interface GeoMetrics {
  n: number;
  acc: number;
  meanKm: number;
  medianKm: number;
  accAt1km: number;
}

export interface GeoTruth {
  /** True location (class) index. */
  label: number;
  /** The post's own coordinates (not its location's centre). */
  lat: number;
  lon: number;
}

/**
 * Metrics for predicted class indices against truths; `centres[c]` is the
 * centre of location c. Throws naming the offending row on bad input.
 */
export function geoMetrics(predicted: ArrayLike<number>, truth: readonly GeoTruth[], centres: readonly LatLon[]): GeoMetrics {
  if (predicted.length !== truth.length) throw new Error(`geoMetrics: ${predicted.length} predictions for ${truth.length} truths`);
  if (truth.length === 0) throw new Error("geoMetrics: no posts to evaluate");
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    const p = predicted[i];
    const t = truth[i];
    if (!Number.isInteger(p) || p < 0 || p >= centres.length)
      throw new Error(`geoMetrics: row ${i}: predicted: ${p} is not a location index in [0, ${centres.length})`);
    if (!Number.isFinite(t.lat) || !Number.isFinite(t.lon) || Math.abs(t.lat) > 90 || Math.abs(t.lon) > 180)
      throw new Error(`geoMetrics: row ${i}: lat/lon: (${t.lat}, ${t.lon}) is not a coordinate`);
    if (p === t.label) correct++;
  }
  const d = distanceMetrics(truth, predicted, centres, "geoMetrics");
  return { n: d.n, acc: correct / d.n, meanKm: d.meanKm, medianKm: d.medianKm, accAt1km: d.accAt1km };
}

/** Row-wise argmax of a row-major [n × k] score matrix. */
export function argmaxRows(scores: ArrayLike<number>, k: number): Int32Array {
  if (!(k > 0) || scores.length % k !== 0) throw new Error(`argmaxRows: length ${scores.length} is not a multiple of k=${k}`);
  const n = scores.length / k;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (scores[i * k + j] > scores[i * k + best]) best = j;
    out[i] = best;
  }
  return out;
}
