/** lib/stats/paired.ts, metrics.ts (weighted), exact.ts: estimates and paired comparisons over runs with item ids. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { stream, type Rng } from "../../lib/runtime/rng";
import { estimateMetric, estimateMetrics, comparePaired, checkPaired, type RepeatedOutcomes } from "../../lib/stats/paired";
import { METRICS, metricOf, unitWeights, weightedMedian, type Outcomes } from "../../lib/metrics/weighted";
import { classificationMetrics } from "../../lib/metrics/classification";
import { indexSampler } from "../../lib/stats/resample";
import { exactPairedTest } from "../../lib/stats/exact";

/** n items of K classes; a system right with probability p (wrong → next class). */
function simulate(rng: Rng, n: number, p: number, K = 4, prefix = "i"): Outcomes {
  const truth = new Int32Array(n);
  const predicted = new Int32Array(n);
  const errorKm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    truth[i] = rng.int(K);
    const ok = rng.next() < p;
    predicted[i] = ok ? truth[i] : (truth[i] + 1) % K;
    errorKm[i] = ok ? 0.2 * rng.next() : 1 + 3 * rng.next();
  }
  return { truth, predicted, errorKm, ids: Array.from({ length: n }, (_, i) => `${prefix}${i}`) };
}

test("one run: the interval of a known proportion covers it at about the nominal rate (300 seeded trials)", () => {
  const p = 0.3;
  const trials = 300;
  let covered = 0;
  for (let t = 0; t < trials; t++) {
    const o = simulate(stream(t, "coverage/data"), 200, p);
    const e = estimateMetric([{ testSet: "seed 1", outcomes: o }], "acc", { rng: stream(t, "coverage/bootstrap"), replicates: 300 });
    if (e.ci.lo <= p && p <= e.ci.hi) covered++;
  }
  const rate = covered / trials;
  assert.ok(rate > 0.9 && rate < 0.99, `coverage ${rate}`);
});

test("a paired interval covers a known difference and is narrower than one system's", () => {
  const trials = 150;
  let covered = 0;
  let widthPaired = 0,
    widthA = 0;
  for (let t = 0; t < trials; t++) {
    const r = stream(t, "paired/data");
    const n = 300;
    const truth = new Int32Array(n);
    const pa = new Int32Array(n);
    const pb = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      truth[i] = r.int(5);
      const u = r.next();
      pa[i] = u < 0.8 ? truth[i] : (truth[i] + 1) % 5;
      pb[i] = u < 0.7 ? truth[i] : (truth[i] + 2) % 5;
    }
    const ids = Array.from({ length: n }, (_, i) => `u${i}`);
    const a: RepeatedOutcomes = [{ testSet: "s", outcomes: { truth, predicted: pa, ids } }];
    const b: RepeatedOutcomes = [{ testSet: "s", outcomes: { truth, predicted: pb, ids } }];
    const c = comparePaired(a, b, "acc", { rng: stream(t, "paired/bootstrap"), replicates: 300 });
    if (c.diff.ci.lo <= 0.1 && 0.1 <= c.diff.ci.hi) covered++;
    widthPaired += c.diff.ci.hi - c.diff.ci.lo;
    widthA += c.a.ci.hi - c.a.ci.lo;
    assert.ok(Math.abs(c.diff.estimate - (c.a.estimate - c.b.estimate)) < 1e-12);
  }
  assert.ok(covered / trials > 0.89, `coverage ${covered / trials}`);
  assert.ok(widthPaired < widthA, `paired width ${widthPaired / trials} vs one system's ${widthA / trials}`);
});

test("several runs: the estimate is the mean of the runs' values; the sd over runs and the counts are reported", () => {
  const sys: RepeatedOutcomes = [0.6, 0.7, 0.8].map((p, s) => ({
    testSet: `seed ${s + 1}`,
    outcomes: simulate(stream(s, "seeds"), 150, p, 4, `s${s}-`),
  }));
  const e = estimateMetric(sys, "acc", { rng: stream(1, "seeds/boot"), replicates: 300 });
  const per = sys.map((t) => metricOf(t.outcomes, "acc"));
  assert.deepEqual(e.perRun, per);
  assert.ok(Math.abs(e.estimate - (per[0] + per[1] + per[2]) / 3) < 1e-12);
  assert.ok(e.runSd > 0.05, `sd over runs ${e.runSd}`);
  assert.ok(e.trainingVar! > 0 && Number.isFinite(e.df) && e.df >= 2);
  assert.ok(e.ci.lo < e.estimate && e.estimate < e.ci.hi);
  assert.equal(e.testSets, 3);
  assert.equal(e.items, 450);
  assert.equal(e.distinctItems, 450);
});

test("same stream name → byte-identical intervals; another name → another resample", () => {
  const o = simulate(stream(3, "det"), 120, 0.5);
  const run = (name: string) =>
    estimateMetrics([{ testSet: "s", outcomes: o }], ["acc", "meanKm", "medianKm", "macroF1"], { rng: stream(1, name), replicates: 100 });
  assert.equal(JSON.stringify(run("a")), JSON.stringify(run("a")));
  assert.notEqual(JSON.stringify(run("a")), JSON.stringify(run("b")));
  const s = indexSampler(stream(1, "idx"));
  const idx = s.draw(1000, new Int32Array(1000));
  assert.ok(idx.every((i) => i >= 0 && i < 1000));
  assert.ok(new Set(idx).size > 550 && new Set(idx).size < 720, `distinct ${new Set(idx).size} (expected ≈ 632)`);
});

test("metrics with unit weights equal lib/metrics (accuracy, macro P/R/F1 like scikit-learn) and the km definitions", () => {
  const o = simulate(stream(9, "m"), 97, 0.55, 6);
  const all = unitWeights(97);
  const ref = classificationMetrics(o.truth, o.predicted);
  assert.ok(Math.abs(METRICS.acc.compute(o, all) - ref.accuracy) < 1e-12);
  assert.ok(Math.abs(METRICS.macroPrecision.compute(o, all) - ref.macroPrecision) < 1e-12);
  assert.ok(Math.abs(METRICS.macroRecall.compute(o, all) - ref.macroRecall) < 1e-12);
  assert.ok(Math.abs(METRICS.macroF1.compute(o, all) - ref.macroF1) < 1e-12);
  const e = [...o.errorKm!].sort((a, b) => a - b);
  assert.ok(Math.abs(METRICS.medianKm.compute(o, all) - e[48]) < 1e-12);
  assert.ok(Math.abs(METRICS.meanKm.compute(o, all) - e.reduce((a, b) => a + b) / 97) < 1e-12);
  assert.equal(METRICS.accAt1km.compute(o, all), e.filter((x) => x <= 1).length / 97);
  assert.equal(METRICS.accAt161.compute(o, all), 1);
});

test("a weight of k is k copies of the item, for every metric (the weighted median too)", () => {
  const o = simulate(stream(2, "w"), 40, 0.5, 5);
  const w = Float64Array.from({ length: 40 }, (_, i) => [0, 1, 2, 3][i % 4]);
  const idx = [...w].flatMap((k, i) => Array.from({ length: k }, () => i));
  const copy: Outcomes = {
    truth: Int32Array.from(idx, (i) => o.truth[i]),
    predicted: Int32Array.from(idx, (i) => o.predicted[i]),
    errorKm: Float64Array.from(idx, (i) => o.errorKm![i]),
  };
  for (const m of Object.values(METRICS)) {
    const a = m.compute(o, w);
    const b = m.compute(copy, unitWeights(idx.length));
    assert.ok(Math.abs(a - b) < 1e-12, `${m.id}: weighted ${a} vs copies ${b}`);
  }
  assert.equal(weightedMedian([1, 2, 3, 4], [1, 1, 1, 1]), 2.5);
  assert.equal(weightedMedian([1, 2, 3, 4], [0, 1, 3, 0]), 3);
  assert.throws(() => METRICS.acc.compute(o, new Float64Array(40)), /weights sum to 0/);
});

test("a paired comparison refuses systems scored on different items, outcomes without ids, and km metrics without coordinates", () => {
  const o = simulate(stream(1, "p"), 50, 0.5);
  const other = simulate(stream(2, "p"), 50, 0.5);
  const opts = { rng: stream(1, "x"), replicates: 100 };
  assert.throws(
    () => comparePaired([{ testSet: "seed 1", outcomes: o }], [{ testSet: "seed 2", outcomes: o }], "acc", opts),
    /test set 0 is "seed 1" for A but "seed 2" for B/,
  );
  assert.throws(
    () => checkPaired([{ testSet: "s", outcomes: o }], [{ testSet: "s", outcomes: other }]),
    /item \d+ has true label \d for A but \d for B/,
  );
  assert.throws(
    () => checkPaired([{ testSet: "s", outcomes: o }], [{ testSet: "s", outcomes: { ...o, ids: o.ids!.map((x) => `${x}'`) } }]),
    /item 0 is "i0" for A but "i0'" for B/,
  );
  assert.throws(() => comparePaired([{ testSet: "s", outcomes: o }], [], "acc", opts), /B: no test sets/);
  assert.throws(
    () => estimateMetric([{ testSet: "s", outcomes: { truth: o.truth, predicted: o.predicted, ids: o.ids } }], "meanKm", opts),
    /no errorKm/,
  );
  assert.throws(
    () => estimateMetric([{ testSet: "s", outcomes: { truth: o.truth, predicted: o.predicted } }], "acc", opts),
    /outcomes\.ids: missing/,
  );
  assert.throws(
    () => estimateMetric([{ testSet: "s", outcomes: { ...o, predicted: o.predicted.slice(1) } }], "acc", opts),
    /49 predictions for 50 true labels/,
  );
  assert.throws(
    () => estimateMetric([{ testSet: "s", outcomes: o }], "acc", { ...opts, replicates: 10 }),
    /replicates must be an integer ≥ 50/,
  );
});

test("exact tests count each distinct item once: McNemar where items appear once, a sign test over users where seeds repeat them", () => {
  const truth = Int32Array.from({ length: 60 }, (_, i) => i % 3);
  const a = truth.slice();
  const b = truth.map((t, i) => (i < 12 ? (t + 1) % 3 : t));
  const ids = Array.from({ length: 60 }, (_, i) => `u${i}`);
  const once = exactPairedTest([{ outcomes: { truth, predicted: a, ids } }], [{ outcomes: { truth, predicted: b, ids } }], "acc")!;
  assert.equal(once.test, "exact McNemar");
  assert.deepEqual([once.positive, once.negative], [12, 0]);
  assert.ok(Math.abs(once.p - 2 / 4096) < 1e-15);
  // The same 60 users under three seeds are not three times the evidence: 12 users for A, none against.
  const three = (p: Int32Array) => [1, 2, 3].map(() => ({ outcomes: { truth, predicted: p, ids } }));
  const rep = exactPairedTest(three(a), three(b), "acc")!;
  assert.equal(rep.test, "exact sign test over distinct items");
  assert.deepEqual([rep.positive, rep.negative, rep.ties], [12, 0, 48]);
  assert.equal(rep.p, once.p);
  assert.equal(exactPairedTest(three(a), three(b), "macroF1"), null, "macro scores do not decompose over items");
  const c = comparePaired(
    three(a).map((t, g) => ({ testSet: `seed ${g}`, ...t })),
    three(b).map((t, g) => ({ testSet: `seed ${g}`, ...t })),
    "acc",
    { rng: stream(1, "mc"), replicates: 200 },
  );
  assert.equal(c.exact!.test, "exact sign test over distinct items");
  assert.equal(c.distinctItems, 60);
  assert.equal(c.items, 180);
});

test("clustered items (a Flickr owner's photos): the owner is the resampling unit — one weight per owner, a wider interval than resampling photos, an exact test over owners", async () => {
  const { itemBootstrap } = await import("../../lib/stats/item-bootstrap");
  // 10 owners × 20 photos; every photo of an owner is right or wrong together (the extreme of within-owner correlation).
  const owners = 10,
    per = 20,
    n = owners * per;
  const truth = new Int32Array(n);
  const predicted = Int32Array.from({ length: n }, (_, i) => (Math.floor(i / per) % 2 === 0 ? 0 : 1));
  const ids = Array.from({ length: n }, (_, i) => `p${i}`);
  const clusters = Array.from({ length: n }, (_, i) => `owner${Math.floor(i / per)}`);
  const o: Outcomes = { truth, predicted, ids, clusters };
  // Every replicate gives all photos of one owner the same weight.
  let checked = 0;
  const r = itemBootstrap(
    [ids],
    (_g, w) => {
      for (let c = 0; c < owners; c++) for (let i = 1; i < per; i++) assert.equal(w[c * per + i], w[c * per]);
      checked++;
      return [METRICS.acc.compute(o, w)];
    },
    { rng: stream(1, "test/clusters"), replicates: 200 },
    [clusters],
  );
  assert.equal(checked, 201);
  assert.equal(r.distinctItems, n);
  assert.equal(r.distinctUnits, owners);
  const byOwner = estimateMetric([{ testSet: "seed 1", outcomes: o }], "acc", { rng: stream(1, "test/clusters/est"), replicates: 400 });
  const byPhoto = estimateMetric([{ testSet: "seed 1", outcomes: { truth, predicted, ids } }], "acc", {
    rng: stream(1, "test/clusters/est"),
    replicates: 400,
  });
  assert.equal(byOwner.distinctClusters, owners);
  assert.equal(byPhoto.distinctClusters, null);
  // Var of a mean over 10 owners vs 200 photos: ≈ 20× (√20 ≈ 4.5× the width).
  assert.ok(byOwner.se > 3 * byPhoto.se, `owner SE ${byOwner.se} vs photo SE ${byPhoto.se}`);
  // The exact test counts owners, not photos.
  const b: Outcomes = { truth, predicted: new Int32Array(n).fill(1), ids, clusters };
  const ex = exactPairedTest([{ outcomes: o }], [{ outcomes: b }], "acc")!;
  assert.equal(ex.test, "exact sign test over clusters");
  assert.equal(ex.positive + ex.negative + ex.ties, owners);
  // One photo in two owners' clusters across runs is refused.
  assert.throws(
    () => itemBootstrap([["a"], ["a"]], () => [0], { rng: stream(1, "x"), replicates: 50 }, [["o1"], ["o2"]]),
    /item "a" is in cluster "o1" in one run and "o2" in run 1/,
  );
});
