import { test } from "node:test";
import assert from "node:assert/strict";
import { stream } from "../../lib/runtime/rng";
import { estimateMetric, estimateMetrics, comparePaired, checkPaired, diffInterval, type RepeatedOutcomes } from "../../lib/stats/paired";
import { METRICS, allItems, type Outcomes } from "../../lib/stats/metrics";
import { classificationMetrics } from "../../lib/metrics/classification";
import { indexSampler } from "../../lib/stats/resample";

/** n items of K classes; a system right with probability p (wrong → next class). */
function simulate(rng: ReturnType<typeof stream>, n: number, p: number, K = 4): Outcomes {
  const truth = new Int32Array(n);
  const predicted = new Int32Array(n);
  const errorKm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    truth[i] = rng.int(K);
    const ok = rng.next() < p;
    predicted[i] = ok ? truth[i] : (truth[i] + 1) % K;
    errorKm[i] = ok ? 0.2 * rng.next() : 1 + 3 * rng.next();
  }
  return { truth, predicted, errorKm };
}

test("the 95 % bootstrap CI of a known proportion covers it at about the nominal rate (300 seeded trials)", () => {
  const p = 0.3;
  const trials = 300;
  let covered = 0;
  for (let t = 0; t < trials; t++) {
    const o = simulate(stream(t, "coverage/data"), 200, p);
    const e = estimateMetric([{ testSet: "seed 1", outcomes: o }], "acc", { rng: stream(t, "coverage/bootstrap"), replicates: 500 });
    if (e.ci.lo <= p && p <= e.ci.hi) covered++;
  }
  const rate = covered / trials;
  // Binomial(300, 0.95) has sd 1.3 %; the percentile CI of a proportion at n = 200 is slightly liberal.
  assert.ok(rate > 0.9 && rate < 0.99, `coverage ${rate}`);
});

test("the paired CI of a known difference covers it at about the nominal rate, and is narrower than unpaired", () => {
  const trials = 150;
  let covered = 0;
  let widthPaired = 0,
    widthA = 0;
  for (let t = 0; t < trials; t++) {
    const r = stream(t, "paired/data");
    const n = 300;
    // A and B share the hard items: B is right on a subset of A's correct items → true diff = 0.75·(0.8 − 0.7)… computed exactly below.
    const truth = new Int32Array(n);
    const pa = new Int32Array(n);
    const pb = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      truth[i] = r.int(5);
      const u = r.next();
      pa[i] = u < 0.8 ? truth[i] : (truth[i] + 1) % 5;
      pb[i] = u < 0.7 ? truth[i] : (truth[i] + 2) % 5;
    }
    const a: RepeatedOutcomes = [{ testSet: "s", outcomes: { truth, predicted: pa } }];
    const b: RepeatedOutcomes = [{ testSet: "s", outcomes: { truth, predicted: pb } }];
    const c = comparePaired(a, b, "acc", { rng: stream(t, "paired/bootstrap"), replicates: 500 });
    if (c.diff.ci.lo <= 0.1 && 0.1 <= c.diff.ci.hi) covered++;
    widthPaired += c.diff.ci.hi - c.diff.ci.lo;
    widthA += c.a.ci.hi - c.a.ci.lo;
    assert.ok(Math.abs(c.diff.estimate - (c.a.estimate - c.b.estimate)) < 1e-12);
  }
  assert.ok(covered / trials > 0.89, `coverage ${covered / trials}`);
  assert.ok(widthPaired < widthA, `paired width ${widthPaired / trials} vs one system's ${widthA / trials}`);
});

test("several seeds: resampled within each seed and pooled by the mean; sd over seeds is reported", () => {
  const sys: RepeatedOutcomes = [0.6, 0.7, 0.8].map((p, s) => ({
    testSet: `seed ${s + 1}`,
    outcomes: simulate(stream(s, "seeds"), 150, p),
  }));
  const e = estimateMetric(sys, "acc", { rng: stream(1, "seeds/boot"), replicates: 400 });
  const per = sys.map((t) => METRICS.acc.compute(t.outcomes, allItems(150)));
  assert.deepEqual(e.perTestSet, per);
  assert.ok(Math.abs(e.estimate - (per[0] + per[1] + per[2]) / 3) < 1e-12);
  assert.ok(e.sd > 0.05, `sd over seeds ${e.sd}`);
  assert.ok(e.ci.lo < e.estimate && e.estimate < e.ci.hi);
  assert.equal(e.testSets, 3);
  assert.equal(e.items, 450);
});

test("same stream name → byte-identical intervals; another name → another resample", () => {
  const o = simulate(stream(3, "det"), 120, 0.5);
  const run = (name: string) =>
    estimateMetrics([{ testSet: "s", outcomes: o }], ["acc", "meanKm", "medianKm", "macroF1"], { rng: stream(1, name), replicates: 300 });
  assert.equal(JSON.stringify(run("a")), JSON.stringify(run("a")));
  assert.notEqual(JSON.stringify(run("a")), JSON.stringify(run("b")));
  const s = indexSampler(stream(1, "idx"));
  const idx = s.draw(1000, new Int32Array(1000));
  assert.ok(idx.every((i) => i >= 0 && i < 1000));
  assert.ok(new Set(idx).size > 550 && new Set(idx).size < 720, `distinct ${new Set(idx).size} (expected ≈ 632)`);
});

test("item metrics on all items equal lib/metrics (accuracy, macro P/R/F1 like scikit-learn) and the km definitions", () => {
  const o = simulate(stream(9, "m"), 97, 0.55, 6);
  const all = allItems(97);
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

test("a paired comparison refuses systems scored on different items, and km metrics without coordinates", () => {
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
  assert.throws(() => comparePaired([{ testSet: "s", outcomes: o }], [], "acc", opts), /B: no test sets/);
  assert.throws(
    () => estimateMetric([{ testSet: "s", outcomes: { truth: o.truth, predicted: o.predicted } }], "meanKm", opts),
    /no errorKm/,
  );
  assert.throws(
    () => estimateMetric([{ testSet: "s", outcomes: { truth: o.truth, predicted: o.predicted.slice(1) } }], "acc", opts),
    /49 predictions for 50 true labels/,
  );
  assert.throws(
    () => estimateMetric([{ testSet: "s", outcomes: o }], "acc", { ...opts, replicates: 10 }),
    /replicates must be an integer ≥ 100/,
  );
});

test("an exact McNemar test comes with every paired accuracy comparison; a wider level gives a wider interval", () => {
  const truth = Int32Array.from({ length: 60 }, (_, i) => i % 3);
  const a = truth.slice();
  const b = truth.map((t, i) => (i < 12 ? (t + 1) % 3 : t));
  const c = comparePaired(
    [{ testSet: "s", outcomes: { truth, predicted: a } }],
    [{ testSet: "s", outcomes: { truth, predicted: b } }],
    "acc",
    { rng: stream(1, "mc"), replicates: 1000 },
  );
  assert.deepEqual({ b: c.mcnemar!.b, c: c.mcnemar!.c }, { b: 12, c: 0 });
  assert.ok(Math.abs(c.mcnemar!.p - 2 / 4096) < 1e-15);
  const wide = diffInterval(c, 0.99);
  assert.ok(wide.lo <= c.diff.ci.lo && wide.hi >= c.diff.ci.hi);
});

test("test sets that name the same items share resamples: repeating seeds on one test fold does not narrow the CI", () => {
  const o = simulate(stream(4, "shared/data"), 400, 0.4);
  const width = (sys: RepeatedOutcomes) => {
    const e = estimateMetric(sys, "acc", { rng: stream(4, "shared/bootstrap"), replicates: 1000 });
    return e.ci.hi - e.ci.lo;
  };
  const one = width([{ testSet: "seed 1", outcomes: o }]);
  const shared = width(Array.from({ length: 10 }, (_, i) => ({ testSet: `seed ${i + 1}`, items: "fold 5", outcomes: o })));
  const independent = width(Array.from({ length: 10 }, (_, i) => ({ testSet: `seed ${i + 1}`, outcomes: o })));
  assert.ok(Math.abs(shared - one) < 0.15 * one, `shared ${shared} vs one test set ${one}`);
  assert.ok(independent < 0.5 * one, `independent resamples narrow it by ≈ √10: ${independent} vs ${one}`);
  // A paired comparison keeps the sharing, and both systems must name the same items.
  const b = { ...o, predicted: o.truth.map((t, i) => (i % 3 ? t : (t + 1) % 4)) as Int32Array };
  const A = Array.from({ length: 5 }, (_, i) => ({ testSet: `seed ${i + 1}`, items: "fold 5", outcomes: o }));
  const B = Array.from({ length: 5 }, (_, i) => ({ testSet: `seed ${i + 1}`, items: "fold 5", outcomes: b }));
  const c1 = comparePaired(A.slice(0, 1), B.slice(0, 1), "acc", { rng: stream(5, "shared/paired"), replicates: 1000 });
  const c5 = comparePaired(A, B, "acc", { rng: stream(5, "shared/paired"), replicates: 1000 });
  const w = (c: typeof c1) => c.diff.ci.hi - c.diff.ci.lo;
  assert.ok(Math.abs(w(c5) - w(c1)) < 0.15 * w(c1), `paired widths ${w(c5)} vs ${w(c1)}`);
  assert.throws(
    () =>
      comparePaired(
        A,
        B.map((t) => ({ ...t, items: "other" })),
        "acc",
        { rng: stream(5, "x") },
      ),
    /names items "fold 5" for A but "other" for B/,
  );
  assert.throws(
    () =>
      estimateMetric(
        [
          { testSet: "a", items: "x", outcomes: o },
          { testSet: "b", items: "x", outcomes: simulate(stream(1, "small"), 10, 0.5) },
        ],
        "acc",
        { rng: stream(1, "x") },
      ),
    /share group 0 but hold 400 and 10 items/,
  );
});

test("McNemar pools discordant items only over independent test sets", () => {
  const o = simulate(stream(6, "mc/data"), 300, 0.5);
  const b = { ...o, predicted: o.truth.map((t, i) => (i % 4 ? t : (t + 1) % 4)) as Int32Array };
  const mk = (x: typeof o, items?: string) =>
    Array.from({ length: 3 }, (_, i) => ({ testSet: `seed ${i + 1}`, ...(items ? { items } : {}), outcomes: x }));
  assert.ok(
    comparePaired(mk(o), mk(b), "acc", { rng: stream(6, "mc"), replicates: 200 }).mcnemar,
    "independent test sets: McNemar on the pooled counts",
  );
  assert.equal(
    comparePaired(mk(o, "fold 5"), mk(b, "fold 5"), "acc", { rng: stream(6, "mc"), replicates: 200 }).mcnemar,
    undefined,
    "the same users under three seeds are not three times the evidence",
  );
});

test("index sampler: xoshiro128** draws as the reference recurrence; resampled medians and shares equal sorting and counting", () => {
  // Reference: the generator written out plainly, state seeded as indexSampler seeds it.
  const seedRng = stream(9, "sampler");
  const st = [0, 0, 0, 0].map((_, i) => Math.floor(seedRng.next() * 2 ** 32) | 0 | (i === 3 ? 1 : 0));
  const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));
  const ref = (n: number) =>
    Array.from({ length: n }, () => {
      const r = Math.imul(rotl(Math.imul(st[1], 5), 7), 9) >>> 0;
      const t = st[1] << 9;
      st[2] ^= st[0];
      st[3] ^= st[1];
      st[1] ^= st[2];
      st[0] ^= st[3];
      st[2] ^= t;
      st[3] = rotl(st[3], 11);
      return Math.floor((r / 4294967296) * n);
    });
  const s = indexSampler(stream(9, "sampler"));
  for (const n of [1, 7, 1000, 5]) assert.deepEqual(Array.from(s.draw(n, new Int32Array(n))), ref(n));
  const r = stream(3, "median");
  for (const n of [1, 2, 3, 10, 101, 400]) {
    const e = Float64Array.from({ length: n }, () => Math.round(r.next() * 50) * 10); // ties on purpose
    const o = { truth: new Int32Array(n), predicted: Int32Array.from({ length: n }, () => r.int(2)), errorKm: e };
    for (let rep = 0; rep < 20; rep++) {
      const idx = Int32Array.from({ length: n }, () => r.int(n));
      const v = Float64Array.from(idx, (i) => e[i]).sort();
      const m = n >> 1;
      assert.equal(METRICS.medianKm.compute(o, idx), n % 2 ? v[m] : (v[m - 1] + v[m]) / 2);
      assert.equal(METRICS.acc.compute(o, idx), Array.from(idx).filter((i) => o.predicted[i] === 0).length / n);
      assert.equal(METRICS.accAt161.compute(o, idx), Array.from(idx).filter((i) => e[i] <= 161).length / n);
    }
  }
});

test("a large bootstrap split with a helper thread (the second half from a jumped sampler) gives identical intervals", () => {
  const r = stream(4, "parallel");
  const sys = (p: number) => [0, 1, 2].map((s) => ({ testSet: `split ${s}`, outcomes: simulate(r, 12_000, p) }));
  const a = sys(0.6);
  const b = a.map((t) => ({
    ...t,
    outcomes: { ...t.outcomes, predicted: t.outcomes.predicted.map((x, i) => (i % 7 === 0 ? (x + 1) % 4 : x)) },
  }));
  const shared = a.map((t, s) => ({ ...t, items: s < 2 ? "fold" : undefined, outcomes: s < 2 ? a[0].outcomes : t.outcomes }));
  const run = (mode: string) => {
    const before = process.env.GEOREPRO_TRAIN_WORKERS;
    process.env.GEOREPRO_TRAIN_WORKERS = mode;
    try {
      const opts = (name: string) => ({ rng: stream(1, name), replicates: 1000 });
      return [
        estimateMetrics(a, ["acc", "medianKm", "macroF1"], opts("e")),
        estimateMetrics(shared, ["acc"], opts("g")),
        comparePaired(a, b, "acc", opts("p")),
      ];
    } finally {
      if (before === undefined) delete process.env.GEOREPRO_TRAIN_WORKERS;
      else process.env.GEOREPRO_TRAIN_WORKERS = before;
    }
  };
  const [e1, g1, p1] = run("off");
  const [e2, g2, p2] = run("on");
  assert.deepEqual(e2, e1);
  assert.deepEqual(g2, g1);
  assert.deepEqual(Array.from((p2 as any).diffReplicates), Array.from((p1 as any).diffReplicates));
  assert.deepEqual({ ...p2, diffReplicates: null }, { ...p1, diffReplicates: null });
  // The jump itself: drawing n and jumping n land on the same state.
  const s1 = indexSampler(stream(2, "jump"));
  const s2 = indexSampler(stream(2, "jump"));
  s1.draw(50_000, new Int32Array(50_000));
  s2.jump(50_000);
  assert.deepEqual(Array.from(s1.state()), Array.from(s2.state()));
});
