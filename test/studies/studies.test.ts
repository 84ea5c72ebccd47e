/**
 * The section studies on a toy city at the tiny scale: Table II (floors,
 * every baseline that runs, MRLF, learning rates chosen on validation), the
 * ablation and the fusion study — tables with a row per system, claims judged
 * and written for the claims table.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { table2Study, judgeTable2, CLAIM_BASELINES } from "../../lib/studies/mrlf/table2";
import { ablationStudy, judgeAblation } from "../../lib/studies/mrlf/ablation";
import { fusionStudy, judgeFusion } from "../../lib/studies/mrlf/fusion";
import { MAJORITY, STRATIFIED } from "../../lib/studies/mrlf/summary";
import { readClaimResults } from "../../lib/claims/record";
import { toyStudy } from "./helpers";

test("Table II, ablation and fusion studies: rows for every system, validation-chosen rates, claims judged per city", async () => {
  const { study, markdown } = await toyStudy();
  const t2 = await table2Study(study, () => {});
  const models = t2.tables.table2.rows.map((r) => r.model);
  for (const m of [MAJORITY, STRATIFIED, ...CLAIM_BASELINES, "Late fusion", "NB control", "MRLF"])
    assert.ok(models.includes(m), `Table II row ${m}`);
  assert.ok(
    t2.tables.table2.rows.every(
      (r) => r.seeds === 2 && (r.acc_lo as number) <= (r.acc as number) && (r.acc as number) <= (r.acc_hi as number),
    ),
  );
  const mrlfRates = t2.learningRates.find((c) => c.model === "MRLF")!;
  assert.deepEqual(
    mrlfRates.candidates.map((c) => c.learningRate),
    study.ctx.sizes.schedule.MRLF.candidates,
  );
  assert.ok(mrlfRates.candidates.some((c) => c.learningRate === mrlfRates.chosen));
  assert.ok(
    t2.runs.filter((r) => r.system === "MRLF").every((r) => r.learningRate === mrlfRates.chosen),
    "Table II's MRLF trains at the chosen rate",
  );
  assert.ok(t2.tables.learningRates.rows.some((r) => r.chosen === "◀"));
  const claims = judgeTable2(study.run, study, t2);
  assert.deepEqual(
    claims.map((c) => c.id),
    ["mrlf-beats-baselines-acc", "mrlf-beats-baselines-mean", "mrlf-beats-nb-control"],
  );
  assert.equal(claims[0].comparisons.length, CLAIM_BASELINES.length);
  assert.equal(claims[0].testSets, 2);
  assert.ok(
    markdown.some((m) => /MRLF has a higher Acc than every Table II baseline/.test(m)),
    "the sentence is shown",
  );

  const ab = await ablationStudy(study);
  assert.deepEqual(
    ab.table.rows.map((r) => r.variant),
    ["w/o text", "w/o hashtags", "w/o image", "MRLF (full)"],
  );
  const full = ab.variants.runs.filter((r) => r.system === "MRLF (full)");
  const t2Mrlf = t2.runs.filter((r) => r.system === "MRLF");
  assert.ok(
    full.every((r) => r.fromCache),
    "the full model is Table II's, loaded from the cache",
  );
  assert.deepEqual(
    full.map((r) => Array.from(r.predicted)),
    t2Mrlf.map((r) => Array.from(r.predicted)),
  );
  assert.deepEqual(
    judgeAblation(study.run, study, ab).map((c) => c.id),
    ["ablation-each-modality-helps", "ablation-image-helps-most", "ablation-each-modality-helps-mean", "ablation-image-helps-most-mean"],
  );

  const fu = await fusionStudy(study);
  assert.equal(fu.correlated, null, "real data: no generator, no correlated mode");
  assert.deepEqual(
    fu.tables.map((t) => t.name),
    ["fig3-fusion-variants", "04-padding-mask"],
  );
  assert.ok(fu.tables[1].rows.some((r) => /with masks, .* without/.test(String(r.verdicts))));
  assert.deepEqual(
    judgeFusion(study.run, study, fu).map((c) => c.id),
    ["fusion-conv-beats-text-tag-end", "fusion-mrlf-best-mean", "mrlf-beats-late-fusion", "fusion-similar-to-concatenation"],
  );

  const written = readClaimResults(study.params.outDir).map((r) => `${r.id}--${r.setting}`);
  assert.ok(
    written.includes("mrlf-beats-late-fusion--new-york") && written.includes("ablation-image-helps-most--new-york"),
    written.join(", "),
  );
  assert.ok(fs.existsSync(path.join(study.params.outDir, "claims")));
});
