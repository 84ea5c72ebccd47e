import { test } from "node:test";
import assert from "node:assert/strict";
import { stream } from "../../lib/runtime/rng";
import { kmeans, elbow, farthestPointInit } from "../../lib/localwords/kmeans";
import { buildCorpus, UserBag } from "../../lib/localwords/corpus";
import { wrapperSelect, stratifiedFolds } from "../../lib/localwords/wrapper";
import { SparseCvScorer, cumulativeErrors, denseCvScorer } from "../../lib/localwords/cv-scorer";
import { fitNb, predictNb, maskOf, NbReading, jointLogLikelihood } from "../../lib/localwords/naive-bayes";

function blobs(n: number, centres: number[][], rngName: string): Float64Array {
  const r = stream(3, rngName);
  const dim = centres[0].length;
  const x = new Float64Array(n * centres.length * dim);
  centres.forEach((c, j) => {
    for (let i = 0; i < n; i++) for (let t = 0; t < dim; t++) x[(j * n + i) * dim + t] = c[t] + 0.3 * r.normal();
  });
  return x;
}

function plainLloyd(x: Float64Array, n: number, dim: number, init: Float64Array, k: number): Int32Array {
  const c = init.slice();
  let a = new Int32Array(n).fill(-1);
  for (let it = 0; it < 500; it++) {
    const next = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = Infinity;
      for (let j = 0; j < k; j++) {
        let d = 0;
        for (let t = 0; t < dim; t++) d += (x[i * dim + t] - c[j * dim + t]) ** 2;
        if (d < best) {
          best = d;
          next[i] = j;
        }
      }
    }
    if (next.every((v, i) => v === a[i])) break;
    a = next;
    for (let j = 0; j < k; j++) {
      const m = [...a].map((v, i) => (v === j ? i : -1)).filter((i) => i >= 0);
      if (m.length) for (let t = 0; t < dim; t++) c[j * dim + t] = m.reduce((s, i) => s + x[i * dim + t], 0) / m.length;
    }
  }
  return a;
}

test("k-means with farthest-point init recovers separated blobs and equals plain Lloyd", () => {
  const centres = [
    [0, 0, 0],
    [5, 5, 0],
    [0, 5, 5],
    [5, 0, 5],
  ];
  const x = blobs(30, centres, "blobs");
  const n = 120;
  const r = kmeans(x, n, 3, 4, stream(1, "km"));
  assert.ok(r.converged);
  for (let j = 0; j < 4; j++) {
    const labels = new Set([...r.assignment.slice(j * 30, j * 30 + 30)]);
    assert.equal(labels.size, 1, `blob ${j} split over clusters ${[...labels]}`);
  }
  const init = new Float64Array(12);
  farthestPointInit(x, n, 3, 4, stream(1, "km")).forEach((row, j) => init.set(x.subarray(row * 3, row * 3 + 3), j * 3));
  const k6 = kmeans(x, n, 3, 6, stream(2, "km"));
  const init6 = new Float64Array(18);
  farthestPointInit(x, n, 3, 6, stream(2, "km")).forEach((row, j) => init6.set(x.subarray(row * 3, row * 3 + 3), j * 3));
  assert.deepEqual([...k6.assignment], [...plainLloyd(x, n, 3, init6, 6)]);
  assert.deepEqual([...kmeans(x, n, 3, 4, stream(1, "km")).assignment], [...r.assignment], "same seed, same clusters");
  assert.throws(() => kmeans(x, n, 3, 200, stream(1, "km")), /k=200 exceeds/);
  assert.throws(() => kmeans(x, n, 4, 2, stream(1, "km")), /expected n×dim/);
});

test("elbow rule finds the bend of an SSE curve", () => {
  const ks = [4, 8, 12, 16, 20, 24, 28, 32, 36];
  const sse = [1000, 600, 300, 120, 100, 90, 82, 76, 72];
  assert.equal(elbow(ks, sse).k, 16);
  assert.throws(() => elbow([4, 8], [1, 2]), /at least 3/);
});

// Users at two places; words split in clusters: 0 = strongly local, 1 = pure noise, 2 = weakly local.
function wrapperData(): { bags: UserBag[] } {
  const r = stream(5, "wrapper-data");
  const bags: UserBag[] = [];
  for (let u = 0; u < 120; u++) {
    const label = u % 2 ? "east" : "west";
    const counts = new Map<string, number>();
    const add = (w: string) => counts.set(w, (counts.get(w) ?? 0) + 1);
    for (let i = 0; i < 3; i++) if (r.next() < 0.5) add(`${label}_local${r.int(3)}`);
    for (let i = 0; i < 30; i++) add(`noise${r.int(300)}`);
    if (r.next() < 0.3) add(`${label}_weak`);
    bags.push({ id: `u${u}`, label, counts });
  }
  return { bags };
}

for (const reading of ["user-words", "literal", "multinomial"] as NbReading[]) {
  test(`wrapper (${reading}): precomputed cluster scores equal refitted NB cross-validation, and noise gets removed`, () => {
    const { bags } = wrapperData();
    const c = buildCorpus(bags);
    const V = c.vocab.length;
    const clusterOf = Int32Array.from(c.vocab, (w) => (w.includes("_local") ? 0 : w.startsWith("noise") ? 1 : 2));
    const res = wrapperSelect(c.docs, 2, V, clusterOf, 3, stream(1, "w"), { reading, progressLabel: null });
    // Reference: refit NB per fold on the words of the full set and of the final subset.
    const fold = stratifiedFolds(c.docs, 5, stream(1, "w"));
    const cvError = (clusters: number[]) => {
      const mask = maskOf(
        V,
        [...clusterOf.keys()].filter((w) => clusters.includes(clusterOf[w])),
      );
      let wrong = 0;
      for (let f = 0; f < 5; f++) {
        const tr = c.docs.filter((_, i) => fold[i] !== f);
        const te = c.docs.filter((_, i) => fold[i] === f);
        const p = predictNb(fitNb(tr, 2, V, { reading, features: mask }), te);
        te.forEach((d, i) => (wrong += p[i] !== d.y ? 1 : 0));
      }
      return wrong / c.docs.length;
    };
    assert.ok(Math.abs(res.fullError - cvError([0, 1, 2])) < 1e-12, `full: ${res.fullError} vs ${cvError([0, 1, 2])}`);
    assert.ok(Math.abs(res.error - cvError(res.selected)) < 1e-12);
    if (reading !== "literal") {
      assert.ok(res.selected.includes(0), "the local cluster is kept");
      assert.ok(!res.selected.includes(1), `noise cluster removed (kept ${res.selected}; errors ${res.steps.map((s) => s.error)})`);
    }
    assert.ok(res.error <= res.fullError);
    for (let s = 1; s < res.steps.length; s++)
      assert.ok(res.steps[s].error < res.steps[s - 1].error, "each accepted removal lowers the error");
  });
}

/** Users at `L` places with local, regional and noise words; random cluster assignments over the vocabulary. */
function randomCorpus(seed: number, users: number, L: number) {
  const r = stream(seed, "cv-scorer");
  const bags: UserBag[] = [];
  for (let u = 0; u < users; u++) {
    const label = `p${r.int(L)}`;
    const counts = new Map<string, number>();
    const add = (w: string) => counts.set(w, (counts.get(w) ?? 0) + 1);
    for (let i = 0, m = r.int(6); i < m; i++) add(`${label}_w${r.int(4)}`);
    for (let i = 0, m = 1 + r.int(12); i < m; i++) add(`noise${Math.floor(80 * r.next() ** 2)}`);
    if (r.next() < 0.3) add(`p${r.int(L)}_w${r.int(4)}`);
    bags.push({ id: `u${u}`, label, counts });
  }
  const c = buildCorpus(bags);
  const k = 7;
  const clusterOf = Int32Array.from(c.vocab, () => (r.next() < 0.15 ? -1 : r.int(k)));
  return { c, k, clusterOf, fold: stratifiedFolds(c.docs, 5, r.fork("folds")) };
}

/**
 * The pooled CV error of NB refitted per fold on the words of `groups`, and how
 * many users are ties (their true label within 1e-9 of the best other label):
 * those may go either way with another order of the same float additions.
 */
function refitError(
  c: ReturnType<typeof buildCorpus>,
  clusterOf: Int32Array,
  fold: Int32Array,
  groups: readonly number[],
  reading: NbReading,
) {
  const V = c.vocab.length;
  const L = c.labels.length;
  const mask = maskOf(
    V,
    [...clusterOf.keys()].filter((w) => groups.includes(clusterOf[w])),
  );
  let wrong = 0;
  let ties = 0;
  for (let f = 0; f < 5; f++) {
    const m = fitNb(
      c.docs.filter((_, i) => fold[i] !== f),
      L,
      V,
      { reading, features: mask },
    );
    for (const d of c.docs.filter((_, i) => fold[i] === f)) {
      const j = jointLogLikelihood(m, d);
      let other = -Infinity;
      for (let l = 0; l < L; l++) if (l !== d.y) other = Math.max(other, j[l]);
      if (Math.abs(j[d.y] - other) <= 1e-9 * (1 + Math.abs(other))) ties++;
      else if (other > j[d.y]) wrong++;
    }
  }
  return { low: wrong / c.docs.length, high: (wrong + ties) / c.docs.length, ties };
}

for (const reading of ["user-words", "literal"] as NbReading[])
  test(`cv scorer (${reading}): errors equal refitting NB per fold through removals and additions (ties either way)`, () => {
    let checks = 0;
    let exact = 0;
    for (const [seed, L] of [
      [1, 3],
      [2, 12],
      [3, 40],
    ]) {
      const { c, k, clusterOf, fold } = randomCorpus(seed, 300, L);
      const input = { docs: c.docs, nLabels: c.labels.length, nWords: c.vocab.length, clusterOf, k, fold, folds: 5, reading };
      const all = Array.from({ length: k }, (_, j) => j);
      const sparse = new SparseCvScorer(input, all);
      let subset = all.slice();
      const agrees = (err: number, groups: readonly number[], what: string) => {
        const r = refitError(c, clusterOf, fold, groups, reading);
        assert.ok(err >= r.low - 1e-12 && err <= r.high + 1e-12, `${what}: ${err} outside [${r.low}, ${r.high}] (${r.ties} ties)`);
        checks++;
        if (r.ties === 0) exact++;
      };
      agrees(sparse.error(), subset, `L=${L} all`);
      const check = (what: string) => {
        agrees(sparse.error(), subset, what);
        sparse.errorsWithout(subset).forEach((e, j) =>
          agrees(
            e,
            subset.filter((_, q) => q !== j),
            `${what} without ${subset[j]}`,
          ),
        );
      };
      for (const drop of [3, 0, 6]) {
        sparse.remove(drop);
        subset = subset.filter((x) => x !== drop);
        check(`L=${L} without ${drop}`);
      }
      sparse.add(0);
      subset = [...subset, 0].sort((a, b) => a - b);
      check(`L=${L} 0 back`);
      // From the empty set up, as the N2 tuning adds bands.
      cumulativeErrors(input).forEach((e, j) => agrees(e, all.slice(0, j + 1), `L=${L} groups 0..${j}`));
      const dense = denseCvScorer(input, []);
      assert.throws(() => sparse.add(0), /already in the subset/);
      assert.ok(dense.error() >= 0);
    }
    assert.ok(exact >= checks / 2, `only ${exact} of ${checks} comparisons without ties`);
  });

test("wrapper: the incremental search selects exactly what a search refitting NB for every candidate selects", () => {
  let rounds = 0;
  for (const reading of ["user-words", "literal", "multinomial"] as NbReading[])
    for (const seed of [4, 5, 6, 7, 8, 9]) {
      const { c, k, clusterOf } = randomCorpus(seed, 240, 6);
      const V = c.vocab.length;
      const L = c.labels.length;
      const fold = stratifiedFolds(c.docs, 5, stream(seed, "refit-folds"));
      const res = wrapperSelect(c.docs, L, V, clusterOf, k, stream(1, "unused"), { reading, fold, progressLabel: null });
      const cvError = (clusters: readonly number[]) => {
        const mask = maskOf(
          V,
          [...clusterOf.keys()].filter((w) => clusters.includes(clusterOf[w])),
        );
        let wrong = 0;
        for (let f = 0; f < 5; f++) {
          const te = c.docs.filter((_, i) => fold[i] === f);
          const p = predictNb(
            fitNb(
              c.docs.filter((_, i) => fold[i] !== f),
              L,
              V,
              { reading, features: mask },
            ),
            te,
          );
          te.forEach((d, i) => (wrong += p[i] !== d.y ? 1 : 0));
        }
        return wrong / c.docs.length;
      };
      // Algorithm 2 with a refit for every candidate.
      let subset = Array.from({ length: k }, (_, j) => j);
      let current = cvError(subset);
      const removed: number[] = [];
      while (subset.length > 1) {
        let best = -1;
        let bestErr = Infinity;
        for (const cand of subset) {
          const e = cvError(subset.filter((x) => x !== cand));
          if (e < bestErr) ((bestErr = e), (best = cand));
        }
        if (!(bestErr < current)) break;
        subset = subset.filter((x) => x !== best);
        removed.push(best);
        current = bestErr;
      }
      assert.deepEqual(res.removed, removed, `${reading}, seed ${seed}: removal order`);
      assert.deepEqual(res.selected, subset, `${reading}, seed ${seed}: selection`);
      assert.equal(res.error, current);
      rounds += removed.length;
    }
  assert.ok(rounds >= 6, `the searches removed ${rounds} clusters in all (the comparison must not be vacuous)`);
});
