/**
 * What trains a run's models (lib/runtime/device.ts): the plan's rule on given probes (pure), and
 * the real thing in child processes, one per setting of GEOREPRO_TRAINER / GEOREPRO_BACKEND: the
 * probe on this machine, a model trained by the engine and by TensorFlow.js on the CPU, where each
 * run's results and cache go, and a GPU the probe reports but TensorFlow.js cannot start.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { computeLabel, CPU_DEVICE, decidePlan, isCpuDefault, PROBE_ENV, probeGpu, slug, trainerMode } from "../../lib/runtime/device";
import { adapterName, isSoftwareAdapter, type GpuProbe } from "../../lib/runtime/gpu-probe";
import { fromRoot } from "../../lib/runtime/paths";

const NO_GPU: GpuProbe = { device: null, skipped: { "tensorflow-gpu": "not installed", webgpu: "no adapter" } };
const H100: GpuProbe = {
  device: { backend: "webgpu", name: "NVIDIA H100 80GB HBM3", detail: "vendor nvidia" },
  skipped: { "tensorflow-gpu": "not installed" },
};
const WASM = { backend: "wasm" as const, skipped: { tensorflow: "not installed" } };

test("the plan: no GPU → the engine on the CPU; a GPU → TensorFlow.js on it; GEOREPRO_TRAINER overrides", () => {
  const cpu = decidePlan("auto", undefined, NO_GPU, WASM);
  assert.equal(cpu.trainer, "engine");
  assert.equal(cpu.backend, "wasm");
  assert.equal(cpu.device, CPU_DEVICE);
  assert.ok(isCpuDefault(cpu));
  assert.equal(computeLabel(cpu), null);
  assert.deepEqual(Object.keys(cpu.skipped).sort(), ["tensorflow", "tensorflow-gpu", "webgpu"], "every faster backend has a reason");
  assert.match(cpu.why, /no GPU \(tensorflow-gpu: not installed; webgpu: no adapter\) → the training engine/);

  const gpu = decidePlan("auto", undefined, H100, WASM);
  assert.equal(gpu.trainer, "tfjs");
  assert.equal(gpu.backend, "webgpu");
  assert.equal(gpu.device, "NVIDIA H100 80GB HBM3");
  assert.ok(!isCpuDefault(gpu));
  assert.equal(computeLabel(gpu), "gpu-nvidia-h100-80gb-hbm3");

  const tfjsGpu = decidePlan("tfjs", undefined, H100, WASM);
  assert.equal(tfjsGpu.backend, "webgpu");
  const tfjsCpu = decidePlan("tfjs", undefined, NO_GPU, WASM);
  assert.deepEqual([tfjsCpu.trainer, tfjsCpu.backend, tfjsCpu.device], ["tfjs", "wasm", CPU_DEVICE]);
  assert.equal(computeLabel(tfjsCpu), "tfjs-cpu");
  const engine = decidePlan("engine", undefined, null, WASM);
  assert.deepEqual([engine.trainer, engine.backend, engine.gpu], ["engine", "wasm", null]);
  assert.match(engine.why, /GEOREPRO_TRAINER=engine: no GPU looked for/);
  // A forced CPU backend is the plan's backend; a forced GPU backend needs its device.
  assert.equal(decidePlan("auto", "cpu", null, WASM).backend, "cpu");
  assert.throws(() => decidePlan("auto", "webgpu", NO_GPU, WASM), /GEOREPRO_BACKEND=webgpu but no GPU was found for it \(no adapter\)/);
  assert.throws(() => decidePlan("engine", "webgpu", H100, WASM), /GEOREPRO_TRAINER=engine trains on the CPU/);
  assert.equal(decidePlan("auto", "webgpu", H100, WASM).backend, "webgpu");
});

test("GEOREPRO_TRAINER is checked; labels and adapter names", () => {
  assert.equal(trainerMode({}), "auto");
  assert.equal(trainerMode({ GEOREPRO_TRAINER: "tfjs" }), "tfjs");
  assert.throws(() => trainerMode({ GEOREPRO_TRAINER: "gpu" }), /GEOREPRO_TRAINER: expected one of auto, engine, tfjs \(got "gpu"\)/);
  assert.equal(slug("NVIDIA GeForce RTX 4090 (24 GB)"), "nvidia-geforce-rtx-4090-24-gb");
  assert.equal(adapterName({ description: "NVIDIA H100", vendor: "nvidia" }), "NVIDIA H100");
  assert.equal(adapterName({ vendor: "nvidia", architecture: "hopper" }), "nvidia hopper");
  // Software adapters are CPUs: they must not send a run to a GPU folder.
  assert.ok(isSoftwareAdapter({ description: "llvmpipe (LLVM 15.0.6, 256 bits)" }));
  assert.ok(isSoftwareAdapter({ vendor: "google", architecture: "swiftshader" }));
  assert.ok(isSoftwareAdapter({ isFallbackAdapter: true, description: "x" }));
  assert.ok(!isSoftwareAdapter({ vendor: "nvidia", architecture: "hopper", description: "NVIDIA H100 80GB HBM3" }));
});

/** Run `body` (JavaScript, with `lib` = dist/lib) in a child process with `env` added; returns its JSON. */
function inChild(body: string, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const script = `
    const lib = (m) => require(${JSON.stringify(fromRoot("dist", "lib"))} + "/" + m);
    (async () => { ${body} })().then((r) => { process.stdout.write("\\nRESULT " + JSON.stringify(r) + "\\n"); process.exit(0); },
      (e) => { process.stdout.write("\\nRESULT " + JSON.stringify({ error: e.message }) + "\\n"); process.exit(0); });`;
  const clean = { ...process.env };
  for (const k of ["GEOREPRO_TRAINER", "GEOREPRO_BACKEND", "GEOREPRO_OUT", "GEOREPRO_CACHE", PROBE_ENV]) delete clean[k];
  const r = spawnSync(process.execPath, ["-e", script], { env: { ...clean, ...env }, encoding: "utf8", timeout: 240_000 });
  const line = (r.stdout ?? "").split("\n").find((l) => l.startsWith("RESULT "));
  assert.ok(line, `child printed no result: ${r.stderr}`);
  return JSON.parse(line.slice(7));
}

/** A tiny model trained through trainClassifier with a cache, and what the run records about it. */
const TRAIN_TINY = `
  const tf = require("@tensorflow/tfjs");
  const { trainClassifier } = lib("training");
  const { loadParams } = lib("runtime/params");
  const { computeRecord, runKey } = lib("runtime/provenance");
  const { selectBackend } = lib("tfjs/backend");
  const n = 48, x = new Float32Array(n * 4), labels = new Int32Array(n);
  for (let i = 0; i < n; i++) { labels[i] = i % 2; for (let j = 0; j < 4; j++) x[i * 4 + j] = (j % 2 === labels[i] ? 1 : 0) + ((i * 7 + j * 3) % 5) / 10; }
  const set = { features: { x: { data: x, shape: [4] } }, labels };
  const build = (rng) => { const inp = tf.input({ shape: [4], name: "x" });
    const out = tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: rng.seedInt() }) }).apply(inp);
    return tf.model({ inputs: inp, outputs: out }); };
  const sel = await selectBackend();
  const t = await trainClassifier({ name: "plan-probe", build, train: set, val: set, numClasses: 2, seed: 1, epochs: 2, batchSize: 16,
    log: () => {}, cache: { dir: process.env.TEST_CACHE, key: "tiny" } });
  const p = loadParams();
  const entries = require("fs").readdirSync(require("path").join(process.env.TEST_CACHE, "model-plan-probe")).filter((f) => !f.endsWith(".lock"));
  return { backend: sel.name, device: sel.device, skipped: sel.skipped, trainer: t.trainer, trainedBy: t.trainedBy,
    outDir: p.outDir, cacheDir: p.cacheDir, compute: computeRecord(), run: runKey(p), entries };`;

test("on this machine: the probe, and a model trained as the plan says (engine by default, tfjs with GEOREPRO_TRAINER=tfjs)", () => {
  const probe = probeGpu();
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cache-"));
  const auto = inChild(TRAIN_TINY, { TEST_CACHE: cache });
  const tfjs = inChild(TRAIN_TINY, { TEST_CACHE: cache, GEOREPRO_TRAINER: "tfjs" });
  const engine = inChild(TRAIN_TINY, { TEST_CACHE: cache, GEOREPRO_TRAINER: "engine" });
  for (const r of [auto, tfjs, engine]) assert.equal(r.error, undefined, String(r.error));
  const tfjsVersion = JSON.parse(fs.readFileSync(fromRoot("node_modules", "@tensorflow", "tfjs-core", "package.json"), "utf8")).version;
  if (probe.device) {
    // A machine with a GPU: auto trains on it with tfjs, into the GPU folder.
    assert.equal(auto.device, probe.device.name);
    assert.equal((auto.trainedBy as { trainer: string }).trainer, `tfjs-${tfjsVersion}`);
    assert.match(String(auto.outDir), /results-gpu-/);
  } else {
    // No GPU: every GPU backend says why, the engine trains, results and cache stay the CPU default's.
    for (const b of ["tensorflow-gpu", "webgpu"]) {
      assert.ok(probe.skipped[b as "webgpu"], `no reason recorded for ${b}`);
      assert.ok((auto.skipped as Record<string, string>)[b], `selectBackend lost the reason for ${b}`);
    }
    assert.equal(auto.device, CPU_DEVICE);
    assert.deepEqual(auto.trainedBy, { trainer: "engine-1", backend: "engine (WebAssembly)", device: CPU_DEVICE });
    assert.equal(auto.outDir, fromRoot("results"));
    assert.equal(auto.cacheDir, fromRoot(".cache"));
    assert.equal((auto.run as { compute?: string }).compute, undefined, "the CPU default's run key is unchanged");
    const c = auto.compute as Record<string, unknown>;
    assert.deepEqual([c.trainer, c.backend, c.device, c.cpuDefault], ["engine-1", auto.backend, CPU_DEVICE, true]);
    assert.ok((c.fallback as Record<string, string>).webgpu, "provenance carries the fallback reasons");
    // GEOREPRO_TRAINER=tfjs: TensorFlow.js on the CPU backend, into its own folder, same cache.
    assert.deepEqual(tfjs.trainedBy, { trainer: `tfjs-${tfjsVersion}`, backend: auto.backend, device: CPU_DEVICE });
    assert.equal(tfjs.outDir, fromRoot("results-tfjs-cpu"));
    assert.equal(tfjs.cacheDir, fromRoot(".cache"));
    assert.equal((tfjs.run as { compute?: string }).compute, "tfjs-cpu");
    assert.equal((tfjs.compute as { cpuDefault: boolean }).cpuDefault, false);
  }
  // engine is the CPU default without a probe; auto without a GPU is the same plan, so the same cache entry.
  assert.deepEqual(engine.trainedBy, { trainer: "engine-1", backend: "engine (WebAssembly)", device: CPU_DEVICE });
  const entries = new Set([...(auto.entries as string[]), ...(tfjs.entries as string[]), ...(engine.entries as string[])]);
  assert.equal(entries.size, probe.device ? 3 : 2, "one cache entry per trainer/device, never shared");
  const keyOfEntry = (e: string) => JSON.parse(fs.readFileSync(path.join(cache, "model-plan-probe", e, "key.json"), "utf8"));
  for (const e of entries) {
    const k = keyOfEntry(e);
    assert.ok(
      k.trainer && k.device && k.backend && k.packages["@tensorflow/tfjs-core"],
      `key of ${e} names trainer, device, backend, packages`,
    );
    const h = JSON.parse(fs.readFileSync(path.join(cache, "model-plan-probe", e, "history.json"), "utf8"));
    assert.ok(h.trainedBy.trainer && h.trainedBy.device, "the entry records what trained it");
  }
});

test("a GPU the probe reports: results and cache go to its own folders, and a backend that does not start is an error", () => {
  const fake: GpuProbe = {
    device: { backend: "webgpu", name: "Test GPU 9000", detail: "" },
    skipped: { "tensorflow-gpu": "not installed" },
  };
  const r = inChild(
    `const { loadParams, describeCompute } = lib("runtime/params");
     const { runKey } = lib("runtime/provenance");
     const p = loadParams();
     let error = null;
     try { await lib("tfjs/backend").selectBackend(); } catch (e) { error = e.message; }
     return { outDir: p.outDir, cacheDir: p.cacheDir, run: runKey(p), line: describeCompute(p), selectError: error };`,
    { [PROBE_ENV]: JSON.stringify(fake) },
  );
  assert.equal(r.outDir, fromRoot("results-gpu-test-gpu-9000"));
  assert.equal(r.cacheDir, fromRoot(".cache", "gpu-test-gpu-9000"));
  assert.equal((r.run as { compute: string }).compute, "gpu-test-gpu-9000");
  assert.match(String(r.line), /GPU Test GPU 9000 on webgpu → TensorFlow\.js trains every model on it/);
  assert.match(String(r.line), /results go to results-gpu-test-gpu-9000 and the cache to \.cache\/gpu-test-gpu-9000 \(OUT= overrides\)/);
  if (!probeGpu().device)
    assert.match(String(r.selectError), /the GPU Test GPU 9000 was found, but TensorFlow\.js's webgpu backend did not start on it/);
  // OUT= keeps the user's folder; DATA's folder gets the suffix.
  const out = inChild(`const p = lib("runtime/params").loadParams(); return { outDir: p.outDir };`, {
    [PROBE_ENV]: JSON.stringify(fake),
    GEOREPRO_OUT: "/tmp/mine",
  });
  assert.equal(out.outDir, "/tmp/mine");
  const bad = inChild(`return { plan: lib("runtime/device").computePlan() };`, { GEOREPRO_TRAINER: "cuda" });
  assert.match(String(bad.error), /GEOREPRO_TRAINER: expected one of auto, engine, tfjs \(got "cuda"\)/);
});
