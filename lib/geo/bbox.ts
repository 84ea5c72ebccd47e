/**
 * Bounding boxes of polygon rings ([minLon, minLat, maxLon, maxLat]), the
 * cheap pre-test before point-in-polygon in the state and country indexes.
 */
import type { Position } from "geojson";

export type Box = [number, number, number, number];

export function ringsBox(rings: readonly Position[][]): Box {
  let minLon = Infinity,
    minLat = Infinity,
    maxLon = -Infinity,
    maxLat = -Infinity;
  for (const ring of rings)
    for (const [lon, lat] of ring) {
      if (lon < minLon) minLon = lon;
      if (lon > maxLon) maxLon = lon;
      if (lat < minLat) minLat = lat;
      if (lat > maxLat) maxLat = lat;
    }
  return [minLon, minLat, maxLon, maxLat];
}

export const inBox = (lon: number, lat: number, b: readonly number[]): boolean => lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3];
