/**
 * Instagram-style posts: the types every MRLF notebook trains on, and the
 * on-disk format (one JSON object per line, images in a folder beside it).
 *
 * Format (see data-manifests/posts.md):
 *   posts.jsonl  {"id","text","hashtags":[…],"images":[…relative to the images folder…],
 *                 "poiId","lat","lon","lang"?, "owner"?, "truth"? }
 *   pois.json    [{"id","name","lat","lon","city"?}]   or  pois.csv with header id,name,lat,lon
 *
 * Readers validate every record and fail with `file:line: field: problem`, so a
 * user with real data learns exactly which line to fix. Nothing is dropped
 * here: filtering is preprocess-posts.ts's job, where every removal is counted.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../runtime/atomic";
import { RecordError } from "./manifest";
import type { Thresholds } from "./preprocess-posts";
import type { FlickrIntake } from "./flickr";

export interface Poi {
  id: string;
  name: string;
  city: string;
  lat: number;
  lon: number;
}

export type ImageKind = "scene" | "selfie" | "pet" | "food";

/** Ground truth the synthetic generator knows and real data does not have. */
export interface PostTruth {
  /** Fraction of the (first) image covered by person pixels: the paper's "portrait ratio" (η filter). */
  portraitRatio: number;
  /** What the image's foreground is ("scene" = no foreground). */
  kind: ImageKind;
  /** Fraction covered by any foreground (person, pet or food). */
  foregroundRatio?: number;
  /** Which modalities carry the POI's own signal, and the post's true language. */
  signal?: {
    text: boolean;
    hashtags: boolean;
    image: boolean;
    lang?: string;
    confusedWith?: string | null;
    /** The POI whose content each present modality shows (null: generic content; null too when the modality is absent). */
    sources?: { text: string | null; hashtags: string | null; image: string | null };
    /** Correlated generator mode: the caption names the post's location hashtags. */
    sharedWords?: boolean;
    /** Long-tail hashtags built from a place word (they come from `sources.hashtags`). */
    informativeTailTags?: string[];
  };
}

export interface Post {
  id: string;
  city: string;
  text: string;
  hashtags: string[];
  /** Absolute paths after loading (relative to the images folder on disk). */
  images: string[];
  poiId: string;
  lat: number;
  lon: number;
  lang?: string;
  /** Who posted it (a Flickr user, an Instagram account); with owners, splits keep each owner's posts on one side. */
  owner?: string;
  truth?: PostTruth;
}

/** Which inputs a dataset's posts carry. */
export interface Modalities {
  text: boolean;
  hashtags: boolean;
  images: boolean;
}

/** The paper's posts: text, hashtags and images. */
export const ALL_MODALITIES: Readonly<Modalities> = { text: true, hashtags: true, images: true };

export interface CityDataset {
  name: string;
  synthetic: boolean;
  city: "new-york" | "melbourne" | "hong-kong" | string;
  pois: Poi[];
  posts: Post[];
  /** file → sha256 of the files the dataset was read from. */
  checksums: Record<string, string>;
  description: string;
  /** How tables name this city (default: the city's name), e.g. "Flickr Vienna (real, text + tags, no images)". */
  label?: string;
  /**
   * What the posts can carry (default: all three). A dataset without image
   * files says `images: false` here, once; every study that needs pixels asks
   * `modalitiesOf` (lib/studies/mrlf/context.ts: `study.needsImages`) and prints one
   * line instead of a row.
   */
  modalities?: Modalities;
  /** "owner": splits keep every owner's posts on one side (lib/experiments/split.ts); default: stratified by POI. */
  splitBy?: "owner";
  /** This dataset's own preprocessing thresholds (real data with its own sizes), replacing the scale's defaults. */
  thresholds?: Thresholds;
  /**
   * The city's official locations (also those without posts), one name each (co-located entries joined by " / "): name leakage
   * (./name-leakage.ts) tells names from generic words with it.
   */
  officialNames?: string[];
  /** The claims registry's setting id for this city (default: the city id). */
  setting?: string;
  /** What a converter did before the paper's filters (Flickr CSVs → posts), for notebook 01. */
  intake?: FlickrIntake;
}

/** The modalities a dataset's posts carry (all three unless it says otherwise). */
export const modalitiesOf = (ds: Pick<CityDataset, "modalities">): Modalities => ds.modalities ?? ALL_MODALITIES;

export { RecordError };

const isStr = (v: unknown): v is string => typeof v === "string";
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

function checkLatLon(file: string, line: number, lat: unknown, lon: unknown, fieldPrefix = ""): { lat: number; lon: number } {
  const la = typeof lat === "string" && lat.trim() !== "" ? Number(lat) : lat;
  const lo = typeof lon === "string" && lon.trim() !== "" ? Number(lon) : lon;
  if (!isNum(la) || la < -90 || la > 90)
    throw new RecordError(file, line, `${fieldPrefix}lat`, `expected a latitude in [-90, 90], got ${JSON.stringify(lat)}`);
  if (!isNum(lo) || lo < -180 || lo > 180)
    throw new RecordError(file, line, `${fieldPrefix}lon`, `expected a longitude in [-180, 180], got ${JSON.stringify(lon)}`);
  return { lat: la, lon: lo };
}

/** Validate one parsed post record (line is 1-based, for the message). */
export function parsePostRecord(raw: unknown, file: string, line: number, city: string, imagesDir: string | null): Post {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw new RecordError(file, line, "(record)", "expected a JSON object");
  const r = raw as Record<string, unknown>;
  if (!isStr(r.id) || r.id.trim() === "") throw new RecordError(file, line, "id", "expected a non-empty string");
  if (r.text !== undefined && r.text !== null && !isStr(r.text))
    throw new RecordError(file, line, "text", 'expected a string (use "" for no text)');
  const hashtags = r.hashtags ?? [];
  if (!Array.isArray(hashtags) || !hashtags.every(isStr))
    throw new RecordError(file, line, "hashtags", 'expected an array of strings, e.g. ["nyc","love"]');
  const images = r.images ?? [];
  if (!Array.isArray(images) || !images.every(isStr))
    throw new RecordError(file, line, "images", "expected an array of image paths (relative to the images folder)");
  if (!isStr(r.poiId) || r.poiId.trim() === "") throw new RecordError(file, line, "poiId", "expected the id of a POI in the POI list");
  const { lat, lon } = checkLatLon(file, line, r.lat, r.lon);
  if (r.lang !== undefined && r.lang !== null && !isStr(r.lang))
    throw new RecordError(file, line, "lang", 'expected a language code such as "en"');
  if (r.owner !== undefined && r.owner !== null && (!isStr(r.owner) || r.owner.trim() === ""))
    throw new RecordError(file, line, "owner", "expected a non-empty string (the account that posted it)");
  const resolved = (images as string[]).map((p, k) => {
    if (p.trim() === "") throw new RecordError(file, line, `images[${k}]`, "empty path");
    return imagesDir && !path.isAbsolute(p) ? path.join(imagesDir, p) : p;
  });
  const post: Post = {
    id: r.id,
    city,
    text: (r.text as string | undefined | null) ?? "",
    hashtags: (hashtags as string[]).map(normaliseHashtag).filter((h) => h.length > 0),
    images: resolved,
    poiId: r.poiId,
    lat,
    lon,
  };
  if (isStr(r.lang)) post.lang = r.lang;
  if (isStr(r.owner)) post.owner = r.owner;
  if (r.truth !== undefined) post.truth = r.truth as PostTruth;
  return post;
}

/** "#NYC" → "nyc": hashtags are compared without the # and case-insensitively. */
export const normaliseHashtag = (h: string): string => h.trim().replace(/^#+/, "").toLowerCase();

export interface ReadPostsOptions {
  city: string;
  /** Folder image paths are relative to; null keeps paths as written. */
  imagesDir: string | null;
  /** Check that every image file exists (real data: yes). */
  checkImages?: boolean;
  /** Known POI ids: a post naming another fails. */
  poiIds?: ReadonlySet<string>;
}

/** Read posts.jsonl; blank lines are allowed, duplicate ids are not. */
export function readPostsJsonl(file: string, opts: ReadPostsOptions): Post[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new RecordError(file, 0, "(file)", "cannot read the posts file; check the manifest's path");
  }
  const posts: Post[] = [];
  const seen = new Map<string, number>();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const ln = lines[i].trim();
    if (ln === "") continue;
    let raw: unknown;
    try {
      raw = JSON.parse(ln);
    } catch (e) {
      throw new RecordError(file, i + 1, "(json)", `not valid JSON (${(e as Error).message})`);
    }
    const post = parsePostRecord(raw, file, i + 1, opts.city, opts.imagesDir);
    const prev = seen.get(post.id);
    if (prev !== undefined) throw new RecordError(file, i + 1, "id", `duplicate id "${post.id}" (first on line ${prev})`);
    seen.set(post.id, i + 1);
    if (opts.poiIds && !opts.poiIds.has(post.poiId)) throw new RecordError(file, i + 1, "poiId", `"${post.poiId}" is not in the POI list`);
    if (opts.checkImages)
      post.images.forEach((p, k) => {
        if (!fs.existsSync(p)) throw new RecordError(file, i + 1, `images[${k}]`, `file not found: ${p}`);
      });
    posts.push(post);
  }
  return posts;
}

/** Serialise posts as JSONL with image paths relative to `imagesDir` (stable key order). */
export function postsToJsonl(posts: readonly Post[], imagesDir: string | null): string {
  return (
    posts
      .map((p) => {
        const rec: Record<string, unknown> = {
          id: p.id,
          text: p.text,
          hashtags: p.hashtags,
          images: p.images.map((f) => (imagesDir && path.isAbsolute(f) ? path.relative(imagesDir, f).split(path.sep).join("/") : f)),
          poiId: p.poiId,
          lat: p.lat,
          lon: p.lon,
        };
        if (p.lang !== undefined) rec.lang = p.lang;
        if (p.owner !== undefined) rec.owner = p.owner;
        if (p.truth !== undefined) rec.truth = p.truth;
        return JSON.stringify(rec);
      })
      .join("\n") + (posts.length ? "\n" : "")
  );
}

export function writePostsJsonl(file: string, posts: readonly Post[], imagesDir: string | null): void {
  writeFileAtomic(file, postsToJsonl(posts, imagesDir));
}

/** Read a POI list: JSON array (`.json`) or CSV with header id,name,lat,lon[,city] (`.csv`). */
export function readPois(file: string, defaultCity: string): Poi[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new RecordError(file, 0, "(file)", "cannot read the POI file; check the manifest's path");
  }
  const pois: Poi[] = [];
  const add = (r: Record<string, unknown>, line: number) => {
    const id = typeof r.id === "number" ? String(r.id) : r.id;
    if (!isStr(id) || id.trim() === "") throw new RecordError(file, line, "id", "expected a non-empty POI id");
    if (!isStr(r.name) || r.name.trim() === "") throw new RecordError(file, line, "name", "expected a non-empty name");
    const { lat, lon } = checkLatLon(file, line, r.lat, r.lon);
    if (pois.some((p) => p.id === id)) throw new RecordError(file, line, "id", `duplicate POI id "${id}"`);
    pois.push({ id, name: r.name, city: isStr(r.city) && r.city !== "" ? r.city : defaultCity, lat, lon });
  };
  if (file.toLowerCase().endsWith(".csv")) {
    const lines = text.split("\n").map((l) => l.replace(/\r$/, ""));
    const header = splitCsvLine(lines[0] ?? "");
    for (const need of ["id", "name", "lat", "lon"])
      if (!header.includes(need))
        throw new RecordError(file, 1, need, `missing column (header must include id,name,lat,lon; got ${header.join(",")})`);
    for (let i = 1; i < lines.length; i++) {
      if (lines[i].trim() === "") continue;
      const cells = splitCsvLine(lines[i]);
      if (cells.length !== header.length)
        throw new RecordError(file, i + 1, "(row)", `expected ${header.length} cells, got ${cells.length}`);
      add(Object.fromEntries(header.map((h, k) => [h, cells[k]])), i + 1);
    }
  } else {
    let arr: unknown;
    try {
      arr = JSON.parse(text);
    } catch (e) {
      throw new RecordError(file, 1, "(json)", `not valid JSON (${(e as Error).message})`);
    }
    if (!Array.isArray(arr)) throw new RecordError(file, 1, "(json)", "expected a JSON array of {id,name,lat,lon}");
    // Line numbers for JSON arrays: the line where each element's "id" appears, best effort.
    const idLines = text.split("\n").flatMap((l, i) => (/"id"\s*:/.test(l) ? [i + 1] : []));
    arr.forEach((r, k) => {
      const line = idLines[k] ?? 1;
      if (r === null || typeof r !== "object" || Array.isArray(r))
        throw new RecordError(file, line, `[${k}]`, "expected an object {id,name,lat,lon}");
      add(r as Record<string, unknown>, line);
    });
  }
  if (pois.length === 0) throw new RecordError(file, 1, "(file)", "no POIs");
  return pois;
}

/** Minimal RFC-4180 line split (quoted cells with "" escapes). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === ",") {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

export const writePoisJson = (file: string, pois: readonly Poi[]): void =>
  writeFileAtomic(
    file,
    JSON.stringify(
      pois.map((p) => ({ id: p.id, name: p.name, city: p.city, lat: p.lat, lon: p.lon })),
      null,
      1,
    ) + "\n",
  );

/** Short per-dataset counts (Table I's rows), computed one way everywhere. */
export interface DatasetStats {
  posts: number;
  locations: number;
  /** Posts with at least one image (and the number of image files). */
  postsWithImages: number;
  images: number;
  postsWithHashtags: number;
  hashtagOccurrences: number;
  distinctHashtags: number;
  postsWithText: number;
}

export function datasetStats(ds: Pick<CityDataset, "posts">): DatasetStats {
  const tags = new Set<string>();
  let images = 0,
    withImg = 0,
    withTags = 0,
    tagOcc = 0,
    withText = 0;
  const pois = new Set<string>();
  for (const p of ds.posts) {
    pois.add(p.poiId);
    images += p.images.length;
    if (p.images.length) withImg++;
    if (p.hashtags.length) withTags++;
    tagOcc += p.hashtags.length;
    for (const h of p.hashtags) tags.add(h);
    if (p.text.trim() !== "") withText++;
  }
  return {
    posts: ds.posts.length,
    locations: pois.size,
    postsWithImages: withImg,
    images,
    postsWithHashtags: withTags,
    hashtagOccurrences: tagOcc,
    distinctHashtags: tags.size,
    postsWithText: withText,
  };
}

/**
 * A city of real Instagram-style posts described by a manifest
 * (data-manifests/instagram-posts.json, from templates/instagram-posts.json):
 * files CITY/posts.jsonl and CITY/pois.json (or .csv) under the data root,
 * images under CITY/images/. Verifies checksums, validates every record,
 * checks every image exists.
 */
export function realCity(
  params: { manifestDir: string },
  city: string,
  manifestFile = path.join(params.manifestDir, "instagram-posts.json"),
): CityDataset {
  // Loaded lazily: the manifest module reads the schema from disk.
  const { openDataset, ManifestError } = require("./manifest") as typeof import("./manifest");
  const v = openDataset(manifestFile);
  const postsPath = `${city}/posts.jsonl`;
  const poisPath = [`${city}/pois.json`, `${city}/pois.csv`].find((p) => p in v.files);
  if (!(postsPath in v.files) || !poisPath)
    throw new ManifestError(
      `${manifestFile}: files: city "${city}" needs ${postsPath} and ${city}/pois.json (or pois.csv); listed: ${Object.keys(v.files).join(", ")}`,
    );
  const pois = readPois(v.files[poisPath], city);
  const imagesDir = path.join(v.root, city, "images");
  const posts = readPostsJsonl(v.files[postsPath], { city, imagesDir, checkImages: true, poiIds: new Set(pois.map((p) => p.id)) });
  return {
    name: `${v.manifest.name}-${city}`,
    synthetic: v.manifest.synthetic,
    city,
    pois,
    posts,
    checksums: Object.fromEntries(Object.entries(v.checksums).filter(([k]) => k.startsWith(`${city}/`))),
    description: `${v.manifest.title} — ${city}: ${posts.length} posts at ${pois.length} POIs (${v.foundBy})`,
  };
}
