/**
 * A city's official POI list ("Top-Locations in Wien", data.gv.at) as posts'
 * locations.
 *
 * File: Windows-1252 (not Latin-1: 0x96 is the en dash in "Az W – Architekturzentrum"),
 * semicolon-separated, header row, coordinates with a decimal comma
 * (`48,2065731`). Columns used: `title`, `category`, `address`, `geo_latitude`,
 * `geo_longitude`.
 *
 * Co-located POIs are one place. Several entries share exact coordinates
 * (Café Sacher / Hotel Sacher / Anna Sacher; the MuseumsQuartier's Kunsthalle,
 * Leopold Museum, Tanzquartier, … at one point): no geotag can tell them apart,
 * so entries closer than MERGE_WITHIN_M are merged into one location whose
 * name joins theirs (and every member's name counts for name leakage).
 * Two entries with the same title at different places (two shops of a chain)
 * get the address in their name.
 */
import { haversineKm } from "../../geo/distance";
import { RecordError } from "../manifest";
import type { Poi } from "../posts";
import { csvObjects } from "./csv";

/** Entries nearer than this are one place (the list's duplicates sit at identical coordinates: 0 m). */
export const MERGE_WITHIN_M = 1;

export interface OfficialPoi extends Poi {
  /** The official entries this location stands for (one, or several co-located ones). */
  members: { name: string; category: string; address: string }[];
}

export interface PoiListReport {
  entries: number;
  locations: number;
  /** Groups of co-located entries merged into one location. */
  merged: { name: string; members: number }[];
  /** Titles listed twice at different places (disambiguated by address). */
  sameTitle: string[];
}

/** "48,2065731" → 48.2065731 (a decimal point is accepted too). */
export function decimalComma(raw: string | undefined, file: string, line: number, field: string, limit: number): number {
  const s = (raw ?? "").trim();
  if (!/^[-+]?\d+([.,]\d+)?$/.test(s))
    throw new RecordError(file, line, field, `expected a number with a decimal comma, e.g. 48,2065731; got ${JSON.stringify(raw ?? "")}`);
  const v = Number(s.replace(",", "."));
  if (Math.abs(v) > limit) throw new RecordError(file, line, field, `${v} is outside [-${limit}, ${limit}]`);
  return v;
}

/** A stable id from a name: lower-case ASCII letters and digits joined by '-'. */
export const slug = (name: string): string =>
  name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/ß/g, "ss")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "") || "poi";

/** Windows-1252's 0x80–0x9F (where it differs from Latin-1); unassigned bytes keep their Latin-1 code point. */
const CP1252_HIGH =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

/** Decode Windows-1252 (Node's TextDecoder("windows-1252") decodes Latin-1, leaving 0x96 as a control character). */
export function decodeWindows1252(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] : String.fromCharCode(b);
  return out;
}

/** Read the POI list (bytes, decoded as Windows-1252); a bad row stops with `file:line: field: problem`. */
export function readOfficialPois(bytes: Uint8Array, file: string, city: string): { pois: OfficialPoi[]; report: PoiListReport } {
  const text = decodeWindows1252(bytes);
  const { header, rows, bad } = csvObjects(text, file, ";");
  if (bad.length) throw bad[0];
  for (const need of ["title", "geo_latitude", "geo_longitude"])
    if (!header.includes(need)) throw new RecordError(file, 1, need, `missing column (header: ${header.join(";")})`);
  const entries = rows.map(({ line, values }) => {
    const name = values.title.trim();
    if (!name) throw new RecordError(file, line, "title", "empty POI name");
    return {
      line,
      name,
      category: (values.category ?? "").trim(),
      address: (values.address ?? "").trim(),
      lat: decimalComma(values.geo_latitude, file, line, "geo_latitude", 90),
      lon: decimalComma(values.geo_longitude, file, line, "geo_longitude", 180),
    };
  });
  if (entries.length === 0) throw new RecordError(file, 1, "(file)", "no POIs");
  const titleCount = new Map<string, number>();
  for (const e of entries) titleCount.set(e.name, (titleCount.get(e.name) ?? 0) + 1);
  const sameTitle = [...titleCount].filter(([, n]) => n > 1).map(([t]) => t);
  const display = (e: (typeof entries)[number]) => (titleCount.get(e.name)! > 1 && e.address ? `${e.name} (${e.address})` : e.name);
  // Group co-located entries (in file order: the first entry of a group names its id).
  const groups: (typeof entries)[] = [];
  for (const e of entries) {
    const g = groups.find((g) => haversineKm(g[0], e) * 1000 < MERGE_WITHIN_M);
    if (g) g.push(e);
    else groups.push([e]);
  }
  const ids = new Set<string>();
  const pois: OfficialPoi[] = groups.map((g) => {
    const name = g.map(display).join(" / ");
    let id = slug(display(g[0]));
    for (let k = 2; ids.has(id); k++) id = `${slug(display(g[0]))}-${k}`;
    ids.add(id);
    return {
      id,
      name,
      city,
      lat: g[0].lat,
      lon: g[0].lon,
      members: g.map((e) => ({ name: display(e), category: e.category, address: e.address })),
    };
  });
  return {
    pois,
    report: {
      entries: entries.length,
      locations: pois.length,
      merged: pois.filter((p) => p.members.length > 1).map((p) => ({ name: p.name, members: p.members.length })),
      sameTitle,
    },
  };
}
