/**
 * Country of a coordinate: point-in-polygon against Natural Earth's admin-0
 * countries at 1:10,000,000 (`world-atlas/countries-10m.json`, TopoJSON decoded
 * with `topojson-client`, tested with `@turf/boolean-point-in-polygon`), the
 * world counterpart of `states.ts`.
 *
 * Why 1:10m and not 1:50m: on GeoText's 9,475 (US) users, 1:50m outlines left
 * 449 points (4.7 %) outside every country — coast, harbours, bridges — and
 * 1:10m left 134 (1.4 %); decoding 1:10m costs ≈ 0.6 s once per process and
 * labelling those users ≈ 2 s.
 *
 * Like `stateOf`, each country's MultiPolygon is split into polygons with their
 * own bounding box and a point is tested only against boxes that hold it.
 * Points outside every polygon get null and a reason (never a silent guess).
 */
import booleanPointInPolygon from "@turf/boolean-point-in-polygon";
import type { Feature, MultiPolygon, Polygon } from "geojson";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import type { LatLon } from "./distance";
import { inBox, ringsBox } from "./bbox";

export interface CountryPolygon {
  /** Natural Earth's short name, e.g. "United States of America", "China". */
  name: string;
  /** ISO 3166-1 numeric code, or null for areas without one (Kosovo, N. Cyprus, …). */
  iso: string | null;
  /** [minLon, minLat, maxLon, maxLat] */
  bbox: [number, number, number, number];
  polygon: Polygon;
}

export interface CountryIndex {
  polygons: CountryPolygon[];
  /** Every country name, sorted. */
  names: string[];
}

let indexMemo: CountryIndex | null = null;

/** Decode world-atlas once per process. */
export function countryIndex(): CountryIndex {
  if (indexMemo) return indexMemo;
  const topo = require("world-atlas/countries-10m.json") as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const fc = feature(topo, topo.objects.countries);
  const polygons: CountryPolygon[] = [];
  const names = new Set<string>();
  for (const f of fc.features as Feature<Polygon | MultiPolygon, { name: string }>[]) {
    if (!f.geometry) continue; // a few tiny areas have no geometry at this scale
    const name = f.properties.name;
    names.add(name);
    const iso = f.id === undefined ? null : String(f.id);
    const parts = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
    for (const rings of parts) polygons.push({ name, iso, bbox: ringsBox(rings), polygon: { type: "Polygon", coordinates: rings } });
  }
  indexMemo = { polygons, names: [...names].sort() };
  return indexMemo;
}

/** Name of the country containing the point, or null. */
export function countryOf(p: LatLon, index: CountryIndex = countryIndex()): string | null {
  for (const cp of index.polygons) {
    if (!inBox(p.lon, p.lat, cp.bbox)) continue;
    if (booleanPointInPolygon([p.lon, p.lat], cp.polygon)) return cp.name;
  }
  return null;
}

export type CountryOutsideReason = "beyond-every-country-box" | "in-a-country-box-but-no-polygon";

export const COUNTRY_OUTSIDE_TEXT: Record<CountryOutsideReason, string> = {
  "beyond-every-country-box": "outside the bounding box of every country polygon (open sea, Antarctica's edge, or a bad coordinate)",
  "in-a-country-box-but-no-polygon": "inside a country polygon's bounding box but in no polygon (water, coastline or border area at 1:10m)",
};

export function whyOutsideCountries(p: LatLon, index: CountryIndex = countryIndex()): CountryOutsideReason {
  return index.polygons.some((c) => inBox(p.lon, p.lat, c.bbox)) ? "in-a-country-box-but-no-polygon" : "beyond-every-country-box";
}
