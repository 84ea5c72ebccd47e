import { test } from "node:test";
import assert from "node:assert/strict";
import { parseGeoTextRaw, crossCheckGeoText, loadGeoTextRaw } from "../../lib/data/geotext-raw";
import { testNeeding } from "../support/requires";
import { DatasetMissingError, loadManifest, resolveManifest } from "../../lib/data/manifest";
import { loadGeoText } from "../../lib/data/geotext";
import { fromRoot } from "../../lib/runtime/paths";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { buildCorpus } from "../../lib/localwords/corpus";
import { OFFICIAL_FOLDS, OFFICIAL_TRAIN_FOLDS, splitUsers } from "../../lib/localwords/datasets";

test("raw GeoText lines parse as id, coordinates and tweets; Latin-1 text survives; bad records name file:line: field", () => {
  // "caf\xe9" is Latin-1 for café: decoding the bytes as latin1 keeps it.
  const text = Buffer.from(
    "USER_1\t40.5\t-73.9\tHello New York ||| caf\xe9 time |||  ||| bye\nUSER_2\t34.0\t-118.2\tLA love\n",
    "latin1",
  ).toString("latin1");
  const r = parseGeoTextRaw(text, "dev.gz", 4);
  assert.deepEqual(
    r.users.map((u) => [u.id, u.fold, u.lat, u.lon, u.tweets]),
    [
      ["USER_1", 4, 40.5, -73.9, ["Hello New York", "café time", "bye"]],
      ["USER_2", 4, 34, -118.2, ["LA love"]],
    ],
  );
  assert.equal(r.tweets, 4);
  assert.equal(r.emptyTweets, 1, "an empty tweet between separators is dropped and counted");
  assert.throws(() => parseGeoTextRaw("USER_1\t40\t-73\n", "dev.gz", 4), /^RecordError: dev\.gz:1: line: expected 4 tab-separated fields/);
  assert.throws(() => parseGeoTextRaw("USER_1\t40\t-73\tx\nUSER_1\t41\t-73\ty\n", "dev.gz", 4), /dev\.gz:2: id: USER_1 already on line 1/);
  assert.throws(() => parseGeoTextRaw("USER_1\tnorth\t-73\tx\n", "dev.gz", 4), /dev\.gz:1: lat: not a number/);
  assert.throws(() => parseGeoTextRaw("USER_1\t40\t-190\tx\n", "dev.gz", 4), /dev\.gz:1: lon: -190 is outside/);
  assert.throws(() => parseGeoTextRaw("USER_1\t40\t-73\t ||| \n", "dev.gz", 4), /dev\.gz:1: tweets: no tweet text/);
  const geotext = {
    users: [
      { id: "USER_1", fold: 4, lat: 40.5, lon: -73.9 },
      { id: "USER_2", fold: 4, lat: 34, lon: -118.2 },
    ],
  } as never;
  assert.deepEqual(crossCheckGeoText(r, geotext), { checked: 2 });
  assert.throws(
    () => crossCheckGeoText(r, { users: [{ id: "USER_1", fold: 5, lat: 40.5, lon: -73.9 }] } as never),
    /USER_1 is in fold 4 here but fold 5 in GeoText/,
  );
});

test("the raw GeoText manifest pins every file and resolves outside the repository", () => {
  const m = loadManifest(fromRoot("data-manifests/geotext-raw.json"));
  assert.equal(m.synthetic, false);
  assert.ok(
    m.files.filter((f) => !f.optional).every((f) => f.sha256 && f.size && f.gitBlob && f.url),
    "every required file is pinned (size, sha256, git blob id) and has a URL at a fixed commit",
  );
  assert.ok(
    m.files.filter((f) => f.optional && f.url).every((f) => f.gitBlob),
    "an optional download is pinned by its git blob id",
  );
  assert.ok(m.root.searchPaths.includes("../shared/data/geotext-raw"));
  assert.equal(m.root.env, "GEOREPRO_DATA_GEOTEXT_RAW");
});

/** Why the shared raw copy cannot be read here, or null. */
function rawMissing(): string | null {
  try {
    resolveManifest(loadManifest(fromRoot("data-manifests/geotext-raw.json")));
    return null;
  } catch (e) {
    if (e instanceof DatasetMissingError) return `raw GeoText is not on this machine (${e.message})`;
    throw e;
  }
}

testNeeding(
  "the shared raw GeoText copy loads: 1,895 + 1,895 users, 76,087 test tweets, consistent with GeoText",
  rawMissing(),
  async () => {
    const c = (await loadGeoTextRaw())!;
    assert.deepEqual(
      c.report.folds.map((f) => [f.fold, f.users]),
      [
        [4, 1895],
        [5, 1895],
      ],
    );
    assert.equal(c.report.folds[1].tweets + c.report.folds[1].emptyTweets, 76087);
    assert.equal(c.report.encoding, "latin1");
    const g = await loadGeoText();
    if (g) assert.deepEqual(crossCheckGeoText(c, g), { checked: 3790 });
  },
);

test("with the optional training folds (user_info.train.gz), the official setting trains on folds 1–3 and tests on fold 5", async () => {
  // A small copy the test writes: 6 training users (folds 1, 2, 3, 1, 2, 3 in ID order), 2 dev, 2 test.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "georepro-rawtrain-"));
  const line = (id: string, lat: number, text: string) => `${id}\t${lat}\t-73.9\t${text} ||| more ${text}`;
  const gz = (lines: string[]) => zlib.gzipSync(Buffer.from(lines.join("\n") + "\n", "latin1"));
  fs.writeFileSync(
    path.join(dir, "user_info.train.gz"),
    gz(["A", "B", "C", "D", "E", "F"].map((x, i) => line(`USER_T${x}`, 40 + i / 10, `train${x}`))),
  );
  fs.writeFileSync(path.join(dir, "user_info.dev.gz"), gz([line("USER_D1", 41, "dev"), line("USER_D2", 42, "dev")]));
  fs.writeFileSync(path.join(dir, "user_info.test.gz"), gz([line("USER_S1", 41, "test"), line("USER_S2", 42, "test")]));
  fs.writeFileSync(path.join(dir, "eisenstein_locations.csv"), "userid,country,state,county,city\n");
  const m = JSON.parse(fs.readFileSync(fromRoot("data-manifests/geotext-raw.json"), "utf8"));
  for (const f of m.files) Object.assign(f, { size: null, sha256: null, gitBlob: null });
  const manifestFile = path.join(dir, "geotext-raw.json");
  fs.writeFileSync(manifestFile, JSON.stringify({ ...m, $schema: undefined }));
  const c = (await loadGeoTextRaw({ manifestFile, env: { GEOREPRO_DATA_GEOTEXT_RAW: dir } }))!;
  assert.equal(c.hasTrainFolds, true);
  assert.deepEqual(
    c.users.map((u) => [u.id, u.fold]),
    [
      ["USER_TA", 1],
      ["USER_TB", 2],
      ["USER_TC", 3],
      ["USER_TD", 1],
      ["USER_TE", 2],
      ["USER_TF", 3],
      ["USER_D1", 4],
      ["USER_D2", 4],
      ["USER_S1", 5],
      ["USER_S2", 5],
    ],
  );
  assert.deepEqual(
    c.report.folds.map((f) => [f.fold, f.users]),
    [
      ["1–3", 6],
      [4, 2],
      [5, 2],
    ],
  );
  // The official protocol with the training folds: train on folds 1–3 (not 4), test on 5.
  const bag = (u: (typeof c.users)[number]) => ({
    id: u.id,
    label: u.lat < 40.3 || u.lat === 41 ? "NY" : "NJ",
    counts: new Map([[u.tweets[0], 1]]),
    fold: u.fold,
  });
  const d = { id: "t", users: c.users.map(bag), level: "state" as const };
  const s = splitUsers(d, OFFICIAL_TRAIN_FOLDS, 1);
  assert.deepEqual(
    s.train.map((u) => u.id),
    ["USER_TA", "USER_TB", "USER_TC", "USER_TD", "USER_TE", "USER_TF"],
  );
  assert.deepEqual(
    s.test.map((u) => u.id),
    ["USER_S1", "USER_S2"],
  );
  assert.deepEqual(
    splitUsers(d, OFFICIAL_FOLDS, 1).train.map((u) => u.id),
    ["USER_D1", "USER_D2"],
    "without it: train on fold 4",
  );
  assert.ok(buildCorpus(s.train).docs.length === 6);
  // Without the file the same copy runs the fold-4 setting and says so.
  fs.rmSync(path.join(dir, "user_info.train.gz"));
  const without = (await loadGeoTextRaw({ manifestFile, env: { GEOREPRO_DATA_GEOTEXT_RAW: dir } }))!;
  assert.equal(without.hasTrainFolds, false);
  assert.deepEqual(
    without.report.folds.map((f) => f.fold),
    [4, 5],
  );
});
