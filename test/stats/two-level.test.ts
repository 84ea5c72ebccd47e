/**
 * lib/stats/two-level.ts + item-bootstrap.ts: the interval of a result repeated
 * over G training runs carries the runs' variance and the items' (each distinct
 * item drawn once per replicate), and covers at its nominal rate on a simulated
 * two-level model where the one-level bootstrap it replaced (kept verbatim in
 * test/support/one-level-bootstrap.ts, as committed at 1e0f07c) does not.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { stream, type Rng } from "../../lib/runtime/rng";
import { twoLevel, intervalAt } from "../../lib/stats/two-level";
import { itemBootstrap } from "../../lib/stats/item-bootstrap";
import { comparePaired, estimateMetric, type RepeatedOutcomes } from "../../lib/stats/paired";
import { METRICS } from "../../lib/metrics/weighted";
import { tQuantile } from "../../lib/stats/student-t";
import { bootstrapTestSets } from "../support/one-level-bootstrap";

const normal = (r: Rng): number => Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next());

test("the formulas: SE² = σ̂²_train/G + 1ᵀC1/G², σ̂²_train by moments, Satterthwaite ν; truncation gives the normal", () => {
  const x = [1.0, 1.6, 0.5];
  const C = [
    [0.04, 0.01, 0.0],
    [0.01, 0.05, 0.02],
    [0.0, 0.02, 0.03],
  ];
  const G = 3;
  const mean = 1.0333333333333334;
  const s2 = x.reduce((a, v) => a + (v - mean) ** 2, 0) / (G - 1);
  const total = 0.04 + 0.05 + 0.03 + 2 * (0.01 + 0.0 + 0.02);
  const trace = 0.12;
  const train = s2 - (trace - total / G) / (G - 1);
  const se2 = train / G + total / (G * G);
  const e = twoLevel(x, C);
  assert.ok(Math.abs(e.estimate - mean) < 1e-12);
  assert.ok(Math.abs(e.trainingVar! - train) < 1e-12);
  assert.ok(Math.abs(e.se - Math.sqrt(se2)) < 1e-12);
  // Without truncation: SE² = s²/G + Σ_{g≠h} C_gh / (G(G − 1)).
  assert.ok(Math.abs(se2 - (s2 / G + (total - trace) / (G * (G - 1)))) < 1e-12);
  const nu = (se2 * se2) / ((s2 / G) ** 2 / (G - 1));
  assert.ok(Math.abs(e.df - nu) < 1e-9 && e.df >= G - 1);
  const h = tQuantile(0.975, nu) * Math.sqrt(se2);
  assert.ok(Math.abs(e.ci.lo - (mean - h)) < 1e-12 && Math.abs(e.ci.hi - (mean + h)) < 1e-12);
  const wide = intervalAt(e, 0.999);
  assert.ok(wide.lo < e.ci.lo && wide.hi > e.ci.hi);
  // Runs that agree better than item sampling predicts: σ̂²_train truncated to 0, SE from the items alone,
  // ν by the same formula (≥ G − 1: the seed part is still an estimate); runs that agree exactly: ν = ∞.
  const t = twoLevel([1.0, 1.01, 0.99], C);
  assert.equal(t.trainingVar, 0);
  assert.ok(t.truncated);
  assert.ok(Math.abs(t.se - Math.sqrt(total / 9)) < 1e-12);
  assert.ok(Math.abs(t.df - (total / 9) ** 2 / ((0.0001 / 3) ** 2 / 2)) < 1e-6 * t.df && t.df > 2);
  assert.equal(twoLevel([1, 1, 1], C).df, Infinity);
  // One run: no training variance at all.
  const one = twoLevel([0.7], [[0.01]]);
  assert.equal(one.trainingVar, null);
  assert.ok(Math.abs(one.se - 0.1) < 1e-12);
  assert.throws(() => twoLevel([1, 2], [[1]]), /C must be 2 × 2/);
});

test("shared users are resampled once: a user in two test sets gets the same weight in both, in every replicate", () => {
  const runs = [
    ["u1", "u2", "u3", "u4"],
    ["u3", "u4", "u5"],
    ["u6", "u1"],
  ];
  const seen: Map<string, number>[] = [];
  let b = -1;
  itemBootstrap(
    runs,
    (g, w) => {
      if (g === 0) seen[++b] = new Map();
      runs[g].forEach((id, i) => {
        const prev = seen[b].get(id);
        if (prev !== undefined) assert.equal(w[i], prev, `replicate ${b}: ${id} weighs ${prev} in one run, ${w[i]} in run ${g}`);
        seen[b].set(id, w[i]);
      });
      return [w.reduce((a, v) => a + v, 0)];
    },
    { rng: stream(1, "shared-users"), replicates: 60 },
  );
  // 61 calls of run 0: the full sample, then one per replicate; each replicate draws the 6 distinct users 6 times.
  assert.equal(seen.length, 61);
  for (const m of seen.slice(1))
    assert.equal(
      [...m.values()].reduce((a, v) => a + v, 0),
      6,
    );
  assert.throws(() => itemBootstrap([["a", "a"]], () => [0], { rng: stream(1, "x"), replicates: 50 }), /item "a" listed twice/);
});

/** n items × G runs, right with probability p per item (the same items in every run when `shared`). */
function runsOf(r: Rng, G: number, n: number, shared: boolean, p: number): RepeatedOutcomes {
  const base = Int32Array.from({ length: n }, () => r.int(4));
  return Array.from({ length: G }, (_, g) => ({
    testSet: `seed ${g + 1}`,
    outcomes: {
      truth: base,
      predicted: base.map((t) => (r.next() < p ? t : (t + 1) % 4)),
      ids: Array.from({ length: n }, (_, i) => (shared ? `u${i}` : `s${g}u${i}`)),
    },
  }));
}

test("ten seeds on one test fold do not narrow the item part; ten independent test sets do, by ≈ √10", () => {
  const r = stream(4, "fold");
  const one = estimateMetric(runsOf(r, 1, 400, true, 0.4), "acc", { rng: stream(4, "b"), replicates: 400 });
  const shared = runsOf(stream(4, "fold"), 10, 400, true, 0.4);
  const same = estimateMetric(
    shared.map((t) => ({ ...t, outcomes: shared[0].outcomes })),
    "acc",
    { rng: stream(4, "b"), replicates: 400 },
  );
  assert.ok(
    Math.abs(Math.sqrt(same.itemVar) - one.se) < 0.1 * one.se,
    `same users ×10: item SE ${Math.sqrt(same.itemVar)} vs one run ${one.se}`,
  );
  assert.equal(same.distinctItems, 400);
  const indep = estimateMetric(runsOf(stream(5, "indep"), 10, 400, false, 0.4), "acc", { rng: stream(4, "b"), replicates: 400 });
  assert.equal(indep.distinctItems, 4000);
  assert.ok(Math.sqrt(indep.itemVar) < 0.45 * one.se, `independent: item SE ${Math.sqrt(indep.itemVar)} vs ${one.se}`);
});

/**
 * A two-level model of a paired difference on a km metric: run g's item i has
 *   d_gi = δ + τ_g + u_i + ε_gi,   τ_g ~ N(0, σ_τ²) (training), u_i ~ N(0, σ_u²) (item), ε_gi ~ N(0, σ_ε²),
 * A's error 50 + d_gi and B's 50. With shared items every run tests the same n items (the same u_i);
 * otherwise each run its own. The target is δ.
 */
function simulateDifference(r: Rng, G: number, n: number, shared: boolean, delta: number): { a: RepeatedOutcomes; b: RepeatedOutcomes } {
  const sTau = 0.5,
    sU = 2,
    sE = 1;
  const u = Array.from({ length: n }, () => sU * normal(r));
  const a: RepeatedOutcomes[number][] = [];
  const b: RepeatedOutcomes[number][] = [];
  for (let g = 0; g < G; g++) {
    const tau = sTau * normal(r);
    const uu = shared ? u : Array.from({ length: n }, () => sU * normal(r));
    const ids = Array.from({ length: n }, (_, i) => (shared ? `u${i}` : `g${g}u${i}`));
    const truth = new Int32Array(n);
    const errA = Float64Array.from(uu, (ui) => 50 + delta + tau + ui + sE * normal(r));
    a.push({ testSet: `seed ${g + 1}`, outcomes: { truth, predicted: truth, errorKm: errA, ids } });
    b.push({ testSet: `seed ${g + 1}`, outcomes: { truth, predicted: truth, errorKm: new Float64Array(n).fill(50), ids } });
  }
  return { a, b };
}

for (const shared of [true, false])
  test(`two-level coverage, ${shared ? "shared" : "independent"} test items, G = 3: the new interval covers at ≈ 95 %, the one-level bootstrap of 1e0f07c under-covers`, () => {
    // 800 simulations (binomial sd of a 95 % rate ≈ 0.8 points) with few bootstrap replicates, to stay fast;
    // 2,000 simulations at 200 replicates put the coverage at 94–95 % in both variants.
    const sims = 800;
    const delta = 1;
    let covNew = 0,
      covOld = 0;
    for (let s = 0; s < sims; s++) {
      const { a, b } = simulateDifference(stream(s, `two-level/${shared}`), 3, 120, shared, delta);
      const c = comparePaired(a, b, "meanKm", { rng: stream(s, "two-level/boot"), replicates: 150 });
      if (c.diff.ci.lo <= delta && delta <= c.diff.ci.hi) covNew++;
      // Today's (1e0f07c) interval: items resampled within each seed (shared test sets as one group), seeds pooled by the mean.
      const f = METRICS.meanKm.compute;
      const old = bootstrapTestSets(
        a.map((t) => t.outcomes.truth.length),
        (g, idx) => {
          const w = new Float64Array(idx.length === 0 ? 0 : a[g].outcomes.truth.length);
          for (let j = 0; j < idx.length; j++) w[idx[j]]++;
          return [f(a[g].outcomes, w) - f(b[g].outcomes, w)];
        },
        { rng: stream(s, "two-level/old"), replicates: 150, ...(shared ? { groups: [0, 0, 0] } : {}) },
      ).estimates[0];
      if (old.ci.lo <= delta && delta <= old.ci.hi) covOld++;
    }
    const rateNew = covNew / sims;
    const rateOld = covOld / sims;
    assert.ok(rateNew >= 0.92 && rateNew <= 0.98, `two-level interval covers ${rateNew} (nominal 0.95)`);
    assert.ok(rateOld < 0.85, `the one-level bootstrap covers ${rateOld}: it leaves out the training variance`);
  });
