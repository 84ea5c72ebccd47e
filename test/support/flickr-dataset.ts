/**
 * A small Flickr-shaped dataset the tests write: photos CSV in the crawl's
 * layout (quoted cells with newlines, Python dict literal descriptions with
 * escapes and HTML, duplicate rows, a bad row), a Windows-1252 POI list with
 * decimal commas (two co-located entries, two POIs 60 m apart), and a manifest
 * of the converted-posts kind naming them.
 *
 * Layout on the ground (metres east of a point in Vienna's old town):
 *   "Alpha Kirche"  at   0 m,  "Beta Museum" at 60 m (so a photo between them is ambiguous),
 *   "Gamma Oper" / "Gamma Café" at 1,000 m (co-located: one location),
 *   "Delta Turm"    at 2,000 m.
 * Eight owners photograph Alpha, Gamma and Delta (several photos each); a few
 * photos sit between Alpha and Beta (ambiguous) or 5 km away (beyond the radius).
 */
import * as fs from "node:fs";
import * as path from "node:path";

const LAT = 48.2;
const LON0 = 16.37;
/** Degrees of longitude per metre at this latitude (haversine is near-Euclidean at this scale). */
const DEG_PER_M = 1 / (111_320 * Math.cos((LAT * Math.PI) / 180));
export const lonAt = (metres: number): number => LON0 + metres * DEG_PER_M;

export const POIS_CSV_ROWS: [string, string, number][] = [
  ["Alpha Kirche", "sightseeing", 0],
  ["Beta Museum", "museum", 60],
  ["Gamma Oper", "musicstage", 1000],
  ["Gamma Café", "cafes", 1000],
  ["Delta Turm", "sightseeing", 2000],
];

/** The POI list in the official file's shape: Windows-1252, ';', decimal commas. */
export function poisCsvBytes(): Buffer {
  const comma = (x: number) => x.toFixed(7).replace(".", ",");
  const lines = ["title;category;Beschreibung;address;zip;city;geo_latitude;geo_longitude"];
  for (const [name, cat, m] of POIS_CSV_ROWS)
    lines.push(`${name};${cat};Ein Ort – mit Strich;Gasse 1;1010;Wien;${comma(LAT)};${comma(lonAt(m))}`);
  // latin1 for every character here except the en dash (0x96 in Windows-1252)
  const text = lines.join("\r\n") + "\r\n";
  return Buffer.from(Array.from(text).map((ch) => (ch === "–" ? 0x96 : ch.charCodeAt(0))));
}

const q = (s: string) => `"${s.replace(/"/g, '""')}"`;

export interface PhotoSpec {
  id: string;
  owner: string;
  title: string;
  /** The raw description cell (a Python dict literal). */
  description: string;
  tags: string;
  metres: number;
}

/** Photos: per owner o0..o7 and POI (Alpha 0 m, Gamma 1000 m, Delta 2000 m) two photos each, plus special cases. */
export function photoSpecs(): PhotoSpec[] {
  const out: PhotoSpec[] = [];
  let n = 100;
  const places: [string, number, string][] = [
    ["Alpha", 5, "alphakirche kirche wien"],
    ["Gamma", 1003, "gammaoper oper wien"],
    ["Delta", 1996, "deltaturm turm wien"],
  ];
  for (let o = 0; o < 8; o++)
    for (const [name, m, tags] of places)
      for (let k = 0; k < 2; k++)
        out.push({
          id: String(n++),
          owner: `${o}@N0${o}`,
          title: `${name} ${o}.${k}`,
          description: `{'_content': 'Sch\\xf6n bei ${name}'}`,
          tags: `${tags} owner${o}`,
          metres: m + k,
        });
  // Description quirks (at Alpha): escapes, a quote inside, newlines, HTML, entities, a link, a bare URL.
  out.push({
    id: "900",
    owner: "9@N09",
    title: "Alpha &amp;\nmore",
    description: `{'_content': "It's the \\"Kirche\\"\\nline two <a href=\\"https://www.flickr.com/x\\">Alpha Kirche</a> &quot;quoted&quot; see https://example.com/x"}`,
    tags: "alphakirche wien",
    metres: 2,
  });
  // Between Alpha (0 m) and Beta (60 m): second POI within 1.5 × → ambiguous.
  out.push({ id: "901", owner: "9@N09", title: "between", description: "{'_content': ''}", tags: "wien", metres: 28 });
  // An exact tie (30 m from each): ambiguous.
  out.push({ id: "902", owner: "9@N09", title: "tie", description: "{'_content': ''}", tags: "wien", metres: 30 });
  // Far away: beyond every POI's radius.
  out.push({ id: "903", owner: "9@N09", title: "far", description: "{'_content': ''}", tags: "wien", metres: 5000 });
  return out;
}

const HEADER = ["id", "owner", "secret", "title", "description", "ownername", "tags", "latitude", "longitude", "accuracy"];

/** The photos CSV: every photo once, the first two photos again (the crawl repeats pages), and one unreadable row. */
export function photosCsv(specs: readonly PhotoSpec[] = photoSpecs()): string {
  const row = (p: PhotoSpec) =>
    [
      p.id,
      p.owner,
      "abc",
      q(p.title),
      q(p.description),
      q(`Owner ${p.owner}`),
      q(p.tags),
      LAT.toFixed(6),
      lonAt(p.metres).toFixed(6),
      "16",
    ].join(",");
  const lines = [HEADER.join(","), ...specs.map(row), row(specs[0]), row(specs[1])];
  // A bad description literal (never closed) on its own row.
  lines.push(
    ["904", "9@N09", "abc", q("bad"), q("{'_content': 'never closed}"), q("x"), q("wien"), LAT.toFixed(6), lonAt(3).toFixed(6), "16"].join(
      ",",
    ),
  );
  return lines.join("\n") + "\n";
}

/** Write the files and a converted-posts manifest; returns the manifest path and the data folder. */
export function writeFlickrDataset(
  dir: string,
  opts: { name?: string; city?: string; specs?: PhotoSpec[] } = {},
): { manifestFile: string; dataDir: string; env: string } {
  const name = opts.name ?? "flickr-test";
  const dataDir = path.join(dir, "data", name);
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, "photos.csv"), photosCsv(opts.specs));
  fs.writeFileSync(path.join(dataDir, "pois.csv"), poisCsvBytes());
  const env = `GEOREPRO_DATA_${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
  const manifest = {
    schemaVersion: 1,
    name,
    title: "Flickr-shaped photos made by the tests",
    description: "a few photos around five POIs",
    citation: "georepro tests",
    url: "none",
    license: null,
    synthetic: false,
    root: { searchPaths: [dataDir], env },
    posts: { city: opts.city ?? "testville", label: "Testville (real-shaped, text + tags, no images)", inDefaultRun: true },
    files: [
      { path: "photos.csv", size: null, sha256: null, format: "flickr-photos-csv" },
      { path: "pois.csv", size: null, sha256: null, format: "official-pois-csv" },
    ],
  };
  const manifestFile = path.join(dir, `${name}.json`);
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 1));
  return { manifestFile, dataDir, env };
}
