/**
 * `make data` (scripts/fetch-data.ts) against a local HTTP server on loopback
 * serving archives the test builds: redirects, extraction, verification,
 * refusal of path traversal, unreachable network, wrong checksums.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import type { AddressInfo } from "node:net";
import * as tar from "tar";
import { createHash } from "node:crypto";
import { sha256 } from "../../lib/runtime/hash";
import { fromRoot } from "../../lib/runtime/paths";
import { ChecksumError, gitBlobId, loadManifest, resolveManifest, verifyManifest } from "../../lib/data/manifest";
import { fetchDataset, FetchError } from "../../scripts/fetch-data";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "georepro-fetch-"));
const FILES: Record<string, string> = {
  "Toy-1/processed/a.tsv": "USER_1\t40.5\t-73.9\n",
  "Toy-1/processed/b.dat": "1 40.5 -73.9 1:2\n",
  "Toy-1/README.txt": "toy corpus\n",
  "Toy-1/full_text.txt": "not in the manifest\n",
};
const archives: Record<string, Buffer> = {};
/** Files served one by one (the per-file manifests: GeoText raw, Flickr Vienna), at /raw/<commit>/<path>. */
const RAW: Record<string, Buffer> = {
  "/raw/abc123/data/photos.csv": Buffer.from("id,owner\n1,o1\n"),
  "/raw/abc123/data/pois.csv": Buffer.from("title;geo_latitude;geo_longitude\nA;48,2;16,3\n", "latin1"),
  "/raw/abc123/datasets/cmu/user_info.train.gz": Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
  // What a tampering proxy (or a moved commit) sends instead of pois.csv:
  "/tampered/data/pois.csv": Buffer.from("title;geo_latitude;geo_longitude\nA;48,2;16,4\n", "latin1"),
};
let server: http.Server;
let base = "";

async function buildArchive(
  name: string,
  files: Record<string, string>,
  opts: { preservePaths?: boolean; cwdSub?: string } = {},
): Promise<void> {
  const src = path.join(work, `src-${name}`);
  for (const [p, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(src, p)), { recursive: true });
    fs.writeFileSync(path.join(src, p), text);
  }
  const out = path.join(work, `${name}.tgz`);
  const cwd = opts.cwdSub ? path.join(src, opts.cwdSub) : src;
  fs.mkdirSync(cwd, { recursive: true });
  const entries = Object.keys(files).map((p) => path.relative(cwd, path.join(src, p)));
  await tar.c({ gzip: true, file: out, cwd, portable: true, preservePaths: opts.preservePaths ?? false }, entries);
  archives[name] = fs.readFileSync(out);
}

before(async () => {
  await buildArchive("good", FILES);
  // an entry "../evil.txt": built from a subfolder with preservePaths so the '..' survives
  await buildArchive("evil", { "inner/ok.txt": "ok\n", "evil.txt": "escaped\n" }, { preservePaths: true, cwdSub: "inner" });
  server = http.createServer((req, res) => {
    const url = req.url ?? "";
    if (url === "/moved") return void res.writeHead(302, { location: "/again" }).end();
    if (url === "/again") return void res.writeHead(301, { location: `${base}/good.tgz` }).end();
    if (RAW[url]) return void res.writeHead(200, { "content-type": "application/octet-stream" }).end(RAW[url]);
    const m = /^\/(\w+)\.tgz$/.exec(url);
    if (m && archives[m[1]]) return void res.writeHead(200, { "content-type": "application/gzip" }).end(archives[m[1]]);
    res.writeHead(404).end("not found");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.close();
  fs.rmSync(work, { recursive: true, force: true });
});

/** A project folder with a manifest for the toy archive. */
function project(url: string, edit: (m: Record<string, any>) => void = () => {}): { dir: string; manifestFile: string } {
  const dir = fs.mkdtempSync(path.join(work, "proj-"));
  const listed = ["Toy-1/processed/a.tsv", "Toy-1/processed/b.dat", "Toy-1/README.txt"];
  const m: Record<string, any> = {
    schemaVersion: 1,
    name: "toy",
    title: "Toy",
    description: "built by the test",
    citation: "none",
    url: "none",
    license: null,
    synthetic: true,
    root: { searchPaths: ["shared/toy", "data/toy"], env: "GEOREPRO_DATA_TOY", fetchTo: "data/toy" },
    archive: { url, format: "tar.gz", size: null, sha256: null },
    files: listed.map((a) => ({
      path: path.posix.basename(a),
      archivePath: a,
      size: Buffer.byteLength(FILES[a]),
      sha256: sha256(FILES[a]),
      format: "text",
    })),
  };
  edit(m);
  const manifestFile = path.join(dir, "toy.json");
  fs.writeFileSync(manifestFile, JSON.stringify(m));
  return { dir, manifestFile };
}

const quiet = { env: {}, log: () => {} };

test("fetch: follows redirects, extracts, verifies, places files; unlisted files kept under unverified/", async () => {
  const p = project(`${base}/moved`);
  const lines: string[] = [];
  const r = await fetchDataset(loadManifest(p.manifestFile), { baseDir: p.dir, env: {}, log: (l) => lines.push(l) });
  assert.equal(r.status, "fetched");
  const dest = path.join(p.dir, "data", "toy");
  assert.equal(r.verified.root, dest);
  assert.equal(fs.readFileSync(path.join(dest, "a.tsv"), "utf8"), FILES["Toy-1/processed/a.tsv"]);
  assert.equal(fs.readFileSync(path.join(dest, "README.txt"), "utf8"), FILES["Toy-1/README.txt"]);
  assert.deepEqual(r.unverified, ["Toy-1/full_text.txt"]);
  assert.ok(fs.existsSync(path.join(dest, "unverified", "Toy-1", "full_text.txt")));
  assert.ok(lines.some((l) => l.includes("redirect 302")) && lines.some((l) => l.includes("redirect 301")), lines.join("\n"));
  assert.deepEqual(fs.readdirSync(path.join(p.dir, "data")).sort(), ["toy"], "no temp folders left behind");
  // a second run finds it present and does nothing
  const again = await fetchDataset(loadManifest(p.manifestFile), { baseDir: p.dir, ...quiet });
  assert.equal(again.status, "present");
});

test("fetch: a file at another place in the archive is found by name + checksum and reported", async () => {
  const p = project(`${base}/good.tgz`, (m) => (m.files[0].archivePath = "Toy-1/elsewhere/a.tsv"));
  const r = await fetchDataset(loadManifest(p.manifestFile), { baseDir: p.dir, ...quiet });
  assert.deepEqual(r.relocated, [{ path: "a.tsv", foundAt: "Toy-1/processed/a.tsv" }]);
});

test("fetch: a checksum mismatch is one line naming the file, and nothing is placed", async () => {
  const p = project(`${base}/good.tgz`, (m) => (m.files[1].sha256 = "0".repeat(64)));
  await assert.rejects(
    fetchDataset(loadManifest(p.manifestFile), { baseDir: p.dir, ...quiet }),
    (e: Error) =>
      e instanceof ChecksumError &&
      /Toy-1\/processed\/b\.dat .*sha256 [0-9a-f]{64} ≠ manifest 0{64} \(file b\.dat\)/.test(e.message) &&
      !e.message.includes("\n"),
  );
  assert.ok(!fs.existsSync(path.join(p.dir, "data", "toy")), "nothing placed");
  assert.deepEqual(fs.readdirSync(path.join(p.dir, "data")), [], "temp folder removed");
});

test("fetch: an archive entry with '..' is refused (path traversal) before extraction", async () => {
  const p = project(`${base}/evil.tgz`);
  await assert.rejects(
    fetchDataset(loadManifest(p.manifestFile), { baseDir: p.dir, ...quiet }),
    (e: Error) => e instanceof FetchError && /refusing to extract \(path traversal\): "\.\.\/evil\.txt"/.test(e.message),
  );
  assert.ok(!fs.existsSync(path.join(p.dir, "data", "evil.txt")) && !fs.existsSync(path.join(work, "evil.txt")));
});

test("fetch: unreachable network → one line saying where to put the files by hand", async () => {
  const closed = http.createServer();
  await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const p = project(`http://127.0.0.1:${port}/x.tgz`);
  await assert.rejects(fetchDataset(loadManifest(p.manifestFile), { baseDir: p.dir, ...quiet }), (e: Error) => {
    assert.ok(e instanceof FetchError);
    assert.match(
      e.message,
      /^toy: cannot download http:\/\/127\.0\.0\.1:\d+\/x\.tgz: network unreachable \(ECONNREFUSED\); put a\.tsv, b\.dat, README\.txt \(from none\) into .*data\/toy\/ by hand, or set GEOREPRO_DATA_TOY=/,
    );
    assert.ok(!e.message.includes("\n"));
    return true;
  });
});

test("fetch: HTTP 404 and a missing archive member are clear errors", async () => {
  const p = project(`${base}/nothing.tgz`);
  await assert.rejects(
    fetchDataset(loadManifest(p.manifestFile), { baseDir: p.dir, ...quiet }),
    /cannot download .*nothing\.tgz: HTTP 404/,
  );
  const q = project(`${base}/good.tgz`, (m) =>
    m.files.push({ path: "c.txt", archivePath: "Toy-1/c.txt", size: 1, sha256: "1".repeat(64), format: "text" }),
  );
  await assert.rejects(
    fetchDataset(loadManifest(q.manifestFile), { baseDir: q.dir, ...quiet }),
    /the archive from .*good\.tgz has no Toy-1\/c\.txt/,
  );
});

// ---- per-file downloads (files[].url), verified by sha256 and by git blob id -------------------------------------

/** git hash-object of bytes, computed independently of lib/data/manifest.ts. */
const blobOf = (b: Buffer) =>
  createHash("sha1")
    .update(Buffer.concat([Buffer.from(`blob ${b.length}\0`), b]))
    .digest("hex");

function perFileProject(edit: (m: Record<string, any>) => void = () => {}): { dir: string; manifestFile: string } {
  const dir = fs.mkdtempSync(path.join(work, "files-"));
  const photos = RAW["/raw/abc123/data/photos.csv"];
  const pois = RAW["/raw/abc123/data/pois.csv"];
  const train = RAW["/raw/abc123/datasets/cmu/user_info.train.gz"];
  const m: Record<string, any> = {
    schemaVersion: 1,
    name: "perfile",
    title: "Per-file",
    description: "files fetched one by one",
    citation: "none",
    url: "none",
    license: null,
    synthetic: false,
    root: { searchPaths: ["shared/perfile", "data/perfile"], env: "GEOREPRO_DATA_PERFILE", fetchTo: "data/perfile" },
    files: [
      // sha256 and blob pinned (Flickr Vienna's case)
      {
        path: "photos.csv",
        size: photos.length,
        sha256: sha256(photos),
        gitBlob: blobOf(photos),
        url: `${base}/raw/abc123/data/photos.csv`,
        format: "text",
      },
      // only the git blob id pinned (GeoText raw's training folds: a repository lists blob ids)
      { path: "pois.csv", size: null, sha256: null, gitBlob: blobOf(pois), url: `${base}/raw/abc123/data/pois.csv`, format: "text" },
      // optional, blob only
      {
        path: "user_info.train.gz",
        size: null,
        sha256: null,
        gitBlob: blobOf(train),
        url: `${base}/raw/abc123/datasets/cmu/user_info.train.gz`,
        optional: true,
        format: "text",
      },
      // optional without a URL (a note written for a shared copy)
      { path: "README.md", size: null, sha256: null, optional: true, format: "text" },
    ],
  };
  edit(m);
  const manifestFile = path.join(dir, "perfile.json");
  fs.writeFileSync(manifestFile, JSON.stringify(m));
  return { dir, manifestFile };
}

test("fetch per file: each file downloaded from its pinned URL, verified by sha256 and git blob id, then placed; optional files too", async () => {
  const p = perFileProject();
  const lines: string[] = [];
  const r = await fetchDataset(loadManifest(p.manifestFile), { baseDir: p.dir, env: {}, log: (l) => lines.push(l) });
  assert.equal(r.status, "fetched");
  const dest = path.join(p.dir, "data", "perfile");
  assert.deepEqual(fs.readdirSync(dest).sort(), ["photos.csv", "pois.csv", "user_info.train.gz"]);
  assert.ok(fs.readFileSync(path.join(dest, "pois.csv")).equals(RAW["/raw/abc123/data/pois.csv"]));
  assert.ok(
    lines.some((l) => l === "perfile: photos.csv: verified (size, sha256, git blob id)"),
    lines.join("\n"),
  );
  assert.ok(
    lines.some((l) => l === "perfile: pois.csv: verified (git blob id)"),
    lines.join("\n"),
  );
  assert.ok(lines.some((l) => /README\.md: no URL \(optional\); not fetched/.test(l)));
  assert.deepEqual(r.verified.absentOptional, ["README.md"]);
  assert.deepEqual(fs.readdirSync(path.join(p.dir, "data")), ["perfile"], "no temp folders left behind");
  // gitBlobId agrees with git's own definition
  assert.equal(gitBlobId(Buffer.from("hello\n")), "ce013625030ba8dba906f756967f9e9ca394464a");
  const again = await fetchDataset(loadManifest(p.manifestFile), { baseDir: p.dir, ...quiet });
  assert.equal(again.status, "present");
});

test("fetch per file: a tampered file is refused in one line that says what to do, and nothing is placed", async () => {
  const p = perFileProject((m) => (m.files[1].url = `${base}/tampered/data/pois.csv`));
  await assert.rejects(fetchDataset(loadManifest(p.manifestFile), { baseDir: p.dir, ...quiet }), (e: Error) => {
    assert.ok(e instanceof ChecksumError);
    assert.match(
      e.message,
      /^perfile: pois\.csv from http:\/\/127\.0\.0\.1:\d+\/tampered\/data\/pois\.csv: git blob id [0-9a-f]{40} ≠ manifest [0-9a-f]{40}; nothing was placed; the server sent another file than the manifest pins .* check the URL in .*perfile\.json, or put a copy you trust into .*data\/perfile\/ by hand/,
    );
    assert.ok(!e.message.includes("\n"));
    return true;
  });
  assert.ok(!fs.existsSync(path.join(p.dir, "data", "perfile")), "nothing placed");
  // a wrong sha256 is refused the same way
  const q = perFileProject((m) => (m.files[0].sha256 = "0".repeat(64)));
  await assert.rejects(
    fetchDataset(loadManifest(q.manifestFile), { baseDir: q.dir, ...quiet }),
    /photos\.csv from .*: sha256 [0-9a-f]{64} ≠ manifest 0{64}; nothing was placed/,
  );
  // and a file already on disk that was changed after download fails verification with a re-fetch command
  const ok = perFileProject();
  await fetchDataset(loadManifest(ok.manifestFile), { baseDir: ok.dir, ...quiet });
  fs.appendFileSync(path.join(ok.dir, "data", "perfile", "pois.csv"), "B;1;1\n");
  assert.throws(
    () => verifyManifest(resolveManifest(loadManifest(ok.manifestFile), { baseDir: ok.dir, env: {} })),
    /pois\.csv: git blob id [0-9a-f]{40} ≠ manifest [0-9a-f]{40}; .*re-fetch it with `make data` \(node dist\/scripts\/fetch-data\.js perfile --force\)/,
  );
});

test("fetch per file: an optional file that does not download is skipped with a line; a required one fails with where to put it", async () => {
  const p = perFileProject((m) => (m.files[2].url = `${base}/raw/abc123/missing.gz`));
  const lines: string[] = [];
  const r = await fetchDataset(loadManifest(p.manifestFile), { baseDir: p.dir, env: {}, log: (l) => lines.push(l) });
  assert.equal(r.status, "fetched");
  assert.ok(
    lines.some((l) => /user_info\.train\.gz \(optional\) not fetched: HTTP 404 .*usable without it/.test(l)),
    lines.join("\n"),
  );
  const q = perFileProject((m) => (m.files[0].url = `${base}/raw/abc123/gone.csv`));
  await assert.rejects(
    fetchDataset(loadManifest(q.manifestFile), { baseDir: q.dir, ...quiet }),
    /perfile: cannot download .*gone\.csv: HTTP 404 .*; put photos\.csv, pois\.csv .* into .*data\/perfile\/ by hand, or set GEOREPRO_DATA_PERFILE=/,
  );
});

test("resolve: a folder that also holds the optional files wins over an earlier one without them", async () => {
  const p = perFileProject();
  await fetchDataset(loadManifest(p.manifestFile), { baseDir: p.dir, ...quiet });
  const shared = path.join(p.dir, "shared", "perfile");
  fs.mkdirSync(shared, { recursive: true });
  for (const f of ["photos.csv", "pois.csv"]) fs.copyFileSync(path.join(p.dir, "data", "perfile", f), path.join(shared, f));
  const v = resolveManifest(loadManifest(p.manifestFile), { baseDir: p.dir, env: {} });
  assert.equal(v.root, path.join(p.dir, "data", "perfile"));
  fs.rmSync(path.join(p.dir, "data", "perfile", "user_info.train.gz"));
  assert.equal(
    resolveManifest(loadManifest(p.manifestFile), { baseDir: p.dir, env: {} }).root,
    shared,
    "without the optional file the first search path wins again",
  );
});

test("every real manifest of the project knows a download: an archive or a pinned URL per required file", () => {
  const dir = fromRoot("data-manifests");
  const real = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json") && f !== "schema.json")
    .map((f) => loadManifest(path.join(dir, f)))
    .filter((m) => !m.synthetic);
  assert.deepEqual(real.map((m) => m.name).sort(), ["flickr-vienna", "geotext", "geotext-raw"]);
  for (const m of real) {
    if (m.archive) continue;
    for (const f of m.files.filter((x) => !x.optional)) {
      assert.match(
        f.url ?? "",
        /^https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/[0-9a-f]{40}\//,
        `${m.name}: ${f.path}: a URL pinned to a commit`,
      );
      assert.ok(f.sha256 || f.gitBlob, `${m.name}: ${f.path}: a checksum to verify the download`);
    }
  }
  const raw = real.find((m) => m.name === "geotext-raw")!;
  const train = raw.files.find((f) => f.path === "user_info.train.gz")!;
  assert.equal(train.optional, true);
  assert.equal(train.gitBlob, "5d80dc371c02e04b5fe7468ab3935dd251e89f21");
});
