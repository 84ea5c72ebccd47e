import { test } from "node:test";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import assert from "node:assert/strict";
import {
  ABLATION_VARIANTS,
  FUSION_VARIANTS,
  FULL_MRLF,
  ablationClaim,
  fusionClaim,
  gridDataset,
  hashtagCutVariant,
  hashtagSweep,
  lowFrequencyClaim,
  recutSplit,
  hashtagCutSplit,
  runVariantGrid,
  summariseRuns,
  variantRows,
  variantBarSeries,
  VARIANT_COLUMNS,
  type VariantRun,
  type VariantSummary,
} from "../../lib/models/variants";
import { effectiveFusion, mrlfConfig } from "../../lib/models/mrlf";
import { splitCity, type SplitPost } from "../../lib/models/baselines/split";
import type { ExperimentContext } from "../../lib/models/baselines/experiment";
import { preparedCity, type PreparedCity } from "../../lib/data/preprocess-posts";
import { syntheticCity } from "../../lib/data/synthetic/instagram";
import { loadParams } from "../../lib/runtime/params";

const sizes = { numClasses: 4, charVocab: 20, wordVocab: 20, tagVocab: 20, imageDim: 8 };

test("ablation variants drop one modality each; the fusion slot follows (Sec. IV-C)", () => {
  const expect: Record<string, { text: boolean; tags: boolean; image: boolean; fusion: string }> = {
    "no-text": { text: false, tags: true, image: true, fusion: "concat" },
    "no-tags": { text: true, tags: false, image: true, fusion: "concat" },
    "no-image": { text: true, tags: true, image: false, fusion: "mrlf" },
    full: { text: true, tags: true, image: true, fusion: "mrlf" },
  };
  assert.deepEqual(ABLATION_VARIANTS.map((v) => v.id).sort(), Object.keys(expect).sort());
  for (const v of ABLATION_VARIANTS) {
    const cfg = mrlfConfig(sizes, v.overrides);
    assert.deepEqual({ text: cfg.useText, tags: cfg.useTags, image: cfg.useImage, fusion: effectiveFusion(cfg) }, expect[v.id], v.id);
  }
  assert.equal(ABLATION_VARIANTS.find((v) => v.id === "full"), FULL_MRLF);
  assert.deepEqual(FULL_MRLF.overrides, {}, "the full model has no overrides, so it is notebook 02's cached model");
});

test("fusion variants keep all modalities and each runs a different fusion (Sec. IV-D)", () => {
  const fusions = FUSION_VARIANTS.map((v) => {
    const cfg = mrlfConfig(sizes, v.overrides);
    assert.ok(cfg.useText && cfg.useTags && cfg.useImage, v.id);
    return effectiveFusion(cfg);
  });
  assert.deepEqual(fusions, ["mrlf", "text-tag-end", "text-image", "tag-image", "concat"]);
  assert.equal(new Set(FUSION_VARIANTS.map((v) => v.id)).size, FUSION_VARIANTS.length);
  assert.deepEqual(FUSION_VARIANTS[0].overrides, {}, "MRLF in Fig. 3 is the cached full model");
});

test("hashtag sweep: no cut, the scale's own cut, ascending", () => {
  assert.deepEqual(hashtagSweep("default"), [0, 10, 50]);
  assert.deepEqual(hashtagSweep("tiny"), [0, 2, 5]);
  const paper = hashtagSweep("paper");
  assert.ok(paper.length > 3 && paper.includes(0) && paper.includes(50), `paper sweep ${paper}`);
  assert.deepEqual(paper, [...paper].sort((a, b) => a - b));
  assert.equal(hashtagCutVariant(50, "default").minHashtagCount, 50);
  assert.match(hashtagCutVariant(50, "default").label, /this scale's preprocessing/);
  assert.match(hashtagCutVariant(0, "default").label, /no cut/);
  assert.throws(() => hashtagCutVariant(-1, "default"), /minCount: expected a non-negative integer/);
});

function smallCity() {
  const pois = ["a", "b"].map((id, i) => ({ id, name: id.toUpperCase(), lat: 40 + i / 100, lon: -74 }));
  const posts: SplitPost[] = [];
  for (const poi of pois)
    for (let i = 0; i < 10; i++) posts.push({ id: `${poi.id}${i}`, poiId: poi.id, lat: poi.lat, lon: poi.lon, text: `post ${i}`, hashtags: i % 2 ? [`common`] : [`common`, `rare${poi.id}${i}`], images: [] });
  return { name: "small", city: "small", pois, posts, checksums: { "posts.jsonl": "abc" } };
}

test("recutSplit keeps posts and partition, swaps hashtags, reports, and changes the cache key", () => {
  const split = splitCity(smallCity(), 3);
  const all = [...split.train, ...split.val, ...split.test];
  // A stricter cut: rare tags gone; post a0 loses every tag.
  const tagsById = new Map(all.map((p) => [p.id, p.id === "a0" ? [] : p.hashtags.filter((h) => h === "common")]));
  const { split: cut, report } = recutSplit(split, tagsById, 7);
  assert.deepEqual(cut.train.map((p) => p.id), split.train.map((p) => p.id));
  assert.deepEqual(cut.test.map((p) => p.id), split.test.map((p) => p.id));
  assert.deepEqual(cut.test.map((p) => cut.labelOf(p)), split.test.map((p) => split.labelOf(p)));
  for (const p of [...cut.train, ...cut.val, ...cut.test]) assert.deepEqual(p.hashtags, tagsById.get(p.id));
  assert.deepEqual(report, { minHashtagCount: 7, occurrencesBefore: 30, occurrencesAfter: 19, distinctBefore: 11, distinctAfter: 1, postsLeftWithoutTags: 1 });
  assert.ok(split.train.some((p) => p.hashtags.length === 2), "the original split is not modified");
  assert.notDeepEqual(cut.key, split.key);
  const again = recutSplit(split, tagsById, 7).split.key;
  assert.deepEqual(again, cut.key, "the key is deterministic");
  const other = recutSplit(split, new Map(all.map((p) => [p.id, p.hashtags])), 0).split.key;
  assert.notDeepEqual(other, cut.key, "different cuts → different cache keys");
  const missing = new Map(tagsById);
  missing.delete("b3");
  assert.throws(() => recutSplit(split, missing, 7), /post b3: hashtags: not in the data preprocessed with minHashtagCount 7/);
});

const sum = (city: string, variant: string, acc: number, km: number): VariantSummary => ({ city, variant, acc: { mean: acc, sd: 0 }, meanKm: { mean: km, sd: 0 }, seeds: 1 });

test("summariseRuns: mean ± sd over seeds; a missing cell or a NaN is an error", () => {
  const runs: VariantRun[] = [
    { city: "x", seed: 1, variant: "full", acc: 0.5, meanKm: 2, fromCache: true },
    { city: "x", seed: 2, variant: "full", acc: 0.7, meanKm: 4, fromCache: false },
    { city: "x", seed: 1, variant: "no-image", acc: 0.4, meanKm: 3, fromCache: false },
  ];
  const s = summariseRuns(runs, ["x"], ["full", "no-image"]);
  assert.equal(s[0].acc.mean, 0.6);
  assert.ok(Math.abs(s[0].acc.sd - Math.SQRT2 * 0.1) < 1e-12);
  assert.equal(s[0].meanKm.mean, 3);
  assert.equal(s[0].seeds, 2);
  assert.equal(s[1].seeds, 1);
  assert.throws(() => summariseRuns(runs, ["x"], ["no-text"]), /no run for city "x", variant "no-text"/);
  assert.throws(() => summariseRuns([{ ...runs[0], acc: NaN }], ["x"], ["full"]), /x seed 1 full: acc\/meanKm: expected finite numbers/);
});

test("ablation claim: built from the numbers, per city", () => {
  const holds = [sum("ny", "full", 0.8, 1), sum("ny", "no-text", 0.7, 1), sum("ny", "no-tags", 0.75, 1), sum("ny", "no-image", 0.5, 1)];
  const c = ablationClaim(holds, ["ny"], () => "New York");
  assert.equal(c.holds, true);
  assert.match(c.sentence, /^The paper's claim .* holds on this data/);
  assert.match(c.sentence, /image \+0\.300/);
  assert.match(c.sentence, /in all 1 cities/);
  const text = [sum("hk", "full", 0.8, 1), sum("hk", "no-text", 0.85, 1), sum("hk", "no-tags", 0.7, 1), sum("hk", "no-image", 0.6, 1)];
  const d = ablationClaim([...holds, ...text], ["ny", "hk"], (x) => x.toUpperCase());
  assert.equal(d.holds, false);
  assert.match(d.sentence, /does not hold/);
  assert.match(d.sentence, /lowers Acc only in NY/);
  assert.match(d.sentence, /text −0\.050/);
  assert.deepEqual(d.perCity[1].parts, { allContribute: false, imageMost: true });
});

test("fusion claim: MRLF vs text-tag-end on Acc, lowest Mean of all fusions", () => {
  const base = (km: number) => [sum("m", "fusion-mrlf", 0.8, km), sum("m", "fusion-text-tag-end", 0.7, 1.2), sum("m", "fusion-text-image", 0.85, 1.1), sum("m", "fusion-tag-image", 0.6, 1.5), sum("m", "fusion-concat", 0.7, 1.3)];
  const ok = fusionClaim(base(1.0), ["m"]);
  assert.equal(ok.holds, true, ok.sentence);
  assert.match(ok.sentence, /best other \(text\+image\) −0\.100 km/);
  const bad = fusionClaim(base(1.15), ["m"]);
  assert.equal(bad.holds, false);
  assert.deepEqual(bad.perCity[0].parts, { beatsEndOnAcc: true, lowestMean: false });
  assert.match(bad.sentence, /its Mean is the lowest in no city/);
});

test("low-frequency claim: the cut must win on both metrics", () => {
  const s = [sum("c", "cut-50", 0.8, 1.0), sum("c", "cut-0", 0.75, 1.1), sum("d", "cut-50", 0.8, 1.2), sum("d", "cut-0", 0.75, 1.1)];
  const one = lowFrequencyClaim(s, ["c"], "cut-50", "cut-0");
  assert.equal(one.holds, true);
  assert.match(one.sentence, /Acc \+0\.050, Mean −0\.100 km/);
  const two = lowFrequencyClaim(s, ["c", "d"], "cut-50", "cut-0");
  assert.equal(two.holds, false);
  assert.match(two.sentence, /Mean is lower only in c/);
});

test("runVariantGrid rejects an empty or duplicated variant list before any work", async () => {
  const ctx = {} as ExperimentContext;
  await assert.rejects(runVariantGrid(ctx, ["x"], [1], []), /variants: empty list/);
  await assert.rejects(runVariantGrid(ctx, ["x"], [1], [FULL_MRLF, { ...FULL_MRLF }]), /duplicate id "full"/);
});

test("gridDataset names the synthetic data and keeps every checksum", () => {
  const c = (city: string, synthetic: boolean) => ({ name: "synthetic-instagram", city, synthetic, description: `${city} posts`, checksums: { "posts.jsonl": city } }) as unknown as PreparedCity;
  const d = gridDataset([c("ny", true), c("mel", true)]);
  assert.equal(d.synthetic, true);
  assert.equal(d.name, "synthetic-instagram");
  assert.deepEqual(d.checksums, { "ny/posts.jsonl": "ny", "mel/posts.jsonl": "mel" });
  assert.throws(() => gridDataset([]), /cities: empty list/);
});

test("variantRows / variantBarSeries: ours beside the paper's, null where the paper prints none", () => {
  const s = [sum("ny", "full", 0.8, 1.0), sum("ny", "no-image", 0.6, 2.0), { ...sum("hk", "full", 0.7, 1.5), acc: { mean: 0.7, sd: 0.05 }, seeds: 2 }, sum("hk", "no-image", 0.5, 2.5)];
  const vs = [ABLATION_VARIANTS.find((v) => v.id === "no-image")!, FULL_MRLF];
  const paper = (city: string, v: string) => (v === "full" && city === "ny" ? { acc: 0.828, meanKm: 1.51 } : null);
  const rows = variantRows(s, ["ny", "hk"], vs, paper, (c) => c.toUpperCase());
  assert.equal(rows.length, 4);
  assert.deepEqual(rows.map((r) => [r.city, r.variant]), [["NY", "w/o image"], ["NY", "MRLF (full)"], ["HK", "w/o image"], ["HK", "MRLF (full)"]]);
  assert.equal(rows[1].acc_paper, 0.828);
  assert.ok(Math.abs((rows[1].acc_diff as number) - (0.8 - 0.828)) < 1e-12);
  assert.equal(rows[1].mean_km_paper, 1.51);
  assert.equal(rows[0].acc_paper, null);
  assert.equal(rows[0].acc_diff, null);
  for (const r of rows) for (const c of VARIANT_COLUMNS) assert.ok(c.key in r, `row has column ${c.key}`);
  const bars = variantBarSeries(s, ["ny", "hk"], vs, "meanKm", paper);
  assert.deepEqual(bars.map((b) => b.name), ["w/o image", "MRLF (full)", "MRLF (full) (paper, Table II)"]);
  assert.deepEqual(bars[1].values, [1.0, 1.5]);
  assert.deepEqual(bars[1].errors, [0, 0], "error bars when any city has more than one seed");
  assert.equal(bars[0].errors, undefined);
  assert.deepEqual(bars[2].values, [1.51, null]);
  assert.equal(bars[2].kind, "paper");
});

test("hashtagCutSplit re-cuts at preprocessing: counts over the whole city, same posts as the prepared split", async () => {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "georepro-variants-"));
  try {
    const params = loadParams({}, { scale: "tiny", seed: 1, cacheDir, manifestDir: path.join(cacheDir, "no-manifests") });
    const ds = await preparedCity(params, "melbourne");
    const split = splitCity(ds, 1);
    const raw = await syntheticCity(params, "melbourne", { verbose: false });
    const count = new Map<string, number>();
    for (const p of raw.posts) for (const h of p.hashtags) count.set(h, (count.get(h) ?? 0) + 1);
    const rawTags = new Map(raw.posts.map((p) => [p.id, p.hashtags]));
    const own = ds.thresholds.minHashtagCount;
    assert.ok(own > 1, `tiny preprocessing cuts (got ${own})`);

    const none = await hashtagCutSplit(params, split, ds.thresholds, 0);
    const posts = [...none.split.train, ...none.split.val, ...none.split.test];
    assert.deepEqual(posts.map((p) => p.id), [...split.train, ...split.val, ...split.test].map((p) => p.id), "same posts, same order");
    for (const p of posts) assert.deepEqual(p.hashtags, rawTags.get(p.id), `cut 0 restores every hashtag of ${p.id}`);
    assert.ok(none.report.occurrencesAfter > none.report.occurrencesBefore, "the own cut removed something that cut 0 restores");
    assert.equal(none.report.postsLeftWithoutTags, 0);

    const strict = own * 4;
    const hard = await hashtagCutSplit(params, split, ds.thresholds, strict);
    for (const p of [...hard.split.train, ...hard.split.val, ...hard.split.test]) {
      assert.deepEqual(p.hashtags, rawTags.get(p.id)!.filter((h) => count.get(h)! >= strict), `cut ${strict} of ${p.id} counts over the whole city`);
    }
    assert.ok(hard.report.occurrencesAfter < hard.report.occurrencesBefore);
    assert.notDeepEqual(hard.split.key, split.key);
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
});
