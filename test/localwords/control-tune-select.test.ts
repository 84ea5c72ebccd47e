import { test } from "node:test";
import assert from "node:assert/strict";
import { stream } from "../../lib/runtime/rng";
import { buildCorpus, UserBag } from "../../lib/localwords/corpus";
import { clusterSizes, randomPartitionLike } from "../../lib/localwords/control";
import { cvTuneThreshold } from "../../lib/localwords/tune";
import { stratifiedFolds } from "../../lib/localwords/wrapper";
import { fitNb, predictNb, maskOf, NbReading } from "../../lib/localwords/naive-bayes";
import { selectByThreshold, selectKBest, selectFeatures, IGR_SCORER } from "../../lib/localwords/select";
import { mnbPartFeatures } from "../../lib/localwords/baselines";

test("the random-partition control keeps the cluster sizes and the word set, and is seeded", () => {
  // 30 words in clusters of sizes 12, 9, 5, 4; words 30..34 are no features (−1).
  const clusterOf = Int32Array.from({ length: 35 }, (_, w) => (w >= 30 ? -1 : w < 12 ? 0 : w < 21 ? 1 : w < 26 ? 2 : 3));
  const a = randomPartitionLike(clusterOf, 4, stream(1, "control"));
  assert.deepEqual(clusterSizes(a, 4), [12, 9, 5, 4], "same sizes as the k-means clusters");
  assert.deepEqual(clusterSizes(clusterOf, 4), [12, 9, 5, 4]);
  for (let w = 0; w < 35; w++) assert.equal(a[w] >= 0, clusterOf[w] >= 0, `word ${w}: the same words are partitioned`);
  assert.deepEqual([...randomPartitionLike(clusterOf, 4, stream(1, "control"))], [...a], "same seed, same partition");
  assert.notDeepEqual([...randomPartitionLike(clusterOf, 4, stream(2, "control"))], [...a], "another seed, another partition");
  assert.notDeepEqual([...a], [...clusterOf], "the words are reshuffled");
  assert.throws(() => clusterSizes(Int32Array.from([0, 5]), 4), /cluster 5, but k = 4/);
});

/** Users at three places; words with a graded location signal, so the best threshold is in the middle. */
function gradedUsers(): UserBag[] {
  const r = stream(9, "graded");
  const places = ["a", "b", "c"];
  return Array.from({ length: 150 }, (_, u) => {
    const label = places[u % 3];
    const counts = new Map<string, number>();
    const add = (w: string) => counts.set(w, (counts.get(w) ?? 0) + 1);
    for (let i = 0; i < 4; i++) if (r.next() < 0.6) add(`${label}_strong${r.int(4)}`);
    for (let i = 0; i < 4; i++) add(r.next() < 0.4 ? `${label}_weak${r.int(6)}` : `${places[r.int(3)]}_weak${r.int(6)}`);
    for (let i = 0; i < 25; i++) add(`noise${r.int(200)}`);
    return { id: `u${u}`, label, counts };
  });
}

for (const reading of ["user-words", "multinomial"] as NbReading[]) {
  test(`CV-tuned N2 (${reading}): each threshold's CV error equals refitting NB on its words, and the minimum wins`, () => {
    const c = buildCorpus(gradedUsers());
    const V = c.vocab.length;
    const L = c.labels.length;
    const scores = IGR_SCORER.score(c.docs, L, V);
    const fold = stratifiedFolds(c.docs, 5, stream(3, "folds"));
    const grid = [0.02, 0.05, 0.1, 0.2, 0.4];
    const all = Array.from({ length: V }, (_, w) => w);
    const t = cvTuneThreshold(c.docs, L, V, scores, all, grid, fold, 5, reading);
    const cvError = (ids: number[]) => {
      let wrong = 0;
      for (let f = 0; f < 5; f++) {
        const tr = c.docs.filter((_, i) => fold[i] !== f);
        const te = c.docs.filter((_, i) => fold[i] === f);
        const p = predictNb(fitNb(tr, L, V, { reading, features: maskOf(V, ids) }), te);
        te.forEach((d, i) => (wrong += p[i] !== d.y ? 1 : 0));
      }
      return wrong / c.docs.length;
    };
    assert.deepEqual(t.grid, grid);
    grid.forEach((g, i) => {
      const ids = selectByThreshold(scores, all, g);
      assert.equal(t.counts[i], ids.length, `words at ${g}`);
      assert.ok(Math.abs(t.errors[i] - cvError(ids)) < 1e-12, `threshold ${g}: ${t.errors[i]} vs refit ${cvError(ids)}`);
    });
    assert.equal(t.errors[t.chosenIndex], Math.min(...t.errors));
    assert.deepEqual(t.selected, selectByThreshold(scores, all, t.chosen));
    assert.ok(new Set(t.errors).size > 1, "the thresholds must differ for the test to mean something");
  });
}

test("feature selection: threshold, k best, a pluggable score function, and MNB-PART's union", () => {
  const scores = Float64Array.from([0.5, 0.1, 0.3, 0.3, 0.0]);
  assert.deepEqual(selectByThreshold(scores, [0, 1, 2, 3, 4], 0.3), [0, 2, 3]);
  assert.deepEqual(selectKBest(scores, [0, 1, 2, 3, 4], 2), [0, 2], "ties: lower id first");
  assert.throws(() => selectKBest(scores, [0], -1), /non-negative integer/);
  assert.throws(() => selectByThreshold(scores, [0], NaN), /finite/);
  const c = buildCorpus(gradedUsers());
  const byLength = {
    name: "length",
    score: (_d: unknown, _l: number, n: number) => Float64Array.from({ length: n }, (_, w) => c.vocab[w].length),
  };
  const sel = selectFeatures(
    c.docs,
    c.labels.length,
    c.vocab.length,
    c.vocab.map((_, w) => w),
    { threshold: 9 },
    byLength,
  );
  assert.equal(sel.scorer, "length");
  assert.deepEqual(
    sel.selected.map((w) => c.vocab[w]).every((w) => w.length >= 9),
    true,
  );
  assert.throws(
    () =>
      selectFeatures(c.docs, c.labels.length, c.vocab.length, [0], { threshold: 0.1 }, { name: "bad", score: () => new Float64Array(1) }),
    /returned 1 scores/,
  );
  const rule = selectFeatures(
    c.docs,
    c.labels.length,
    c.vocab.length,
    c.vocab.map((_, w) => w),
    { threshold: "largest-drop" },
  );
  assert.ok(rule.sweep && rule.threshold === rule.sweep.chosen && rule.rule.startsWith("largest drop"));
  const vocab = ["#nyc", "@bob", "austin", "bagel", "lol"];
  const part = mnbPartFeatures(vocab, [3], new Set(["austin"]));
  assert.deepEqual(part.ids, [0, 1, 2, 3], "IGR words + hashtags + mentions + place names");
  assert.equal(part.textual, 3);
});
