/**
 * Which data a run uses (lib/data/selection.ts): DATA/LEVEL/MIN_USERS params,
 * the manifest's kind, the notebooks that fit it, own microblog datasets with
 * every filter counted, a content-keyed split, and the conventional manifests.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ingestFile } from "../../lib/data/ingest";
import { exampleRawTweets } from "../../lib/data/synthetic/raw-tweets";
import { dataForRun, describeDataForRun, notebooksForRun, postCitiesForRun, postsManifestForRun } from "../../lib/data/selection";
import { microblogDatasetsForRun, microblogTableDataset } from "../../lib/localwords/for-run";
import { loadManifest, resolveManifest, DatasetMissingError } from "../../lib/data/manifest";
import { loadParams, describeParams } from "../../lib/runtime/params";
import { fromRoot } from "../../lib/runtime/paths";
import { ownDataFilterTable } from "../../lib/localwords/own-data";
import { SYNTHETIC_CITIES } from "../../lib/data/synthetic/pois";

/** A small ingested example: 14 cities × 6 users, coordinates only. */
function example(dir: string, name = "tweets") {
  const raw = path.join(dir, `${name}.tsv`);
  fs.writeFileSync(raw, exampleRawTweets({ usersPerCity: 6, tweets: [4, 8] }).join("\n"));
  return ingestFile(raw, {
    format: "tsv",
    name,
    columns: { user: "user_id", lat: "latitude", lon: "longitude" },
    outDir: path.join(dir, "data", name),
    manifestDir: dir,
    synthetic: true,
  });
}

test("params: DATA is a manifest name or path that must exist; LEVEL takes one or several levels; OUT defaults to results-NAME", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sel-params-"));
  fs.writeFileSync(path.join(dir, "mine.json"), "{}");
  const p = loadParams({ GEOREPRO_MANIFESTS: dir, GEOREPRO_DATA: "mine", GEOREPRO_LEVEL: "state,country", GEOREPRO_MIN_USERS: "3" });
  assert.deepEqual(p.level, ["state", "country"]);
  assert.equal(p.minUsers, 3);
  assert.equal(p.outDir, fromRoot("results-mine"));
  assert.match(describeParams(p), / data=mine level=state,country min-users=3$/);
  assert.equal(loadParams({ GEOREPRO_MANIFESTS: dir, GEOREPRO_DATA: "mine", GEOREPRO_OUT: dir }).outDir, dir);
  assert.equal(loadParams({ GEOREPRO_DATA: path.join(dir, "mine.json") }).data, path.join(dir, "mine.json"));
  assert.throws(() => loadParams({ GEOREPRO_MANIFESTS: dir, GEOREPRO_DATA: "nope" }), /params: data: no manifest .*nope\.json/);
  assert.throws(() => loadParams({ GEOREPRO_LEVEL: "planet" }), /environment GEOREPRO_LEVEL: level: expected one of state, city, country/);
  assert.throws(() => loadParams({ GEOREPRO_MIN_USERS: "0" }), /minUsers: expected at least 1/);
  assert.equal(describeParams(loadParams({})).includes("data="), false, "a default run's line is unchanged");
});

test("a manifest's kind picks the notebooks; a microblog manifest gives notebooks 07 and 08 only", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sel-kind-"));
  const w = example(dir);
  const p = loadParams({ GEOREPRO_DATA: w.manifestFile });
  assert.equal(dataForRun(p)!.kind, "microblog");
  const all = ["00-datasets", "01-preprocessing", "02-mrlf", "07-nb-thresholds", "08-elbow-k"].map((n) => `/x/notebooks/${n}.ipynb`);
  assert.deepEqual(
    notebooksForRun(p, all).map((f) => path.basename(f)),
    ["07-nb-thresholds.ipynb", "08-elbow-k.ipynb"],
  );
  assert.deepEqual(notebooksForRun(loadParams({}), all), all);
  assert.match(
    describeDataForRun(p),
    /^DATA=.*tweets\.json: tweets \(.*microblog users; SYNTHETIC;.*notebooks 07-nb-thresholds, 08-elbow-k\.$/,
  );
  assert.throws(() => postsManifestForRun(p), /describes microblog users; notebooks 01–06 need Instagram-style posts/);
  assert.equal(postsManifestForRun(loadParams({ GEOREPRO_MANIFESTS: dir })), null);
  assert.deepEqual(postCitiesForRun(loadParams({ GEOREPRO_MANIFESTS: dir })), SYNTHETIC_CITIES.slice());
});

test("own users labelled from coordinates at two levels; each filter's removals are counted; tables name the dataset", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sel-own-"));
  const w = example(dir);
  const p = loadParams({ GEOREPRO_DATA: w.manifestFile, GEOREPRO_LEVEL: "state,country", GEOREPRO_SCALE: "tiny" });
  const { datasets, report } = await microblogDatasetsForRun(p, {});
  assert.deepEqual(
    datasets.map((d) => d.dataset.name),
    ["tweets-state", "tweets-country"],
  );
  assert.match(report[0], /tweets .*chosen by DATA=.*Levels: state, country \(LEVEL\)/);
  const [state, country] = datasets;
  const users = w.result.userCount;
  for (const d of datasets) {
    const f = d.own!.filters;
    assert.equal(f[0].before, users);
    assert.equal(f[f.length - 1].after, d.users.length, `${d.title}: the filters account for every user`);
    for (let i = 1; i < f.length; i++) assert.equal(f[i].before, f[i - 1].after);
  }
  assert.ok(
    state.own!.filters.some((f) => f.step === "no state: beyond-every-state-box" && f.removed > 0),
    "users outside the US have no state",
  );
  assert.ok(new Set(state.users.map((u) => u.label)).has("NY"));
  assert.ok(new Set(country.users.map((u) => u.label)).has("China"));
  assert.ok(country.users.length > state.users.length);
  const ref = microblogTableDataset(datasets);
  assert.equal(ref.name, "tweets");
  assert.equal(ref.synthetic, true);
  const t = ownDataFilterTable(datasets, ref)!;
  assert.equal(t.dataset.name, "tweets");
  assert.ok(t.rows.some((r) => r.step === "users per location"));
  assert.equal(ownDataFilterTable([], ref), null);
});

test("the split is keyed on content: the same data under another name gets the same stream key", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sel-key-"));
  const a = example(dir, "first");
  const b = example(dir, "renamed");
  const key = async (file: string) =>
    (await microblogDatasetsForRun(loadParams({ GEOREPRO_DATA: file, GEOREPRO_LEVEL: "country" }), {})).datasets[0].streamKey;
  assert.equal(await key(a.manifestFile), await key(b.manifestFile));
});

test("records without labels and no LEVEL: the run stops and says to set LEVEL", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sel-nolevel-"));
  const w = example(dir);
  await assert.rejects(
    microblogDatasetsForRun(loadParams({ GEOREPRO_DATA: w.manifestFile }), {}),
    /carry no state, city or country label; set LEVEL=state\|city\|country/,
  );
});

test("without DATA: data-manifests/microblog-users.json is used and said so; GEOREPRO_DATA_MICROBLOG alone is reported, not ignored", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sel-conv-"));
  const w = example(dir);
  fs.copyFileSync(w.manifestFile, path.join(dir, "microblog-users.json"));
  const used = await microblogDatasetsForRun(loadParams({ GEOREPRO_MANIFESTS: dir, GEOREPRO_LEVEL: "country" }), {});
  assert.match(used.report[0], /chosen by DATA unset, but .*microblog-users\.json exists/);
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), "sel-empty-"));
  const def = await microblogDatasetsForRun(loadParams({ GEOREPRO_MANIFESTS: empty, GEOREPRO_SCALE: "tiny" }), {
    GEOREPRO_DATA_MICROBLOG: "/somewhere",
    GEOREPRO_DATA_GEOTEXT: path.join(empty, "no-geotext"),
    GEOREPRO_DATA_GEOTEXT_RAW: path.join(empty, "no-geotext-raw"),
  });
  assert.ok(def.report.some((l) => /GEOREPRO_DATA_MICROBLOG=\/somewhere is set, but .*no manifest names it/.test(l)));
  assert.deepEqual(
    def.datasets.map((d) => d.dataset.name),
    ["synthetic-microblog-state", "synthetic-microblog-city"],
  );
  assert.equal(microblogTableDataset(def.datasets).name, "geotext+synthetic-microblog");
  assert.match(
    describeDataForRun(loadParams({ GEOREPRO_MANIFESTS: empty }), { GEOREPRO_DATA_MICROBLOG: "/somewhere" }),
    /^DATA unset: GeoText .* Note: GEOREPRO_DATA_MICROBLOG is set but no manifest names it/,
  );
  assert.match(
    describeDataForRun(loadParams({ GEOREPRO_MANIFESTS: dir }), {}),
    /^DATA unset: .*microblog-users\.json \(it exists\) for 07–08/,
  );
});

test("posts: the cities of a posts manifest; the missing-data message does not say 'from none'", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sel-posts-"));
  const template = JSON.parse(fs.readFileSync(fromRoot("data-manifests", "templates", "instagram-posts.json"), "utf8"));
  template.name = "my-posts";
  template.root.searchPaths = [path.join(dir, "nowhere")];
  template.files = template.files.filter((f: { path: string }) => f.path.startsWith("melbourne/"));
  const file = path.join(dir, "my-posts.json");
  fs.writeFileSync(file, JSON.stringify(template));
  const p = loadParams({ GEOREPRO_DATA: file });
  assert.equal(dataForRun(p)!.kind, "posts");
  assert.deepEqual(postCitiesForRun(p), ["melbourne"]);
  await assert.rejects(microblogDatasetsForRun(p, {}), /describes Instagram-style posts; notebooks 07–08 need microblog users/);
  let err: Error | null = null;
  try {
    resolveManifest(loadManifest(file), { env: {} });
  } catch (e) {
    err = e as Error;
  }
  assert.ok(err instanceof DatasetMissingError);
  assert.doesNotMatch(err!.message, /from none/);
  assert.match(err!.message, /put melbourne\/posts\.jsonl, melbourne\/pois\.json into .*nowhere\/, or set GEOREPRO_DATA_INSTAGRAM/);
});

test("default runs add every real posts manifest marked inDefaultRun whose data are present; absent ones are named with the command that fetches them", async () => {
  const { writeFlickrDataset } = await import("../support/flickr-dataset");
  const { postSourcesForRun, postsDataReport, missingRealData, postsManifestForCity } = await import("../../lib/data/selection");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sel-default-real-"));
  const { manifestFile, env } = writeFlickrDataset(dir);
  const p = loadParams({ GEOREPRO_MANIFESTS: dir });
  // Present (its search path holds the files): beside the synthetic cities.
  assert.deepEqual(postCitiesForRun(p), [...SYNTHETIC_CITIES, "testville"]);
  assert.equal(postsManifestForCity(p, "testville"), manifestFile);
  assert.equal(postsManifestForCity(p, "new-york"), null);
  assert.match(postSourcesForRun(p).at(-1)!.how, /posts\.inDefaultRun; its data are present/);
  assert.match(postsDataReport(p).join("\n"), /\*\*Also:\*\* Testville .*make reproduce DATA=flickr-test` runs it alone/);
  // DATA names it: it runs alone.
  assert.deepEqual(postCitiesForRun(loadParams({ GEOREPRO_MANIFESTS: dir, GEOREPRO_DATA: "flickr-test" })), ["testville"]);
  // Absent (the env variable points elsewhere): not a city, and the report says so.
  const away = { [env]: path.join(dir, "nowhere") };
  assert.deepEqual(
    postSourcesForRun(p, away).map((s) => s.city),
    [...SYNTHETIC_CITIES],
  );
  assert.match(
    postsDataReport(p, away).join("\n"),
    /\*\*Testville .*: absent\*\* — its part of every table is skipped\. flickr-test: dataset not found; looked in .*nowhere \(no such folder\)/,
  );
  // make reproduce names the project's missing real datasets with the one command that fetches each.
  const lines = missingRealData(fromRoot("data-manifests"), {
    GEOREPRO_DATA_FLICKR_VIENNA: path.join(dir, "nowhere"),
    GEOREPRO_DATA_GEOTEXT_RAW: path.join(dir, "nowhere"),
    GEOREPRO_DATA_GEOTEXT: path.join(dir, "nowhere"),
  });
  assert.deepEqual(
    lines.map((l) => l.split(" ")[0]),
    ["flickr-vienna", "geotext-raw", "geotext"],
  );
  assert.match(lines[0], /fetch it with: node dist\/scripts\/fetch-data\.js flickr-vienna/);
});
