/**
 * Own data end to end through the real Jupyter client at the tiny scale:
 *
 * 1. the README's worked example — a raw TSV of tweets with coordinates only →
 *    ingest → notebooks 07 and 08 chosen by the data's kind, at state and
 *    country level in one run → tables that name the dataset and count what
 *    each filter removed, and a report that names DATA;
 * 2. a posts dataset in the researcher format through notebook 01. (Notebooks
 *    01–06 all run on it too, in about 2 minutes on 2 cores — too long for
 *    `make test`; README "Your own data" gives the command and the time.)
 *
 * The three commands are the scripts the Makefile targets call (`make
 * example-tweets`, `make ingest`, `make reproduce`), with paths under a
 * temporary folder so that nothing is written into the project.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fromRoot } from "../../lib/runtime/paths";
import { JUPYTER_PATH, PYTHON } from "../../scripts/run-notebooks";
import { testNeeding } from "../support/requires";
import { makePostsDataset } from "../support/posts-dataset";

const missing = !fs.existsSync(PYTHON)
  ? `${PYTHON} missing`
  : !fs.existsSync(path.join(JUPYTER_PATH, "kernels", "tslab", "kernel.json"))
    ? "project-local tslab kernel missing (run make setup)"
    : null;

const node = (script: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [fromRoot("dist", "scripts", script), ...args], {
    env: { ...process.env, GEOREPRO_SCALE: "tiny", ...env },
    encoding: "utf8",
    timeout: 300_000,
  });

const table = (out: string, name: string) => JSON.parse(fs.readFileSync(path.join(out, "tables", `${name}.json`), "utf8"));

testNeeding(
  "worked example: raw tweets with coordinates only → ingest → notebooks 07 and 08 at state and country level",
  missing ?? false,
  () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "own-tweets-"));
    const raw = path.join(dir, "raw", "example-tweets.tsv");
    // 1. make example-tweets
    const ex = node("example-tweets.js", [raw]);
    assert.equal(ex.status, 0, ex.stderr);
    // 2. make ingest FROM=… COLUMNS=… SYNTHETIC=1
    const ing = node("ingest.js", [
      "--from",
      raw,
      "--columns",
      "user:user_id,lat:latitude,lon:longitude",
      "--synthetic",
      "--out",
      path.join(dir, "data", "example-tweets"),
      "--manifest-dir",
      path.join(dir, "manifests"),
    ]);
    assert.equal(ing.status, 0, ing.stderr);
    assert.match(ing.stderr, /example-tweets\.tsv:\d+: lat: not a number: "40\.7N"/);
    assert.match(ing.stderr, /example-tweets\.tsv:\d+: text: empty/);
    assert.match(ing.stderr, /example-tweets\.tsv:\d+: \(row\): expected 6 tab-separated cells, got 4/);
    // 3. make reproduce DATA=example-tweets LEVEL=state,country SCALE=tiny
    const out = path.join(dir, "out");
    const env = { GEOREPRO_DATA: path.join(dir, "manifests", "example-tweets.json"), GEOREPRO_LEVEL: "state,country", GEOREPRO_OUT: out };
    const run = node("run-notebooks.js", [], env);
    assert.equal(run.status, 0, run.stderr.slice(-4000));
    assert.match(run.stderr, /run-notebooks: 2 notebook\(s\)/);
    assert.match(run.stderr, /run-notebooks: DATA=.*example-tweets \(.*microblog users; SYNTHETIC;/);
    assert.match(run.stderr, /07-nb-thresholds\.ipynb: ok/);
    assert.match(run.stderr, /08-elbow-k\.ipynb: ok/);
    const rep = node("report.js", [], env);
    assert.equal(rep.status, 0, rep.stderr);

    const t7 = table(out, "table7-localwords-accuracy");
    assert.equal(t7.dataset.name, "example-tweets");
    assert.deepEqual(
      [...new Set(t7.rows.map((r: { setting: string }) => r.setting))],
      ["example-tweets, state, 80/20 splits", "example-tweets, country, 80/20 splits"],
    );
    assert.ok(
      !fs.existsSync(path.join(out, "tables", "table7-geotext-published.json")),
      "GeoText's published results are not shown beside own data",
    );
    assert.ok(
      fs.readdirSync(path.join(out, "claims")).some((f) => f.endsWith("--example-tweets-country-split.json")),
      "the claims are judged on own data's settings",
    );
    const f = table(out, "localwords-own-data-filters");
    assert.equal(f.dataset.name, "example-tweets");
    type Row = { dataset: string; step: string; before: number; removed: number; after: number };
    for (const level of ["state", "country"]) {
      const rows = (f.rows as Row[]).filter((r) => r.dataset === `example-tweets (${level})`);
      assert.ok(rows.length >= 2, level);
      for (let i = 1; i < rows.length; i++) assert.equal(rows[i].before, rows[i - 1].after);
    }
    assert.ok(
      (f.rows as Row[]).some((r) => r.step === "no state: beyond-every-state-box" && r.removed > 0),
      "London, Sydney, Beijing… are in no US state, and the table says how many",
    );
    for (const name of ["localwords-elbow-k", "fig6-localwords-thresholds", "localwords-clusters-example-tweets-country-split"])
      assert.equal(table(out, name).dataset.name.startsWith("example-tweets"), true, name);
    const readme = fs.readFileSync(path.join(out, "README.md"), "utf8");
    assert.match(readme, /make reproduce .*DATA=.*example-tweets\.json LEVEL=state,country/);
    assert.match(readme, /\*\*Data\.\*\* DATA=.*example-tweets/);
  },
);

testNeeding(
  "own Instagram-style posts through notebook 01: the tables name the manifest, not the synthetic set",
  missing ?? false,
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "own-posts-"));
    const manifest = await makePostsDataset(dir, "my-posts", [{ from: "melbourne", as: "my-city" }]);
    const out = path.join(dir, "out");
    const run = node("run-notebooks.js", [fromRoot("notebooks", "01-preprocessing.ipynb")], { GEOREPRO_DATA: manifest, GEOREPRO_OUT: out });
    assert.equal(run.status, 0, run.stderr.slice(-4000));
    assert.match(run.stderr, /DATA=.*my-posts\.json: my-posts \(.*Instagram-style posts/);
    const t1 = table(out, "table1-dataset-statistics");
    assert.equal(t1.dataset.name, "my-posts");
    assert.ok(t1.columns.some((c: { label: string }) => c.label.startsWith("my-city")));
    assert.ok(!t1.columns.some((c: { label: string }) => /New York|Hong Kong/.test(c.label)));
  },
);
