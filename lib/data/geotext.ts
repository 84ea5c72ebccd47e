/**
 * GeoText (Eisenstein et al., EMNLP 2010), processed files, through its
 * manifest (data-manifests/geotext.json).
 *
 * Formats (all UTF-8 text, one record per line):
 *   user_info[.train|.dev|.test]  id \t lat \t lon          user ID = line number in user_info (1-based)
 *   dev.dat, test.dat             N lat lon id:count × N    line i ↔ user_info.SPLIT line i
 *   vocab_wc_dc                   word \t wordCount \t docCount   word id = line number (1-based)
 *
 * Folds (README.txt): fold = userID % 5, 0 → 5; train = folds 1–3, dev = 4, test = 5.
 * The loader checks that user_info.{train,dev,test} are exactly those lines of
 * user_info, and that every .dat line's coordinates equal its user_info.SPLIT
 * line's (string-equal); any disagreement throws.
 *
 * Word ids are 1-based (evidence, measured on the 2010-10-12 copy): the ids in
 * dev.dat ∪ test.dat span exactly 1..5216 = |vocab|, id 0 never occurs; with
 * id → line id (1-based) no word's dev+test count exceeds its corpus-wide
 * wordCount or its user count exceeds docCount (0 violations), and log counts
 * correlate at r = 0.994; read 0-based, 1,018 words would exceed their totals
 * (r = 0.50). The loader stores 0-based indices into `vocab` (`words[k]` =
 * file id − 1).
 *
 * Known gap: test.dat has 1,894 lines for 1,895 test users; the last test user
 * (user_info line 9475) has no counts. Such users get `words = null` and are
 * listed in `report.usersWithoutCounts` with the reason.
 */
import * as fs from "node:fs";
import { DatasetRef } from "../results/table";
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
import { envVar } from "../runtime/env";

export type GeoTextSplit = "train" | "dev" | "test";

export interface GeoTextWord {
  word: string;
  wordCount: number;
  docCount: number;
}

export interface GeoTextUser {
  /** Anonymised name, e.g. USER_79321756. */
  id: string;
  /** User ID in the README's sense: line number in user_info (1-based). */
  index: number;
  /** 1..5 (index % 5, 0 → 5). */
  fold: number;
  split: GeoTextSplit;
  lat: number;
  lon: number;
  /** 0-based indices into corpus.vocab, ascending; null when the user has no .dat line (train users: no train.dat here). */
  words: Uint32Array | null;
  /** counts[k] = occurrences of vocab[words[k]]; null with words. */
  counts: Uint32Array | null;
  /** Sum of counts (0 without counts). */
  tokens: number;
}

export interface GeoTextReport {
  /** dev/test users without a .dat line, with why. */
  usersWithoutCounts: { id: string; index: number; split: GeoTextSplit; reason: string }[];
  /** Users per split, and how many of them have counts. */
  splits: Record<GeoTextSplit, { users: number; withCounts: number }>;
}

export interface GeoTextCorpus {
  name: string;
  title: string;
  /** Absolute data root and the manifest it was resolved through. */
  root: string;
  manifestFile: string;
  /** manifest path → sha256 (verified). */
  checksums: Record<string, string>;
  /** Ready for ResultTable.dataset. */
  dataset: DatasetRef;
  vocab: GeoTextWord[];
  /** All users of user_info, in user ID order (users[i].index = i + 1). */
  users: GeoTextUser[];
  report: GeoTextReport;
}

// ---------------------------------------------------------------- line parsers (pure)

/** Lines of a text file; a trailing newline does not make an empty record. */
function lines(text: string): string[] {
  const out = text.split("\n");
  if (out.length && out[out.length - 1] === "") out.pop();
  return out.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
}

function parseCoord(raw: string | undefined, file: string, line: number, field: "lat" | "lon"): number {
  const limit = field === "lat" ? 90 : 180;
  if (raw === undefined || raw === "") throw new RecordError(file, line, field, "missing");
  const v = Number(raw);
  if (!/^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(raw) || !Number.isFinite(v))
    throw new RecordError(file, line, field, `not a number: "${raw}"`);
  if (Math.abs(v) > limit) throw new RecordError(file, line, field, `${v} is outside [-${limit}, ${limit}]`);
  return v;
}

function parseCount(raw: string, file: string, line: number, field: string, min: number): number {
  if (!/^\d+$/.test(raw)) throw new RecordError(file, line, field, `not a non-negative integer: "${raw}"`);
  const v = Number(raw);
  if (v < min) throw new RecordError(file, line, field, `${v} < ${min}`);
  return v;
}

export interface UserInfoRow {
  id: string;
  lat: number;
  lon: number;
  /** The coordinates exactly as written (the .dat alignment check compares these). */
  latText: string;
  lonText: string;
}

/** user_info format: `id \t lat \t lon` per line. */
export function parseUserInfo(text: string, file: string): UserInfoRow[] {
  return lines(text).map((l, i) => {
    const n = i + 1;
    const f = l.split("\t");
    if (f.length !== 3) throw new RecordError(file, n, "line", `expected 3 tab-separated fields (id, lat, lon), got ${f.length}`);
    if (!/^\S+$/.test(f[0])) throw new RecordError(file, n, "id", `empty or contains spaces: "${f[0]}"`);
    return { id: f[0], lat: parseCoord(f[1], file, n, "lat"), lon: parseCoord(f[2], file, n, "lon"), latText: f[1], lonText: f[2] };
  });
}

/** vocab_wc_dc format: `word \t wordCount \t docCount`; word id = line number. */
export function parseVocab(text: string, file: string): GeoTextWord[] {
  const seen = new Map<string, number>();
  return lines(text).map((l, i) => {
    const n = i + 1;
    const f = l.split("\t");
    if (f.length !== 3)
      throw new RecordError(file, n, "line", `expected 3 tab-separated fields (word, wordCount, docCount), got ${f.length}`);
    if (f[0] === "") throw new RecordError(file, n, "word", "empty");
    const prev = seen.get(f[0]);
    if (prev !== undefined) throw new RecordError(file, n, "word", `"${f[0]}" already on line ${prev}`);
    seen.set(f[0], n);
    const wordCount = parseCount(f[1], file, n, "wordCount", 1);
    const docCount = parseCount(f[2], file, n, "docCount", 1);
    if (docCount > wordCount) throw new RecordError(file, n, "docCount", `${docCount} exceeds wordCount ${wordCount}`);
    return { word: f[0], wordCount, docCount };
  });
}

export interface LdaRow {
  latText: string;
  lonText: string;
  lat: number;
  lon: number;
  /** 0-based vocabulary indices, ascending. */
  words: Uint32Array;
  counts: Uint32Array;
  tokens: number;
}

/** .dat ("LDA") format: `N lat lon id:count …` with 1-based ids in 1..vocabSize. */
export function parseLda(text: string, file: string, vocabSize: number): LdaRow[] {
  return lines(text).map((l, i) => {
    const n = i + 1;
    const t = l.trim().split(/\s+/);
    if (t.length < 3 || t[0] === "") throw new RecordError(file, n, "line", `expected "N lat lon id:count …", got ${t.length} token(s)`);
    const N = parseCount(t[0], file, n, "N", 0);
    if (t.length - 3 !== N) throw new RecordError(file, n, "N", `says ${N} pairs but the line has ${t.length - 3}`);
    const lat = parseCoord(t[1], file, n, "lat");
    const lon = parseCoord(t[2], file, n, "lon");
    const pairs: [number, number][] = [];
    const seen = new Set<number>();
    for (let k = 3; k < t.length; k++) {
      const m = /^(\d+):(\d+)$/.exec(t[k]);
      const field = `pair ${k - 2}`;
      if (!m) throw new RecordError(file, n, field, `expected wordId:count, got "${t[k]}"`);
      const id = Number(m[1]);
      const count = Number(m[2]);
      if (id < 1 || id > vocabSize)
        throw new RecordError(file, n, field, `word id ${id} outside 1..${vocabSize} (ids are 1-based vocab_wc_dc line numbers)`);
      if (count < 1) throw new RecordError(file, n, field, `count ${count} < 1`);
      if (seen.has(id)) throw new RecordError(file, n, field, `word id ${id} repeated`);
      seen.add(id);
      pairs.push([id - 1, count]);
    }
    pairs.sort((a, b) => a[0] - b[0]);
    const words = Uint32Array.from(pairs, (p) => p[0]);
    const counts = Uint32Array.from(pairs, (p) => p[1]);
    let tokens = 0;
    for (const c of counts) tokens += c;
    return { latText: t[1], lonText: t[2], lat, lon, words, counts, tokens };
  });
}

// ---------------------------------------------------------------- folds

/** README.txt: fold = userID % 5, 0 → 5. */
export const geotextFold = (userId: number): number => userId % 5 || 5;
/** Folds 1–3 train, 4 dev, 5 test. */
export const geotextSplit = (fold: number): GeoTextSplit => (fold <= 3 ? "train" : fold === 4 ? "dev" : "test");

// ---------------------------------------------------------------- assembling

export interface GeoTextFiles {
  userInfo: string;
  userInfoSplit: Record<GeoTextSplit, string>;
  dat: Partial<Record<GeoTextSplit, string>>;
  vocab: string;
}

const readText = (file: string): string => fs.readFileSync(file, "utf8");

/** Parse and cross-check the files (paths absolute). Pure apart from reading them. */
export function parseGeoTextFiles(files: GeoTextFiles): { vocab: GeoTextWord[]; users: GeoTextUser[]; report: GeoTextReport } {
  const show = displayPath;
  const vocab = parseVocab(readText(files.vocab), show(files.vocab));
  const info = parseUserInfo(readText(files.userInfo), show(files.userInfo));
  const users: GeoTextUser[] = info.map((r, i) => {
    const fold = geotextFold(i + 1);
    return { id: r.id, index: i + 1, fold, split: geotextSplit(fold), lat: r.lat, lon: r.lon, words: null, counts: null, tokens: 0 };
  });
  const ids = new Map<string, number>();
  info.forEach((r, i) => {
    const prev = ids.get(r.id);
    if (prev !== undefined) throw new RecordError(show(files.userInfo), i + 1, "id", `${r.id} already on line ${prev}`);
    ids.set(r.id, i + 1);
  });
  const report: GeoTextReport = {
    usersWithoutCounts: [],
    splits: { train: { users: 0, withCounts: 0 }, dev: { users: 0, withCounts: 0 }, test: { users: 0, withCounts: 0 } },
  };
  for (const split of ["train", "dev", "test"] as const) {
    const splitFile = files.userInfoSplit[split];
    const members = users.map((u, i) => ({ u, row: info[i] })).filter((x) => x.u.split === split);
    const rows = parseUserInfo(readText(splitFile), show(splitFile));
    if (rows.length !== members.length)
      throw new RecordError(
        show(splitFile),
        rows.length + 1,
        "line",
        `has ${rows.length} users; the fold rule (userID % 5) gives ${members.length} ${split} users in user_info`,
      );
    rows.forEach((r, k) => {
      const { u, row } = members[k];
      if (r.id !== u.id || r.latText !== row.latText || r.lonText !== row.lonText)
        throw new RecordError(
          show(splitFile),
          k + 1,
          "id",
          `${r.id} ${r.latText} ${r.lonText} ≠ user_info line ${u.index} (${u.id} ${row.latText} ${row.lonText}); the split files disagree with the fold rule`,
        );
    });
    report.splits[split].users = members.length;
    const datFile = files.dat[split];
    if (!datFile) continue;
    const dat = parseLda(readText(datFile), show(datFile), vocab.length);
    if (dat.length > members.length)
      throw new RecordError(
        show(datFile),
        members.length + 1,
        "line",
        `${dat.length} lines for ${members.length} users in ${show(splitFile)}`,
      );
    dat.forEach((d, k) => {
      const { u, row } = members[k];
      if (d.latText !== row.latText || d.lonText !== row.lonText)
        throw new RecordError(
          show(datFile),
          k + 1,
          "lat/lon",
          `${d.latText} ${d.lonText} ≠ ${show(splitFile)} line ${k + 1} (${u.id} ${row.latText} ${row.lonText}); the files are misaligned`,
        );
      u.words = d.words;
      u.counts = d.counts;
      u.tokens = d.tokens;
    });
    report.splits[split].withCounts = dat.length;
    for (let k = dat.length; k < members.length; k++) {
      const { u } = members[k];
      report.usersWithoutCounts.push({
        id: u.id,
        index: u.index,
        split,
        reason: `${show(datFile)} has ${dat.length} lines for ${members.length} users; ${show(splitFile)} line ${k + 1} has no counts`,
      });
    }
  }
  return { vocab, users, report };
}

export interface LoadGeoTextOptions extends ResolveOptions {
  /** Manifest file (default data-manifests/geotext.json, or GEOREPRO_MANIFESTS/geotext.json). */
  manifestFile?: string;
  /** Called with the one-line reason when the data is absent. */
  onMissing?: (reason: string) => void;
}

/** Parsed corpora by root + checksums: a second load in one process costs only the (memoised) verification. */
const parsedMemo = new Map<string, ReturnType<typeof parseGeoTextFiles>>();

/**
 * Load GeoText through its manifest: resolve, verify checksums, parse, cross-check.
 * Returns null (and logs why) when the data is not on this machine; throws on a
 * checksum mismatch or a malformed record. Repeated loads of unchanged files in
 * one process return the same vocab/users objects: treat them as read-only.
 */
export async function loadGeoText(opts: LoadGeoTextOptions = {}): Promise<GeoTextCorpus | null> {
  const env = opts.env ?? process.env;
  const manifestFile = opts.manifestFile ?? manifestPath("geotext", envVar("GEOREPRO_MANIFESTS", env) || undefined);
  const m = loadManifest(manifestFile);
  let resolved;
  try {
    resolved = resolveManifest(m, opts);
  } catch (e) {
    if (!(e instanceof DatasetMissingError)) throw e;
    log("geotext", `absent, skipping: ${e.message}`);
    opts.onMissing?.(e.message);
    return null;
  }
  const verified = verifyManifest(resolved);
  const f = (p: string): string => {
    const abs = verified.files[p];
    if (!abs) throw new Error(`${displayPath(m.manifestFile)}: files: no entry for "${p}" (the GeoText loader needs it)`);
    return abs;
  };
  const has = (p: string): boolean => p in verified.files;
  const memoKey = JSON.stringify([verified.root, verified.files, verified.checksums]);
  const parsed =
    parsedMemo.get(memoKey) ??
    parseGeoTextFiles({
      userInfo: f("user_info"),
      userInfoSplit: { train: f("user_info.train"), dev: f("user_info.dev"), test: f("user_info.test") },
      dat: Object.fromEntries((["train", "dev", "test"] as const).filter((s) => has(`${s}.dat`)).map((s) => [s, f(`${s}.dat`)])),
      vocab: f("vocab_wc_dc"),
    });
  parsedMemo.set(memoKey, parsed);
  for (const u of parsed.report.usersWithoutCounts)
    log("geotext", `user ${u.id} (line ${u.index}, ${u.split}) has no word counts: ${u.reason}`);
  return {
    name: m.name,
    title: m.title,
    root: verified.root,
    manifestFile: m.manifestFile,
    checksums: verified.checksums,
    dataset: { name: m.name, synthetic: false, description: m.description, checksums: verified.checksums },
    ...parsed,
  };
}
