/**
 * Ingest of raw microblog data in the shapes it usually arrives in — TSV, CSV
 * or JSONL, one line per tweet or one line per user, columns named by the
 * researcher — into the documented microblog-users JSONL
 * (data-manifests/microblog.md) plus a manifest with size and sha256, so that
 * `make reproduce DATA=NAME` can run on it.
 *
 *   make ingest FROM=raw.tsv FORMAT=tsv NAME=mytweets COLUMNS=user:user_id,text:text,lat:latitude,lon:longitude
 *
 * What happens to bad input (each problem is one line `file:line: field: problem`):
 * - a mapped column missing from the header, no user/text mapping, or no
 *   location mapping (lat+lon or a label column): the ingest **stops** at once;
 * - a bad line — wrong number of cells, non-numeric or out-of-range
 *   coordinate, lat without lon, empty user, empty text — is **skipped** and
 *   reported; the ingest goes on;
 * - a user whose lines disagree on a label (per tweet), or who appears again
 *   with a different location (per user), is **rejected as a whole** and
 *   reported once; its other lines are counted;
 * - a user left with no coordinates and no label is rejected and reported.
 * With `strict`, the first problem of any kind stops the ingest.
 *
 * One line per tweet: a user's location is the coordinate-wise median of their
 * geotagged tweets (robust to a few tweets sent while travelling; GeoText
 * instead takes the first tweet's coordinates). Users with a tweet more than
 * 161 km from that median are counted ("travelled"), not removed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../runtime/atomic";
import { sha256, sha256File } from "../runtime/hash";
import { haversineKm } from "../geo/distance";
import { median } from "../metrics/weighted";
import { projectRoot } from "../runtime/paths";
import { loadManifest, RecordError, type Manifest } from "./manifest";

export const INGEST_FORMATS = ["tsv", "csv", "jsonl"] as const;
export type IngestFormat = (typeof INGEST_FORMATS)[number];
export const INGEST_FIELDS = ["user", "text", "lat", "lon", "state", "city", "country"] as const;
export type IngestField = (typeof INGEST_FIELDS)[number];
const LABELS = ["state", "city", "country"] as const;

export interface IngestOptions {
  format: IngestFormat;
  /** One line per tweet (default) or per user. */
  per?: "tweet" | "user";
  /** field → column name (TSV/CSV header name, a 1-based column number without a header, a dotted path in JSONL). */
  columns?: Partial<Record<IngestField, string>>;
  /** TSV/CSV: the first line names the columns (default true). */
  header?: boolean;
  strict?: boolean;
}

export interface IngestedUser {
  user: string;
  tweets: string[];
  state?: string;
  city?: string;
  country?: string;
  lat?: number;
  lon?: number;
}

export interface IngestResult {
  users: IngestedUser[];
  /** `file:line: field: problem`, in line order of discovery. */
  issues: string[];
  /** Data lines read (blank lines not counted). */
  lines: number;
  skippedLines: number;
  rejectedUsers: number;
  /** Lines of rejected users (besides the skipped ones). */
  linesOfRejectedUsers: number;
  tweets: number;
  tweetsWithCoordinates: number;
  /** Per tweet: users with a tweet > 161 km from their location. */
  travelled: number;
  /** The mapping used, field → column. */
  columns: Partial<Record<IngestField, string>>;
  per: "tweet" | "user";
  format: IngestFormat;
}

/** A problem that stops the ingest (bad header, bad mapping, or any problem with strict). */
export class IngestError extends Error {
  override name = "IngestError";
}

class Bad extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

// ---------------------------------------------------------------- reading rows

interface Row {
  line: number;
  get(field: IngestField): unknown;
  /** Cell count problem, if any. */
  shape?: string;
}

/** RFC 4180 records (quoted cells may hold commas, quotes as "" and line breaks), each with its first line number. */
export function csvRecords(text: string, file: string): { cells: string[]; line: number }[] {
  const out: { cells: string[]; line: number }[] = [];
  let cells: string[] = [];
  let cur = "";
  let quoted = false;
  let line = 1;
  let start = 1;
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === "\n") line++;
        cur += c;
      }
      continue;
    }
    if (c === '"' && cur === "") {
      quoted = true;
      any = true;
    } else if (c === ",") {
      cells.push(cur);
      cur = "";
      any = true;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      cells.push(cur);
      if (any || cur !== "") out.push({ cells, line: start });
      cells = [];
      cur = "";
      any = false;
      line++;
      start = line;
    } else {
      cur += c;
      any = true;
    }
  }
  if (quoted) throw new IngestError(`${file}:${start}: (row): a quoted cell is never closed`);
  cells.push(cur);
  if (any || cur !== "") out.push({ cells, line: start });
  return out;
}

function tableRows(text: string, file: string, o: IngestOptions, columns: Partial<Record<IngestField, string>>): Row[] {
  const records =
    o.format === "csv"
      ? csvRecords(text, file)
      : text
          .split("\n")
          .map((l, i) => ({ cells: (l.endsWith("\r") ? l.slice(0, -1) : l).split("\t"), line: i + 1 }))
          .filter((r) => r.cells.some((c) => c.trim() !== ""));
  const header = o.header ?? true;
  const sep = o.format === "csv" ? "comma" : "tab";
  let names: string[];
  let body = records;
  if (header) {
    if (records.length === 0) throw new IngestError(`${file}:1: (header): the file is empty`);
    names = records[0].cells.map((c) => c.trim());
    body = records.slice(1);
  } else names = records.length ? records[0].cells.map((_, i) => String(i + 1)) : [];
  const index: Partial<Record<IngestField, number>> = {};
  for (const [field, col] of Object.entries(columns) as [IngestField, string][]) {
    const k = names.indexOf(col);
    if (k < 0)
      throw new IngestError(
        header
          ? `${file}:1: ${field}: column "${col}" is not in the header (columns: ${names.join(", ")}); name it with ${field}:COLUMN`
          : `${file}:1: ${field}: column ${col} does not exist (lines have ${names.length} ${sep}-separated cells; without a header, columns are numbers 1…${names.length})`,
      );
    index[field] = k;
  }
  return body.map((r) => ({
    line: r.line,
    shape: r.cells.length !== names.length ? `expected ${names.length} ${sep}-separated cells, got ${r.cells.length}` : undefined,
    get: (f: IngestField) => (index[f] === undefined ? undefined : r.cells[index[f]!]),
  }));
}

/** Value at a dotted path ("user.id_str", "coordinates.coordinates.1"). */
function at(obj: unknown, dotted: string): unknown {
  let v: unknown = obj;
  for (const part of dotted.split(".")) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

function jsonRows(text: string, columns: Partial<Record<IngestField, string>>): Row[] {
  const rows: Row[] = [];
  text.split("\n").forEach((raw, i) => {
    const s = raw.trim();
    if (!s) return;
    let obj: unknown;
    let shape: string | undefined;
    try {
      obj = JSON.parse(s);
      if (obj === null || typeof obj !== "object" || Array.isArray(obj)) shape = "expected a JSON object";
    } catch (e) {
      shape = `not valid JSON (${(e as Error).message})`;
    }
    rows.push({ line: i + 1, shape, get: (f) => (columns[f] === undefined ? undefined : at(obj, columns[f]!)) });
  });
  return rows;
}

// ---------------------------------------------------------------- values

const blank = (v: unknown): boolean => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

function str(v: unknown, field: string): string | undefined {
  if (blank(v)) return undefined;
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (typeof v !== "string") throw new Bad(field, `expected text, got ${JSON.stringify(v)}`);
  return v.trim();
}

function coordinate(v: unknown, field: "lat" | "lon"): number {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw new Bad(field, `not a number: ${JSON.stringify(v)}`);
  const lim = field === "lat" ? 90 : 180;
  if (Math.abs(n) > lim) throw new Bad(field, `${n} is outside [-${lim}, ${lim}]`);
  return n;
}

function texts(v: unknown, per: "tweet" | "user"): string[] {
  if (per === "user" && Array.isArray(v)) {
    const ts = v
      .map((t, k) => {
        if (typeof t !== "string") throw new Bad(`text[${k}]`, `expected text, got ${JSON.stringify(t)}`);
        return t;
      })
      .filter((t) => t.trim() !== "");
    if (ts.length === 0) throw new Bad("text", "empty (no non-empty tweet in the list)");
    return ts;
  }
  if (blank(v)) throw new Bad("text", "empty");
  if (typeof v !== "string") throw new Bad("text", `expected text, got ${JSON.stringify(v)}`);
  return [v];
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

// ---------------------------------------------------------------- ingest

/** The mapping: given columns, else each field's own name where the header (or JSON) has it. */
function resolveColumns(text: string, o: IngestOptions): Partial<Record<IngestField, string>> {
  const given = { ...(o.columns ?? {}) };
  for (const k of Object.keys(given))
    if (!(INGEST_FIELDS as readonly string[]).includes(k))
      throw new IngestError(`columns: unknown field "${k}" (fields: ${INGEST_FIELDS.join(", ")})`);
  if (o.format !== "jsonl" && (o.header ?? true)) {
    const first =
      o.format === "csv"
        ? (csvRecords(text.split("\n")[0] ?? "", "(header)")[0]?.cells ?? [])
        : (text.split("\n")[0] ?? "").replace(/\r$/, "").split("\t");
    const names = new Set(first.map((c) => c.trim()));
    for (const f of INGEST_FIELDS) if (given[f] === undefined && names.has(f)) given[f] = f;
  } else if (o.format === "jsonl") {
    const firstLine = text.split("\n").find((l) => l.trim() !== "");
    let obj: unknown = null;
    try {
      obj = firstLine ? JSON.parse(firstLine) : null;
    } catch {
      obj = null;
    }
    for (const f of INGEST_FIELDS) if (given[f] === undefined && obj && typeof obj === "object" && f in (obj as object)) given[f] = f;
  }
  return given;
}

export function ingestText(text: string, file: string, o: IngestOptions): IngestResult {
  if (!(INGEST_FORMATS as readonly string[]).includes(o.format))
    throw new IngestError(`format: "${o.format}" is not one of ${INGEST_FORMATS.join(", ")}`);
  const per = o.per ?? "tweet";
  const columns = resolveColumns(text, o);
  const where = `${file}:1`;
  // A named column missing from the header is the first thing to say (tableRows checks it).
  const rows = o.format === "jsonl" ? jsonRows(text, columns) : tableRows(text, file, o, columns);
  if (columns.user === undefined) throw new IngestError(`${where}: user: no column for the user id (name it with user:COLUMN)`);
  if (columns.text === undefined) throw new IngestError(`${where}: text: no column for the text (name it with text:COLUMN)`);
  if ((columns.lat === undefined) !== (columns.lon === undefined))
    throw new IngestError(`${where}: ${columns.lat === undefined ? "lat" : "lon"}: map both lat and lon, or neither`);
  if (columns.lat === undefined && !LABELS.some((l) => columns[l] !== undefined))
    throw new IngestError(`${where}: lat: no location: map lat and lon (coordinates), or a label column (state, city or country)`);

  const issues: string[] = [];
  const fail = (line: number, field: string, problem: string) => {
    const msg = `${file}:${line}: ${field}: ${problem}`;
    if (o.strict) throw new IngestError(msg);
    issues.push(msg);
  };
  interface Acc {
    user: string;
    first: number;
    tweets: string[];
    coords: { lat: number; lon: number }[];
    geoTweets: number;
    labels: Partial<Record<(typeof LABELS)[number], { v: string; line: number }>>;
    loc?: { lat?: number; lon?: number; line: number };
    lines: number;
  }
  const byUser = new Map<string, Acc>();
  const rejected = new Set<string>();
  let skipped = 0;
  let ofRejected = 0;
  let tweets = 0;
  let withCoords = 0;
  for (const r of rows) {
    let user: string | undefined;
    try {
      if (r.shape) throw new Bad("(row)", r.shape);
      user = str(r.get("user"), "user");
      if (!user)
        throw new Bad(
          "user",
          columns.user && o.format === "jsonl" && r.get("user") === undefined ? `missing (no "${columns.user}" in the record)` : "empty",
        );
      if (rejected.has(user)) {
        ofRejected++;
        continue;
      }
      const ts = texts(r.get("text"), per);
      let coord: { lat: number; lon: number } | undefined;
      if (columns.lat !== undefined) {
        const la = r.get("lat"),
          lo = r.get("lon");
        if (!blank(la) || !blank(lo)) {
          if (blank(la)) throw new Bad("lat", "missing while lon is given (give both or neither)");
          if (blank(lo)) throw new Bad("lon", "missing while lat is given (give both or neither)");
          coord = { lat: coordinate(la, "lat"), lon: coordinate(lo, "lon") };
        }
      }
      const labels: Partial<Record<(typeof LABELS)[number], string>> = {};
      for (const l of LABELS) if (columns[l] !== undefined) labels[l] = str(r.get(l), l);
      let acc = byUser.get(user);
      if (!acc) {
        acc = { user, first: r.line, tweets: [], coords: [], geoTweets: 0, labels: {}, lines: 0 };
        byUser.set(user, acc);
      } else {
        // Consistency of what describes the user (not the tweet).
        const conflict = LABELS.find((l) => labels[l] !== undefined && acc!.labels[l] && acc!.labels[l]!.v !== labels[l]);
        if (conflict) {
          const prev = acc.labels[conflict]!;
          rejectUser(
            acc,
            r.line,
            conflict,
            `"${labels[conflict]}" disagrees with "${prev.v}" on line ${prev.line} for user ${user}; the user is rejected`,
          );
          continue;
        }
        if (per === "user") {
          const pl = acc.loc;
          const same = pl && pl.lat === coord?.lat && pl.lon === coord?.lon;
          if (!same) {
            rejectUser(
              acc,
              r.line,
              "lat",
              `user ${user} appears again with a different location (${coord ? `${coord.lat}, ${coord.lon}` : "none"} here, ${pl && pl.lat !== undefined ? `${pl.lat}, ${pl.lon}` : "none"} on line ${pl?.line}); the user is rejected`,
            );
            continue;
          }
        }
      }
      for (const l of LABELS) if (labels[l] !== undefined && !acc.labels[l]) acc.labels[l] = { v: labels[l]!, line: r.line };
      if (!acc.loc) acc.loc = { lat: coord?.lat, lon: coord?.lon, line: r.line };
      acc.tweets.push(...ts);
      acc.lines++;
      tweets += ts.length;
      if (coord) {
        acc.coords.push(coord);
        acc.geoTweets += ts.length;
        withCoords += ts.length;
      }
    } catch (e) {
      if (!(e instanceof Bad)) throw e;
      skipped++;
      fail(r.line, e.field, e.problem);
    }
  }
  function rejectUser(acc: Acc, line: number, field: string, problem: string) {
    rejected.add(acc.user);
    byUser.delete(acc.user);
    ofRejected += acc.lines + 1;
    tweets -= acc.tweets.length;
    withCoords -= acc.geoTweets;
    fail(line, field, problem);
  }
  const users: IngestedUser[] = [];
  let travelled = 0;
  for (const acc of byUser.values()) {
    const u: IngestedUser = { user: acc.user, tweets: acc.tweets };
    for (const l of LABELS) if (acc.labels[l]) u[l] = acc.labels[l]!.v;
    if (acc.coords.length) {
      u.lat = round6(median(acc.coords.map((c) => c.lat)));
      u.lon = round6(median(acc.coords.map((c) => c.lon)));
      if (acc.coords.some((c) => haversineKm(c, { lat: u.lat!, lon: u.lon! }) > 161)) travelled++;
    }
    if (u.lat === undefined && !LABELS.some((l) => u[l] !== undefined)) {
      rejected.add(acc.user);
      ofRejected += acc.lines;
      tweets -= acc.tweets.length;
      fail(acc.first, "lat", `user ${acc.user} has no coordinates and no label in any of its ${acc.lines} line(s); the user is rejected`);
      continue;
    }
    users.push(u);
  }
  return {
    users,
    issues,
    lines: rows.length,
    skippedLines: skipped,
    rejectedUsers: rejected.size,
    linesOfRejectedUsers: ofRejected,
    tweets,
    tweetsWithCoordinates: withCoords,
    travelled,
    columns,
    per,
    format: o.format,
  };
}

/** The summary a person reads after an ingest. */
export function describeIngest(r: IngestResult, file: string): string[] {
  const mapping = Object.entries(r.columns)
    .map(([f, c]) => `${f}←${c}`)
    .join(", ");
  return [
    `${file}: ${r.lines} ${r.format.toUpperCase()} lines (one per ${r.per}; columns ${mapping}).`,
    `${r.users.length} users with ${r.tweets} tweets written (${r.tweetsWithCoordinates} tweets with coordinates).`,
    `${r.skippedLines} bad lines skipped; ${r.rejectedUsers} users rejected (${r.linesOfRejectedUsers} further lines); ${r.issues.length} problems reported.`,
    ...(r.per === "tweet"
      ? [`User location = coordinate-wise median of their geotagged tweets; ${r.travelled} users have a tweet > 161 km from it (kept).`]
      : []),
  ];
}

export interface IngestFileOptions extends IngestOptions {
  /** Manifest name (^[a-z0-9][a-z0-9._-]*$). */
  name: string;
  /** Folder for users.jsonl and ingest-issues.txt (default data/NAME). */
  outDir?: string;
  /** Folder for NAME.json (default data-manifests). */
  manifestDir?: string;
  title?: string;
  citation?: string;
  url?: string;
  license?: string | null;
  /** The data is generated, not collected (the worked example's file). */
  synthetic?: boolean;
}

export interface IngestWritten {
  result: IngestResult;
  usersFile: string;
  issuesFile: string;
  manifestFile: string;
  manifest: Manifest;
}

const NAME_RE = /^[a-z0-9][a-z0-9._-]*$/;

/** Ingest a file and write users.jsonl, ingest-issues.txt and the manifest (validated against the schema). */
export function ingestFile(from: string, o: IngestFileOptions): IngestWritten {
  if (!NAME_RE.test(o.name)) throw new IngestError(`name: "${o.name}" must match ${NAME_RE} (it names the manifest and the tables)`);
  let text: string;
  try {
    text = fs.readFileSync(from, "utf8");
  } catch {
    throw new IngestError(`${from}: cannot read the file`);
  }
  const relFrom = path.relative(process.cwd(), from);
  const shown = relFrom && !relFrom.startsWith("..") ? relFrom : from;
  const result = ingestText(text, shown, o);
  if (result.users.length === 0)
    throw new IngestError(
      `${shown}: no user left to write (${result.issues.length} problems; first: ${result.issues.slice(0, 3).join(" | ")})`,
    );
  const outDir = path.resolve(o.outDir ?? path.join(projectRoot, "data", o.name));
  const manifestDir = path.resolve(o.manifestDir ?? path.join(projectRoot, "data-manifests"));
  const usersFile = path.join(outDir, "users.jsonl");
  const issuesFile = path.join(outDir, "ingest-issues.txt");
  const body = result.users.map((u) => JSON.stringify(u)).join("\n") + "\n";
  fs.mkdirSync(outDir, { recursive: true });
  writeFileAtomic(usersFile, body);
  writeFileAtomic(issuesFile, result.issues.length ? result.issues.join("\n") + "\n" : "");
  const rel = (p: string) => {
    const r = path.relative(projectRoot, p);
    return r && !r.startsWith("..") && !path.isAbsolute(r) ? r : p;
  };
  const manifest = {
    // Editors find the schema beside a manifest in data-manifests/.
    ...(manifestDir === path.join(projectRoot, "data-manifests") ? { $schema: "schema.json" } : {}),
    schemaVersion: 1,
    name: o.name,
    title: o.title ?? `Microblog users ingested from ${path.basename(from)}`,
    description: `Microblog users written by make ingest from ${path.basename(from)} (${o.format.toUpperCase()}, one line per ${result.per}): ${result.users.length} users, ${result.tweets} tweets.`,
    citation: o.citation ?? "Cite the source of your crawl here (written by make ingest).",
    url: o.url ?? "none",
    license: o.license ?? null,
    synthetic: !!o.synthetic,
    root: { searchPaths: [rel(outDir)], env: `GEOREPRO_DATA_${o.name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}` },
    files: [
      {
        path: "users.jsonl",
        size: Buffer.byteLength(body),
        sha256: sha256(body),
        format: "microblog-users-jsonl",
        description: "One user per line: user, tweets, optional state/city/country labels, lat/lon (see data-manifests/microblog.md).",
        record: {
          layout: "jsonl",
          fields: [
            { name: "user", type: "string" },
            { name: "tweets", type: "string[]" },
            { name: "state", type: "string", required: false },
            { name: "city", type: "string", required: false },
            { name: "country", type: "string", required: false },
            { name: "lat", type: "latitude", required: false },
            { name: "lon", type: "longitude", required: false },
          ],
        },
      },
    ],
    notes: [
      `Source: ${path.basename(from)}, sha256 ${sha256File(from)}, ${fs.statSync(from).size} bytes.`,
      ...describeIngest(result, path.basename(from)),
      `Problems, one per line as file:line: field: problem, are in ${path.basename(issuesFile)} beside users.jsonl.`,
    ],
  };
  const manifestFile = path.join(manifestDir, `${o.name}.json`);
  fs.mkdirSync(manifestDir, { recursive: true });
  writeFileAtomic(manifestFile, JSON.stringify(manifest, null, 2) + "\n");
  return { result, usersFile, issuesFile, manifestFile, manifest: loadManifest(manifestFile) };
}

export { RecordError };
