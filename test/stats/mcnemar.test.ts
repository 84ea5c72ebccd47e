import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { execFileSync, spawnSync } from "node:child_process";
import { testNeeding } from "../support/requires";
import { binomialHalfCdf, discordant, mcnemarExact } from "../../lib/stats/mcnemar";

// scipy.stats.binomtest(b, b + c, 0.5).pvalue, printed by Debian's python3-scipy 1.10.
const SCIPY: [number, number, number][] = [
  [10, 2, 0.03857421875],
  [0, 0, 1],
  [5, 5, 1],
  [25, 11, 0.028816719655878845],
  [1, 0, 1],
  [300, 260, 0.09925587005739667],
  [0, 7, 0.015625],
];

test("exact McNemar p-values equal scipy's binomtest on fixed tables (recorded values)", () => {
  for (const [b, c, p] of SCIPY) {
    const r = mcnemarExact(b, c);
    assert.ok(Math.abs(r.p - p) < 1e-12 * Math.max(1, p), `b=${b} c=${c}: ${r.p} vs scipy ${p}`);
  }
});

const PY = "/usr/bin/python3";
const haveScipy = fs.existsSync(PY) && spawnSync(PY, ["-c", "import scipy.stats"]).status === 0;
testNeeding(
  "exact McNemar p-values equal scipy's binomtest, run live on 40 tables",
  !haveScipy && `${PY} with scipy is not available (Debian python3-scipy)`,
  () => {
    const tables = Array.from({ length: 40 }, (_, i) => [(i * 7) % 23, ((i * 13) % 31) + (i % 3)] as const);
    const out = execFileSync(
      PY,
      [
        "-c",
        "import sys, json\nfrom scipy.stats import binomtest\nt = json.load(sys.stdin)\nprint(json.dumps([1.0 if b + c == 0 else binomtest(b, b + c, 0.5).pvalue for b, c in t]))",
      ],
      { input: JSON.stringify(tables), encoding: "utf8" },
    );
    const ps: number[] = JSON.parse(out);
    tables.forEach(([b, c], i) =>
      assert.ok(Math.abs(mcnemarExact(b, c).p - ps[i]) < 1e-10, `b=${b} c=${c}: ${mcnemarExact(b, c).p} vs scipy ${ps[i]}`),
    );
  },
);

test("binomial CDF at 1/2: small cases by hand, symmetry, large n without overflow", () => {
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-15, `${a} vs ${b}`);
  close(binomialHalfCdf(0, 3), 1 / 8);
  close(binomialHalfCdf(1, 3), 4 / 8);
  assert.equal(binomialHalfCdf(3, 3), 1);
  assert.equal(binomialHalfCdf(-1, 3), 0);
  // symmetry of Binomial(n, 1/2): P[X ≤ k] + P[X ≤ n − k − 1] = 1
  for (const [k, n] of [
    [3, 10],
    [40, 101],
    [4321, 10000],
  ])
    assert.ok(Math.abs(binomialHalfCdf(k, n) + binomialHalfCdf(n - k - 1, n) - 1) < 1e-12, `k=${k} n=${n}`);
  const mid = binomialHalfCdf(5000, 10000);
  assert.ok(mid > 0.5 && mid < 0.51, String(mid));
});

test("discordant counts, and bad counts are refused", () => {
  assert.deepEqual(discordant([0, 1, 2, 0], [0, 1, 0, 1], [0, 0, 2, 1]), { b: 1, c: 1 });
  assert.throws(() => mcnemarExact(-1, 2), /non-negative integers/);
  assert.throws(() => discordant([0, 1], [0], [0, 1]), /2 items but 1 and 2/);
});
