/**
 * GeoText loader. Format tests run on small text the test writes; the rest run
 * on the real copy found through the manifest (skipped, with the reason, on a
 * machine without it). Tampered copies are built in a temp dir.
 */
import { after, test } from "node:test";
import { testNeeding } from "../support/requires";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { sha256File } from "../../lib/runtime/hash";
import { fromRoot } from "../../lib/runtime/paths";
import { ChecksumError, DatasetMissingError, loadManifest, RecordError, resolveManifest } from "../../lib/data/manifest";
import { geotextFold, geotextSplit, loadGeoText, parseLda, parseUserInfo, parseVocab } from "../../lib/data/geotext";

const MANIFEST = fromRoot("data-manifests/geotext.json");
const made: string[] = [];
const tmpDir = (prefix: string): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
};
after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** The real copy's folder, or null with why. */
function realRoot(): { root: string } | { skip: string } {
  try {
    return { root: resolveManifest(loadManifest(MANIFEST)).root };
  } catch (e) {
    if (e instanceof DatasetMissingError) return { skip: `GeoText is not on this machine (${e.message})` };
    throw e;
  }
}
const real = realRoot();
const skipReal = "skip" in real ? real.skip : false;

/** Copy the real files into a temp folder, apply `edit`, and (optionally) write a manifest with the new checksums. */
function tamperedCopy(edit: (dir: string) => void, repin: boolean): { dir: string; manifestFile: string } {
  const base = tmpDir("georepro-geotext-");
  const dir = path.join(base, "geotext");
  fs.mkdirSync(dir);
  const m = JSON.parse(fs.readFileSync(MANIFEST, "utf8"));
  for (const f of m.files) {
    fs.copyFileSync(path.join((real as { root: string }).root, f.path), path.join(dir, f.path));
    fs.chmodSync(path.join(dir, f.path), 0o644);
  }
  edit(dir);
  if (repin)
    for (const f of m.files)
      Object.assign(f, { size: fs.statSync(path.join(dir, f.path)).size, sha256: sha256File(path.join(dir, f.path)) });
  const manifestFile = path.join(base, "geotext.json");
  fs.writeFileSync(manifestFile, JSON.stringify(m));
  return { dir, manifestFile };
}

const replaceLine = (file: string, lineNo: number, f: (line: string) => string): void => {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  lines[lineNo - 1] = f(lines[lineNo - 1]);
  fs.writeFileSync(file, lines.join("\n"));
};

// ---------------------------------------------------------------- formats on small text

test("folds: userID % 5 with 0 → 5; folds 1-3 train, 4 dev, 5 test", () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 9, 10].map(geotextFold), [1, 2, 3, 4, 5, 1, 4, 5]);
  assert.deepEqual([1, 2, 3, 4, 5].map(geotextSplit), ["train", "train", "train", "dev", "test"]);
});

test("parseLda: 1-based ids become 0-based vocab indices, sorted; bad lines give file:line: field", () => {
  const rows = parseLda("2 40.5 -73.9 3:2 1:5\n0 1 2\n", "x.dat", 3);
  assert.deepEqual([...rows[0].words], [0, 2]);
  assert.deepEqual([...rows[0].counts], [5, 2]);
  assert.equal(rows[0].tokens, 7);
  assert.equal(rows[1].words.length, 0);
  assert.throws(() => parseLda("1 40 -73 1:1\n2 40 -73 1:1\n", "x.dat", 3), /^RecordError: x\.dat:2: N: says 2 pairs but the line has 1$/);
  assert.throws(() => parseLda("1 40 -73 0:1\n", "x.dat", 3), /x\.dat:1: pair 1: word id 0 outside 1\.\.3/);
  assert.throws(() => parseLda("1 40 -73 4:1\n", "x.dat", 3), /x\.dat:1: pair 1: word id 4 outside 1\.\.3/);
  assert.throws(() => parseLda("1 40 -73 2-1\n", "x.dat", 3), /x\.dat:1: pair 1: expected wordId:count/);
  assert.throws(() => parseLda("2 40 -73 2:1 2:3\n", "x.dat", 3), /x\.dat:1: pair 2: word id 2 repeated/);
  assert.throws(() => parseLda("1 95 -73 2:1\n", "x.dat", 3), /x\.dat:1: lat: 95 is outside/);
  assert.throws(() => parseLda("1 40 abc 2:1\n", "x.dat", 3), /x\.dat:1: lon: not a number/);
});

test("parseUserInfo / parseVocab: records and errors", () => {
  assert.deepEqual(parseUserInfo("USER_a\t1.5\t-2\n", "u")[0], { id: "USER_a", lat: 1.5, lon: -2, latText: "1.5", lonText: "-2" });
  assert.throws(() => parseUserInfo("USER_a\t1.5\n", "u"), /^RecordError: u:1: line: expected 3 tab-separated fields/);
  assert.throws(() => parseUserInfo("USER_a\t1\t2\n\nUSER_b\t1\t2\n", "u"), /u:2: line: expected 3/);
  assert.deepEqual(parseVocab("a\t3\t2\nb\t1\t1\n", "v")[1], { word: "b", wordCount: 1, docCount: 1 });
  assert.throws(() => parseVocab("a\t3\t2\na\t1\t1\n", "v"), /v:2: word: "a" already on line 1/);
  assert.throws(() => parseVocab("a\t3\t4\n", "v"), /v:1: docCount: 4 exceeds wordCount 3/);
  assert.throws(() => parseVocab("a\tx\t1\n", "v"), /v:1: wordCount: not a non-negative integer/);
});

test("loadGeoText returns null and says why when the data is absent", async () => {
  const empty = tmpDir("georepro-empty-");
  let reason = "";
  const c = await loadGeoText({ env: { GEOREPRO_DATA_GEOTEXT: empty }, onMissing: (r) => (reason = r) });
  assert.equal(c, null);
  assert.ok(reason.includes(empty) && reason.includes("make data") && reason.includes("GEOREPRO_DATA_GEOTEXT"), reason);
});

// ---------------------------------------------------------------- the real copy

testNeeding("real GeoText: users, folds, vocabulary, the missing last test line", skipReal, async () => {
  const c = (await loadGeoText())!;
  assert.ok(c);
  assert.equal(c.users.length, 9475);
  assert.equal(c.vocab.length, 5216);
  assert.equal(c.vocab[0].word, "-PUNCT-");
  assert.deepEqual(c.report.splits, {
    train: { users: 5685, withCounts: 0 },
    dev: { users: 1895, withCounts: 1895 },
    test: { users: 1895, withCounts: 1894 },
  });
  assert.deepEqual(
    c.report.usersWithoutCounts.map((u) => [u.id, u.index, u.split]),
    [["USER_8c704efa", 9475, "test"]],
  );
  const u4 = c.users[3];
  assert.deepEqual([u4.index, u4.fold, u4.split], [4, 4, "dev"]);
  assert.equal(u4.id, "USER_4659ef22"); // user_info.dev line 1
  assert.ok(u4.words && u4.words.length === 259, "first dev.dat line has N = 259");
  assert.equal(c.users.filter((u) => u.split === "train" && u.words).length, 0);
  assert.deepEqual(Object.keys(c.checksums).sort(), [
    "README.txt",
    "dev.dat",
    "test.dat",
    "user_info",
    "user_info.dev",
    "user_info.test",
    "user_info.train",
    "vocab_wc_dc",
  ]);
});

testNeeding("real GeoText: word ids are 1-based (no dev+test count exceeds the corpus-wide wordCount/docCount)", skipReal, async () => {
  const c = (await loadGeoText())!;
  const tot = new Float64Array(c.vocab.length);
  const docs = new Float64Array(c.vocab.length);
  for (const u of c.users) {
    if (!u.words || !u.counts) continue;
    for (let k = 0; k < u.words.length; k++) {
      tot[u.words[k]] += u.counts[k];
      docs[u.words[k]] += 1;
    }
  }
  let over = 0;
  let overShifted = 0;
  for (let i = 0; i < c.vocab.length; i++) {
    if (tot[i] > c.vocab[i].wordCount || docs[i] > c.vocab[i].docCount) over++;
    // the 0-based reading would pair counts of file id i+1 with vocab line i+1 (our index i+1)
    if (i + 1 < c.vocab.length && (tot[i] > c.vocab[i + 1].wordCount || docs[i] > c.vocab[i + 1].docCount)) overShifted++;
  }
  assert.equal(over, 0);
  assert.ok(overShifted > 500, `the 0-based reading violates the totals for ${overShifted} words`);
});

testNeeding("real GeoText, tampered: one changed byte → one-line checksum error naming the file", skipReal, async () => {
  const { dir } = tamperedCopy((d) => {
    const f = path.join(d, "dev.dat");
    const buf = fs.readFileSync(f);
    buf[1000] = buf[1000] === 0x31 ? 0x32 : 0x31;
    fs.writeFileSync(f, buf);
  }, false);
  await assert.rejects(
    loadGeoText({ env: { GEOREPRO_DATA_GEOTEXT: dir } }),
    (e: Error) => e instanceof ChecksumError && e.message.includes(path.join(dir, "dev.dat")) && !e.message.includes("\n"),
  );
});

testNeeding("real GeoText, malformed line (checksums re-pinned) → file:line: field", skipReal, async () => {
  const { dir, manifestFile } = tamperedCopy(
    (d) => replaceLine(path.join(d, "test.dat"), 7, (l) => l.replace(/ (\d+):(\d+)/, " $1;$2")),
    true,
  );
  await assert.rejects(loadGeoText({ manifestFile, env: { GEOREPRO_DATA_GEOTEXT: dir } }), (e: Error) => {
    assert.ok(e instanceof RecordError, e.message);
    assert.match(e.message, new RegExp(`${path.join(dir, "test.dat").replace(/[.]/g, "\\.")}:7: pair 1: expected wordId:count`));
    return true;
  });
});

testNeeding("real GeoText, misaligned coordinates between dev.dat and user_info.dev → loud error", skipReal, async () => {
  const { dir, manifestFile } = tamperedCopy(
    (d) => replaceLine(path.join(d, "dev.dat"), 12, (l) => l.replace(/^(\d+) (\S+)/, "$1 10.5")),
    true,
  );
  await assert.rejects(
    loadGeoText({ manifestFile, env: { GEOREPRO_DATA_GEOTEXT: dir } }),
    /dev\.dat:12: lat\/lon: 10\.5 .* ≠ .*user_info\.dev line 12 .*misaligned/,
  );
});

testNeeding("real GeoText, split file disagreeing with the fold rule → loud error", skipReal, async () => {
  const { dir, manifestFile } = tamperedCopy((d) => {
    const f = path.join(d, "user_info.dev");
    const lines = fs.readFileSync(f, "utf8").split("\n");
    [lines[0], lines[1]] = [lines[1], lines[0]];
    fs.writeFileSync(f, lines.join("\n"));
  }, true);
  await assert.rejects(
    loadGeoText({ manifestFile, env: { GEOREPRO_DATA_GEOTEXT: dir } }),
    /user_info\.dev:1: id: USER_01b8a291 .* ≠ user_info line 4 .*fold rule/,
  );
});
