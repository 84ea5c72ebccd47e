/** lib/stats/student-t.ts against scipy.stats.t / scipy.stats.norm: recorded values, and live on a grid when python3-scipy is there. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { execFileSync, spawnSync } from "node:child_process";
import { testNeeding } from "../support/requires";
import { normalCdf, tCdf, tQuantile, tTwoSided } from "../../lib/stats/student-t";

const close = (a: number, b: number, rel: number, what: string) =>
  assert.ok(Math.abs(a - b) <= rel * Math.max(Math.abs(b), 1e-300), `${what}: ${a} vs scipy ${b}`);

// Printed by Debian's python3-scipy 1.10 (scipy.stats.t.cdf, 2·t.sf(|t|), t.ppf, norm.ppf, norm.cdf).
const CDF: [number, number, number][] = [
  [2.0, 2, 0.908248290463863],
  [-1.3, 2, 0.16162351590802015],
  [4.303, 2, 0.9750037375073928],
  [0.5, 1, 0.6475836176504333],
  [12.7, 1, 0.9749878361553279],
  [1.96, 1e6, 0.9750019662073651],
  [-2.5, 3.7, 0.03591101145591339],
  [3.1, 9, 0.993638772010899],
  [0.0, 5, 0.5],
  [7.5, 2.3, 0.9942182619236026],
  [1.0, 0.5, 0.698878389158678],
];
const TWO_SIDED: [number, number, number][] = [
  [2.0, 2, 0.18350341907227397],
  [4.303, 2, 0.0499925249852145],
  [-2.5, 3.7, 0.07182202291182678],
  [3.1, 9, 0.01272245597820195],
  [25, 4, 1.5197525763315734e-5],
];
const QUANTILE: [number, number, number][] = [
  [0.975, 2, 4.302652729749462],
  [0.975, 2.37, 3.7189208397974567],
  [0.99999, 2, 223.60344363454604],
  [0.995, 9, 3.249835541592126],
  [0.6, 4, 0.2707222947075976],
  [0.025, 3, -3.1824463052837086],
  [0.9999, 1, 3183.098757118502],
  [0.975, 120.5, 1.9798467346393642],
];

test("Student t CDF, two-sided tail and quantile equal scipy's (recorded values), also for non-integer ν", () => {
  for (const [t, df, p] of CDF) close(tCdf(t, df), p, 1e-10, `t.cdf(${t}, ${df})`);
  for (const [t, df, p] of TWO_SIDED) close(tTwoSided(t, df), p, 1e-10, `2 t.sf(${t}, ${df})`);
  for (const [p, df, q] of QUANTILE) close(tQuantile(p, df), q, 1e-9, `t.ppf(${p}, ${df})`);
});

test("the normal limit (ν = ∞): norm.cdf and norm.ppf, far into the tails", () => {
  for (const [z, p] of [
    [-8, 6.22096057427174e-16],
    [-1.5, 0.06680720126885807],
    [0, 0.5],
    [2.2, 0.9860965524865014],
    [6, 0.9999999990134123],
  ])
    close(normalCdf(z), p, 1e-10, `norm.cdf(${z})`);
  for (const [p, q] of [
    [0.975, 1.959963984540054],
    [0.995, 2.5758293035489004],
    [0.9999995, 4.89163847571478],
    [0.3, -0.5244005127080409],
  ])
    close(tQuantile(p, Infinity), q, 1e-9, `norm.ppf(${p})`);
  assert.equal(tCdf(1.3, Infinity), normalCdf(1.3));
});

test("bad arguments are refused, naming the parameter", () => {
  assert.throws(() => tCdf(1, 0), /degrees of freedom must be > 0/);
  assert.throws(() => tQuantile(1, 3), /p must be in \(0, 1\)/);
  assert.throws(() => tTwoSided(NaN, 3), /NaN/);
  assert.equal(tQuantile(0.5, 3), 0);
});

const PY = "/usr/bin/python3";
const haveScipy = fs.existsSync(PY) && spawnSync(PY, ["-c", "import scipy.stats"]).status === 0;
testNeeding(
  "Student t and normal functions equal scipy's, run live on 120 (t, ν) and (p, ν) points",
  !haveScipy && `${PY} with scipy is not available (Debian python3-scipy)`,
  () => {
    const pts = Array.from({ length: 60 }, (_, i) => [((i * 37) % 101) / 8 - 6, [1, 1.5, 2, 2.7, 4, 9, 30, 1e9][i % 8]]);
    const ps = Array.from({ length: 60 }, (_, i) => [[0.6, 0.9, 0.975, 0.995, 0.9999, 0.99999, 0.01, 0.2][i % 8], 1 + (i % 13) * 0.7]);
    const out = execFileSync(
      PY,
      [
        "-c",
        "import sys, json\nfrom scipy import stats\nd = json.load(sys.stdin)\nprint(json.dumps([[stats.t.cdf(t, v) for t, v in d['pts']], [stats.t.ppf(p, v) for p, v in d['ps']]]))",
      ],
      { input: JSON.stringify({ pts, ps }), encoding: "utf8" },
    );
    const [cdf, q]: number[][] = JSON.parse(out);
    pts.forEach(([t, v], i) => assert.ok(Math.abs(tCdf(t, v) - cdf[i]) < 1e-11, `t.cdf(${t}, ${v}): ${tCdf(t, v)} vs ${cdf[i]}`));
    ps.forEach(([p, v], i) => close(tQuantile(p, v), q[i], 1e-8, `t.ppf(${p}, ${v})`));
  },
);

test("far tails: a t statistic at rounding level (|t| ~ 1e13 and beyond) gives p = 0, not a failed continued fraction", () => {
  for (const t of [40, 1e6, 5e13, 1e300]) {
    assert.equal(tTwoSided(t, Infinity), 0);
    assert.equal(tTwoSided(-t, 1e8), 0);
    assert.ok(tTwoSided(t, 3) < 1e-4 && tTwoSided(t, 3) >= 0);
  }
  assert.ok(tTwoSided(30, Infinity) > 0 && tTwoSided(30, Infinity) < 1e-190);
});
