import { test } from "node:test";
import assert from "node:assert/strict";
import { parseGeoTextRaw, crossCheckGeoText, loadGeoTextRaw } from "../../lib/data/geotext-raw";
import { testNeeding } from "../support/requires";
import { DatasetMissingError, loadManifest, resolveManifest } from "../../lib/data/manifest";
import { loadGeoText } from "../../lib/data/geotext";
import { fromRoot } from "../../lib/runtime/paths";

test("raw GeoText lines parse as id, coordinates and tweets; Latin-1 text survives; bad records name file:line: field", () => {
  // "caf\xe9" is Latin-1 for café: decoding the bytes as latin1 keeps it.
  const text = Buffer.from("USER_1\t40.5\t-73.9\tHello New York ||| caf\xe9 time |||  ||| bye\nUSER_2\t34.0\t-118.2\tLA love\n", "latin1").toString("latin1");
  const r = parseGeoTextRaw(text, "dev.gz", 4);
  assert.deepEqual(r.users.map((u) => [u.id, u.fold, u.lat, u.lon, u.tweets]), [
    ["USER_1", 4, 40.5, -73.9, ["Hello New York", "café time", "bye"]],
    ["USER_2", 4, 34, -118.2, ["LA love"]],
  ]);
  assert.equal(r.tweets, 4);
  assert.equal(r.emptyTweets, 1, "an empty tweet between separators is dropped and counted");
  assert.throws(() => parseGeoTextRaw("USER_1\t40\t-73\n", "dev.gz", 4), /^RecordError: dev\.gz:1: line: expected 4 tab-separated fields/);
  assert.throws(() => parseGeoTextRaw("USER_1\t40\t-73\tx\nUSER_1\t41\t-73\ty\n", "dev.gz", 4), /dev\.gz:2: id: USER_1 already on line 1/);
  assert.throws(() => parseGeoTextRaw("USER_1\tnorth\t-73\tx\n", "dev.gz", 4), /dev\.gz:1: lat: not a number/);
  assert.throws(() => parseGeoTextRaw("USER_1\t40\t-190\tx\n", "dev.gz", 4), /dev\.gz:1: lon: -190 is outside/);
  assert.throws(() => parseGeoTextRaw("USER_1\t40\t-73\t ||| \n", "dev.gz", 4), /dev\.gz:1: tweets: no tweet text/);
  const geotext = { users: [{ id: "USER_1", fold: 4, lat: 40.5, lon: -73.9 }, { id: "USER_2", fold: 4, lat: 34, lon: -118.2 }] } as never;
  assert.deepEqual(crossCheckGeoText(r, geotext), { checked: 2 });
  assert.throws(() => crossCheckGeoText(r, { users: [{ id: "USER_1", fold: 5, lat: 40.5, lon: -73.9 }] } as never), /USER_1 is in fold 4 here but fold 5 in GeoText/);
});

test("the raw GeoText manifest pins every file and resolves outside the repository", () => {
  const m = loadManifest(fromRoot("data-manifests/geotext-raw.json"));
  assert.equal(m.synthetic, false);
  assert.ok(m.files.every((f) => f.sha256 && f.size), "every file is pinned");
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

testNeeding("the shared raw GeoText copy loads: 1,895 + 1,895 users, 76,087 test tweets, consistent with GeoText", rawMissing(), async () => {
  const c = (await loadGeoTextRaw())!;
  assert.deepEqual(c.report.folds.map((f) => [f.fold, f.users]), [[4, 1895], [5, 1895]]);
  assert.equal(c.report.folds[1].tweets + c.report.folds[1].emptyTweets, 76087);
  assert.equal(c.report.encoding, "latin1");
  const g = await loadGeoText();
  if (g) assert.deepEqual(crossCheckGeoText(c, g), { checked: 3790 });
});
