/**
 * lib/stats/item-covariance.ts: the closed-form item covariance of item means
 * is the bootstrap's (lib/stats/item-bootstrap.ts) without its noise — exactly
 * p(1 − p)/n for one run's accuracy, and within the bootstrap's Monte Carlo
 * error where runs share part of their items or items come in clusters.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { stream, type Rng } from "../../lib/runtime/rng";
import { itemBootstrap, resamplingUnits } from "../../lib/stats/item-bootstrap";
import { meanItemCovariance } from "../../lib/stats/item-covariance";
import { estimateMetric } from "../../lib/stats/paired";

/** G runs drawing n of a pool's items each (overlapping), item values 0/1 with a per-run rate. */
function overlappingRuns(r: Rng, G: number, pool: number, n: number): { ids: string[][]; values: Float64Array[] } {
  const ids: string[][] = [];
  const values: Float64Array[] = [];
  const base = Array.from({ length: pool }, () => r.next());
  for (let g = 0; g < G; g++) {
    const picked = new Set<number>();
    while (picked.size < n) picked.add(r.int(pool));
    const order = [...picked];
    ids.push(order.map((i) => `u${i}`));
    values.push(Float64Array.from(order, (i) => (base[i] + 0.2 * r.next() > 0.55 ? 1 : 0)));
  }
  return { ids, values };
}

/** The weighted mean the bootstrap evaluates. */
const weightedMean = (v: Float64Array, w: Float64Array): number => {
  let s = 0,
    W = 0;
  for (let i = 0; i < v.length; i++) {
    s += w[i] * v[i];
    W += w[i];
  }
  return s / W;
};

test("one run on its own items: C = p(1 − p)/n exactly, the ideal bootstrap's variance of a proportion", () => {
  const n = 400;
  const v = Float64Array.from({ length: n }, (_, i) => (i % 5 < 2 ? 1 : 0)); // p = 0.4
  const ids = [Array.from({ length: n }, (_, i) => `i${i}`)];
  const c = meanItemCovariance(resamplingUnits(ids, undefined, "test"), [v]);
  assert.ok(Math.abs(c.full[0] - 0.4) < 1e-15);
  assert.ok(Math.abs(c.covariance[0][0] - (0.4 * 0.6) / n) < 1e-15, `${c.covariance[0][0]}`);
  // estimateMetric uses it: the item SE of one run's accuracy is √(p(1 − p)/n), whatever the replicates.
  const truth = new Int32Array(n);
  const predicted = Int32Array.from(v, (x) => (x ? 0 : 1));
  const outcomes = { truth, predicted, ids: ids[0] };
  const e = estimateMetric([{ testSet: "seed 1", outcomes }], "acc", { rng: stream(1, "a"), replicates: 100 });
  const e2 = estimateMetric([{ testSet: "seed 1", outcomes }], "acc", { rng: stream(2, "b"), replicates: 5000 });
  assert.ok(Math.abs(e.se - Math.sqrt((0.4 * 0.6) / n)) < 1e-15);
  assert.equal(e.se, e2.se);
});

test("overlapping runs and clustered items: the closed form agrees with a 20,000-replicate bootstrap entry by entry", () => {
  const G = 4;
  const { ids, values } = overlappingRuns(stream(7, "overlap"), G, 600, 250);
  const check = (clusters: string[][] | undefined, what: string): void => {
    const units = resamplingUnits(ids, clusters, "test");
    const exact = meanItemCovariance(units, values);
    const boot = itemBootstrap(
      ids,
      (g, w) => [weightedMean(values[g], w)],
      { rng: stream(7, `boot/${what}`), replicates: 20000 },
      clusters,
    );
    const scale = Math.sqrt(exact.covariance[0][0] * exact.covariance[1][1]);
    for (let g = 0; g < G; g++)
      for (let h = 0; h < G; h++) {
        const a = exact.covariance[g][h],
          b = boot.covariance[0][g][h];
        // 20,000 replicates: a covariance's Monte Carlo sd is ≈ √(2/20,000) ≈ 1 % of the variances' scale.
        assert.ok(Math.abs(a - b) < 0.05 * scale, `${what} C[${g}][${h}]: closed form ${a}, bootstrap ${b}`);
      }
    for (let g = 0; g < G; g++) assert.ok(Math.abs(exact.full[g] - boot.full[0][g]) < 1e-12);
  };
  check(undefined, "items");
  // Clusters of 5 consecutive pool items (an owner's photos): wider, and still the bootstrap's.
  const clusters = ids.map((run) => run.map((id) => `c${Math.floor(Number(id.slice(1)) / 5)}`));
  check(clusters, "clusters");
});

test("runs without a common item have covariance 0 exactly; bad input names the run and item", () => {
  const ids = [
    ["a", "b", "c"],
    ["d", "e", "f"],
  ];
  const units = resamplingUnits(ids, undefined, "test");
  const c = meanItemCovariance(units, [Float64Array.of(1, 0, 1), Float64Array.of(0, 0, 1)]);
  assert.equal(c.covariance[0][1], 0);
  assert.equal(c.covariance[1][0], 0);
  assert.ok(c.covariance[0][0] > 0 && c.covariance[1][1] > 0);
  assert.throws(() => meanItemCovariance(units, [Float64Array.of(1, 0)]), /1 value lists for 2 runs/);
  assert.throws(() => meanItemCovariance(units, [Float64Array.of(1, 0), Float64Array.of(0, 0, 1)]), /run 0 has 3 items but 2 values/);
  assert.throws(() => meanItemCovariance(units, [Float64Array.of(1, NaN, 0), Float64Array.of(0, 0, 1)]), /run 0, item 1: value NaN/);
  assert.throws(() => resamplingUnits([["a", "a"]], undefined, "test"), /test: run 0: item "a" listed twice/);
  assert.throws(() => resamplingUnits([["a"], ["a"]], [["x"], ["y"]], "test"), /item "a" is in cluster "x" in one run and "y" in run 1/);
});
