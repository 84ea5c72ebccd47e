/**
 * A posts dataset without images (the Flickr-shaped one the tests write,
 * converted at load time) through the MRLF studies at the tiny scale: every
 * model that needs no pixels trains and gets its row (MRLF over text +
 * hashtags, Tagvisor, DeepGeo, LocTwi, late fusion over text + hashtags, the
 * NB control), the studies that need pixels print their one line and write no
 * row, claims are judged against the comparators that ran, and the
 * name-leakage control runs every text + hashtag model again.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadParams } from "../../lib/runtime/params";
import * as S from "../../lib/studies/mrlf";
import { NO_IMAGES_CLEANING } from "../../lib/experiments/cleaning";
import { writeFlickrDataset } from "../support/flickr-dataset";
import { RUN_UNITS, runUnitSystems } from "../../lib/studies/mrlf/units";

test("a dataset without images: text + tag models run, pixel studies say one line and write no row, claims judged on what ran", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "georepro-noimg-"));
  const { manifestFile } = writeFlickrDataset(dir);
  const params = loadParams(
    { GEOREPRO_DATA: manifestFile },
    { scale: "tiny", cacheDir: path.join(dir, "cache"), outDir: path.join(dir, "out"), seeds: 2 },
  );
  const markdown: string[] = [];
  const run = { name: "no-images", params, markdown: (m: string) => void markdown.push(m) };

  const pre = await S.preprocessingStudy(params);
  assert.deepEqual(
    pre.cities.map((c) => c.city),
    ["testville"],
  );
  assert.equal(S.noisyImagesTruthTable(pre), null, "no noisy-image table without images");
  assert.ok(S.poiRadiusTable(pre)!.rows.some((r) => r.chosen === "◀"));
  assert.ok(S.tagFrequencyTable(pre)!.rows.some((r) => r.which === "the paper's cut"));
  const report = S.filterReportTable(pre).rows;
  assert.ok(report.some((r) => r.stage === "conversion" && r.step === "duplicate photos" && r.removed === 2));
  assert.ok(report.some((r) => r.step === "no image" && r.applied === "not applied"));

  const study = await S.mrlfStudy(run);
  assert.equal(study.cleaning.id, NO_IMAGES_CLEANING, "no portrait model is loaded for data without images");
  assert.equal(study.hasImages("testville"), false);
  assert.deepEqual(study.fullOverrides("testville"), { useImage: false });
  assert.match(S.describeStudy(study), /splits grouped by owner/);

  // The graph's runs/… units (lib/studies/mrlf/units.ts) train the same systems ahead, each in a study of its own
  // (a unit is its own process): the notebooks' studies below then find every such training cached.
  const unitStudy = await S.mrlfStudy({ ...run, markdown: () => {} });
  for (const nb of Object.keys(RUN_UNITS)) for (const seed of unitStudy.seeds) await runUnitSystems(unitStudy, nb, "testville", seed);
  await assert.rejects(
    runUnitSystems(unitStudy, "05-noisy-images", "testville", 1),
    /no run units for this notebook \(have: 02-mrlf, 03-ablation/,
  );
  await assert.rejects(runUnitSystems(unitStudy, "03-ablation", "atlantis", 1), /no city "atlantis" in this run \(have testville\)/);
  const allCached = (runs: readonly { system: string; fromCache: boolean }[], what: string) => {
    // The NB control is refitted in every study (no optimizer steps, nothing cached).
    const trained = runs.filter((r) => r.system !== "NB control" && r.system !== "Majority class" && r.system !== "Stratified random");
    assert.ok(trained.length > 0, what);
    assert.deepEqual(
      trained.filter((r) => !r.fromCache).map((r) => r.system),
      [],
      `${what}: trained again although a runs/… unit trained it`,
    );
  };

  const t2 = await S.table2Study(study, () => {});
  allCached(t2.runs, "Table II");
  const models = t2.tables.table2.rows.map((r) => r.model);
  assert.deepEqual(models, ["Majority class", "Stratified random", "Tagvisor", "DeepGeo", "LocTwi", "Late fusion", "NB control", "MRLF"]);
  const modality = Object.fromEntries(t2.tables.table2.rows.map((r) => [r.model, r.modality]));
  assert.equal(modality.MRLF, "text+hashtags");
  assert.equal(modality["Late fusion"], "text+hashtags");
  assert.ok(t2.tables.table2.rows.every((r) => r.test_owners !== null && (r.distinct_test_posts as number) > 0));
  for (const b of ["Frozen backbone + linear", "Fine-tuned MobileNetV2 top"])
    assert.ok(
      markdown.includes(
        `Testville (real-shaped, text + tags, no images): no images in this dataset — the image baseline "${b}" (Table II) not run`,
      ),
      `one line for ${b}`,
    );
  assert.ok(t2.tables.splits.rows.every((r) => r.grouped === "by owner"));
  assert.ok(
    t2.learningRates.some((c) => c.model === "NB control"),
    "the NB control's α is chosen on validation",
  );

  const v2 = S.judgeTable2(run, study, t2);
  const acc = v2.find((r) => r.id === "mrlf-beats-baselines-acc")!;
  assert.deepEqual(
    acc.comparisons.map((c) => c.against),
    ["Tagvisor", "DeepGeo", "LocTwi"],
  );
  assert.equal(acc.data.synthetic, false);
  assert.ok(v2.some((r) => r.id === "mrlf-beats-nb-control"));

  const ab = await S.ablationStudy(study);
  allCached(ab.variants.runs, "Fig. 2");
  assert.deepEqual(
    ab.table.rows.map((r) => r.variant),
    ["w/o text", "w/o hashtags", "MRLF (full)"],
  );
  assert.ok(markdown.some((m) => /no images in this dataset — "w\/o image" \(the Fig\. 2 ablation row\) not run/.test(m)));
  const va = S.judgeAblation(run, study, ab);
  assert.deepEqual(
    va.map((r) => r.id),
    ["ablation-each-modality-helps", "ablation-each-modality-helps-mean"],
    "the image claims are not testable without images",
  );

  const noisy = await S.noisyImagesStudy(study);
  assert.equal(noisy, null);
  assert.ok(markdown.some((m) => /no images in this dataset — Table III/.test(m)));
  assert.deepEqual(S.judgeNoisyImages(run, study, noisy), []);

  const fu = await S.fusionStudy(study);
  allCached(fu.independent.runs, "Fig. 3");
  assert.deepEqual(
    fu.tables[0].rows.map((r) => r.variant),
    ["MRLF", "text-tag-end", "concatenation", "Late fusion"],
  );
  assert.equal(fu.correlated, null, "the correlated mode is the generator's");
  const vf = S.judgeFusion(run, study, fu);
  assert.deepEqual(
    vf.find((r) => r.id === "fusion-mrlf-best-mean")!.comparisons.map((c) => c.against),
    ["text-tag-end", "concatenation"],
  );

  const cut = await S.hashtagCutStudy(study);
  allCached(cut.variants.runs, "Fig. 4");
  assert.deepEqual(
    cut.tables[1].rows.map((r) => [r.variant, r.cut]),
    [
      ["no cut", 0],
      ["hashtag cut", 2],
      ["cut < 50 (the paper's)", 50],
    ],
  );

  const leak = await S.nameLeakageStudy(study, t2, () => {});
  assert.ok(leak);
  assert.deepEqual(
    leak!.tables.control.rows.map((r) => r.model),
    ["Majority class", "MRLF", "Tagvisor", "DeepGeo", "LocTwi", "Late fusion", "NB control"],
  );
  assert.ok(
    leak!.tables.counts.rows.every((r) => (r.own as number) > 0),
    "the test posts name their POI (Alpha 0.0, #alphakirche, …)",
  );
  assert.equal(leak!.runs.length, 6 * 2);
  assert.match(S.leakageConclusion(leak!)[0], /of the test posts name their own POI/);
  assert.deepEqual(
    study.skipped.filter((l) => !/\(Table II\)/.test(l)),
    [
      'Testville (real-shaped, text + tags, no images): no images in this dataset — "w/o image" (the Fig. 2 ablation row) not run',
      "Testville (real-shaped, text + tags, no images): no images in this dataset — Table III (noisy images: portrait ratio, removal, inpainting) not run",
      'Testville (real-shaped, text + tags, no images): no images in this dataset — "text+image" (the Fig. 3 fusion variant) not run',
      'Testville (real-shaped, text + tags, no images): no images in this dataset — "hashtag+image" (the Fig. 3 fusion variant) not run',
    ],
  );
});
