/**
 * `make data`: download each dataset whose manifest says where from — an
 * archive (`archive.url`: extracted with the `tar` package) or one URL per
 * file (`files[].url`, pinned to a fixed commit: GeoText's raw text, Flickr
 * Vienna) — verify every file's size, sha256 and/or git blob id (sha1 of
 * "blob <size>\0" + bytes, what a repository lists), and place the files in
 * the manifest's fetch folder (data/NAME/ by default).
 *
 *   node dist/scripts/fetch-data.js [NAME …] [--force]
 *
 * Per-file downloads: every required file must download and verify before
 * anything is placed; an optional file (`optional: true`, e.g. GeoText's
 * training folds) is fetched when its URL answers and skipped with a line when
 * it does not; a file that arrives with other bytes than pinned is refused in
 * one line that says what to do.
 *
 * A dataset already present and verified anywhere on its search path is
 * skipped (unless --force). Nothing lands in the fetch folder until every file
 * has verified. Archive entries with absolute paths, '..' segments or links
 * are refused (path traversal). Archive files the manifest does not list are
 * kept, unverified, under data/NAME/unverified/.
 *
 * Every failure is one line on stderr that says what to do (exit code 1).
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import * as path from "node:path";
import * as tar from "tar";
import { projectRoot } from "../lib/runtime/paths";
import { sha256, sha256File } from "../lib/runtime/hash";
import {
  ChecksumError,
  DatasetMissingError,
  displayPath,
  fetchTarget,
  gitBlobId,
  isContainedRelativePath,
  loadManifest,
  Manifest,
  resolveManifest,
  verifyManifest,
  VerifiedManifest,
} from "../lib/data/manifest";
import { envVar } from "../lib/runtime/env";

/** A download or archive problem; the message is one line with what to do. */
export class FetchError extends Error {
  override name = "FetchError";
}

export interface FetchOptions {
  /** Folder relative paths in the manifest resolve against (default: project root). */
  baseDir?: string;
  /** Environment for the "already present" check (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Use this URL instead of the manifest's archive URL. */
  url?: string;
  /** Fetch even when the data is already present and verified. */
  force?: boolean;
  /** Give up on a silent connection after this many ms (default 30 s). */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface FetchResult {
  status: "present" | "fetched";
  verified: VerifiedManifest;
  /** Manifest files found somewhere other than their archivePath (basename + checksum match). */
  relocated: { path: string; foundAt: string }[];
  /** Archive entries the manifest does not list, kept under unverified/. */
  unverified: string[];
}

const NETWORK_CODES = new Set([
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
]);

function byHand(m: Manifest, baseDir: string): string {
  const optional = m.files.filter((f) => f.optional).map((f) => f.path);
  return `put ${m.files
    .filter((f) => !f.optional)
    .map((f) => f.path)
    .join(
      ", ",
    )}${optional.length ? ` (and, optionally, ${optional.join(", ")})` : ""} (from ${m.url}) into ${displayPath(fetchTarget(m, baseDir))}/ by hand, or set ${m.root.env}=/path/to/folder`;
}

/** GET `url` into `file`, following up to 5 redirects. */
export function download(
  url: string,
  file: string,
  opts: { timeoutMs?: number; log?: (l: string) => void } = {},
  redirects = 5,
): Promise<{ url: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      reject(new FetchError(`bad URL ${url}`));
      return;
    }
    const get = u.protocol === "https:" ? https.get : u.protocol === "http:" ? http.get : null;
    if (!get) {
      reject(new FetchError(`unsupported protocol in ${url} (http or https only)`));
      return;
    }
    const req = get(u, (res) => {
      const code = res.statusCode ?? 0;
      if (code >= 300 && code < 400 && res.headers.location) {
        res.resume();
        if (redirects <= 0) return reject(new FetchError(`too many redirects at ${url}`));
        const next = new URL(res.headers.location, u).toString();
        opts.log?.(`redirect ${code} → ${next}`);
        download(next, file, opts, redirects - 1).then(resolve, reject);
        return;
      }
      if (code !== 200) {
        res.resume();
        return reject(new FetchError(`HTTP ${code} from ${url}`));
      }
      const out = fs.createWriteStream(file);
      let bytes = 0;
      res.on("data", (chunk: Buffer) => (bytes += chunk.length));
      res.pipe(out);
      out.on("finish", () => resolve({ url, bytes }));
      out.on("error", (e) => reject(new FetchError(`cannot write ${file}: ${e.message}`)));
      res.on("error", (e) => reject(e));
    });
    req.setTimeout(opts.timeoutMs ?? 30_000, () =>
      req.destroy(Object.assign(new Error(`no response for ${opts.timeoutMs ?? 30_000} ms`), { code: "ETIMEDOUT" })),
    );
    req.on("error", reject);
  });
}

/** Every entry of a tar(.gz), refusing absolute paths, '..' segments and links. */
export async function listArchive(file: string): Promise<string[]> {
  const entries: string[] = [];
  const bad: string[] = [];
  await tar.t({
    file,
    onReadEntry: (e) => {
      const p = e.path.replace(/\/+$/, "");
      if (p === "" || p === ".") return;
      const rel = p.startsWith("./") ? p.slice(2) : p;
      if (!isContainedRelativePath(rel)) bad.push(`"${e.path}" leaves the extraction folder`);
      else if (e.type === "SymbolicLink" || e.type === "Link") bad.push(`"${e.path}" is a ${e.type} to "${e.linkpath}"`);
      else if (e.type === "File" || e.type === "OldFile" || e.type === "ContiguousFile") entries.push(rel);
    },
  });
  if (bad.length)
    throw new FetchError(
      `${file}: refusing to extract (path traversal): ${bad.slice(0, 3).join("; ")}${bad.length > 3 ? ` and ${bad.length - 3} more` : ""}`,
    );
  return entries.sort();
}

function moveInto(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.rmSync(to, { force: true, recursive: true });
  fs.renameSync(from, to);
}

/** Download, extract, verify and place one dataset. */
export async function fetchDataset(m: Manifest, opts: FetchOptions = {}): Promise<FetchResult> {
  const baseDir = opts.baseDir ?? projectRoot;
  const say = opts.log ?? ((l: string) => process.stderr.write(`[fetch-data] ${l}\n`));
  const dest = fetchTarget(m, baseDir);
  if (!opts.force) {
    try {
      const v = verifyManifest(resolveManifest(m, { baseDir, env: opts.env ?? process.env }));
      const optional = v.absentOptional.filter((p) => m.files.find((f) => f.path === p)?.url);
      say(
        `${m.name}: already present and verified at ${displayPath(v.root)} (${v.foundBy}); nothing to do (--force fetches anyway)${optional.length ? `. Optional file(s) absent there: ${optional.join(", ")} — \`node dist/scripts/fetch-data.js ${m.name} --force\` fetches the dataset with them into ${displayPath(dest)}/, which is then preferred (a folder holding the optional files wins over one without)` : ""}`,
      );
      return { status: "present", verified: v, relocated: [], unverified: [] };
    } catch (e) {
      if (!(e instanceof DatasetMissingError) && !(e instanceof ChecksumError)) throw e;
      if (e instanceof ChecksumError) say(`${m.name}: local copy fails verification (${e.message}); fetching a fresh one`);
    }
  }
  if (!m.archive && m.files.some((f) => f.url)) return fetchFiles(m, dest, baseDir, say, opts);
  const url = opts.url ?? m.archive?.url;
  if (!url || !m.archive) throw new FetchError(`${m.name}: the manifest has no archive URL to fetch from; ${byHand(m, baseDir)}`);

  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const work = fs.mkdtempSync(path.join(path.dirname(dest), `.${path.basename(dest)}.fetch-`));
  try {
    const archive = path.join(work, "archive");
    say(`${m.name}: downloading ${url}`);
    try {
      const { bytes } = await download(url, archive, { timeoutMs: opts.timeoutMs, log: say });
      say(`${m.name}: ${bytes} bytes`);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const why =
        err instanceof FetchError ? err.message : NETWORK_CODES.has(err.code ?? "") ? `network unreachable (${err.code})` : err.message;
      throw new FetchError(`${m.name}: cannot download ${url}: ${why}; ${byHand(m, baseDir)}`);
    }
    if (m.archive.sha256) {
      const got = sha256File(archive);
      if (got !== m.archive.sha256)
        throw new ChecksumError(
          `${m.name}: downloaded archive ${url}: sha256 ${got} ≠ manifest ${m.archive.sha256}; the server sent a different file`,
          archive,
        );
    }
    const entries = await listArchive(archive);
    const staging = path.join(work, "x");
    fs.mkdirSync(staging);
    await tar.x({ file: archive, cwd: staging, strict: true, preservePaths: false });

    // Locate and verify every manifest file before anything moves.
    const located: Record<string, string> = {};
    const relocated: FetchResult["relocated"] = [];
    const used = new Set<string>();
    for (const f of m.files) {
      const want = f.archivePath ?? f.path;
      let rel: string | undefined = entries.includes(want) ? want : undefined;
      if (!rel && f.sha256) {
        // Fallback: a unique entry with the same basename and checksum (archive layout differs from the manifest's guess).
        rel = entries.find((e) => path.posix.basename(e) === path.posix.basename(f.path) && sha256File(path.join(staging, e)) === f.sha256);
        if (rel) relocated.push({ path: f.path, foundAt: rel });
      }
      if (!rel) throw new FetchError(`${m.name}: the archive from ${url} has no ${want}; ${byHand(m, baseDir)}`);
      const abs = path.join(staging, ...rel.split("/"));
      const size = fs.statSync(abs).size;
      if (f.size !== null && size !== f.size)
        throw new ChecksumError(
          `${m.name}: ${rel} in ${url}: size ${size} bytes, manifest says ${f.size} (file ${f.path}); a different version of the data`,
          f.path,
        );
      const got = sha256File(abs);
      if (f.sha256 !== null && got !== f.sha256)
        throw new ChecksumError(
          `${m.name}: ${rel} in ${url}: sha256 ${got} ≠ manifest ${f.sha256} (file ${f.path}); a different version of the data`,
          f.path,
        );
      located[f.path] = abs;
      used.add(rel);
    }
    for (const r of relocated) say(`${m.name}: ${r.path} found at ${r.foundAt} (not at its archivePath); checksum matches`);

    // Place: listed files at their paths, the rest under unverified/.
    fs.mkdirSync(dest, { recursive: true });
    for (const [p, abs] of Object.entries(located)) moveInto(abs, path.join(dest, ...p.split("/")));
    const unverified = entries.filter((e) => !used.has(e));
    for (const e of unverified) moveInto(path.join(staging, ...e.split("/")), path.join(dest, "unverified", ...e.split("/")));
    if (unverified.length)
      say(
        `${m.name}: kept ${unverified.length} file(s) the manifest does not list, unverified, under ${displayPath(path.join(dest, "unverified"))}/`,
      );

    const verified = verifyManifest(resolveManifest(m, { baseDir, env: { [m.root.env]: dest } }));
    say(`${m.name}: ${m.files.length} file(s) verified in ${displayPath(dest)}`);
    return { status: "fetched", verified, relocated, unverified };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** What a download is checked against: size, sha256 and git blob id where the manifest pins them. Returns the sha256 seen. */
export function verifyDownload(m: Manifest, f: Manifest["files"][number], file: string, url: string): string {
  const bytes = fs.readFileSync(file);
  const what = `${m.name}: ${f.path} from ${url}`;
  const advice = `nothing was placed; the server sent another file than the manifest pins (a moved commit, a proxy page, or tampering) — check the URL in ${displayPath(m.manifestFile)}, or put a copy you trust into ${displayPath(fetchTarget(m))}/ by hand (it is verified the same way when the notebooks load it)`;
  if (f.size !== null && bytes.length !== f.size)
    throw new ChecksumError(`${what}: size ${bytes.length} bytes, manifest says ${f.size}; ${advice}`, f.path);
  const sha = sha256(bytes);
  if (f.sha256 !== null && sha !== f.sha256) throw new ChecksumError(`${what}: sha256 ${sha} ≠ manifest ${f.sha256}; ${advice}`, f.path);
  if (f.gitBlob) {
    const blob = gitBlobId(bytes);
    if (blob !== f.gitBlob) throw new ChecksumError(`${what}: git blob id ${blob} ≠ manifest ${f.gitBlob}; ${advice}`, f.path);
  }
  return sha;
}

/** Download every file with a URL, verify each, then place them all (per-file manifests). */
async function fetchFiles(m: Manifest, dest: string, baseDir: string, say: (l: string) => void, opts: FetchOptions): Promise<FetchResult> {
  const unlisted = m.files.filter((f) => !f.url && !f.optional);
  if (unlisted.length)
    throw new FetchError(
      `${m.name}: ${unlisted.map((f) => f.path).join(", ")} ha${unlisted.length > 1 ? "ve" : "s"} no URL in the manifest; ${byHand(m, baseDir)}`,
    );
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const work = fs.mkdtempSync(path.join(path.dirname(dest), `.${path.basename(dest)}.fetch-`));
  try {
    const got: { f: Manifest["files"][number]; file: string }[] = [];
    for (const f of m.files) {
      if (!f.url) {
        say(`${m.name}: ${f.path}: no URL (optional); not fetched`);
        continue;
      }
      const file = path.join(work, `${got.length}`);
      say(`${m.name}: downloading ${f.url}`);
      try {
        const { bytes } = await download(f.url, file, { timeoutMs: opts.timeoutMs, log: say });
        say(`${m.name}: ${f.path}: ${bytes} bytes`);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        const why =
          err instanceof FetchError ? err.message : NETWORK_CODES.has(err.code ?? "") ? `network unreachable (${err.code})` : err.message;
        if (f.optional) {
          say(`${m.name}: ${f.path} (optional) not fetched: ${why}; the dataset is usable without it`);
          continue;
        }
        throw new FetchError(`${m.name}: cannot download ${f.url}: ${why}; ${byHand(m, baseDir)}`);
      }
      verifyDownload(m, f, file, f.url);
      say(
        `${m.name}: ${f.path}: verified (${[f.size !== null ? "size" : "", f.sha256 ? "sha256" : "", f.gitBlob ? "git blob id" : ""].filter((x) => x).join(", ")})`,
      );
      got.push({ f, file });
    }
    fs.mkdirSync(dest, { recursive: true });
    for (const { f, file } of got) moveInto(file, path.join(dest, ...f.path.split("/")));
    const verified = verifyManifest(resolveManifest(m, { baseDir, env: { [m.root.env]: dest } }));
    say(
      `${m.name}: ${got.length} file(s) verified in ${displayPath(dest)}${verified.absentOptional.length ? ` (optional, absent: ${verified.absentOptional.join(", ")})` : ""}`,
    );
    return { status: "fetched", verified, relocated: [], unverified: [] };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Manifests with an archive URL in the manifest folder. */
function fetchableManifests(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json") && f !== "schema.json")
    .sort()
    .map((f) => path.join(dir, f));
}

async function main(argv: string[]): Promise<number> {
  const force = argv.includes("--force");
  const names = argv.filter((a) => !a.startsWith("--"));
  const manifests = envVar("GEOREPRO_MANIFESTS");
  const dir = manifests ? path.resolve(projectRoot, manifests) : path.join(projectRoot, "data-manifests");
  const files = names.length ? names.map((n) => path.join(dir, `${n}.json`)) : fetchableManifests(dir);
  let failed = 0;
  for (const file of files) {
    try {
      const m = loadManifest(file);
      if (!m.archive && !m.files.some((f) => f.url)) {
        process.stderr.write(`[fetch-data] ${m.name}: no download URL (bring-your-own data); skipped\n`);
        continue;
      }
      await fetchDataset(m, { force });
    } catch (e) {
      failed++;
      process.stderr.write(`fetch-data: ${(e as Error).message}\n`);
    }
  }
  return failed ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
