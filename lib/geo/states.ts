/**
 * US state of a coordinate: point-in-polygon against the Census Bureau's
 * cartographic boundaries at 1:10,000,000 (`us-atlas/states-10m.json`, TopoJSON,
 * decoded with `topojson-client`, tested with `@turf/boolean-point-in-polygon`).
 *
 * Speed: each state's MultiPolygon is split into polygons with their own
 * bounding box; a point is tested only against polygons whose box holds it
 * (≈ 1–3 per point), so ~10k users take well under a second.
 *
 * The 1:10m outlines are generalised: points on a beach, pier or small island
 * can fall outside every state. Those get null, with a reason from `whyOutside`.
 */
import booleanPointInPolygon from "@turf/boolean-point-in-polygon";
import type { Feature, MultiPolygon, Polygon } from "geojson";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import type { LatLon } from "./distance";
import { inBox, ringsBox } from "./bbox";

/** Census FIPS state code → USPS postal code (50 states, DC, and the territories us-atlas includes). */
export const FIPS_TO_POSTAL: Readonly<Record<string, string>> = {
  "01": "AL",
  "02": "AK",
  "04": "AZ",
  "05": "AR",
  "06": "CA",
  "08": "CO",
  "09": "CT",
  "10": "DE",
  "11": "DC",
  "12": "FL",
  "13": "GA",
  "15": "HI",
  "16": "ID",
  "17": "IL",
  "18": "IN",
  "19": "IA",
  "20": "KS",
  "21": "KY",
  "22": "LA",
  "23": "ME",
  "24": "MD",
  "25": "MA",
  "26": "MI",
  "27": "MN",
  "28": "MS",
  "29": "MO",
  "30": "MT",
  "31": "NE",
  "32": "NV",
  "33": "NH",
  "34": "NJ",
  "35": "NM",
  "36": "NY",
  "37": "NC",
  "38": "ND",
  "39": "OH",
  "40": "OK",
  "41": "OR",
  "42": "PA",
  "44": "RI",
  "45": "SC",
  "46": "SD",
  "47": "TN",
  "48": "TX",
  "49": "UT",
  "50": "VT",
  "51": "VA",
  "53": "WA",
  "54": "WV",
  "55": "WI",
  "56": "WY",
  "60": "AS",
  "66": "GU",
  "69": "MP",
  "72": "PR",
  "78": "VI",
};

/** Postal codes of the 50 states + DC (territories excluded). */
export const STATES_AND_DC: ReadonlySet<string> = new Set(
  Object.entries(FIPS_TO_POSTAL)
    .filter(([f]) => Number(f) <= 56)
    .map(([, p]) => p),
);

export interface StatePolygon {
  postal: string;
  name: string;
  /** [minLon, minLat, maxLon, maxLat] */
  bbox: [number, number, number, number];
  polygon: Polygon;
}

export interface StateIndex {
  polygons: StatePolygon[];
  names: Record<string, string>;
}

let indexMemo: StateIndex | null = null;

/** Decode us-atlas once per process. */
export function stateIndex(): StateIndex {
  if (indexMemo) return indexMemo;
  const topo = require("us-atlas/states-10m.json") as Topology<{ states: GeometryCollection<{ name: string }> }>;
  const fc = feature(topo, topo.objects.states);
  const polygons: StatePolygon[] = [];
  const names: Record<string, string> = {};
  for (const f of fc.features as Feature<Polygon | MultiPolygon, { name: string }>[]) {
    const postal = FIPS_TO_POSTAL[String(f.id)];
    if (!postal)
      throw new Error(`us-atlas/states-10m.json: state id ${String(f.id)} (${f.properties.name}) has no postal code in FIPS_TO_POSTAL`);
    names[postal] = f.properties.name;
    const parts = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
    for (const rings of parts)
      polygons.push({ postal, name: f.properties.name, bbox: ringsBox(rings), polygon: { type: "Polygon", coordinates: rings } });
  }
  indexMemo = { polygons, names };
  return indexMemo;
}

/** Postal code of the state containing the point, or null. */
export function stateOf(p: LatLon, index: StateIndex = stateIndex()): string | null {
  for (const sp of index.polygons) {
    if (!inBox(p.lon, p.lat, sp.bbox)) continue;
    if (booleanPointInPolygon([p.lon, p.lat], sp.polygon)) return sp.postal;
  }
  return null;
}

/** US state postal code (incl. DC and territories) per point, null when outside every state. */
export function labelStates(points: readonly LatLon[]): (string | null)[] {
  const index = stateIndex();
  return points.map((p) => stateOf(p, index));
}

export type OutsideReason = "beyond-every-state-box" | "in-a-state-box-but-no-polygon";

export const OUTSIDE_REASON_TEXT: Record<OutsideReason, string> = {
  "beyond-every-state-box": "outside the bounding box of every state polygon (not in the US; e.g. a sign-flipped longitude)",
  "in-a-state-box-but-no-polygon":
    "inside a state polygon's bounding box but in no state polygon (water, coastline or border area at 1:10m)",
};

/**
 * Why a point that `stateOf` gave null for is outside every state. Uses the
 * per-polygon boxes (Alaska's union box would span the antimeridian and hold
 * half the northern hemisphere).
 */
export function whyOutside(p: LatLon, index: StateIndex = stateIndex()): OutsideReason {
  return index.polygons.some((s) => inBox(p.lon, p.lat, s.bbox)) ? "in-a-state-box-but-no-polygon" : "beyond-every-state-box";
}

/** Full state name for a postal code ("NY" → "New York"). */
export const stateName = (postal: string): string | undefined => stateIndex().names[postal];
