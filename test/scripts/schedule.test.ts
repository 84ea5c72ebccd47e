import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { criticalPaths, estimateCosts, pickNext, previousCosts, simulate, type Job } from "../../scripts/schedule";

/** The project's dependency graph (georepro:after lines) with round costs. */
const DAG: Job[] = [
  { name: "00-datasets", after: [], cost: 60 },
  { name: "01-preprocessing", after: ["00-datasets"], cost: 20 },
  { name: "02-mrlf", after: ["01-preprocessing"], cost: 400 },
  { name: "03-ablation", after: ["02-mrlf"], cost: 100 },
  { name: "04-fusion-variants", after: ["02-mrlf"], cost: 200 },
  { name: "05-noisy-images", after: ["01-preprocessing"], cost: 300 },
  { name: "06-low-frequency-hashtags", after: ["02-mrlf"], cost: 150 },
  { name: "07-nb-thresholds", after: [], cost: 150 },
  { name: "08-elbow-k", after: ["07-nb-thresholds"], cost: 60 },
];

test("critical path: own cost plus the costliest chain waiting on it", () => {
  const p = criticalPaths(DAG);
  assert.equal(p.get("04-fusion-variants"), 200);
  assert.equal(p.get("02-mrlf"), 600);
  assert.equal(p.get("00-datasets"), 680);
  assert.equal(p.get("07-nb-thresholds"), 210);
  assert.throws(
    () =>
      criticalPaths([
        { name: "a", after: ["b"], cost: 1 },
        { name: "b", after: ["a"], cost: 1 },
      ]),
    /cycle/,
  );
});

test("two slots: the longest chain starts first, dependencies hold, short work fills the gaps", () => {
  const plan = simulate(DAG, 2);
  const at = Object.fromEntries(plan.map((p) => [p.name, p]));
  for (const j of DAG) for (const d of j.after) assert.ok(at[j.name].start >= at[d].end, `${j.name} starts after ${d}`);
  assert.ok(at["02-mrlf"].start <= at["05-noisy-images"].start, "02 heads the longer chain");
  assert.ok(
    at["04-fusion-variants"].start <= at["06-low-frequency-hashtags"].start &&
      at["06-low-frequency-hashtags"].start <= at["03-ablation"].start,
  );
  // Declaration order (00, 07, 01, 02, 03, 04, …) would end later than the critical-path order.
  const end = Math.max(...plan.map((p) => p.end));
  assert.ok(end <= 20 + 60 + 400 + 200 + 150, `makespan ${end}`);
  assert.equal(plan.length, DAG.length);
});

test("pickNext: ready jobs only; dependencies outside the run do not block", () => {
  const paths = criticalPaths(DAG);
  const all = new Set(DAG.map((j) => j.name));
  assert.equal(DAG[pickNext(DAG, new Set(), paths, all)].name, "00-datasets");
  const only03 = [DAG[3]];
  assert.equal(pickNext(only03, new Set(), criticalPaths(only03), new Set(["03-ablation"])), 0, "02 is not in this run");
  assert.equal(pickNext(only03, new Set(), criticalPaths(only03), all), -1, "02 is in the run and not done");
});

test("costs: the previous run with the same parameters, else the hints, else their median", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sched-"));
  const file = path.join(dir, "run-summary.json");
  fs.writeFileSync(
    file,
    JSON.stringify({
      params: "seed=1",
      notebooks: [
        { notebook: "02-mrlf.ipynb", status: "ok", seconds: 77 },
        { notebook: "03-ablation.ipynb", status: "failed", seconds: 1 },
      ],
    }),
  );
  assert.deepEqual(previousCosts(file, "seed=1"), { "02-mrlf": 77 });
  assert.deepEqual(previousCosts(file, "seed=2"), {});
  assert.deepEqual(previousCosts(path.join(dir, "none.json"), "seed=1"), {});
  assert.deepEqual(estimateCosts(["02-mrlf", "03-ablation", "99-new"], { "02-mrlf": 77 }, { "03-ablation": 5, a: 1, b: 9 }), {
    "02-mrlf": 77,
    "03-ablation": 5,
    "99-new": 5,
  });
});
