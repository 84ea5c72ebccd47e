/** The experiment graph's units and their order (lib/workflow/graph.ts), and the workflow driver's words. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildGraph, checkGraph, markerOf, slug, unitsFine } from "../../lib/workflow/graph";
import { clusterOf, coresOf, describeUnits } from "../../scripts/workflow";

const nb = (stem: string, after: string[] = []) => ({ file: `notebooks/${stem}.ipynb`, after });
const ALL = [
  nb("00-datasets"),
  nb("01-preprocessing", ["00-datasets"]),
  nb("02-mrlf", ["01-preprocessing"]),
  nb("03-ablation", ["01-preprocessing"]),
  nb("05-noisy-images", ["01-preprocessing"]),
  nb("07-nb-thresholds"),
  nb("08-elbow-k", ["07-nb-thresholds"]),
];

test("units: prepared data, features and shared trainings per city and seed, a learning-rate unit per model, notebooks, report", () => {
  const units = buildGraph({
    notebooks: ALL,
    cities: ["new-york", "vienna"],
    seeds: [1, 2],
    tunedModels: ["MRLF", "DeepGeo", "Late fusion"],
  });
  const ids = units.map((u) => u.id);
  const after = (id: string) => units.find((u) => u.id === id)!.after;
  assert.equal(ids.filter((i) => i.startsWith("features/")).length, 4);
  assert.deepEqual(
    ids.filter((i) => i.startsWith("lr/")),
    ["lr/mrlf", "lr/deepgeo", "lr/late-fusion"],
  );
  assert.deepEqual(after("full-mrlf/vienna/2"), ["features/vienna/2", "lr/mrlf"]);
  assert.deepEqual(after("late-fusion/new-york/1"), ["features/new-york/1", "lr/late-fusion"]);
  // 02 reads every learning rate and both shared trainings; 03 only MRLF's; 05 none of the trainings.
  assert.ok(after("nb/02-mrlf").includes("lr/deepgeo") && after("nb/02-mrlf").includes("late-fusion/vienna/2"));
  assert.ok(after("nb/03-ablation").includes("full-mrlf/new-york/1") && !after("nb/03-ablation").includes("lr/deepgeo"));
  assert.ok(!after("nb/03-ablation").some((a) => a.startsWith("late-fusion/")));
  assert.ok(!after("nb/05-noisy-images").some((a) => a.startsWith("full-mrlf/")));
  // 02–06 needed 01 only for the cleaned images, which `prepare` owns; 00 shows what `prepare` generates.
  assert.ok(!after("nb/02-mrlf").includes("nb/01-preprocessing") && after("nb/02-mrlf").includes("prepare"));
  assert.deepEqual(after("nb/00-datasets"), ["prepare"]);
  assert.deepEqual(after("nb/08-elbow-k"), ["nb/07-nb-thresholds"]);
  // 02's and 03's trainings are units per city and seed (05's are not): after that city's and seed's shared units
  // and the rates the notebook reads; the notebook waits for every one of its own.
  assert.deepEqual(
    ids.filter((i) => i.startsWith("runs/")),
    [
      "runs/02-mrlf/new-york/1",
      "runs/02-mrlf/new-york/2",
      "runs/02-mrlf/vienna/1",
      "runs/02-mrlf/vienna/2",
      "runs/03-ablation/new-york/1",
      "runs/03-ablation/new-york/2",
      "runs/03-ablation/vienna/1",
      "runs/03-ablation/vienna/2",
    ],
  );
  assert.deepEqual(after("runs/03-ablation/vienna/2"), ["features/vienna/2", "full-mrlf/vienna/2", "lr/mrlf", "lr/late-fusion"]);
  assert.deepEqual(after("runs/02-mrlf/new-york/1"), [
    "features/new-york/1",
    "full-mrlf/new-york/1",
    "late-fusion/new-york/1",
    "lr/mrlf",
    "lr/deepgeo",
    "lr/late-fusion",
  ]);
  assert.ok(after("nb/02-mrlf").includes("runs/02-mrlf/vienna/2") && !after("nb/02-mrlf").includes("runs/03-ablation/vienna/2"));
  assert.ok(!ids.some((i) => i.startsWith("runs/05-")));
  // The heads of the longest chains go first.
  assert.deepEqual(
    units.filter((u) => u.priority).map((u) => [u.id, u.priority]),
    [
      ["prepare", 3],
      ["lr/mrlf", 2],
      ["runs/02-mrlf/new-york/1", 2],
      ["runs/02-mrlf/new-york/2", 2],
      ["runs/02-mrlf/vienna/1", 2],
      ["runs/02-mrlf/vienna/2", 2],
      ["nb/02-mrlf", 2],
      ["runs/03-ablation/new-york/1", 1],
      ["runs/03-ablation/new-york/2", 1],
      ["runs/03-ablation/vienna/1", 1],
      ["runs/03-ablation/vienna/2", 1],
      ["nb/03-ablation", 1],
      ["nb/07-nb-thresholds", 3],
    ],
  );
  assert.deepEqual(
    after("report"),
    ALL.map((n) => `nb/${n.file.slice(10, -6)}`),
  );
});

test("a graph of notebooks without MRLF studies has no training units; dependencies outside the run are dropped", () => {
  const units = buildGraph({
    notebooks: [nb("08-elbow-k", ["07-nb-thresholds"])],
    cities: ["new-york"],
    seeds: [1],
    tunedModels: ["MRLF"],
  });
  assert.deepEqual(
    units.map((u) => [u.id, u.after]),
    [
      ["nb/08-elbow-k", []],
      ["report", ["nb/08-elbow-k"]],
    ],
  );
  // 07 alone takes every core (its runs and sweep points on worker threads); beside the MRLF units, one.
  const alone = buildGraph({
    notebooks: [nb("07-nb-thresholds"), nb("08-elbow-k", ["07-nb-thresholds"])],
    cities: ["new-york"],
    seeds: [1],
    tunedModels: [],
  });
  assert.deepEqual(
    alone.filter((u) => u.threads).map((u) => [u.id, u.threads]),
    [["nb/07-nb-thresholds", "all"]],
  );
  const beside = buildGraph({ notebooks: [nb("02-mrlf"), nb("07-nb-thresholds")], cities: ["new-york"], seeds: [1], tunedModels: [] });
  assert.ok(beside.every((u) => !u.threads));
});

test("unit granularity: runs/… units on a cluster or 4+ cores (auto), or as set; a bad setting is named", () => {
  assert.equal(unitsFine(undefined, "local", 2), false);
  assert.equal(unitsFine("auto", "local", 4), true);
  assert.equal(unitsFine(undefined, "slurm", 1), true);
  assert.equal(unitsFine("fine", "local", 2), true);
  assert.equal(unitsFine("coarse", "slurm", 64), false);
  assert.throws(() => unitsFine("medium", "local", 2), /GEOREPRO_UNITS: expected fine, coarse or auto \(got "medium"\)/);
  const coarse = buildGraph({ notebooks: [nb("02-mrlf")], cities: ["new-york"], seeds: [1], tunedModels: ["MRLF"], fine: false });
  assert.ok(!coarse.some((u) => u.id.startsWith("runs/")));
  assert.ok(!coarse.find((u) => u.id === "nb/02-mrlf")!.after.some((a) => a.startsWith("runs/")));
});

test("checkGraph refuses unknown dependencies, duplicates and cycles, naming them", () => {
  assert.throws(() => checkGraph([{ id: "a", after: ["b"] }]), /a: after: no unit "b"/);
  assert.throws(
    () =>
      checkGraph([
        { id: "a", after: [] },
        { id: "a", after: [] },
      ]),
    /duplicate/,
  );
  assert.throws(
    () =>
      checkGraph([
        { id: "a", after: ["b"] },
        { id: "b", after: ["a"] },
      ]),
    /cycle a → b → a/,
  );
});

test("names: model slugs, markers, the driver's settings and its one-line summary", () => {
  assert.equal(slug("MobileNetV2 fine-tuned"), "mobilenetv2-fine-tuned");
  assert.equal(markerOf("/c/done/k", "nb/02-mrlf"), "/c/done/k/nb/02-mrlf.done");
  // Units that write results/ name the commit their tables are stamped with; the others do not.
  assert.equal(markerOf("/c/done/k", "report", "0123456789abcdef"), "/c/done/k/commit-0123456789ab/report.done");
  assert.equal(markerOf("/c/done/k", "full-mrlf/vienna/1", "0123456789abcdef"), "/c/done/k/full-mrlf/vienna/1.done");
  assert.equal(clusterOf({}), "local");
  assert.equal(clusterOf({ CLUSTER: "slurm" }), "slurm");
  assert.throws(() => clusterOf({ CLUSTER: "k8s" }), /CLUSTER: expected local or slurm \(got "k8s"\)/);
  assert.equal(coresOf({ CORES: "3" }), 3);
  assert.throws(() => coresOf({ CORES: "0" }), /CORES: expected a positive integer/);
  const units = buildGraph({ notebooks: [nb("02-mrlf")], cities: ["new-york"], seeds: [1], tunedModels: ["MRLF"] });
  const done = units.filter((u) => u.id === "prepare" || u.id.startsWith("features/"));
  assert.equal(describeUnits(done, units), "2 of 6 training/data units");
  assert.equal(
    describeUnits(
      units.filter((u) => u.id === "nb/02-mrlf" || u.id === "report"),
      units,
    ),
    "02-mrlf, report",
  );
});
