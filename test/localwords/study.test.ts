/**
 * The studies behind notebooks 07 and 08 at tiny scale on the synthetic users
 * only: the main study, the sweeps, Table 7, and the claims they close with.
 * Deterministic (a second run in a fresh cache gives the same artifact), and
 * the cached artifact is what a second caller (notebook 08) reads.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadParams } from "../../lib/runtime/params";
import { localWordsDatasets } from "../../lib/studies/localwords/data";
import { mainStudyFor } from "../../lib/studies/localwords/main";
import { sweepsFor } from "../../lib/studies/localwords/sweeps";
import { table7, cvErrorTable, clustersTable } from "../../lib/studies/localwords/tables";
import { judgeLocalWordsClaims, LOCAL_WORDS_CLAIM_GROUPS } from "../../lib/studies/localwords/claims";
import { SYSTEMS } from "../../lib/localwords/pipeline";
import { validateTable } from "../../lib/results/table";
import { readClaimRecords, readClaimResults } from "../../lib/claims/record";

test("local-words study at tiny scale: all systems on every split, Table 7 with CIs, claims judged, deterministic", async () => {
  const dirs = [0, 1].map((i) => fs.mkdtempSync(path.join(os.tmpdir(), `lw-study-${i}-`)));
  try {
    const params = loadParams({}, { scale: "tiny", seed: 1, splits: 0, cacheDir: dirs[0], outDir: path.join(dirs[0], "out") });
    const data = await localWordsDatasets(params, { geotext: false });
    assert.deepEqual(
      data.settings.map((s) => s.id),
      ["synthetic-state-split", "synthetic-city-split"],
    );
    const main = await mainStudyFor(params, data);
    for (const s of main.settings) {
      assert.equal(s.testSets.length, 3, "tiny scale: 3 seeded splits");
      assert.equal(new Set(s.testSets.map((t) => t.truth.join())).size, 3, "each seed draws a new split");
      for (const t of s.testSets) {
        const have = t.systems.map((x) => x.label);
        for (const label of [
          SYSTEMS.proposed,
          SYSTEMS.nbIgr,
          SYSTEMS.nbIgrTuned,
          SYSTEMS.control,
          SYSTEMS.mnbPart,
          SYSTEMS.literal,
          SYSTEMS.majority,
          SYSTEMS.stratified,
        ])
          assert.ok(have.includes(label), `${s.id} ${t.testSet}: ${label}`);
        assert.equal(t.diag.k, s.elbow.k, "the first seed's elbow fixes k");
      }
    }
    const t7 = table7(main, { seed: 1, replicates: 200 });
    validateTable(t7);
    for (const row of t7.rows) {
      assert.equal(row.test_sets, 3);
      assert.ok(
        typeof row.acc_lo === "number" &&
          typeof row.acc_hi === "number" &&
          (row.acc_lo as number) <= (row.acc as number) &&
          (row.acc as number) <= (row.acc_hi as number),
        `${row.system}: CI around the estimate`,
      );
      assert.equal(typeof row.acc_sd, "number");
    }
    const literal = t7.rows.find((r) => r.system === SYSTEMS.literal && r.setting === main.settings[0].label)!;
    assert.match(String(literal.reading), /degenerate/);
    validateTable(cvErrorTable(main));
    validateTable(clustersTable(main.settings[0]));
    assert.ok(
      main.settings[0].clusters.some((c) => c.kinds && Object.keys(c.kinds).length > 0),
      "synthetic clusters list their planted kinds",
    );

    const sweeps = await sweepsFor(params, data, main);
    assert.deepEqual(
      sweeps.settings.map((s) => s.id),
      ["synthetic-state-split"],
    );
    const notes: string[] = [];
    const run = { params, markdown: (m: string) => notes.push(m) };
    const judged = judgeLocalWordsClaims(run, [...LOCAL_WORDS_CLAIM_GROUPS.table7, ...LOCAL_WORDS_CLAIM_GROUPS.fig6], main, sweeps);
    const done = judged.filter((j) => j.result);
    assert.ok(done.length >= 6, `judged ${done.length}`);
    assert.ok(done.every((j) => j.result!.data.synthetic && /SYNTHETIC/.test(j.result!.sentence)));
    assert.ok(
      judged.filter((j) => j.skipped).every((j) => /^not run: geotext-raw absent$/.test(j.skipped!)),
      "GeoText settings are reported as not run (their data absent), not dropped",
    );
    assert.ok(notes.some((n) => /not run: geotext-raw absent/.test(n)));
    const written = readClaimResults(params.outDir);
    assert.equal(written.length, done.length);
    // The reason is on disk for the claims table: "not run: geotext-raw absent", stamped with this run.
    const notRun = readClaimRecords(params.outDir).notRun;
    assert.equal(notRun.length, judged.filter((j) => j.skipped).length);
    assert.ok(notRun.every((r) => r.notRun === "not run: geotext-raw absent" && r.stamp !== null));
    assert.ok(written.some((r) => r.id === "lw-semantic-clusters-help" && r.setting === "synthetic-city-split"));

    // Same parameters in a fresh cache: the same artifact.
    const again = await mainStudyFor(
      { ...params, cacheDir: dirs[1] },
      await localWordsDatasets({ ...params, cacheDir: dirs[1] }, { geotext: false }),
    );
    assert.equal(JSON.stringify(again), JSON.stringify(main));
  } finally {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }
});
