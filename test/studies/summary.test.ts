import { test } from "node:test";
import assert from "node:assert/strict";
import { stream } from "../../lib/runtime/rng";
import { splitCity } from "../../lib/experiments/split";
import { resultFromProbs, type RunResult } from "../../lib/experiments/run";
import {
  floorRuns,
  MAJORITY,
  STRATIFIED,
  metricCells,
  metricColumns,
  repeatedOutcomes,
  summarise,
  systemsIn,
} from "../../lib/studies/mrlf/summary";
import { pickCandidate, validationScore } from "../../lib/studies/mrlf/tuning";

function city() {
  const pois = ["a", "b", "c"].map((id, i) => ({ id, name: id, lat: 40 + i * 0.02, lon: -74 }));
  const posts = Array.from({ length: 90 }, (_, i) => ({
    id: `p${String(i).padStart(2, "0")}`,
    poiId: pois[i % 7 < 4 ? 0 : i % 3].id,
    lat: 40 + (i % 7 < 4 ? 0 : i % 3) * 0.02,
    lon: -74,
    text: "",
    hashtags: [],
    images: [],
  }));
  return { name: "toy", city: "x", pois, posts, checksums: { f: "1" } };
}

/** A run whose prediction is right with probability `p` (seeded). */
function fakeRun(split: ReturnType<typeof splitCity>, system: string, seed: number, p: number): RunResult {
  const r = stream(seed, `fake/${system}`);
  const k = split.pois.length;
  const probs = new Float32Array(split.test.length * k);
  split.test.forEach((q, i) => (probs[i * k + (r.next() < p ? split.labelOf(q) : (split.labelOf(q) + 1) % k)] = 1));
  return resultFromProbs(split, system, seed, probs, { fromCache: true, notes: [], details: "" });
}

test("repeated outcomes are in seed order, one test set per seed; summaries carry a CI around the estimate and sd over seeds", () => {
  const runs: RunResult[] = [];
  for (const seed of [3, 1, 2]) {
    const s = splitCity(city(), seed);
    runs.push(fakeRun(s, "good", seed, 0.9), fakeRun(s, "bad", seed, 0.3));
  }
  const rep = repeatedOutcomes(runs, "x", "good");
  assert.deepEqual(
    rep.map((t) => t.testSet),
    ["seed 1", "seed 2", "seed 3"],
  );
  assert.throws(() => repeatedOutcomes(runs, "x", "none"), /no run of "none" in x/);
  assert.deepEqual(Object.keys(systemsIn(runs, "x", ["bad", "good"])), ["bad", "good"]);
  const s = summarise(runs, 1, "t");
  const good = s.find((x) => x.system === "good")!;
  const acc = good.estimates.acc;
  assert.ok(acc.ci.lo < acc.estimate && acc.estimate < acc.ci.hi && acc.estimate > 0.8, JSON.stringify(acc.ci));
  assert.ok(acc.runSd > 0, "three splits give a non-zero sd");
  assert.ok(acc.distinctItems < acc.items, "the three splits of one city share test posts: each counted once");
  assert.equal(good.seeds, 3);
  const row = metricCells(good, { acc: 0.8, meanKm: 1 });
  for (const c of metricColumns(true)) assert.ok(c.key in row, `column ${c.key}`);
  assert.ok(Math.abs((row.acc_diff as number) - (acc.estimate - 0.8)) < 1e-12);
  assert.deepEqual(summarise(runs, 1, "t"), s, "seeded: the same CIs again");
});

test("chance floors: majority class predicts the most frequent training location; stratified random is seeded and follows the training distribution", () => {
  const split = splitCity(city(), 1);
  const [maj, strat] = floorRuns(split, 1, 7);
  assert.equal(maj.system, MAJORITY);
  assert.equal(strat.system, STRATIFIED);
  assert.ok(
    maj.predicted.every((c) => c === 0),
    "location a is the most frequent",
  );
  assert.deepEqual(Array.from(floorRuns(split, 1, 7)[1].predicted), Array.from(strat.predicted));
  assert.notDeepEqual(Array.from(floorRuns(split, 1, 8)[1].predicted), Array.from(strat.predicted), "another root seed, another draw");
  assert.ok(new Set(strat.predicted).size > 1);
});

test("learning rates: best validation Acc wins, then lower validation loss, then the smaller rate", () => {
  const c = (learningRate: number, valAcc: number, valLoss: number) => ({
    learningRate,
    valAcc,
    valLoss,
    bestEpoch: 1,
    epochsRun: 1,
    decayed: false,
  });
  assert.equal(pickCandidate([c(0.001, 0.5, 1), c(0.003, 0.6, 2), c(0.01, 0.55, 0.5)]), 0.003);
  assert.equal(pickCandidate([c(0.001, 0.6, 1.2), c(0.003, 0.6, 1.1)]), 0.003);
  assert.equal(pickCandidate([c(0.01, 0.6, 1), c(0.003, 0.6, 1)]), 0.003);
  assert.throws(() => pickCandidate([]), /no candidates/);
  const history = [1, 2, 3].map((epoch) => ({
    epoch,
    loss: 1,
    valLoss: 2 - epoch / 10,
    valAcc: [0.4, 0.6, 0.5][epoch - 1],
    lr: epoch < 3 ? 0.01 : 0.008,
    extra: {},
  }));
  const s = validationScore({ history, bestEpoch: 2, learningRate: 0.01 } as unknown as RunResult);
  assert.deepEqual(s, { learningRate: 0.01, valAcc: 0.6, valLoss: 1.8, bestEpoch: 2, epochsRun: 3, decayed: true });
});
