/**
 * Data manifests: one JSON file per dataset (data-manifests/NAME.json) that
 * says where the data comes from, which files it has (size + sha256), what
 * their records look like, and where to look for it on this machine.
 *
 *   loadManifest(file)        parse + validate against data-manifests/schema.json
 *   resolveManifest(m)        find the data root (env override, then search paths)
 *   verifyManifest(resolved)  size + sha256 (and git blob id) of every file (memoised by path/size/mtime)
 *
 * Every failure is one line that says what is wrong and what to do:
 *   - DatasetMissingError: where it looked, how to get the data;
 *   - ChecksumError: which file, expected vs actual;
 *   - ManifestError: manifest file + field;
 *   - RecordError: `file:line: field: problem` (used by the format loaders).
 *
 * A manifest may not reference paths outside its data root: file paths are
 * relative, without '.'/'..' segments, and after resolving symlinks every file
 * must still lie inside the root.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { sha256File } from "../runtime/hash";
import { fromRoot, projectRoot } from "../runtime/paths";
import { envVar, type EnvVarName } from "../runtime/env";

// ---------------------------------------------------------------- types

export type FieldType =
  "string" | "integer" | "number" | "boolean" | "latitude" | "longitude" | "timestamp" | "string[]" | "object" | "pairs";

export interface RecordField {
  name: string;
  type: FieldType;
  /** Default true. */
  required?: boolean;
  description?: string;
}

export interface RecordSchema {
  layout: "tsv" | "csv" | "jsonl" | "whitespace" | "text";
  header?: boolean;
  description?: string;
  fields: RecordField[];
}

export interface ManifestFile {
  /** Relative to the data root. */
  path: string;
  /** Where the file lies inside the downloadable archive. */
  archivePath?: string;
  /** Bytes; null when not pinned (user-brought data). */
  size: number | null;
  /** Lowercase hex; null when not pinned. */
  sha256: string | null;
  format: string;
  description?: string;
  record?: RecordSchema;
  /** Where `make data` downloads this one file (pinned to a commit); verified before it is placed. */
  url?: string;
  /** Git blob id (sha1 of "blob <size>\0" + bytes); null/absent when not pinned. */
  gitBlob?: string | null;
  /** The dataset is usable without it (found without it; verified when present). */
  optional?: boolean;
}

/** A posts dataset converted from another layout at load time (e.g. Flickr CSVs): its one city and how tables name it. */
export interface ManifestPosts {
  city: string;
  label: string;
  /** Runs without DATA= include the city wherever its data is present. */
  inDefaultRun?: boolean;
}

export interface ManifestArchive {
  url: string;
  format: "tar.gz" | "tar";
  size?: number | null;
  sha256?: string | null;
}

export interface Manifest {
  schemaVersion: 1;
  name: string;
  title: string;
  description: string;
  citation: string;
  url: string;
  license: string | null;
  synthetic: boolean;
  root: { searchPaths: string[]; env: string; fetchTo?: string };
  archive?: ManifestArchive;
  files: ManifestFile[];
  posts?: ManifestPosts;
  notes?: string[];
  /** Absolute path of the manifest file this came from (added by loadManifest). */
  manifestFile: string;
}

export interface ResolvedManifest {
  manifest: Manifest;
  /** Absolute data root. */
  root: string;
  /** How the root was found: "env GEOREPRO_DATA_X" or "search path ../x". */
  foundBy: string;
  /** manifest path → absolute file path (optional files only when present). */
  files: Record<string, string>;
}

export interface VerifiedManifest extends ResolvedManifest {
  /** manifest path → sha256 actually seen (for provenance). */
  checksums: Record<string, string>;
  /** Files whose size and content (sha256 or git blob id) the manifest does not pin (reported, not failed). */
  unpinned: string[];
  /** Optional files the manifest lists that are not in the root. */
  absentOptional: string[];
}

// ---------------------------------------------------------------- errors

/** A manifest that does not validate: `manifest.json: files[2].sha256: problem`. */
export class ManifestError extends Error {
  override name = "ManifestError";
}

/** The data is not on this machine; the message says where we looked and how to get it. */
export class DatasetMissingError extends Error {
  override name = "DatasetMissingError";
  constructor(
    message: string,
    readonly dataset: string,
    readonly looked: string[],
  ) {
    super(message);
  }
}

/** A file whose size or sha256 differs from the manifest. */
export class ChecksumError extends Error {
  override name = "ChecksumError";
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
  }
}

/** A malformed record: `file:line: field: problem`. */
export class RecordError extends Error {
  override name = "RecordError";
  constructor(
    readonly file: string,
    readonly line: number,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${file}:${line}: ${field}: ${problem}`);
  }
}

export const recordError = (file: string, line: number, field: string, problem: string): RecordError =>
  new RecordError(file, line, field, problem);

// ---------------------------------------------------------------- a small JSON Schema subset

type Schema = Record<string, unknown>;

const typeOf = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "array" : typeof v === "number" && Number.isInteger(v) ? "integer" : typeof v;

const typeMatches = (v: unknown, t: string): boolean => {
  const actual = typeOf(v);
  return actual === t || (t === "number" && actual === "integer");
};

const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + "..." : s;
};

const fieldPath = (parent: string, key: string | number): string =>
  typeof key === "number" ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key;

/**
 * Validate `value` against the subset of JSON Schema that schema.json uses.
 * Returns the first problem as {field, problem}, or null.
 */
export function checkSchema(value: unknown, schema: Schema, root: Schema, at = ""): { field: string; problem: string } | null {
  const here = at || "(top level)";
  if (typeof schema.$ref === "string") {
    const m = /^#\/\$defs\/(.+)$/.exec(schema.$ref);
    const target = m ? (root.$defs as Record<string, Schema> | undefined)?.[m[1]] : undefined;
    if (!target) throw new Error(`schema: unresolvable $ref ${schema.$ref}`);
    return checkSchema(value, target, root, at);
  }
  if ("const" in schema && value !== schema.const) return { field: here, problem: `must be ${show(schema.const)} (got ${show(value)})` };
  if (Array.isArray(schema.enum) && !schema.enum.includes(value as never))
    return { field: here, problem: `must be one of ${schema.enum.map(show).join(", ")} (got ${show(value)})` };
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => typeMatches(value, t))) return { field: here, problem: `expected ${types.join(" or ")} (got ${show(value)})` };
  }
  if (typeof value === "string") {
    if (typeof schema.minLength === "number" && value.length < schema.minLength) return { field: here, problem: "must not be empty" };
    // A schema entry may word its pattern ("problem"): a reader learns what is wrong, not which regular expression failed.
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern).test(value))
      return {
        field: here,
        problem:
          typeof schema.problem === "string" ? `${show(value)} ${schema.problem}` : `${show(value)} does not match ${schema.pattern}`,
      };
  }
  if (typeof value === "number" && typeof schema.minimum === "number" && value < schema.minimum)
    return { field: here, problem: `must be ≥ ${schema.minimum} (got ${value})` };
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems)
      return { field: here, problem: `needs at least ${schema.minItems} item(s)` };
    if (schema.items && typeof schema.items === "object") {
      for (let i = 0; i < value.length; i++) {
        const p = checkSchema(value[i], schema.items as Schema, root, fieldPath(at, i));
        if (p) return p;
      }
    }
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const req of (schema.required ?? []) as string[]) if (!(req in obj)) return { field: fieldPath(at, req), problem: "is required" };
    for (const [k, v] of Object.entries(obj)) {
      if (k in props) {
        const p = checkSchema(v, props[k], root, fieldPath(at, k));
        if (p) return p;
      } else if (schema.additionalProperties === false) {
        return { field: fieldPath(at, k), problem: `unknown field (known: ${Object.keys(props).join(", ")})` };
      }
    }
  }
  return null;
}

// ---------------------------------------------------------------- loading

export const SCHEMA_FILE = fromRoot("data-manifests", "schema.json");
let schemaMemo: Schema | null = null;
const manifestSchema = (): Schema => (schemaMemo ??= JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as Schema);

/** Project-relative path for messages (absolute when outside the project). */
export const displayPath = (p: string): string => {
  const rel = path.relative(projectRoot, p);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p;
};

/** "line L col C" of a JSON.parse error, when the message gives a position. */
function jsonErrorLocation(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return "";
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split("\n").length;
  return `:${line}:${pos - before.lastIndexOf("\n")}`;
}

/** True when `rel` is a safe path below a root (no absolute, '.', '..' or empty segments). */
export function isContainedRelativePath(rel: string): boolean {
  if (!rel || rel.includes("\\") || rel.includes("\0") || path.isAbsolute(rel) || /^[A-Za-z]:/.test(rel)) return false;
  return rel.split("/").every((seg) => seg !== "" && seg !== "." && seg !== "..");
}

/** Parse and validate a manifest; errors name the manifest file and the field. */
export function loadManifest(file: string): Manifest {
  const abs = path.resolve(projectRoot, file);
  const where = displayPath(abs);
  let text: string;
  try {
    text = fs.readFileSync(abs, "utf8");
  } catch {
    throw new ManifestError(`${where}: cannot read the manifest (does the file exist?)`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ManifestError(`${where}${jsonErrorLocation(text, (e as Error).message)}: not valid JSON (${(e as Error).message})`);
  }
  const schema = manifestSchema();
  const problem = checkSchema(value, schema, schema);
  if (problem) throw new ManifestError(`${where}: ${problem.field}: ${problem.problem}`);
  const m = value as Omit<Manifest, "manifestFile">;
  // Semantic checks the schema cannot express.
  const seen = new Set<string>();
  m.files.forEach((f, i) => {
    for (const key of ["path", "archivePath"] as const) {
      const p = f[key];
      if (p !== undefined && !isContainedRelativePath(p))
        throw new ManifestError(`${where}: files[${i}].${key}: "${p}" leaves the data root (use a relative path without '..')`);
    }
    if (seen.has(f.path)) throw new ManifestError(`${where}: files[${i}].path: "${f.path}" is listed twice`);
    seen.add(f.path);
    if (f.archivePath !== undefined && !m.archive)
      throw new ManifestError(`${where}: files[${i}].archivePath: given but the manifest has no "archive"`);
  });
  return { ...m, manifestFile: abs };
}

/** The manifest named NAME in the manifest folder (data-manifests/NAME.json by default). */
export function manifestPath(name: string, manifestDir = fromRoot("data-manifests")): string {
  return path.join(manifestDir, `${name}.json`);
}

// ---------------------------------------------------------------- resolving

export interface ResolveOptions {
  /** Environment to read the override from (tests pass their own). */
  env?: NodeJS.ProcessEnv;
  /** Folder relative search paths are resolved against (default: the project root). */
  baseDir?: string;
}

/** Folder `make data` fills: root.fetchTo, else the last search path. */
export const fetchTarget = (m: Manifest, baseDir = projectRoot): string =>
  path.resolve(baseDir, m.root.fetchTo ?? m.root.searchPaths[m.root.searchPaths.length - 1]);

/** One line telling a user how to get the data. */
export function howToGet(m: Manifest, baseDir = projectRoot): string {
  const dest = displayPath(fetchTarget(m, baseDir));
  const perFile = m.files.filter((f) => f.url && !f.optional);
  const fetch = m.archive
    ? `run \`make data\` (downloads ${m.archive.url}) or `
    : perFile.length
      ? `run \`make data\` (node dist/scripts/fetch-data.js ${m.name}: downloads ${perFile.length} file(s) from ${new URL(perFile[0].url!).host}, pinned and verified) or `
      : "";
  // url "none" marks data the user made: there is nowhere to get it "from".
  const from = m.url === "none" ? "" : ` from ${m.url}`;
  return `${fetch}put ${m.files
    .filter((f) => !f.optional)
    .map((f) => f.path)
    .join(", ")}${from} into ${dest}/, or set ${m.root.env}=/path/to/folder`;
}

function missingIn(m: Manifest, dir: string): string[] {
  return m.files
    .filter((f) => !f.optional && !fs.statSync(path.join(dir, ...f.path.split("/")), { throwIfNoEntry: false })?.isFile())
    .map((f) => f.path);
}

/**
 * Find the data root: the env override alone when set, else the first search
 * path that holds every required file — preferring the one that holds the
 * most optional files (so a fetched copy with GeoText's training folds wins
 * over a shared copy without them). Throws DatasetMissingError (one line:
 * where it looked, what was missing there, how to get the data).
 */
export function resolveManifest(m: Manifest, opts: ResolveOptions = {}): ResolvedManifest {
  const env = opts.env ?? process.env;
  const baseDir = opts.baseDir ?? projectRoot;
  const override = envVar(m.root.env as EnvVarName, env); // validated: GEOREPRO_DATA_<NAME>
  const candidates: { dir: string; by: string }[] = override
    ? [{ dir: path.resolve(baseDir, override), by: `env ${m.root.env}` }]
    : m.root.searchPaths.map((p) => ({ dir: path.resolve(baseDir, p), by: `search path ${p}` }));
  const looked: string[] = [];
  const optionalHeld = (dir: string) =>
    m.files.filter((f) => f.optional && fs.statSync(path.join(dir, ...f.path.split("/")), { throwIfNoEntry: false })?.isFile()).length;
  const usable = (c: { dir: string }) => !!fs.statSync(c.dir, { throwIfNoEntry: false })?.isDirectory() && missingIn(m, c.dir).length === 0;
  const first = candidates.find(usable);
  // The usable folder holding the most optional files (the first of them on a tie).
  const best = candidates
    .filter(usable)
    .reduce<(typeof candidates)[number] | undefined>((b, c) => (!b || optionalHeld(c.dir) > optionalHeld(b.dir) ? c : b), undefined);
  if (best && best !== first) {
    candidates.splice(candidates.indexOf(best), 1);
    candidates.unshift(best);
  }
  for (const c of candidates) {
    if (!fs.statSync(c.dir, { throwIfNoEntry: false })?.isDirectory()) {
      looked.push(`${c.dir} (no such folder)`);
      continue;
    }
    const missing = missingIn(m, c.dir);
    if (missing.length) {
      looked.push(`${c.dir} (missing ${missing.join(", ")})`);
      continue;
    }
    const realRoot = fs.realpathSync(c.dir);
    const files: Record<string, string> = {};
    for (const f of m.files) {
      const abs = path.join(c.dir, ...f.path.split("/"));
      if (f.optional && !fs.statSync(abs, { throwIfNoEntry: false })?.isFile()) continue;
      const real = fs.realpathSync(abs);
      if (real !== realRoot && !real.startsWith(realRoot + path.sep))
        throw new ManifestError(
          `${displayPath(m.manifestFile)}: ${f.path}: resolves to ${real}, outside the data root ${realRoot} (a symlink?); copy the file into the root`,
        );
      files[f.path] = abs;
    }
    return { manifest: m, root: c.dir, foundBy: c.by, files };
  }
  throw new DatasetMissingError(
    `${m.name}: dataset not found; looked in ${looked.join("; ")}. To get it: ${howToGet(m, baseDir)}`,
    m.name,
    looked,
  );
}

// ---------------------------------------------------------------- verifying

/** sha256 memo keyed by path + size + mtime + inode: re-verifying an unchanged file is free. */
const hashMemo = new Map<string, string>();

/** sha256 of a file, reusing the last result while size/mtime/inode are unchanged. */
export function memoSha256File(file: string): { sha256: string; size: number } {
  const st = fs.statSync(file);
  const key = `${file}\0${st.size}\0${st.mtimeMs}\0${st.ino}`;
  let h = hashMemo.get(key);
  if (!h) {
    h = sha256File(file);
    hashMemo.set(key, h);
  }
  return { sha256: h, size: st.size };
}

/** Git's blob id of a file's bytes: sha1("blob <size>\0" + bytes), what `git hash-object` prints and a repository lists. */
export function gitBlobId(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/** gitBlobId of a file, memoised like memoSha256File. */
const blobMemo = new Map<string, string>();
export function memoGitBlobFile(file: string): string {
  const st = fs.statSync(file);
  const key = `${file}\0${st.size}\0${st.mtimeMs}\0${st.ino}`;
  let h = blobMemo.get(key);
  if (!h) {
    h = gitBlobId(fs.readFileSync(file));
    blobMemo.set(key, h);
  }
  return h;
}

/** What to do about a file that fails verification, in words. */
export const refetchAdvice = (m: Manifest): string =>
  m.archive || m.files.some((f) => f.url)
    ? `re-fetch it with \`make data\` (node dist/scripts/fetch-data.js ${m.name} --force)`
    : m.url === "none"
      ? "restore the original, or re-pin size and sha256 in the manifest if the change is intended"
      : `replace it with the original from ${m.url}`;

/**
 * Check every file's size, sha256 and git blob id against the manifest. A
 * mismatch throws a one-line ChecksumError naming the file. Unpinned files
 * (null size, and neither sha256 nor git blob id) are hashed and listed in
 * `unpinned` rather than failed; optional files that are absent are listed in
 * `absentOptional`.
 */
export function verifyManifest(resolved: ResolvedManifest): VerifiedManifest {
  const m = resolved.manifest;
  const checksums: Record<string, string> = {};
  const unpinned: string[] = [];
  const absentOptional: string[] = [];
  for (const f of m.files) {
    const abs = resolved.files[f.path];
    if (abs === undefined && f.optional) {
      absentOptional.push(f.path);
      continue;
    }
    const st = fs.statSync(abs);
    const refetch = refetchAdvice(m);
    if (f.size !== null && st.size !== f.size)
      throw new ChecksumError(
        `${m.name}: ${abs}: size ${st.size} bytes, manifest says ${f.size}; the file is truncated, modified or a different version — ${refetch}`,
        abs,
      );
    const { sha256 } = memoSha256File(abs);
    if (f.sha256 !== null && sha256 !== f.sha256)
      throw new ChecksumError(
        `${m.name}: ${abs}: sha256 ${sha256} ≠ manifest ${f.sha256}; the file is corrupt or a different version — ${refetch}`,
        abs,
      );
    if (f.gitBlob) {
      const blob = memoGitBlobFile(abs);
      if (blob !== f.gitBlob)
        throw new ChecksumError(
          `${m.name}: ${abs}: git blob id ${blob} ≠ manifest ${f.gitBlob}; the file is corrupt or a different version — ${refetch}`,
          abs,
        );
    }
    if ((f.sha256 === null && !f.gitBlob) || f.size === null) unpinned.push(f.path);
    checksums[f.path] = sha256;
  }
  return { ...resolved, checksums, unpinned, absentOptional };
}

/** loadManifest + resolveManifest + verifyManifest for a manifest name or file. */
export function openDataset(nameOrFile: string, opts: ResolveOptions & { manifestDir?: string } = {}): VerifiedManifest {
  const file = nameOrFile.endsWith(".json") ? nameOrFile : manifestPath(nameOrFile, opts.manifestDir);
  return verifyManifest(resolveManifest(loadManifest(file), opts));
}
