/**
 * The claims registry's system labels are the labels the studies give their
 * runs (a renamed variant would otherwise fail only when a notebook judges it),
 * and every MRLF claim is judged by the notebook the registry names.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { CLAIMS } from "../../lib/claims/registry";
import { CLAIM_BASELINES } from "../../lib/studies/mrlf/table2";
import { ABLATION_VARIANTS, FUSION_VARIANTS } from "../../lib/experiments/variants";
import { CUT_LABEL, NO_CUT_LABEL } from "../../lib/studies/mrlf/hashtag-cut";
import { TABLE3_VARIANTS } from "../../lib/studies/mrlf/noisy-images";
import { correlatedSetting } from "../../lib/studies/mrlf/fusion";
import { fromRoot } from "../../lib/runtime/paths";
import { NB_CONTROL } from "../../lib/experiments/nb-control";

test("every MRLF claim names systems the studies produce, and its notebook calls the study that judges it", () => {
  const produced = new Set([
    "MRLF",
    "Late fusion",
    ...CLAIM_BASELINES,
    ...ABLATION_VARIANTS.map((v) => v.label),
    ...FUSION_VARIANTS.map((v) => v.label),
    CUT_LABEL,
    NO_CUT_LABEL,
    ...TABLE3_VARIANTS.map((v) => v.label),
    NB_CONTROL,
  ]);
  const judges: Record<string, string> = {
    "02-mrlf": "judgeTable2",
    "03-ablation": "judgeAblation",
    "04-fusion-variants": "judgeFusion",
    "05-noisy-images": "judgeNoisyImages",
    "06-low-frequency-hashtags": "judgeHashtagCut",
  };
  const mrlf = CLAIMS.filter((c) => c.paper === "mrlf");
  assert.ok(
    mrlf.some((c) => c.id === "mrlf-beats-late-fusion"),
    "the late-fusion claim is registered",
  );
  for (const c of mrlf) {
    for (const s of [c.favoured, ...c.against]) assert.ok(produced.has(s), `${c.id}: no study produces a system labelled "${s}"`);
    const src = fs.readFileSync(fromRoot("notebooks", "src", `${c.notebook}.ts`), "utf8");
    assert.ok(src.includes(judges[c.notebook]), `${c.id}: notebook ${c.notebook} does not call ${judges[c.notebook]}`);
  }
  for (const id of ["fusion-conv-beats-text-tag-end", "mrlf-beats-late-fusion"])
    assert.ok(
      CLAIMS.find((c) => c.id === id)!.settings.some((s) => s.id === correlatedSetting("new-york")),
      `${id}: a correlated-mode setting`,
    );
  assert.ok(path.isAbsolute(fromRoot("notebooks")));
});
