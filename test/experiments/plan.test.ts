/**
 * The cost estimate (lib/experiments/cost.ts) and the trainings it is fed (lib/studies/mrlf/plan.ts):
 * the arithmetic on units it is given, the paper-scale MRLF figure the issue quotes, and the tiny
 * scale's training counts against the trained-model cache entries a real SCALE=tiny run of
 * notebooks 00–08 left (counted per cache kind at commit 2e29c98; SEEDS=2).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { estimatePlan, formatHours, gpuHours, wallHours, type TrainingUnit } from "../../lib/experiments/cost";
import { trainingUnits, trainPosts } from "../../lib/studies/mrlf/plan";
import { SYNTHETIC_CITIES, type SyntheticCityId } from "../../lib/data/synthetic/instagram";
import { readStepTimes } from "../../scripts/plan";
import { fromRoot } from "../../lib/runtime/paths";

const CITIES = SYNTHETIC_CITIES as readonly SyntheticCityId[];

test("estimatePlan: CPU-hours from step times, unmeasured kinds named, wall time bounded by the longest training", () => {
  const units: TrainingUnit[] = [
    { study: "a", kind: "A", trainings: 10, stepsPerTraining: 3600, note: "" },
    { study: "b", kind: "B", trainings: 2, stepsPerTraining: 36_000, note: "" },
    { study: "c", kind: "C", trainings: 5, stepsPerTraining: 100, note: "" },
  ];
  const p = estimatePlan(
    units,
    [
      { kind: "A", scale: "paper", batch: 64, seconds: 1, source: "test" },
      { kind: "B", scale: "paper", batch: 64, seconds: 0.5, source: "test" },
      { kind: "B", scale: "tiny", batch: 32, seconds: 99, source: "another scale" },
    ],
    "paper",
  );
  assert.equal(p.units[0].cpuHours, 10);
  assert.equal(p.units[1].hoursPerTraining, 5);
  assert.equal(p.units[1].cpuHours, 10);
  assert.equal(p.units[2].cpuHours, null);
  assert.equal(p.cpuHours, 20);
  assert.equal(p.longestHours, 5);
  assert.deepEqual(p.unmeasured, ["C"]);
  assert.equal(wallHours(p, 1), 20);
  assert.equal(wallHours(p, 2), 10);
  assert.equal(wallHours(p, 64), 5, "no parallelism beats the longest training");
  assert.equal(gpuHours(p, 8), 2.5);
  assert.throws(() => wallHours(p, 0), /workers: expected a positive integer/);
  assert.throws(() => gpuHours(p, 0), /speed-up: expected a positive number/);
  assert.deepEqual([formatHours(0.2), formatHours(5.25), formatHours(50)], ["12 min", "5.3 h", "2 d 2 h"]);
});

test("paper scale: one seed of MRLF over the three cities is the issue's ≈ 47 CPU-hours at 0.68 s per step", () => {
  const posts = CITIES.map((c) => trainPosts("paper", c));
  assert.ok(Math.abs(posts.reduce((a, b) => a + b, 0) - 157_308) <= 3, `training posts ${posts}`);
  const units = trainingUnits({ scale: "paper", seeds: 1, cities: CITIES }).filter((u) => u.study === "02 Table II" && u.kind === "MRLF");
  assert.equal(units.length, 3);
  assert.equal(units.find((u) => u.city === "new-york")!.stepsPerTraining, 100 * Math.ceil(96_373 / 64));
  const hours = estimatePlan(units, [{ kind: "MRLF", scale: "paper", batch: 64, seconds: 0.68, source: "issue 24" }], "paper").cpuHours;
  assert.ok(hours > 46 && hours < 47.5, `${hours} h`);
  // EPOCHS= replaces the cap, as scheduleFor does.
  const ten = trainingUnits({ scale: "paper", seeds: 1, cities: CITIES, epochs: 10 }).find((u) => u.kind === "MRLF")!;
  assert.equal(ten.stepsPerTraining, 10 * Math.ceil(96_373 / 64));
});

test("tiny scale: the trainings per model and city are the cache entries a real tiny run trained", () => {
  // Cache kind of each unit kind (lib/experiments: trainClassifier's name per model).
  const cacheKind: Record<string, string> = {
    MRLF: "mrlf",
    "MRLF image-only": "mrlf",
    DeepGeo: "deepgeo-chars",
    LocTwi: "loctwi-attention",
    "MobileNetV2 linear": "linear-probe",
    "MobileNetV2 fine-tuned": "mobilenet-top",
    "Late fusion": "late-fusion",
    ResNet50: "resnet50",
    ResNet101: "resnet101",
    DenseNet121: "densenet121",
  };
  const counted = new Map<string, number>();
  for (const u of trainingUnits({ scale: "tiny", seeds: 2, cities: CITIES })) {
    const k = `${cacheKind[u.kind]}-${u.city}`;
    counted.set(k, (counted.get(k) ?? 0) + u.trainings);
  }
  const observed: Record<string, number> = {
    "mrlf-new-york": 37,
    "mrlf-melbourne": 28,
    "mrlf-hong-kong": 28,
    "late-fusion-new-york": 4,
    "late-fusion-melbourne": 13,
    "late-fusion-hong-kong": 2,
  };
  for (const m of ["deepgeo-chars", "loctwi-attention", "linear-probe", "mobilenet-top", "resnet50", "resnet101", "densenet121"])
    for (const c of CITIES) observed[`${m}-${c}`] = 2;
  assert.deepEqual(Object.fromEntries([...counted].sort()), Object.fromEntries(Object.entries(observed).sort()));
});

test("step times are read and checked; the recorded file is valid", () => {
  const times = readStepTimes(fromRoot("bench", "step-times.json"));
  assert.ok(
    times.some((t) => t.kind === "MRLF" && t.scale === "paper"),
    "the paper-width MRLF step is recorded",
  );
  const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "times-")), "t.json");
  fs.writeFileSync(bad, JSON.stringify({ times: [{ kind: "MRLF", scale: "paper", batch: 64, seconds: -1, source: "x" }] }));
  assert.throws(() => readStepTimes(bad), /t\.json: times\[0\]: seconds: missing or invalid \(got -1\)/);
  fs.writeFileSync(bad, "{");
  assert.throws(() => readStepTimes(bad), /t\.json: cannot read step times/);
});

test("plan check: trainings timed from their logs (start line → last epoch, steps summed, kind from the start line), against steps × step time", async () => {
  const { trainingsInLog, checkStepTimes } = await import("../../lib/experiments/cost");
  const log = [
    "2026-12-05T10:00:00.000Z [train mrlf-new-york] training engine",
    "2026-12-05T10:00:01.000Z [train mrlf-new-york] epoch 1/50 loss 2.0 val_loss 1.9 Acc 0.4 meanKm 1.9 900.0 samples/s 25 steps lr 0.0100 *best",
    "not a log line",
    "2026-12-05T10:00:02.500Z [train mrlf-new-york] epoch 2/50 loss 1.5 val_loss 1.2 Acc 0.6 meanKm 1.2 900.0 samples/s 25 steps lr 0.0100 *best",
    "2026-12-05T10:00:02.600Z [train mrlf-new-york] early stop: no validation improvement for 4 epochs (best epoch 2)",
    "2026-12-05T10:00:03.000Z [train mrlf-new-york] training engine [kind MRLF image-only]",
    "2026-12-05T10:00:04.000Z [train mrlf-new-york] epoch 1/50 loss 2.0 val_loss 1.9 Acc 0.4 meanKm 1.9 900.0 samples/s 10 steps lr 0.0100",
    "2026-12-05T10:00:05.000Z [train deepgeo-chars-vienna] tfjs on wasm, cpu (a layer the engine lacks)",
    "2026-12-05T10:00:09.000Z [train deepgeo-chars-vienna] epoch 1/20 loss 2.0 val_loss 1.9 Acc 0.1 900.0 samples/s 4 steps lr 0.0100",
    // A training that never finished an epoch is not counted.
    "2026-12-05T10:00:10.000Z [train late-fusion-vienna] training engine",
  ].join("\n");
  const t = trainingsInLog(log);
  assert.deepEqual(
    t.map((x) => [x.name, x.kind, x.epochs, x.steps, x.seconds]),
    [
      ["mrlf-new-york", "MRLF", 2, 50, 2.5],
      ["mrlf-new-york", "MRLF image-only", 1, 10, 1],
      ["deepgeo-chars-vienna", "DeepGeo", 1, 4, 4],
    ],
  );
  const checked = checkStepTimes(
    t,
    [
      { kind: "MRLF", scale: "default", batch: 64, seconds: 0.1, source: "test" },
      { kind: "DeepGeo", scale: "paper", batch: 64, seconds: 9, source: "another scale" },
    ],
    "default",
  );
  assert.deepEqual(
    checked.map((k) => [k.kind, k.trainings, k.steps, k.measuredSeconds, k.estimatedSeconds]),
    [
      ["MRLF", 1, 50, 2.5, 5],
      ["MRLF image-only", 1, 10, 1, null],
      ["DeepGeo", 1, 4, 4, null],
    ],
  );
});

test("plan check: a run folder without logs is named with what to do", async () => {
  const { checkLines } = await import("../../scripts/plan");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-check-"));
  assert.throws(() => checkLines(dir, [], "default"), /no logs \(run make reproduce OUT=/);
  fs.mkdirSync(path.join(dir, "volatile", "logs", "units"), { recursive: true });
  fs.writeFileSync(
    path.join(dir, "volatile", "logs", "units", "full-mrlf_new-york_1.log"),
    "2026-12-05T10:00:00.000Z [train mrlf-new-york] training engine\n2026-12-05T10:00:03.000Z [train mrlf-new-york] epoch 1/50 loss 2 val_loss 2 Acc 0.1 1.0 samples/s 30 steps lr 0.01\n",
  );
  const lines = checkLines(dir, [{ kind: "MRLF", scale: "default", batch: 64, seconds: 0.05, source: "test" }], "default").join("\n");
  assert.match(lines, /MRLF +1 +30 +3\.0 +1\.5 +2\.00×/);
  fs.rmSync(dir, { recursive: true, force: true });
});
