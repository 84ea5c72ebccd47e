/** Data manifests: schema validation, resolving the data root, checksum verification. */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { sha256 } from "../../lib/runtime/hash";
import { fromRoot } from "../../lib/runtime/paths";
import {
  checkSchema,
  ChecksumError,
  DatasetMissingError,
  isContainedRelativePath,
  loadManifest,
  ManifestError,
  resolveManifest,
  verifyManifest,
} from "../../lib/data/manifest";

const made: string[] = [];
const tmp = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "georepro-manifest-"));
  made.push(d);
  return d;
};
after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A small dataset folder + a valid manifest describing it. */
function fixture(files: Record<string, string> = { "a.tsv": "x\t1\n", "sub/b.txt": "hello\n" }) {
  const base = tmp();
  const root = path.join(base, "data", "toy");
  for (const [p, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.writeFileSync(path.join(root, p), text);
  }
  const manifest = {
    schemaVersion: 1,
    name: "toy",
    title: "Toy data",
    description: "made by the test",
    citation: "none",
    url: "none",
    license: null,
    synthetic: true,
    root: { searchPaths: ["elsewhere/toy", "data/toy"], env: "GEOREPRO_DATA_TOY" },
    files: Object.entries(files).map(([p, text]) => ({ path: p, size: Buffer.byteLength(text), sha256: sha256(text), format: "text" })),
  };
  const write = (obj: unknown, name = "toy.json"): string => {
    const f = path.join(base, name);
    fs.writeFileSync(f, typeof obj === "string" ? obj : JSON.stringify(obj, null, 2));
    return f;
  };
  return { base, root, manifest, write, file: write(manifest) };
}

test("the shipped GeoText manifest validates against schema.json", () => {
  const m = loadManifest(fromRoot("data-manifests/geotext.json"));
  assert.equal(m.name, "geotext");
  assert.equal(m.root.env, "GEOREPRO_DATA_GEOTEXT");
  assert.deepEqual(m.root.searchPaths, ["../shared/data/geotext", "data/geotext"]);
  assert.ok(m.files.some((f) => f.path === "dev.dat" && f.archivePath === "GeoText.2010-10-12/processed_data/dev.dat"));
  for (const f of m.files) assert.match(f.sha256 ?? "", /^[0-9a-f]{64}$/);
});

test("every manifest in data-manifests/ and data-manifests/templates/ validates against schema.json", () => {
  const dir = fromRoot("data-manifests");
  const list = (d: string): string[] =>
    fs.existsSync(d)
      ? fs
          .readdirSync(d)
          .filter((f) => f.endsWith(".json") && f !== "schema.json")
          .map((f) => path.join(d, f))
      : [];
  const files = [...list(dir), ...list(path.join(dir, "templates"))];
  assert.ok(files.includes(path.join(dir, "geotext.json")));
  for (const f of files) loadManifest(f);
});

test("loadManifest: errors name the manifest file and the field", () => {
  const fx = fixture();
  const cases: [unknown, RegExp][] = [
    [{ ...fx.manifest, name: undefined }, /toy-bad\.json: name: is required/],
    [{ ...fx.manifest, files: [{ ...fx.manifest.files[0], sha256: "ABC" }] }, /toy-bad\.json: files\[0\]\.sha256: "ABC" does not match/],
    [{ ...fx.manifest, files: [{ ...fx.manifest.files[0], size: -1 }] }, /files\[0\]\.size: must be ≥ 0/],
    [
      { ...fx.manifest, files: [{ ...fx.manifest.files[0], path: "../outside.txt" }] },
      /files\[0\]\.path: "\.\.\/outside\.txt" leaves its data folder/,
    ],
    [{ ...fx.manifest, files: [{ ...fx.manifest.files[0], colour: "red" }] }, /files\[0\]\.colour: unknown field/],
    [{ ...fx.manifest, files: [fx.manifest.files[0], fx.manifest.files[0]] }, /files\[1\]\.path: "a\.tsv" is listed twice/],
    [{ ...fx.manifest, root: { ...fx.manifest.root, env: "DATA" } }, /root\.env: "DATA" does not match/],
    [{ ...fx.manifest, schemaVersion: 2 }, /schemaVersion: must be 1/],
    [
      { ...fx.manifest, files: [{ ...fx.manifest.files[0], archivePath: "x/a.tsv" }] },
      /files\[0\]\.archivePath: given but the manifest has no "archive"/,
    ],
  ];
  for (const [obj, re] of cases) {
    const f = fx.write(obj, "toy-bad.json");
    assert.throws(
      () => loadManifest(f),
      (e: Error) => e instanceof ManifestError && re.test(e.message) && !e.message.includes("\n"),
      String(re),
    );
  }
});

test("a file path that leaves its folder is refused in words, not by a regular expression", () => {
  const fx = fixture();
  for (const bad of ["../../../../etc/passwd", "/etc/passwd", "a/../../b", "C:/x", "a//b"]) {
    const f = fx.write({ ...fx.manifest, files: [{ ...fx.manifest.files[0], path: bad }] }, "escape.json");
    assert.throws(
      () => loadManifest(f),
      (e: Error) => {
        assert.ok(e instanceof ManifestError);
        assert.equal(
          e.message,
          `${path.relative(process.cwd(), f).startsWith("..") ? e.message.split(":")[0] : e.message.split(":")[0]}: files[0].path: ${JSON.stringify(bad)} leaves its data folder or is not a plain relative path: use forward slashes, no leading '/', no drive letter, no '.', '..' or empty segments (a manifest may only name files inside its data root)`,
        );
        assert.ok(!/\(\?!|\^\(/.test(e.message), "no raw regular expression in the message");
        return true;
      },
      bad,
    );
  }
});

test("loadManifest: invalid JSON gives file:line:col", () => {
  const fx = fixture();
  const f = fx.write('{\n  "name": "toy",\n  oops\n}', "broken.json");
  assert.throws(() => loadManifest(f), /broken\.json:3:\d+: not valid JSON/);
  assert.throws(() => loadManifest(path.join(fx.base, "nope.json")), /nope\.json: cannot read the manifest/);
});

test("paths may not leave the data root", () => {
  for (const bad of ["../x", "a/../../x", "/etc/passwd", "a//b", "./a", "a\\b", "C:/x", ""])
    assert.equal(isContainedRelativePath(bad), false, bad);
  for (const ok of ["a", "a/b.txt", "..a", "a..b/c"]) assert.equal(isContainedRelativePath(ok), true, ok);
});

test("checkSchema: types, enum, nested $ref", () => {
  const root = {
    $defs: { n: { type: "integer", minimum: 1 } },
    type: "object",
    properties: { xs: { type: "array", items: { $ref: "#/$defs/n" } }, k: { enum: ["a", "b"] } },
  };
  assert.equal(checkSchema({ xs: [1, 2], k: "a" }, root, root), null);
  assert.deepEqual(checkSchema({ xs: [1, 0] }, root, root), { field: "xs[1]", problem: "must be ≥ 1 (got 0)" });
  assert.deepEqual(checkSchema({ xs: [1.5] }, root, root)?.field, "xs[0]");
  assert.match(checkSchema({ k: "c" }, root, root)!.problem, /one of "a", "b"/);
});

test("resolveManifest: search paths in order, first complete folder wins; env override is the only place looked", () => {
  const fx = fixture();
  const m = loadManifest(fx.file);
  const r = resolveManifest(m, { baseDir: fx.base, env: {} });
  assert.equal(r.root, fx.root);
  assert.equal(r.foundBy, "search path data/toy");
  assert.equal(r.files["sub/b.txt"], path.join(fx.root, "sub", "b.txt"));
  // an incomplete earlier candidate is skipped
  fs.mkdirSync(path.join(fx.base, "elsewhere", "toy"), { recursive: true });
  fs.writeFileSync(path.join(fx.base, "elsewhere", "toy", "a.tsv"), "x\t1\n");
  assert.equal(resolveManifest(m, { baseDir: fx.base, env: {} }).root, fx.root);
  // env override
  const other = tmp();
  assert.throws(
    () => resolveManifest(m, { baseDir: fx.base, env: { GEOREPRO_DATA_TOY: other } }),
    (e: Error) =>
      e instanceof DatasetMissingError &&
      e.message.includes(other) &&
      e.message.includes("missing a.tsv, sub/b.txt") &&
      !e.message.includes("data/toy ("),
  );
});

test("resolveManifest: missing data → one line naming where it looked and how to get it", () => {
  const fx = fixture();
  const m = loadManifest(fx.file);
  fs.rmSync(fx.root, { recursive: true });
  try {
    resolveManifest(m, { baseDir: fx.base, env: {} });
    assert.fail("expected DatasetMissingError");
  } catch (e) {
    assert.ok(e instanceof DatasetMissingError);
    const msg = (e as Error).message;
    assert.ok(!msg.includes("\n"), "one line");
    assert.match(msg, /^toy: dataset not found; looked in /);
    assert.ok(msg.includes(path.join(fx.base, "elsewhere", "toy") + " (no such folder)"));
    assert.ok(msg.includes(path.join(fx.base, "data", "toy") + " (no such folder)"));
    assert.match(msg, /set GEOREPRO_DATA_TOY=/);
    assert.deepEqual((e as DatasetMissingError).looked.length, 2);
  }
});

test("resolveManifest: a symlink that escapes the data root is refused", () => {
  const fx = fixture();
  const outside = path.join(fx.base, "secret.txt");
  fs.writeFileSync(outside, "x\t1\n");
  fs.rmSync(path.join(fx.root, "a.tsv"));
  fs.symlinkSync(outside, path.join(fx.root, "a.tsv"));
  assert.throws(
    () => resolveManifest(loadManifest(fx.file), { baseDir: fx.base, env: {} }),
    /a\.tsv: resolves to .*secret\.txt, outside the data root/,
  );
});

test("verifyManifest: checksums returned; one changed byte → one-line error naming the file", () => {
  const fx = fixture();
  const m = loadManifest(fx.file);
  const v = verifyManifest(resolveManifest(m, { baseDir: fx.base, env: {} }));
  assert.equal(v.checksums["a.tsv"], sha256("x\t1\n"));
  assert.deepEqual(v.unpinned, []);
  // same size, one byte different (mtime changes, so the memo cannot hide it)
  const target = path.join(fx.root, "sub", "b.txt");
  fs.writeFileSync(target, "hellO\n");
  const future = new Date(Date.now() + 5000);
  fs.utimesSync(target, future, future);
  assert.throws(
    () => verifyManifest(resolveManifest(m, { baseDir: fx.base, env: {} })),
    (e: Error) =>
      e instanceof ChecksumError &&
      e.message.includes(target) &&
      /sha256 [0-9a-f]{64} ≠ manifest/.test(e.message) &&
      !e.message.includes("\n"),
  );
  fs.writeFileSync(target, "hello!!\n");
  assert.throws(() => verifyManifest(resolveManifest(m, { baseDir: fx.base, env: {} })), /b\.txt: size 8 bytes, manifest says 6/);
});

test("verifyManifest: unpinned files (user-brought data) are hashed and reported, not failed", () => {
  const fx = fixture();
  const obj = { ...fx.manifest, files: fx.manifest.files.map((f) => ({ ...f, size: null, sha256: null })) };
  const m = loadManifest(fx.write(obj, "unpinned.json"));
  const v = verifyManifest(resolveManifest(m, { baseDir: fx.base, env: {} }));
  assert.deepEqual(v.unpinned, ["a.tsv", "sub/b.txt"]);
  assert.equal(v.checksums["sub/b.txt"], sha256("hello\n"));
});
