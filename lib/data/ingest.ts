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
 *
 * One line per user without a user column: the line number is the user's id
 * (the manifest says so).
 *
 * Any size in bounded memory. A file is read in 1 MB chunks, never whole. A
 * user's tweets may be anywhere in a per-tweet file, so they are grouped on
 * disk: each accepted line goes to one of B spool files (B = file size / 32 MB,
 * a user's lines all to the same one), with in memory only a small state per
 * user (id, first line, line and tweet counts, first label values, the first
 * location of a per-user file: ≈ 200 bytes plus the id). Then each spool file
 * in turn is grouped by user (its users' medians, labels, rejections) and
 * written sorted by each user's first line, and the B sorted files are merged
 * into users.jsonl in the order users first appear. Peak memory: the per-user
 * states plus one spool file's lines (≈ 32 MB of text, `GEOREPRO_INGEST_BUCKET_MB`),
 * whatever the number of lines; the file and its spool take disk instead. A
 * progress bar with the rate goes to stderr (`make ingest`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { createHash } from "node:crypto";
import { StringDecoder } from "node:string_decoder";
import { writeFileAtomic } from "../runtime/atomic";
import { sha256File } from "../runtime/hash";
import { bar, formatSeconds } from "../runtime/progress";
import { haversineKm } from "../geo/distance";
import { projectRoot } from "../runtime/paths";
import { loadManifest, RecordError, type Manifest } from "./manifest";
import { median } from "../metrics/weighted";
import { envVar } from "../runtime/env";

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
  /** The users (ingestText; a file's users go straight to users.jsonl and this is empty). */
  users: IngestedUser[];
  /** Users written. */
  userCount: number;
  /** `file:line: field: problem`, in line order of discovery (a file's first ISSUES_KEPT; all of them are in ingest-issues.txt). */
  issues: string[];
  issueCount: number;
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
  /** "line": one line per user without a user column, so each user's id is its line number. */
  userIds: "column" | "line";
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

/** A raw record: the cells of a TSV/CSV record, or one JSONL line's text. */
interface RawRecord {
  line: number;
  cells?: string[];
  text?: string;
}

/** Lines of a text fed in chunks ("\n" ends a line; a trailing "\r" is dropped), each with its number. */
class LineSplitter {
  private rest = "";
  private line = 0;
  push(chunk: string, out: (r: RawRecord) => void, last = false): void {
    const text = this.rest + chunk;
    let from = 0;
    for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", from)) {
      const l = text.slice(from, at);
      out({ line: ++this.line, text: l.endsWith("\r") ? l.slice(0, -1) : l });
      from = at + 1;
    }
    this.rest = text.slice(from);
    if (last) {
      const l = this.rest;
      this.rest = "";
      out({ line: ++this.line, text: l.endsWith("\r") ? l.slice(0, -1) : l });
    }
  }
}

/** RFC 4180 records fed in chunks (quoted cells may hold commas, quotes as "" and line breaks), each with its first line number. */
export class CsvParser {
  private cells: string[] = [];
  private cur = "";
  private quoted = false;
  /** A quote inside a quoted cell: a "" pair or the closing quote, decided by the next character. */
  private quote = false;
  /** A "\r" ended a record: a "\n" right after it belongs to it. */
  private cr = false;
  private line = 1;
  private start = 1;
  private any = false;
  constructor(private readonly file: string) {}

  private record(out: (r: RawRecord) => void): void {
    this.cells.push(this.cur);
    if (this.any || this.cur !== "") out({ cells: this.cells, line: this.start });
    this.cells = [];
    this.cur = "";
    this.any = false;
  }

  push(chunk: string, out: (r: RawRecord) => void): void {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (this.cr) {
        this.cr = false;
        if (c === "\n") continue;
      }
      if (this.quoted) {
        if (this.quote) {
          this.quote = false;
          if (c === '"') {
            this.cur += '"';
            continue;
          }
          this.quoted = false;
          // fall through: c is read outside the quotes
        } else if (c === '"') {
          this.quote = true;
          continue;
        } else {
          if (c === "\n") this.line++;
          this.cur += c;
          continue;
        }
      }
      if (c === '"' && this.cur === "") {
        this.quoted = true;
        this.any = true;
      } else if (c === ",") {
        this.cells.push(this.cur);
        this.cur = "";
        this.any = true;
      } else if (c === "\n" || c === "\r") {
        this.record(out);
        this.cr = c === "\r";
        this.line++;
        this.start = this.line;
      } else {
        this.cur += c;
        this.any = true;
      }
    }
  }

  end(out: (r: RawRecord) => void): void {
    if (this.quote) {
      this.quote = false;
      this.quoted = false;
    }
    if (this.quoted) throw new IngestError(`${this.file}:${this.start}: (row): a quoted cell is never closed`);
    this.record(out);
  }
}

/** RFC 4180 records of a whole text (see CsvParser). */
export function csvRecords(text: string, file: string): { cells: string[]; line: number }[] {
  const out: { cells: string[]; line: number }[] = [];
  const p = new CsvParser(file);
  const put = (r: RawRecord) => out.push({ cells: r.cells!, line: r.line });
  p.push(text, put);
  p.end(put);
  return out;
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

/**
 * Turns raw records into rows: the header (TSV/CSV) or the first JSON object
 * fixes the mapping of fields to columns, then every record is a Row.
 */
class RowReader {
  columns: Partial<Record<IngestField, string>> = {};
  private index: Partial<Record<IngestField, number>> = {};
  private names: string[] | null = null;
  private ready = false;
  private sep: string;
  constructor(
    private readonly file: string,
    private readonly o: IngestOptions,
    private readonly onRow: (r: Row) => void,
  ) {
    this.sep = o.format === "csv" ? "comma" : "tab";
    for (const k of Object.keys(o.columns ?? {}))
      if (!(INGEST_FIELDS as readonly string[]).includes(k))
        throw new IngestError(`columns: unknown field "${k}" (fields: ${INGEST_FIELDS.join(", ")})`);
  }

  /** The mapping: given columns, else each field's own name where the header (or JSON) has it. */
  private resolve(names: readonly string[]): void {
    const given = { ...(this.o.columns ?? {}) };
    const have = new Set(names);
    for (const f of INGEST_FIELDS) if (given[f] === undefined && have.has(f)) given[f] = f;
    this.columns = given;
    this.ready = true;
  }

  record(r: RawRecord): void {
    if (this.o.format === "jsonl") {
      const s = r.text!.trim();
      if (!s) return;
      let obj: unknown;
      let shape: string | undefined;
      try {
        obj = JSON.parse(s);
        if (obj === null || typeof obj !== "object" || Array.isArray(obj)) shape = "expected a JSON object";
      } catch (e) {
        shape = `not valid JSON (${(e as Error).message})`;
      }
      if (!this.ready) this.resolve(obj && typeof obj === "object" && !shape ? Object.keys(obj as object) : []);
      const columns = this.columns;
      this.onRow({ line: r.line, shape, get: (f) => (columns[f] === undefined ? undefined : at(obj, columns[f]!)) });
      return;
    }
    const cells = r.cells ?? r.text!.split("\t");
    if (!r.cells && !cells.some((c) => c.trim() !== "")) return;
    const header = this.o.header ?? true;
    if (this.names === null) {
      if (header) {
        this.names = cells.map((c) => c.trim());
        this.resolve(this.names);
        this.checkColumns(header);
        return;
      }
      this.names = cells.map((_, i) => String(i + 1));
      this.resolve([]);
      this.checkColumns(header);
    }
    const names = this.names;
    const index = this.index;
    this.onRow({
      line: r.line,
      shape: cells.length !== names.length ? `expected ${names.length} ${this.sep}-separated cells, got ${cells.length}` : undefined,
      get: (f: IngestField) => (index[f] === undefined ? undefined : cells[index[f]!]),
    });
  }

  /** A named column missing from the header is the first thing to say. */
  private checkColumns(header: boolean): void {
    const names = this.names!;
    for (const [field, col] of Object.entries(this.columns) as [IngestField, string][]) {
      const k = names.indexOf(col);
      if (k < 0)
        throw new IngestError(
          header
            ? `${this.file}:1: ${field}: column "${col}" is not in the header (columns: ${names.join(", ")}); name it with ${field}:COLUMN`
            : `${this.file}:1: ${field}: column ${col} does not exist (lines have ${names.length} ${this.sep}-separated cells; without a header, columns are numbers 1…${names.length})`,
        );
      this.index[field] = k;
    }
  }

  /** The end of the input: an empty table file has no header. */
  end(): void {
    if (this.o.format !== "jsonl" && this.names === null && (this.o.header ?? true))
      throw new IngestError(`${this.file}:1: (header): the file is empty`);
    if (!this.ready) this.resolve([]);
  }
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

// ---------------------------------------------------------------- grouping lines by user, in bounded memory

/** Where accepted lines wait to be grouped: B buckets (a user's lines all in one), in memory or in files. */
interface Spool {
  readonly buckets: number;
  append(bucket: number, line: string): void;
  /** The bucket's lines in the order they were appended. */
  lines(bucket: number): string[];
  close(): void;
}

class MemorySpool implements Spool {
  readonly buckets = 1;
  private all: string[] = [];
  append(_b: number, line: string): void {
    this.all.push(line);
  }
  lines(): string[] {
    return this.all;
  }
  close(): void {
    this.all = [];
  }
}

/** Buffered appends to B files in a temporary folder. */
class FileSpool implements Spool {
  private fds: number[];
  private pending: string[][];
  private pendingBytes: number[];
  constructor(
    private readonly dir: string,
    readonly buckets: number,
  ) {
    this.fds = Array.from({ length: buckets }, (_, b) => fs.openSync(path.join(dir, `bucket-${b}.jsonl`), "w"));
    this.pending = Array.from({ length: buckets }, () => []);
    this.pendingBytes = new Array(buckets).fill(0);
  }
  append(b: number, line: string): void {
    this.pending[b].push(line);
    this.pendingBytes[b] += line.length + 1;
    if (this.pendingBytes[b] > 1 << 16) this.flush(b);
  }
  private flush(b: number): void {
    if (this.pending[b].length) fs.writeSync(this.fds[b], this.pending[b].join("\n") + "\n");
    this.pending[b] = [];
    this.pendingBytes[b] = 0;
  }
  lines(b: number): string[] {
    this.flush(b);
    const text = fs.readFileSync(path.join(this.dir, `bucket-${b}.jsonl`), "utf8");
    const out = text.split("\n");
    out.pop();
    return out;
  }
  close(): void {
    for (const fd of this.fds) fs.closeSync(fd);
    this.fds = [];
  }
}

type Label = (typeof LABELS)[number];

/** What is kept in memory per user while the lines stream by (see the module doc). */
interface UserState {
  id: string;
  first: number;
  lines: number;
  tweets: number;
  geoTweets: number;
  rejected: boolean;
  labels: Partial<Record<Label, { v: string; line: number }>>;
  loc?: { lat?: number; lon?: number; line: number };
}

/** A spooled line: user index, line, tweets, lat, lon. */
type Spooled = [number, number, string[], number | null, number | null];

/** Pass 1 over the rows (validation, per-user state, spooling), then grouping and ordered output. */
class Aggregator {
  private readonly ids = new Map<string, number>();
  private readonly users: UserState[] = [];
  private rows = 0;
  private skipped = 0;
  private ofRejected = 0;
  private tweets = 0;
  private withCoords = 0;
  private issueCount = 0;
  private readonly shown: string[] = [];
  private readonly userIssues: { line: number; msg: string }[] = [];
  private checked = false;
  /** One line per user without a user column: the line number is the id. */
  private byLine = false;

  constructor(
    private readonly file: string,
    private readonly o: IngestOptions,
    private readonly reader: RowReader,
    private readonly spool: Spool,
    private readonly issueOut: (msg: string) => void,
    private readonly keepIssues: number,
  ) {}

  get lineCount(): number {
    return this.rows;
  }

  private get per(): "tweet" | "user" {
    return this.o.per ?? "tweet";
  }

  /** The mapping's checks, once the header (or first record) fixed it. */
  private check(): void {
    const columns = this.reader.columns;
    const where = `${this.file}:1`;
    if (columns.user === undefined && this.per !== "user")
      throw new IngestError(
        `${where}: user: no column for the user id (name it with user:COLUMN; a file with one line per user may leave it out, PER=user, and its line numbers become the ids)`,
      );
    if (columns.text === undefined) throw new IngestError(`${where}: text: no column for the text (name it with text:COLUMN)`);
    if ((columns.lat === undefined) !== (columns.lon === undefined))
      throw new IngestError(`${where}: ${columns.lat === undefined ? "lat" : "lon"}: map both lat and lon, or neither`);
    if (columns.lat === undefined && !LABELS.some((l) => columns[l] !== undefined))
      throw new IngestError(`${where}: lat: no location: map lat and lon (coordinates), or a label column (state, city or country)`);
    this.byLine = columns.user === undefined;
    this.checked = true;
  }

  private fail(line: number, field: string, problem: string): void {
    const msg = `${this.file}:${line}: ${field}: ${problem}`;
    if (this.o.strict) throw new IngestError(msg);
    this.issueCount++;
    if (this.shown.length < this.keepIssues) this.shown.push(msg);
    this.issueOut(msg);
  }

  private rejectUser(u: UserState, line: number, field: string, problem: string): void {
    u.rejected = true;
    this.ofRejected += u.lines + 1;
    this.tweets -= u.tweets;
    this.withCoords -= u.geoTweets;
    this.fail(line, field, problem);
  }

  row(r: Row): void {
    if (!this.checked) this.check();
    this.rows++;
    const columns = this.reader.columns;
    const per = this.per;
    try {
      if (r.shape) throw new Bad("(row)", r.shape);
      const user = this.byLine ? String(r.line) : str(r.get("user"), "user");
      if (!user)
        throw new Bad(
          "user",
          columns.user && this.o.format === "jsonl" && r.get("user") === undefined
            ? `missing (no "${columns.user}" in the record)`
            : "empty",
        );
      let idx = this.ids.get(user);
      let u = idx === undefined ? undefined : this.users[idx];
      if (u?.rejected) {
        this.ofRejected++;
        return;
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
      const labels: Partial<Record<Label, string>> = {};
      for (const l of LABELS) if (columns[l] !== undefined) labels[l] = str(r.get(l), l);
      if (!u) {
        idx = this.users.length;
        u = { id: user, first: r.line, lines: 0, tweets: 0, geoTweets: 0, rejected: false, labels: {} };
        this.ids.set(user, idx);
        this.users.push(u);
      } else {
        // Consistency of what describes the user (not the tweet).
        const conflict = LABELS.find((l) => labels[l] !== undefined && u!.labels[l] && u!.labels[l]!.v !== labels[l]);
        if (conflict) {
          const prev = u.labels[conflict]!;
          this.rejectUser(
            u,
            r.line,
            conflict,
            `"${labels[conflict]}" disagrees with "${prev.v}" on line ${prev.line} for user ${user}; the user is rejected`,
          );
          return;
        }
        if (per === "user") {
          const pl = u.loc;
          const same = pl && pl.lat === coord?.lat && pl.lon === coord?.lon;
          if (!same) {
            this.rejectUser(
              u,
              r.line,
              "lat",
              `user ${user} appears again with a different location (${coord ? `${coord.lat}, ${coord.lon}` : "none"} here, ${pl && pl.lat !== undefined ? `${pl.lat}, ${pl.lon}` : "none"} on line ${pl?.line}); the user is rejected`,
            );
            return;
          }
        }
      }
      for (const l of LABELS) if (labels[l] !== undefined && !u.labels[l]) u.labels[l] = { v: labels[l]!, line: r.line };
      if (!u.loc) u.loc = { lat: coord?.lat, lon: coord?.lon, line: r.line };
      u.lines++;
      u.tweets += ts.length;
      this.tweets += ts.length;
      if (coord) {
        u.geoTweets += ts.length;
        this.withCoords += ts.length;
      }
      const rec: Spooled = [idx!, r.line, ts, coord ? coord.lat : null, coord ? coord.lon : null];
      this.spool.append(idx! % this.spool.buckets, JSON.stringify(rec));
    } catch (e) {
      if (!(e instanceof Bad)) throw e;
      this.skipped++;
      this.fail(r.line, e.field, e.problem);
    }
  }

  /**
   * Group each bucket by user and hand every kept user to `write` with its
   * first line, bucket by bucket (each bucket's users in first-line order).
   */
  private groupBuckets(write: (bucket: number, first: number, u: IngestedUser) => void): number {
    if (!this.checked) this.check();
    let travelled = 0;
    for (let b = 0; b < this.spool.buckets; b++) {
      const groups = new Map<number, { tweets: string[]; coords: { lat: number; lon: number }[] }>();
      for (const line of this.spool.lines(b)) {
        const [idx, , ts, lat, lon] = JSON.parse(line) as Spooled;
        if (this.users[idx].rejected) continue;
        let g = groups.get(idx);
        if (!g) groups.set(idx, (g = { tweets: [], coords: [] }));
        for (const t of ts) g.tweets.push(t);
        if (lat !== null && lon !== null) g.coords.push({ lat, lon });
      }
      const order = [...groups.keys()].sort((a, z) => this.users[a].first - this.users[z].first);
      for (const idx of order) {
        const st = this.users[idx];
        const g = groups.get(idx)!;
        const u: IngestedUser = { user: st.id, tweets: g.tweets };
        for (const l of LABELS) if (st.labels[l]) u[l] = st.labels[l]!.v;
        if (g.coords.length) {
          u.lat = round6(median(g.coords.map((c) => c.lat)));
          u.lon = round6(median(g.coords.map((c) => c.lon)));
          if (g.coords.some((c) => haversineKm(c, { lat: u.lat!, lon: u.lon! }) > 161)) travelled++;
        }
        if (u.lat === undefined && !LABELS.some((l) => u[l] !== undefined)) {
          st.rejected = true;
          this.ofRejected += st.lines;
          this.tweets -= st.tweets;
          this.userIssues.push({
            line: st.first,
            msg: `${this.file}:${st.first}: lat: user ${st.id} has no coordinates and no label in any of its ${st.lines} line(s); the user is rejected`,
          });
          continue;
        }
        write(b, st.first, u);
      }
    }
    this.spool.close();
    // Users rejected at the end, in line order, after the lines' own problems.
    this.userIssues.sort((a, z) => a.line - z.line);
    for (const { msg } of this.userIssues) {
      if (this.o.strict) throw new IngestError(msg);
      this.issueCount++;
      if (this.shown.length < this.keepIssues) this.shown.push(msg);
      this.issueOut(msg);
    }
    return travelled;
  }

  private result(users: IngestedUser[], userCount: number, travelled: number): IngestResult {
    return {
      users,
      userCount,
      issues: this.shown,
      issueCount: this.issueCount,
      lines: this.rows,
      skippedLines: this.skipped,
      rejectedUsers: this.users.filter((u) => u.rejected).length,
      linesOfRejectedUsers: this.ofRejected,
      tweets: this.tweets,
      tweetsWithCoordinates: this.withCoords,
      travelled,
      columns: this.reader.columns,
      per: this.per,
      format: this.o.format,
      userIds: this.byLine ? "line" : "column",
    };
  }

  /** Everything in memory (small inputs: ingestText). */
  finishInMemory(): IngestResult {
    const users: { first: number; u: IngestedUser }[] = [];
    const travelled = this.groupBuckets((_b, first, u) => users.push({ first, u }));
    users.sort((a, z) => a.first - z.first);
    return this.result(
      users.map((x) => x.u),
      users.length,
      travelled,
    );
  }

  /**
   * Each bucket's users written to a file sorted by first line, then the files
   * merged into `out` (one JSON line per user, in first-appearance order).
   */
  finishToFile(tmp: string, out: (line: string) => void): IngestResult {
    const B = this.spool.buckets;
    const files = Array.from({ length: B }, (_, b) => path.join(tmp, `users-${b}.jsonl`));
    const fds = files.map((f) => fs.openSync(f, "w"));
    let count = 0;
    // One bucket's users at a time (groupBuckets goes bucket by bucket), written out every megabyte.
    let buf: string[] = [];
    let bytes = 0;
    let bucket = 0;
    const flush = () => {
      if (buf.length) fs.writeSync(fds[bucket], buf.join("\n") + "\n");
      buf = [];
      bytes = 0;
    };
    const travelled = this.groupBuckets((b, first, u) => {
      if (b !== bucket) {
        flush();
        bucket = b;
      }
      const line = `${first}\t${JSON.stringify(u)}`;
      buf.push(line);
      bytes += line.length;
      count++;
      if (bytes > 1 << 20) flush();
    });
    flush();
    for (const fd of fds) fs.closeSync(fd);
    mergeByFirstLine(files, out);
    return this.result([], count, travelled);
  }
}

/** Lines of a file read in chunks, one at a time. */
class FileLines {
  private fd: number;
  private buf = Buffer.allocUnsafe(1 << 16);
  private rest = "";
  private queue: string[] = [];
  private done = false;
  constructor(file: string) {
    this.fd = fs.openSync(file, "r");
  }
  next(): string | null {
    while (this.queue.length === 0 && !this.done) {
      const n = fs.readSync(this.fd, this.buf, 0, this.buf.length, null);
      if (n === 0) {
        this.done = true;
        fs.closeSync(this.fd);
        if (this.rest) this.queue.push(this.rest);
        break;
      }
      const parts = (this.rest + this.buf.toString("utf8", 0, n)).split("\n");
      this.rest = parts.pop()!;
      this.queue = parts;
    }
    return this.queue.length ? this.queue.shift()! : null;
  }
}

/** k-way merge of files whose lines are `first<TAB>json`, each sorted by first: the json parts in first order. */
function mergeByFirstLine(files: readonly string[], out: (line: string) => void): void {
  const readers = files.map((f) => new FileLines(f));
  const heads: { first: number; json: string; r: number }[] = [];
  const pull = (r: number) => {
    const l = readers[r].next();
    if (l === null || l === "") return;
    const tab = l.indexOf("\t");
    heads.push({ first: Number(l.slice(0, tab)), json: l.slice(tab + 1), r });
  };
  readers.forEach((_, r) => pull(r));
  // A binary heap on first (users' first lines are distinct).
  const less = (a: number, b: number) => heads[a].first < heads[b].first;
  const swap = (a: number, b: number) => ([heads[a], heads[b]] = [heads[b], heads[a]]);
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heads.length && less(l, m)) m = l;
      if (r < heads.length && less(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  for (let i = (heads.length >> 1) - 1; i >= 0; i--) down(i);
  while (heads.length) {
    const top = heads[0];
    out(top.json);
    const last = heads.pop()!;
    if (heads.length) {
      heads[0] = last;
      down(0);
    }
    const before = heads.length;
    pull(top.r);
    if (heads.length > before) {
      // sift the new line up
      let i = heads.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!less(i, p)) break;
        swap(i, p);
        i = p;
      }
    }
  }
}

// ---------------------------------------------------------------- ingest

/** Feed a whole text (small inputs, tests) through the same reader and aggregation as files. */
export function ingestText(text: string, file: string, o: IngestOptions): IngestResult {
  if (!(INGEST_FORMATS as readonly string[]).includes(o.format))
    throw new IngestError(`format: "${o.format}" is not one of ${INGEST_FORMATS.join(", ")}`);
  let agg: Aggregator | null = null;
  const reader = new RowReader(file, o, (r) => agg!.row(r));
  agg = new Aggregator(file, o, reader, new MemorySpool(), () => {}, Infinity);
  feed(reader, file, o, (emit) => emit(text, true));
  return agg.finishInMemory();
}

/** Run the reader over chunks `source` hands out (`emit(chunk, last)`). */
function feed(reader: RowReader, file: string, o: IngestOptions, source: (emit: (chunk: string, last: boolean) => void) => void): void {
  const put = (r: RawRecord) => reader.record(r);
  if (o.format === "csv") {
    const p = new CsvParser(file);
    source((chunk, last) => {
      p.push(chunk, put);
      if (last) p.end(put);
    });
  } else {
    const s = new LineSplitter();
    source((chunk, last) => s.push(chunk, put, last));
  }
  reader.end();
}

/** The summary a person reads after an ingest. */
export function describeIngest(r: IngestResult, file: string): string[] {
  const mapping = Object.entries(r.columns)
    .map(([f, c]) => `${f}←${c}`)
    .join(", ");
  return [
    `${file}: ${r.lines} ${r.format.toUpperCase()} lines (one per ${r.per}; columns ${mapping}).`,
    ...(r.userIds === "line" ? [`No user column: each line is one user, whose id is its line number in ${file}.`] : []),
    `${r.userCount} users with ${r.tweets} tweets written (${r.tweetsWithCoordinates} tweets with coordinates).`,
    `${r.skippedLines} bad lines skipped; ${r.rejectedUsers} users rejected (${r.linesOfRejectedUsers} further lines); ${r.issueCount} problems reported.`,
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
  /** Bytes of input per spool file (default GEOREPRO_INGEST_BUCKET_MB, else 32 MB): the memory the grouping needs at once. */
  bucketBytes?: number;
  /** Progress lines on stderr (default: on when stderr is a terminal, or every 10 s otherwise); null for none. */
  progress?: ((line: string, final: boolean) => void) | null;
}

export interface IngestWritten {
  result: IngestResult;
  usersFile: string;
  issuesFile: string;
  manifestFile: string;
  manifest: Manifest;
}

const NAME_RE = /^[a-z0-9][a-z0-9._-]*$/;
/** Problems kept in memory for the summary (all of them go to ingest-issues.txt). */
export const ISSUES_KEPT = 100;

const mb = (n: number) => `${(n / 2 ** 20).toFixed(n < 10 * 2 ** 20 ? 1 : 0)} MB`;

/** A progress line printer: in place on a terminal, a line every 10 s elsewhere. */
function progressPrinter(): (line: string, final: boolean) => void {
  const tty = process.stderr.isTTY;
  let last = 0;
  return (line, final) => {
    const now = Date.now();
    if (!final && now - last < (tty ? 200 : 10_000)) return;
    last = now;
    process.stderr.write(tty ? `\r\x1b[K${line}${final ? "\n" : ""}` : `${line}\n`);
  };
}

/**
 * Ingest a file and write users.jsonl, ingest-issues.txt and the manifest
 * (validated against the schema), reading and writing in chunks: see the
 * module doc for the memory this needs.
 */
export function ingestFile(from: string, o: IngestFileOptions): IngestWritten {
  if (!NAME_RE.test(o.name)) throw new IngestError(`name: "${o.name}" must match ${NAME_RE} (it names the manifest and the tables)`);
  if (!(INGEST_FORMATS as readonly string[]).includes(o.format))
    throw new IngestError(`format: "${o.format}" is not one of ${INGEST_FORMATS.join(", ")}`);
  let size: number;
  let fd: number;
  try {
    size = fs.statSync(from).size;
    fd = fs.openSync(from, "r");
  } catch {
    throw new IngestError(`${from}: cannot read the file`);
  }
  const relFrom = path.relative(process.cwd(), from);
  const shown = relFrom && !relFrom.startsWith("..") ? relFrom : from;
  const outDir = path.resolve(o.outDir ?? path.join(projectRoot, "data", o.name));
  const manifestDir = path.resolve(o.manifestDir ?? path.join(projectRoot, "data-manifests"));
  const usersFile = path.join(outDir, "users.jsonl");
  const issuesFile = path.join(outDir, "ingest-issues.txt");
  fs.mkdirSync(outDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(outDir, ".ingest-"));
  const bucketBytes = o.bucketBytes ?? Number(envVar("GEOREPRO_INGEST_BUCKET_MB") ?? 32) * 2 ** 20;
  if (!(bucketBytes > 0)) throw new IngestError(`GEOREPRO_INGEST_BUCKET_MB: expected a positive number of megabytes`);
  const say = o.progress === null ? null : (o.progress ?? progressPrinter());
  let result: IngestResult;
  const hash = createHash("sha256");
  let written = 0;
  try {
    const issuesTmp = path.join(tmp, "issues.txt");
    const issuesFd = fs.openSync(issuesTmp, "w");
    let issueBuf: string[] = [];
    const issueOut = (msg: string) => {
      issueBuf.push(msg);
      if (issueBuf.length >= 1024) {
        fs.writeSync(issuesFd, issueBuf.join("\n") + "\n");
        issueBuf = [];
      }
    };
    const spool = new FileSpool(tmp, Math.max(1, Math.ceil(size / bucketBytes)));
    let agg: Aggregator | null = null;
    const reader = new RowReader(shown, o, (r) => agg!.row(r));
    agg = new Aggregator(shown, o, reader, spool, issueOut, ISSUES_KEPT);
    // Read in 1 MB chunks; a UTF-8 character cut by a chunk boundary waits for the next chunk.
    const t0 = Date.now();
    let read = 0;
    const buf = Buffer.allocUnsafe(1 << 20);
    const decoder = new StringDecoder("utf8");
    try {
      feed(reader, shown, o, (emit) => {
        for (;;) {
          const n = fs.readSync(fd, buf, 0, buf.length, null);
          if (n === 0) {
            emit(decoder.end(), true);
            break;
          }
          read += n;
          emit(decoder.write(buf.subarray(0, n)), false);
          if (say) {
            const s = (Date.now() - t0) / 1000;
            const rate = read / Math.max(s, 1e-3);
            say(
              `[ingest] ${bar(read, size)} ${mb(read)}/${mb(size)}, ${agg!.lineCount} lines, ${mb(rate)}/s (${Math.round(agg!.lineCount / Math.max(s, 1e-3))} lines/s)${read < size ? `, eta ${formatSeconds((size - read) / rate)}` : ""}`,
              false,
            );
          }
        }
      });
    } finally {
      fs.closeSync(fd);
    }
    if (say)
      say(
        `[ingest] read ${mb(size)} (${agg.lineCount} lines) in ${formatSeconds((Date.now() - t0) / 1000)}; grouping ${spool.buckets} spool file(s) by user`,
        true,
      );
    const partial = usersFile + ".tmp";
    const outFd = fs.openSync(partial, "w");
    let pending: string[] = [];
    let pendingBytes = 0;
    const flush = () => {
      const chunk = Buffer.from(pending.join(""), "utf8");
      hash.update(chunk);
      written += chunk.length;
      fs.writeSync(outFd, chunk);
      pending = [];
      pendingBytes = 0;
    };
    result = agg.finishToFile(tmp, (line) => {
      pending.push(line + "\n");
      pendingBytes += line.length + 1;
      if (pendingBytes > 1 << 20) flush();
    });
    flush();
    fs.closeSync(outFd);
    if (issueBuf.length) fs.writeSync(issuesFd, issueBuf.join("\n") + "\n");
    fs.closeSync(issuesFd);
    if (result.userCount === 0) {
      fs.rmSync(partial, { force: true });
      throw new IngestError(
        `${shown}: no user left to write (${result.issueCount} problems; first: ${result.issues.slice(0, 3).join(" | ")})`,
      );
    }
    fs.renameSync(partial, usersFile);
    fs.renameSync(issuesTmp, issuesFile);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (say)
    say(`[ingest] wrote ${result!.userCount} users (${mb(written)}) to ${path.relative(process.cwd(), usersFile) || usersFile}`, true);
  const rel = (p: string) => {
    const r = path.relative(projectRoot, p);
    return r && !r.startsWith("..") && !path.isAbsolute(r) ? r : p;
  };
  const byLine = result.userIds === "line";
  const manifest = {
    // Editors find the schema beside a manifest in data-manifests/.
    ...(manifestDir === path.join(projectRoot, "data-manifests") ? { $schema: "schema.json" } : {}),
    schemaVersion: 1,
    name: o.name,
    title: o.title ?? `Microblog users ingested from ${path.basename(from)}`,
    description: `Microblog users written by make ingest from ${path.basename(from)} (${o.format.toUpperCase()}, one line per ${result.per}): ${result.userCount} users, ${result.tweets} tweets.${byLine ? ` The file has no user column: each user's id is its line number in ${path.basename(from)}.` : ""}`,
    citation: o.citation ?? "Cite the source of your crawl here (written by make ingest).",
    url: o.url ?? "none",
    license: o.license ?? null,
    synthetic: !!o.synthetic,
    root: { searchPaths: [rel(outDir)], env: `GEOREPRO_DATA_${o.name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}` },
    files: [
      {
        path: "users.jsonl",
        size: written,
        sha256: hash.digest("hex"),
        format: "microblog-users-jsonl",
        description: `One user per line: user${byLine ? ` (the user's line number in ${path.basename(from)}: the file has no user column)` : ""}, tweets, optional state/city/country labels, lat/lon (see data-manifests/microblog.md).`,
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
      `Source: ${path.basename(from)}, sha256 ${sha256File(from)}, ${size} bytes.`,
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
