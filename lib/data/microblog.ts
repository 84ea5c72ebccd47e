/**
 * Real microblog users for the local-words pipeline (format documented in
 * data-manifests/microblog.md; manifest template
 * data-manifests/templates/microblog-users.json).
 *
 * JSONL: one user per line {"user", "tweets": [...], "city"?, "state"?, "country"?, "lat"?, "lon"?}.
 * A record needs a label (city, state or country) or coordinates: users with
 * coordinates only are labelled at the level a run asks for (lib/geo/assign.ts).
 * TSV (header required): user, city, state, lat, lon, tweet — one tweet per
 * line; lines of one user are merged and must agree on city/state/lat/lon.
 *
 * A bad record is never dropped silently: it becomes an issue
 * `file:line: field: problem` in the result (or is thrown at once with
 * `strict`), and `rejected` counts the records it removed.
 */
import * as fs from "node:fs";
import type { LatLon } from "../geo/distance";

/** A user as the local-words preprocessing reads it: a label and the tweets in order (lib/localwords/preprocess.ts). */
export interface RawUser {
  id: string;
  label: string;
  tweets: readonly string[];
  coord?: LatLon;
}

export interface MicroblogRecord {
  id: string;
  tweets: string[];
  city?: string;
  state?: string;
  country?: string;
  coord?: LatLon;
}

export interface MicroblogParse {
  users: MicroblogRecord[];
  /** `file:line: field: problem`, one per rejected record. */
  issues: string[];
  rejected: number;
  lines: number;
}

class Bad extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

function coordOf(lat: unknown, lon: unknown): LatLon | undefined {
  const empty = (v: unknown) => v === undefined || v === null || v === "";
  if (empty(lat) && empty(lon)) return undefined;
  if (empty(lat)) throw new Bad("lat", "missing while lon is given (give both or neither)");
  if (empty(lon)) throw new Bad("lon", "missing while lat is given (give both or neither)");
  const a = typeof lat === "string" ? Number(lat) : lat;
  const b = typeof lon === "string" ? Number(lon) : lon;
  if (typeof a !== "number" || !Number.isFinite(a) || Math.abs(a) > 90)
    throw new Bad("lat", `not a latitude in [-90, 90]: ${JSON.stringify(lat)}`);
  if (typeof b !== "number" || !Number.isFinite(b) || Math.abs(b) > 180)
    throw new Bad("lon", `not a longitude in [-180, 180]: ${JSON.stringify(lon)}`);
  return { lat: a, lon: b };
}

function optString(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v !== "string") throw new Bad(field, `expected a string, got ${JSON.stringify(v)}`);
  return v.trim() || undefined;
}

function finish(file: string, out: MicroblogParse, strict: boolean, line: number, e: unknown): void {
  if (!(e instanceof Bad)) throw e;
  const msg = `${file}:${line}: ${e.field}: ${e.problem}`;
  if (strict) throw new Error(msg);
  out.issues.push(msg);
  out.rejected++;
}

export function parseMicroblogJsonl(text: string, file: string, opts: { strict?: boolean } = {}): MicroblogParse {
  const out: MicroblogParse = { users: [], issues: [], rejected: 0, lines: 0 };
  const seen = new Set<string>();
  text.split("\n").forEach((raw, i) => {
    const line = i + 1;
    const s = raw.trim();
    if (!s) return;
    out.lines++;
    try {
      let obj: Record<string, unknown>;
      try {
        obj = JSON.parse(s);
      } catch (e) {
        throw new Bad("(record)", `not valid JSON (${(e as Error).message})`);
      }
      if (!obj || typeof obj !== "object" || Array.isArray(obj)) throw new Bad("(record)", "expected a JSON object");
      const id = optString(obj.user, "user");
      if (!id) throw new Bad("user", "missing (every record needs a user id)");
      if (seen.has(id)) throw new Bad("user", `"${id}" appears twice (one record per user; merge the tweets)`);
      if (!Array.isArray(obj.tweets) || obj.tweets.length === 0) throw new Bad("tweets", "expected a non-empty array of strings");
      obj.tweets.forEach((t, k) => {
        if (typeof t !== "string") throw new Bad(`tweets[${k}]`, `expected a string, got ${JSON.stringify(t)}`);
      });
      const city = optString(obj.city, "city");
      const state = optString(obj.state, "state");
      const country = optString(obj.country, "country");
      const coord = coordOf(obj.lat, obj.lon);
      if (!city && !state && !country && !coord)
        throw new Bad("city", "neither a city, state or country label nor lat/lon is given (a user needs a location)");
      seen.add(id);
      const rec: MicroblogRecord = { id, tweets: obj.tweets as string[], city, state, coord };
      if (country) rec.country = country;
      out.users.push(rec);
    } catch (e) {
      finish(file, out, !!opts.strict, line, e);
    }
  });
  return out;
}

const TSV_COLUMNS = ["user", "city", "state", "lat", "lon", "tweet"];

export function parseMicroblogTsv(text: string, file: string, opts: { strict?: boolean } = {}): MicroblogParse {
  const out: MicroblogParse = { users: [], issues: [], rejected: 0, lines: 0 };
  const rows = text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  const header = rows[0]?.split("\t") ?? [];
  if (header.join("\t") !== TSV_COLUMNS.join("\t"))
    throw new Error(
      `${file}:1: (header): expected the columns ${TSV_COLUMNS.join(", ")} separated by tabs, got ${JSON.stringify(rows[0] ?? "")}`,
    );
  const byUser = new Map<string, { rec: MicroblogRecord; line: number }>();
  const badUsers = new Set<string>();
  for (let i = 1; i < rows.length; i++) {
    if (!rows[i].trim()) continue;
    out.lines++;
    const line = i + 1;
    try {
      const f = rows[i].split("\t");
      if (f.length !== TSV_COLUMNS.length)
        throw new Bad("(record)", `expected ${TSV_COLUMNS.length} tab-separated fields, got ${f.length}`);
      const [user, cityRaw, stateRaw, lat, lon, tweet] = f;
      if (!user.trim()) throw new Bad("user", "missing");
      if (badUsers.has(user)) throw new Bad("user", `"${user}" was rejected on an earlier line; its other lines go too`);
      if (!tweet.trim()) throw new Bad("tweet", "empty");
      const city = optString(cityRaw, "city");
      const state = optString(stateRaw, "state");
      const coord = coordOf(lat, lon);
      if (!city && !state && !coord) throw new Bad("city", "neither city nor state nor lat/lon is given");
      const prev = byUser.get(user);
      if (prev) {
        const p = prev.rec;
        if (p.city !== city) throw new Bad("city", `"${city}" disagrees with "${p.city}" on line ${prev.line} for user ${user}`);
        if (p.state !== state) throw new Bad("state", `"${state}" disagrees with "${p.state}" on line ${prev.line} for user ${user}`);
        if (JSON.stringify(p.coord) !== JSON.stringify(coord))
          throw new Bad("lat", `coordinates disagree with line ${prev.line} for user ${user}`);
        p.tweets.push(tweet);
      } else byUser.set(user, { rec: { id: user, tweets: [tweet], city, state, coord }, line });
    } catch (e) {
      const user = rows[i].split("\t")[0];
      if (user && byUser.has(user)) {
        // A user with an inconsistent line is rejected as a whole (counted with its lines).
        const n = byUser.get(user)!.rec.tweets.length;
        byUser.delete(user);
        out.rejected += n;
        badUsers.add(user);
      } else if (user) badUsers.add(user);
      finish(file, out, !!opts.strict, line, e);
    }
  }
  out.users = [...byUser.values()].map((v) => v.rec);
  return out;
}

/** Parse a .jsonl or .tsv file by its extension. */
export function readMicroblogFile(file: string, opts: { strict?: boolean } = {}): MicroblogParse {
  const text = fs.readFileSync(file, "utf8");
  if (file.endsWith(".jsonl")) return parseMicroblogJsonl(text, file, opts);
  if (file.endsWith(".tsv")) return parseMicroblogTsv(text, file, opts);
  throw new Error(`${file}: unknown microblog format (expected .jsonl or .tsv)`);
}

/** Records → pipeline users labelled at `level`; users without that label are counted, not silently dropped. */
export function microblogRawUsers(
  records: readonly MicroblogRecord[],
  level: "city" | "state",
): { users: RawUser[]; withoutLabel: number } {
  const users: RawUser[] = [];
  let withoutLabel = 0;
  for (const r of records) {
    const label = level === "city" ? r.city : r.state;
    if (!label) withoutLabel++;
    else users.push({ id: r.id, label, tweets: r.tweets, coord: r.coord });
  }
  return { users, withoutLabel };
}
