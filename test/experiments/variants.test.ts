import { test } from "node:test";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import assert from "node:assert/strict";
import {
  ABLATION_VARIANTS,
  FUSION_VARIANTS,
  FULL_MRLF,
  NO_MASK_VARIANT,
  hashtagCutVariant,
  hashtagSweep,
  isFullModel,
  recutSplit,
  hashtagCutSplit,
  claimCuts,
} from "../../lib/experiments/variants";
import { effectiveFusion, mrlfConfig, FUSIONS, MRLF_FUSIONS } from "../../lib/models/mrlf";
import { splitCity, type SplitPost } from "../../lib/experiments/split";
import { preparedCity } from "../../lib/data/preprocess-posts";
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
  assert.equal(
    ABLATION_VARIANTS.find((v) => v.id === "full"),
    FULL_MRLF,
  );
  assert.ok(isFullModel(FULL_MRLF, "default"), "the full model comes from the shared artifact");
  assert.ok(isFullModel(hashtagCutVariant(50, "default"), "default") && !isFullModel(hashtagCutVariant(0, "default"), "default"));
});

test("fusion variants keep all modalities and each runs a different fusion (Sec. IV-D)", () => {
  const fusions = FUSION_VARIANTS.map((v) => {
    const cfg = mrlfConfig(sizes, v.overrides);
    assert.ok(cfg.useText && cfg.useTags && cfg.useImage, v.id);
    return effectiveFusion(cfg);
  });
  assert.deepEqual(fusions, ["mrlf", "text-tag-end", "text-image", "tag-image", "concat"]);
  assert.equal(new Set(FUSION_VARIANTS.map((v) => v.id)).size, FUSION_VARIANTS.length);
  assert.ok(isFullModel(FUSION_VARIANTS[0], "default"), "MRLF in Fig. 3 is the shared full model");
  assert.ok(!isFullModel(NO_MASK_VARIANT, "default") && NO_MASK_VARIANT.overrides.paddingMask === false);
  assert.deepEqual(Object.keys(FUSIONS).sort(), [...MRLF_FUSIONS].sort(), "one registry entry per fusion");
  assert.equal(
    effectiveFusion(mrlfConfig(sizes, { fusion: "text-image", useImage: false })),
    "concat",
    "a fusion missing an input falls back to concat",
  );
});

test("hashtag sweep: no cut, the scale's own cut, ascending", () => {
  assert.deepEqual(hashtagSweep("default"), [0, 10, 50]);
  assert.deepEqual(hashtagSweep("tiny"), [0, 2, 5]);
  const paper = hashtagSweep("paper");
  assert.ok(paper.length > 3 && paper.includes(0) && paper.includes(50), `paper sweep ${paper}`);
  assert.deepEqual(
    paper,
    [...paper].sort((a, b) => a - b),
  );
  assert.equal(hashtagCutVariant(50, "default").minHashtagCount, 50);
  assert.match(hashtagCutVariant(50, "default").label, /this scale's preprocessing/);
  assert.match(hashtagCutVariant(0, "default").label, /no cut/);
  assert.throws(() => hashtagCutVariant(-1, "default"), /minCount: expected a non-negative integer/);
  assert.deepEqual(claimCuts("default"), [0, 50]);
});

function smallCity() {
  const pois = ["a", "b"].map((id, i) => ({ id, name: id.toUpperCase(), lat: 40 + i / 100, lon: -74 }));
  const posts: SplitPost[] = [];
  for (const poi of pois)
    for (let i = 0; i < 10; i++)
      posts.push({
        id: `${poi.id}${i}`,
        poiId: poi.id,
        lat: poi.lat,
        lon: poi.lon,
        text: `post ${i}`,
        hashtags: i % 2 ? [`common`] : [`common`, `rare${poi.id}${i}`],
        images: [],
      });
  return { name: "small", city: "small", pois, posts, checksums: { "posts.jsonl": "abc" } };
}

test("recutSplit keeps posts and partition, swaps hashtags, reports, and changes the cache key", () => {
  const split = splitCity(smallCity(), 3);
  const all = [...split.train, ...split.val, ...split.test];
  // A stricter cut: rare tags gone; post a0 loses every tag.
  const tagsById = new Map(all.map((p) => [p.id, p.id === "a0" ? [] : p.hashtags.filter((h) => h === "common")]));
  const { split: cut, report } = recutSplit(split, tagsById, 7);
  assert.deepEqual(
    cut.train.map((p) => p.id),
    split.train.map((p) => p.id),
  );
  assert.deepEqual(
    cut.test.map((p) => p.id),
    split.test.map((p) => p.id),
  );
  assert.deepEqual(
    cut.test.map((p) => cut.labelOf(p)),
    split.test.map((p) => split.labelOf(p)),
  );
  for (const p of [...cut.train, ...cut.val, ...cut.test]) assert.deepEqual(p.hashtags, tagsById.get(p.id));
  assert.deepEqual(report, {
    minHashtagCount: 7,
    occurrencesBefore: 30,
    occurrencesAfter: 19,
    distinctBefore: 11,
    distinctAfter: 1,
    postsLeftWithoutTags: 1,
  });
  assert.ok(
    split.train.some((p) => p.hashtags.length === 2),
    "the original split is not modified",
  );
  assert.notDeepEqual(cut.key, split.key);
  const again = recutSplit(split, tagsById, 7).split.key;
  assert.deepEqual(again, cut.key, "the key is deterministic");
  const other = recutSplit(split, new Map(all.map((p) => [p.id, p.hashtags])), 0).split.key;
  assert.notDeepEqual(other, cut.key, "different cuts → different cache keys");
  const missing = new Map(tagsById);
  missing.delete("b3");
  assert.throws(() => recutSplit(split, missing, 7), /post b3: hashtags: not in the data preprocessed with minHashtagCount 7/);
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
    assert.deepEqual(
      posts.map((p) => p.id),
      [...split.train, ...split.val, ...split.test].map((p) => p.id),
      "same posts, same order",
    );
    for (const p of posts) assert.deepEqual(p.hashtags, rawTags.get(p.id), `cut 0 restores every hashtag of ${p.id}`);
    assert.ok(none.report.occurrencesAfter > none.report.occurrencesBefore, "the own cut removed something that cut 0 restores");
    assert.equal(none.report.postsLeftWithoutTags, 0);

    const strict = own * 4;
    const hard = await hashtagCutSplit(params, split, ds.thresholds, strict);
    for (const p of [...hard.split.train, ...hard.split.val, ...hard.split.test]) {
      assert.deepEqual(
        p.hashtags,
        rawTags.get(p.id)!.filter((h) => count.get(h)! >= strict),
        `cut ${strict} of ${p.id} counts over the whole city`,
      );
    }
    assert.ok(hard.report.occurrencesAfter < hard.report.occurrencesBefore);
    assert.notDeepEqual(hard.split.key, split.key);
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
});
