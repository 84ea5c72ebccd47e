import { test } from "node:test";
import assert from "node:assert/strict";
import { stream } from "../../lib/runtime/rng";
import { kmeans, elbow, farthestPointInit } from "../../lib/localwords/kmeans";
import { buildCorpus, UserBag } from "../../lib/localwords/corpus";
import { wrapperSelect, stratifiedFolds } from "../../lib/localwords/wrapper";
import { fitNb, predictNb, maskOf, NbReading } from "../../lib/localwords/naive-bayes";

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
