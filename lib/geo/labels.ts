/**
 * Geographic labels for users with coordinates: US state (point in polygon)
 * and nearest large city. Users outside every state keep state = null and are
 * counted by reason — nothing is dropped silently.
 */
import { CityQuery, nearestCity } from "./cities";
import type { LatLon } from "./distance";
import { OUTSIDE_REASON_TEXT, OutsideReason, stateIndex, stateOf, whyOutside } from "./states";

export interface GeoLabel {
  /** Postal code, or null when outside every state. */
  state: string | null;
  /** Why state is null (absent when it is not). */
  outside?: OutsideReason;
  city: { name: string; state: string; km: number; population: number; lat: number; lon: number };
}

export interface GeoLabelReport {
  users: number;
  inState: number;
  outsideEveryState: number;
  /** reason → count, with the reason's explanation. */
  outsideByReason: { reason: OutsideReason; explanation: string; users: number }[];
  /** state → users, sorted by count desc then code. */
  byState: { state: string; users: number }[];
  /** "City, ST" → users, sorted by count desc then name. */
  byCity: { city: string; users: number }[];
  /** Median / max distance to the assigned city (km). */
  cityKmMedian: number;
  cityKmMax: number;
}

const countSorted = (m: Map<string, number>): [string, number][] => [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));

/** Label points by state and nearest city (city filter default: US, ≥ 100,000 inhabitants). */
export function labelPoints(points: readonly LatLon[], cityQuery: CityQuery = {}): { labels: GeoLabel[]; report: GeoLabelReport } {
  const index = stateIndex();
  const cities = nearestCity(points, cityQuery);
  const labels: GeoLabel[] = points.map((p, i) => {
    const state = stateOf(p, index);
    const c = cities[i];
    const city = { name: c.name, state: c.state, km: c.km, population: c.population, lat: c.lat, lon: c.lon };
    return state === null ? { state, outside: whyOutside(p, index), city } : { state, city };
  });
  const byState = new Map<string, number>();
  const byCity = new Map<string, number>();
  const byReason = new Map<OutsideReason, number>();
  for (const l of labels) {
    if (l.state) byState.set(l.state, (byState.get(l.state) ?? 0) + 1);
    else byReason.set(l.outside!, (byReason.get(l.outside!) ?? 0) + 1);
    const ck = `${l.city.name}, ${l.city.state}`;
    byCity.set(ck, (byCity.get(ck) ?? 0) + 1);
  }
  const kms = labels.map((l) => l.city.km).sort((a, b) => a - b);
  const outside = labels.filter((l) => l.state === null).length;
  return {
    labels,
    report: {
      users: labels.length,
      inState: labels.length - outside,
      outsideEveryState: outside,
      outsideByReason: (Object.keys(OUTSIDE_REASON_TEXT) as OutsideReason[]).map((r) => ({
        reason: r,
        explanation: OUTSIDE_REASON_TEXT[r],
        users: byReason.get(r) ?? 0,
      })),
      byState: countSorted(byState).map(([state, users]) => ({ state, users })),
      byCity: countSorted(byCity).map(([city, users]) => ({ city, users })),
      cityKmMedian: kms.length ? (kms[(kms.length - 1) >> 1] + kms[kms.length >> 1]) / 2 : 0,
      cityKmMax: kms.length ? kms[kms.length - 1] : 0,
    },
  };
}

/** State + nearest-city labels for every GeoText user (in corpus.users order; any corpus of located, named users). */
export function geotextUserLabels(
  corpus: { users: readonly (LatLon & { id: string })[] },
  cityQuery: CityQuery = {},
): { labels: (GeoLabel & { id: string })[]; report: GeoLabelReport } {
  const { labels, report } = labelPoints(corpus.users, cityQuery);
  return { labels: labels.map((l, i) => ({ id: corpus.users[i].id, ...l })), report };
}
