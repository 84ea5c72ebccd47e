/**
 * Coastlines and land borders for map figures, from a local package: Natural
 * Earth at 1:10,000,000 (`world-atlas` land-10m and countries-10m TopoJSON,
 * decoded with topojson-client). plotly's own geo outlines are fetched from a
 * CDN, which this suite never contacts, so maps draw these as line traces.
 *
 * At city scale (a few tens of km) 1:10m outlines are coarse — vertices a few
 * hundred metres to a few km apart — but they place a city's shore, harbour and
 * islands, which is what a reader needs to read prediction errors.
 */
import * as fs from "node:fs";
import { mesh } from "topojson-client";
import type { MultiLineString, Position } from "geojson";
import type { Topology } from "topojson-specification";

export interface Outline {
  /** Longitudes and latitudes of polylines, separated by null (plotly's gap marker). */
  lon: (number | null)[];
  lat: (number | null)[];
}

export type BBox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

let lines: { coast: Position[][]; borders: Position[][] } | null = null;

function decoded(): { coast: Position[][]; borders: Position[][] } {
  if (lines) return lines;
  const read = (f: string) => JSON.parse(fs.readFileSync(require.resolve(`world-atlas/${f}`), "utf8")) as Topology;
  const land = read("land-10m.json");
  const countries = read("countries-10m.json");
  const coast = mesh(land, land.objects.land as never) as MultiLineString;
  // Borders: arcs shared by two countries (a !== b), i.e. land borders, not coasts.
  const borders = mesh(countries, countries.objects.countries as never, (a: unknown, b: unknown) => a !== b) as MultiLineString;
  lines = { coast: coast.coordinates, borders: borders.coordinates };
  return lines;
}

const inside = (p: Position, b: BBox): boolean => p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3];

/**
 * The parts of polylines inside a box: runs of vertices inside it, each
 * extended by one vertex on either side so that a line leaving the box is drawn
 * to the box's edge (plotly clips the rest to the axes).
 */
export function clipPolylines(polylines: readonly Position[][], box: BBox): Outline {
  const lon: (number | null)[] = [];
  const lat: (number | null)[] = [];
  for (const line of polylines) {
    let run: Position[] = [];
    const flush = () => {
      if (run.length >= 2) {
        for (const p of run) (lon.push(p[0]), lat.push(p[1]));
        (lon.push(null), lat.push(null));
      }
      run = [];
    };
    for (let i = 0; i < line.length; i++) {
      const inNow = inside(line[i], box);
      const near = inNow || (i > 0 && inside(line[i - 1], box)) || (i + 1 < line.length && inside(line[i + 1], box));
      if (near) run.push(line[i]);
      else flush();
    }
    flush();
  }
  return { lon, lat };
}

/** Coastlines and land borders within `box` (degrees), for a map panel. */
export function outlinesWithin(box: BBox): { coast: Outline; borders: Outline } {
  if (!(box[0] < box[2] && box[1] < box[3])) throw new Error(`outlinesWithin: box [${box.join(", ")}] is empty`);
  const d = decoded();
  return { coast: clipPolylines(d.coast, box), borders: clipPolylines(d.borders, box) };
}
