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
import { sha256 } from "../../lib/runtime/hash";
import { ChecksumError, loadManifest } from "../../lib/data/manifest";
import { fetchDataset, FetchError } from "../../scripts/fetch-data";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "georepro-fetch-"));
const FILES: Record<string, string> = {
  "Toy-1/processed/a.tsv": "USER_1\t40.5\t-73.9\n",
  "Toy-1/processed/b.dat": "1 40.5 -73.9 1:2\n",
  "Toy-1/README.txt": "toy corpus\n",
  "Toy-1/full_text.txt": "not in the manifest\n",
};
const archives: Record<string, Buffer> = {};
let server: http.Server;
let base = "";

async function buildArchive(name: string, files: Record<string, string>, opts: { preservePaths?: boolean; cwdSub?: string } = {}): Promise<void> {
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
    files: listed.map((a) => ({ path: path.posix.basename(a), archivePath: a, size: Buffer.byteLength(FILES[a]), sha256: sha256(FILES[a]), format: "text" })),
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
    (e: Error) => e instanceof ChecksumError && /Toy-1\/processed\/b\.dat .*sha256 [0-9a-f]{64} ≠ manifest 0{64} \(file b\.dat\)/.test(e.message) && !e.message.includes("\n"),
  );
  assert.ok(!fs.existsSync(path.join(p.dir, "data", "toy")), "nothing placed");
  assert.deepEqual(fs.readdirSync(path.join(p.dir, "data")), [], "temp folder removed");
});

test("fetch: an archive entry with '..' is refused (path traversal) before extraction", async () => {
  const p = project(`${base}/evil.tgz`);
  await assert.rejects(fetchDataset(loadManifest(p.manifestFile), { baseDir: p.dir, ...quiet }), (e: Error) => e instanceof FetchError && /refusing to extract \(path traversal\): "\.\.\/evil\.txt"/.test(e.message));
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
    assert.match(e.message, /^toy: cannot download http:\/\/127\.0\.0\.1:\d+\/x\.tgz: network unreachable \(ECONNREFUSED\); put a\.tsv, b\.dat, README\.txt \(from none\) into .*data\/toy\/ by hand, or set GEOREPRO_DATA_TOY=/);
    assert.ok(!e.message.includes("\n"));
    return true;
  });
});

test("fetch: HTTP 404 and a missing archive member are clear errors", async () => {
  const p = project(`${base}/nothing.tgz`);
  await assert.rejects(fetchDataset(loadManifest(p.manifestFile), { baseDir: p.dir, ...quiet }), /cannot download .*nothing\.tgz: HTTP 404/);
  const q = project(`${base}/good.tgz`, (m) => m.files.push({ path: "c.txt", archivePath: "Toy-1/c.txt", size: 1, sha256: "1".repeat(64), format: "text" }));
  await assert.rejects(fetchDataset(loadManifest(q.manifestFile), { baseDir: q.dir, ...quiet }), /the archive from .*good\.tgz has no Toy-1\/c\.txt/);
});
