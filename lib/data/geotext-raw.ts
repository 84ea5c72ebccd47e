/**
 * GeoText with raw tweet text (folds 4 and 5), through its manifest
 * (data-manifests/geotext-raw.json).
 *
 * Format of user_info.{dev,test}.gz (gzip; Latin-1 / Windows-1252, not UTF-8):
 *   user_id \t lat \t lon \t tweet ||| tweet ||| …        one user per line, tweets in order
 * Fold 4 = dev, fold 5 = test (GeoText's README: fold = userID % 5, 0 → 5).
 *
 * Optional user_info.train.gz (folds 1–3, same format; `make data` fetches it
 * when its pinned URL answers): with it the official setting is GeoText's own
 * — train on folds 1–3, test on fold 5 — like for like with the published
 * numbers. Its users are in user-ID order like every user_info file (the dev
 * file's order equals GeoText's user_info.dev), and IDs cycle through folds
 * 1, 2, 3, 4, 5, so the k-th training user (0-based) is in fold k % 3 + 1;
 * `crossCheckGeoText` verifies that against GeoText's processed user_info when
 * it is present.
 *
 * `crossCheckGeoText` checks that every user's id, fold and coordinates equal
 * the processed GeoText's (data-manifests/geotext.json) when that is present.
 */
import * as fs from "node:fs";
import * as zlib from "node:zlib";
import type { DatasetRef } from "../results/table";
import { log } from "../runtime/progress";
import {
  DatasetMissingError,
  displayPath,
  loadManifest,
  manifestPath,
  RecordError,
  resolveManifest,
  ResolveOptions,
  verifyManifest,
} from "./manifest";
import type { GeoTextCorpus } from "./geotext";
import { envVar } from "../runtime/env";

export interface GeoTextRawUser {
  id: string;
  /** 1–3 (train, when user_info.train.gz is present), 4 (dev) or 5 (test). */
  fold: 1 | 2 | 3 | 4 | 5;
  lat: number;
  lon: number;
  /** The coordinates as written (for the cross-check with GeoText). */
  latText: string;
  lonText: string;
  tweets: string[];
}

export interface GeoTextRawCorpus {
  name: string;
  dataset: DatasetRef;
  root: string;
  checksums: Record<string, string>;
  users: GeoTextRawUser[];
  /** Per fold: users and tweets. */
  report: { folds: { fold: number | "1–3"; file: string; users: number; tweets: number; emptyTweets: number }[]; encoding: "latin1" };
  /** True when user_info.train.gz (folds 1–3) was read: the official setting trains on folds 1–3. */
  hasTrainFolds: boolean;
}

/** The tweet separator of this format. */
export const TWEET_SEPARATOR = " ||| ";

function parseCoord(raw: string | undefined, file: string, line: number, field: "lat" | "lon"): number {
  const limit = field === "lat" ? 90 : 180;
  if (raw === undefined || raw === "") throw new RecordError(file, line, field, "missing");
  if (!/^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(raw)) throw new RecordError(file, line, field, `not a number: "${raw}"`);
  const v = Number(raw);
  if (Math.abs(v) > limit) throw new RecordError(file, line, field, `${v} is outside [-${limit}, ${limit}]`);
  return v;
}

/** Parse one decoded file (pure). Empty tweets (two separators in a row) are dropped and counted. */
export function parseGeoTextRaw(
  text: string,
  file: string,
  fold: 4 | 5 | "1–3",
): { users: GeoTextRawUser[]; tweets: number; emptyTweets: number } {
  const lines = text.split("\n");
  if (lines.length && lines[lines.length - 1] === "") lines.pop();
  const seen = new Map<string, number>();
  let tweets = 0;
  let emptyTweets = 0;
  const users = lines.map((raw, i) => {
    const n = i + 1;
    const l = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const f = l.split("\t");
    if (f.length !== 4) throw new RecordError(file, n, "line", `expected 4 tab-separated fields (id, lat, lon, tweets), got ${f.length}`);
    const [id, latText, lonText, body] = f;
    if (!/^\S+$/.test(id)) throw new RecordError(file, n, "id", `empty or contains spaces: "${id}"`);
    const prev = seen.get(id);
    if (prev !== undefined) throw new RecordError(file, n, "id", `${id} already on line ${prev}`);
    seen.set(id, n);
    const all = body.split(TWEET_SEPARATOR);
    const kept = all.map((t) => t.trim()).filter((t) => t.length > 0);
    if (kept.length === 0) throw new RecordError(file, n, "tweets", "no tweet text");
    tweets += kept.length;
    emptyTweets += all.length - kept.length;
    // Training users cycle through folds 1, 2, 3 in ID order (module comment).
    const userFold = fold === "1–3" ? (((i % 3) + 1) as 1 | 2 | 3) : fold;
    return {
      id,
      fold: userFold,
      lat: parseCoord(latText, file, n, "lat"),
      lon: parseCoord(lonText, file, n, "lon"),
      latText,
      lonText,
      tweets: kept,
    };
  });
  return { users, tweets, emptyTweets };
}

const memo = new Map<string, GeoTextRawCorpus>();

/** Load through the manifest; null (and `onMissing(why)`) when the data is not on this machine. */
export async function loadGeoTextRaw(
  opts: ResolveOptions & { manifestFile?: string; onMissing?: (reason: string) => void } = {},
): Promise<GeoTextRawCorpus | null> {
  const env = opts.env ?? process.env;
  const m = loadManifest(opts.manifestFile ?? manifestPath("geotext-raw", envVar("GEOREPRO_MANIFESTS", env) || undefined));
  let resolved;
  try {
    resolved = resolveManifest(m, opts);
  } catch (e) {
    if (!(e instanceof DatasetMissingError)) throw e;
    log("geotext-raw", `absent, skipping: ${e.message}`);
    opts.onMissing?.(e.message);
    return null;
  }
  const verified = verifyManifest(resolved);
  const key = JSON.stringify([verified.root, verified.checksums]);
  const hit = memo.get(key);
  if (hit) return hit;
  const folds: GeoTextRawCorpus["report"]["folds"] = [];
  const users: GeoTextRawUser[] = [];
  const parts: (readonly ["user_info.train.gz" | "user_info.dev.gz" | "user_info.test.gz", 4 | 5 | "1–3"])[] = [
    ["user_info.train.gz", "1–3"],
    ["user_info.dev.gz", 4],
    ["user_info.test.gz", 5],
  ];
  let hasTrainFolds = false;
  for (const [p, fold] of parts) {
    const file = verified.files[p];
    if (!file && fold === "1–3") continue; // optional: the official setting is then train on fold 4
    if (!file) throw new Error(`${displayPath(m.manifestFile)}: files: no entry for "${p}" (the raw GeoText loader needs it)`);
    if (fold === "1–3") hasTrainFolds = true;
    // Latin-1: every byte is one code point, so no input is rejected and nothing is replaced.
    const text = zlib.gunzipSync(fs.readFileSync(file)).toString("latin1");
    const r = parseGeoTextRaw(text, displayPath(file), fold);
    users.push(...r.users);
    folds.push({ fold, file: p, users: r.users.length, tweets: r.tweets, emptyTweets: r.emptyTweets });
  }
  const corpus: GeoTextRawCorpus = {
    name: m.name,
    root: verified.root,
    checksums: verified.checksums,
    dataset: { name: m.name, synthetic: false, description: m.description, checksums: verified.checksums },
    users,
    report: { folds, encoding: "latin1" },
    hasTrainFolds,
  };
  memo.set(key, corpus);
  return corpus;
}

/**
 * Every raw user must be the processed GeoText's user of the same fold with the
 * same coordinates (string-equal); throws naming the first disagreement.
 */
export function crossCheckGeoText(raw: Pick<GeoTextRawCorpus, "users">, geotext: Pick<GeoTextCorpus, "users">): { checked: number } {
  const byId = new Map(geotext.users.map((u) => [u.id, u]));
  for (const u of raw.users) {
    const g = byId.get(u.id);
    if (!g) throw new Error(`geotext-raw: user ${u.id} (fold ${u.fold}) is not in GeoText's user_info`);
    if (g.fold !== u.fold) throw new Error(`geotext-raw: user ${u.id} is in fold ${u.fold} here but fold ${g.fold} in GeoText`);
    if (g.lat !== u.lat || g.lon !== u.lon)
      throw new Error(`geotext-raw: user ${u.id}: coordinates ${u.latText} ${u.lonText} ≠ GeoText's ${g.lat} ${g.lon}`);
  }
  return { checked: raw.users.length };
}
