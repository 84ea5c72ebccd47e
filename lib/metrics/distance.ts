/**
 * Distance metrics of location inference, one implementation for both papers:
 * the error of an item is the great-circle distance (km) from the centre of
 * its predicted location to the item's own coordinates.
 *
 *   Mean km    = (1/N) Σ e_i                 (MRLF Sec. IV-A "Mean"; GeoText's mean error)
 *   Median km  = the median of e             (GeoText's median error)
 *   Acc@161    = (1/N) Σ 1[e_i ≤ 161]        (100 miles, the GeoText convention)
 *   Acc@1km    = (1/N) Σ 1[e_i ≤ 1]          (MRLF extra: posts sit on their POI)
 *
 * The weighted forms a bootstrap resamples are in ./weighted.ts (the METRICS registry).
 */
import { haversineKm, type LatLon } from "../geo/distance";
import { median } from "./weighted";

export interface DistanceMetrics {
  n: number;
  meanKm: number;
  medianKm: number;
  /** Share of items whose predicted centre is within 161 km (100 miles) of their coordinates. */
  accAt161: number;
  /** Share of items whose predicted centre is within 1 km of their coordinates. */
  accAt1km: number;
}

/**
 * Metrics of the errors `centres[predicted[i]]` → `truth[i]`. A centre may be null (a label with
 * no training user that has coordinates); predicting it is an error naming the item.
 */
export function distanceMetrics(
  truth: readonly LatLon[],
  predicted: ArrayLike<number>,
  centres: readonly (LatLon | null)[],
  what = "metrics",
): DistanceMetrics {
  if (truth.length !== predicted.length) throw new Error(`${what}: ${truth.length} true coordinates but ${predicted.length} predictions`);
  if (truth.length === 0) throw new Error(`${what}: no predictions to score`);
  const errs: number[] = [];
  let within161 = 0;
  let within1 = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i];
    const c = centres[predicted[i]];
    if (!c) throw new Error(`${what}: item ${i}: predicted label ${predicted[i]} has no centre (no training user with coordinates there?)`);
    if (!Number.isFinite(t.lat) || !Number.isFinite(t.lon))
      throw new Error(`${what}: item ${i}: true coordinates are not finite (${t.lat}, ${t.lon})`);
    const e = haversineKm(c, t);
    if (e <= 161) within161++;
    if (e <= 1) within1++;
    errs.push(e);
  }
  const n = errs.length;
  return { n, meanKm: errs.reduce((a, b) => a + b, 0) / n, medianKm: median(errs), accAt161: within161 / n, accAt1km: within1 / n };
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
