/**
 * lib/stats/item-covariance.ts and the item means' influences (lib/metrics/weighted.ts):
 * the closed-form item covariance is the bootstrap's (lib/stats/item-bootstrap.ts)
 * without its noise — exactly p(1 − p)/n for one run's accuracy, and within the
 * bootstrap's Monte Carlo error where runs share part of their items; clustered
 * items and macro scores stay on the bootstrap (lib/stats/paired.ts).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { stream, type Rng } from "../../lib/runtime/rng";
import { itemBootstrap, resamplingUnits } from "../../lib/stats/item-bootstrap";
import { linearizedItemCovariance } from "../../lib/stats/item-covariance";
import { estimateMetric } from "../../lib/stats/paired";
import { METRICS, unitWeights, type MetricId, type Outcomes } from "../../lib/metrics/weighted";

/** G runs drawing n of a pool's users each (overlapping); K classes, a system right about 60 % of the time. */
function overlappingRuns(r: Rng, G: number, pool: number, n: number, K = 5): { ids: string[][]; outcomes: Outcomes[] } {
  const truthOf = Array.from({ length: pool }, () => r.int(K));
  const ease = Array.from({ length: pool }, () => r.next());
  const ids: string[][] = [];
  const outcomes: Outcomes[] = [];
  for (let g = 0; g < G; g++) {
    const picked = new Set<number>();
    while (picked.size < n) picked.add(r.int(pool));
    const order = [...picked];
    const truth = Int32Array.from(order, (i) => truthOf[i]);
    const predicted = Int32Array.from(order, (i, j) => (ease[i] + 0.3 * r.next() > 0.55 ? truth[j] : (truth[j] + 1 + r.int(K - 1)) % K));
    const errorKm = Float64Array.from(order, (_, j) => (predicted[j] === truth[j] ? 2 * r.next() : 5 + 20 * r.next()));
    ids.push(order.map((i) => `u${i}`));
    outcomes.push({ truth, predicted, errorKm, ids: ids[g] });
  }
  return { ids, outcomes };
}

test("one run on its own items: C = p(1 − p)/n exactly, the ideal bootstrap's variance of a proportion", () => {
  const n = 400;
  const predicted = Int32Array.from({ length: n }, (_, i) => (i % 5 < 2 ? 0 : 1)); // p = 0.4
  const outcomes = { truth: new Int32Array(n), predicted, ids: Array.from({ length: n }, (_, i) => `i${i}`) };
  const units = resamplingUnits([outcomes.ids], undefined, "test");
  const C = linearizedItemCovariance(units, [METRICS.acc.influence!(outcomes)]);
  assert.ok(Math.abs(C[0][0] - (0.4 * 0.6) / n) < 1e-15, `${C[0][0]}`);
  // estimateMetric uses it: the item SE of one run's accuracy is √(p(1 − p)/n), whatever the replicates.
  const e = estimateMetric([{ testSet: "seed 1", outcomes }], "acc", { rng: stream(1, "a"), replicates: 100 });
  const e2 = estimateMetric([{ testSet: "seed 1", outcomes }], "acc", { rng: stream(2, "b"), replicates: 5000 });
  assert.ok(Math.abs(e.se - Math.sqrt((0.4 * 0.6) / n)) < 1e-15);
  assert.equal(e.se, e2.se);
});

test("the item means' influences are their derivative in the weights and sum to 0; macro scores and the median have none", () => {
  const { outcomes } = overlappingRuns(stream(3, "deriv"), 1, 300, 120);
  const o = outcomes[0];
  const n = o.truth.length;
  for (const id of Object.keys(METRICS) as MetricId[]) {
    const spec = METRICS[id];
    assert.equal(!!spec.influence, !!spec.perItem, `${id}: an influence exactly where the metric is an item mean`);
    if (!spec.influence) continue;
    const u = spec.influence(o);
    assert.ok(Math.abs(u.reduce((a, b) => a + b, 0)) < 1e-12, `${id}: influences sum to ${u.reduce((a, b) => a + b, 0)}`);
    for (const i of [0, 7, 55, n - 1]) {
      const h = 1e-6;
      const w = unitWeights(n);
      w[i] += h;
      const up = spec.compute(o, w);
      w[i] -= 2 * h;
      const down = spec.compute(o, w);
      const numeric = (up - down) / (2 * h);
      assert.ok(Math.abs(numeric - u[i]) < 1e-6 * Math.max(1, Math.abs(u[i])) + 1e-9, `${id} item ${i}: ${u[i]} vs ${numeric}`);
    }
  }
});

test("overlapping runs: the closed form agrees with a 20,000-replicate bootstrap entry by entry (Acc, Mean km, Acc@…)", () => {
  const G = 4;
  const { ids, outcomes } = overlappingRuns(stream(7, "overlap"), G, 600, 250);
  const units = resamplingUnits(ids, undefined, "test");
  for (const id of ["acc", "meanKm", "accAt1km"] as const) {
    const spec = METRICS[id];
    const exact = linearizedItemCovariance(
      units,
      outcomes.map((o) => spec.influence!(o)),
    );
    const boot = itemBootstrap(ids, (g, w) => [spec.compute(outcomes[g], w)], { rng: stream(7, `boot/${id}`), replicates: 20000 });
    const scale = Math.sqrt(exact[0][0] * exact[1][1]);
    for (let g = 0; g < G; g++)
      for (let h = 0; h < G; h++) {
        const a = exact[g][h],
          b = boot.covariance[0][g][h];
        // 20,000 replicates: a covariance's Monte Carlo sd is ≈ √(2/20,000) ≈ 1 % of the variances' scale.
        assert.ok(Math.abs(a - b) < 0.05 * scale, `${id}: C[${g}][${h}] closed form ${a}, bootstrap ${b}`);
      }
  }
});

test("clustered items and macro scores stay on the bootstrap: their intervals depend on the stream, an unclustered mean's does not", () => {
  const { ids, outcomes } = overlappingRuns(stream(8, "which"), 3, 400, 150);
  const runs = outcomes.map((o, g) => ({ testSet: `seed ${g + 1}`, outcomes: o }));
  const se = (r: typeof runs, id: MetricId, name: string): number => estimateMetric(r, id, { rng: stream(1, name), replicates: 200 }).se;
  assert.equal(se(runs, "acc", "a"), se(runs, "acc", "b"));
  assert.notEqual(se(runs, "macroF1", "a"), se(runs, "macroF1", "b"));
  const clustered = runs.map((t, g) => ({
    ...t,
    outcomes: { ...t.outcomes, clusters: ids[g].map((id) => `c${Math.floor(Number(id.slice(1)) / 5)}`) },
  }));
  assert.notEqual(se(clustered, "acc", "a"), se(clustered, "acc", "b"));
});

test("runs without a common item have covariance 0 exactly; bad input names the run and item", () => {
  const ids = [
    ["a", "b", "c"],
    ["d", "e", "f"],
  ];
  const units = resamplingUnits(ids, undefined, "test");
  const C = linearizedItemCovariance(units, [Float64Array.of(0.1, -0.2, 0.1), Float64Array.of(-0.1, -0.1, 0.2)]);
  assert.equal(C[0][1], 0);
  assert.equal(C[1][0], 0);
  assert.ok(C[0][0] > 0 && C[1][1] > 0);
  assert.throws(() => linearizedItemCovariance(units, [Float64Array.of(1, 0)]), /1 influence lists for 2 runs/);
  assert.throws(
    () => linearizedItemCovariance(units, [Float64Array.of(1, 0), Float64Array.of(0, 0, 1)]),
    /run 0 has 3 items but 2 influences/,
  );
  assert.throws(
    () => linearizedItemCovariance(units, [Float64Array.of(1, NaN, 0), Float64Array.of(0, 0, 1)]),
    /run 0, item 1: influence NaN/,
  );
  assert.throws(() => resamplingUnits([["a", "a"]], undefined, "test"), /test: run 0: item "a" listed twice/);
  assert.throws(() => resamplingUnits([["a"], ["a"]], [["x"], ["y"]], "test"), /item "a" is in cluster "x" in one run and "y" in run 1/);
});
