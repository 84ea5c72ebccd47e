/**
 * GPU smoke test: does MRLF train on this machine's GPU as well as on the CPU?
 *
 *   make gpu-smoke                      (= make setup, then the line below)
 *   node dist/bench/gpu-smoke.js [--seeds=5] [--epochs=10] [--city=new-york] [--scale=tiny] [--against=gpu|tfjs-cpu]
 *
 * It trains the full MRLF of Table II (lib/studies/mrlf/artifacts.ts: fullMrlf, with its
 * learning-rate choice on validation) at SCALE=tiny on one synthetic city, once per
 * seed, for 10 epochs (tiny's own 2 leave MRLF at the majority-class floor, where a
 * comparison says nothing; both sides must beat that floor), in two child processes with fresh caches: the CPU default
 * (GEOREPRO_TRAINER=engine: the training engine on one core) and the GPU
 * (GEOREPRO_TRAINER=auto, which must find one). Same seeds, hence the same splits on
 * both sides: only the training numerics differ. It prints the device, the backend,
 * the versions that change numbers, each run's accuracy and training time, and
 * exits 0 when the GPU's mean accuracy is within the tolerance of the CPU's, 1 when
 * not (or a side failed), 2 when no GPU is found (with the probe's reasons).
 *
 * Tolerance: max(2 × the CPU runs' seed-to-seed sd of accuracy, 1 / test posts).
 * GPU results are not byte-identical to CPU ones (other kernels, other summation
 * orders), and training amplifies last-bit differences into a different model, much
 * as another initialisation would: a GPU run is then one more draw from the spread
 * that seeds show. Two seed-to-seed sds hold a single such draw ~95 % of the time, so
 * for a mean over several seeds the bound is generous — this is a smoke test: it
 * catches a GPU path that does not learn (NaNs, missing kernels, chance accuracy),
 * not a subtle bias. One test post is the accuracy's resolution at tiny scale.
 *
 * `--against=tfjs-cpu` runs the second side as TensorFlow.js on the CPU instead of
 * the GPU: the same comparison, for machines without one (and for this script's own test).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

interface SideResult {
  compute: { trainer: string; backend: string; device: string; mode: string; fallback: Record<string, string> };
  selected: { backend: string; device: string };
  versions: Record<string, string>;
  runs: { seed: number; acc: number; meanKm: number; nTest: number; trainSeconds: number | null; epochs: number | null }[];
  majority: number;
  seconds: number;
}

function arg(name: string, fallback: string): string {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : fallback;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));

/** One side: train MRLF for every seed in this process, print its JSON. */
async function child(): Promise<void> {
  const { loadParams, seedList } = require("../lib/runtime/params") as typeof import("../lib/runtime/params");
  const { computeRecord, packageVersions } = require("../lib/runtime/provenance") as typeof import("../lib/runtime/provenance");
  const { selectBackend } = require("../lib/tfjs/backend") as typeof import("../lib/tfjs/backend");
  const { mrlfStudy } = require("../lib/studies/mrlf/context") as typeof import("../lib/studies/mrlf/context");
  const { fullMrlf } = require("../lib/studies/mrlf/artifacts") as typeof import("../lib/studies/mrlf/artifacts");
  const t0 = Date.now();
  const params = loadParams();
  const selected = await selectBackend();
  const city = arg("city", "new-york");
  const study = await mrlfStudy({ name: "gpu-smoke", params, markdown: () => undefined }, { cities: [city] });
  const runs: SideResult["runs"] = [];
  let majority = 0;
  for (const seed of seedList(params)) {
    const r = await fullMrlf(study, city, seed);
    const s = (await study.split(city, seed)).split;
    const counts = new Map<number, number>();
    for (const p of s.train) counts.set(s.labelOf(p), (counts.get(s.labelOf(p)) ?? 0) + 1);
    const top = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
    majority += s.test.filter((p) => s.labelOf(p) === top).length / s.test.length / seedList(params).length;
    runs.push({
      seed,
      acc: r.metrics.acc,
      meanKm: r.metrics.meanKm,
      nTest: r.metrics.n,
      trainSeconds: r.trainSeconds ?? null,
      epochs: r.epochsRun ?? null,
    });
  }
  const out: SideResult = {
    compute: computeRecord(),
    selected: { backend: selected.name, device: selected.device },
    versions: packageVersions(),
    runs,
    majority,
    seconds: (Date.now() - t0) / 1000,
  };
  process.stdout.write(`\nGPU-SMOKE ${JSON.stringify(out)}\n`);
}

function runSide(label: string, env: NodeJS.ProcessEnv, work: string): SideResult {
  const cache = path.join(work, `cache-${label}`);
  const r = spawnSync(process.execPath, [__filename, "--child", ...process.argv.slice(2)], {
    env: { ...process.env, ...env, GEOREPRO_CACHE: cache, GEOREPRO_OUT: path.join(work, `out-${label}`) },
    encoding: "utf8",
    maxBuffer: 256 * 2 ** 20,
  });
  const line = (r.stdout ?? "").split("\n").find((l) => l.startsWith("GPU-SMOKE "));
  if (r.status !== 0 || !line) {
    const tail = `${r.stderr ?? ""}`.trim().split("\n").slice(-15).join("\n");
    throw new Error(`gpu-smoke: the ${label} side failed (exit ${r.status ?? r.signal}):\n${tail}`);
  }
  return JSON.parse(line.slice("GPU-SMOKE ".length)) as SideResult;
}

async function main(): Promise<number> {
  const { computePlan, isGpuBackend } = require("../lib/runtime/device") as typeof import("../lib/runtime/device");
  const against = arg("against", "gpu");
  if (against !== "gpu" && against !== "tfjs-cpu") throw new Error(`gpu-smoke: --against: expected gpu or tfjs-cpu (got ${against})`);
  const seeds = Number(arg("seeds", "5"));
  const scale = arg("scale", "tiny");
  if (against === "gpu") {
    const plan = computePlan({ ...process.env, GEOREPRO_TRAINER: "auto" });
    if (!plan.gpu) {
      process.stderr.write(
        `gpu-smoke: no GPU found — ${Object.entries(plan.skipped)
          .filter(([k]) => isGpuBackend(k as never))
          .map(([k, v]) => `${k}: ${v}`)
          .join("; ")}. See README "GPU": an NVIDIA driver with its Vulkan ICD (webgpu), or CUDA 11.2 + cuDNN 8.1 (tfjs-node-gpu).\n`,
      );
      return 2;
    }
    process.stdout.write(`gpu-smoke: found ${plan.gpu.name} on ${plan.gpu.backend}${plan.gpu.detail ? ` (${plan.gpu.detail})` : ""}\n`);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "gpu-smoke-"));
  const epochs = Number(arg("epochs", "10"));
  const base = { GEOREPRO_SCALE: scale, GEOREPRO_SEEDS: String(seeds), GEOREPRO_EPOCHS: String(epochs), GEOREPRO_BACKEND: "" };
  process.stdout.write(
    `gpu-smoke: MRLF (Table II's, learning rate chosen on validation), SCALE=${scale}, EPOCHS=${epochs}, city ${arg("city", "new-york")}, ${seeds} seeds, fresh caches in ${work}; load average ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}\n`,
  );
  const cpu = runSide("cpu", { ...base, GEOREPRO_TRAINER: "engine" }, work);
  const other = runSide(against, { ...base, GEOREPRO_TRAINER: against === "gpu" ? "auto" : "tfjs" }, work);
  const show = (label: string, s: SideResult) => {
    process.stdout.write(
      `\n${label}: trainer ${s.compute.trainer}, backend ${s.selected.backend}, device ${s.selected.device} — ${s.seconds.toFixed(1)} s in all\n`,
    );
    for (const r of s.runs)
      process.stdout.write(
        `  seed ${r.seed}: Acc ${r.acc.toFixed(3)} (${r.nTest} test posts), Mean ${r.meanKm.toFixed(3)} km, ${r.epochs ?? "?"} epochs, training ${r.trainSeconds === null ? "done in the learning-rate choice" : `${r.trainSeconds.toFixed(1)} s`}\n`,
      );
  };
  show("CPU (the default)", cpu);
  show(against === "gpu" ? "GPU" : "TensorFlow.js on the CPU", other);
  const a = cpu.runs.map((r) => r.acc);
  const b = other.runs.map((r) => r.acc);
  const nTest = Math.min(...cpu.runs.map((r) => r.nTest));
  const tolerance = Math.max(2 * sd(a), 1 / nTest);
  const diff = mean(b) - mean(a);
  // Both sides must learn, or the comparison says nothing: each mean above the majority-class floor.
  const learns = mean(a) > cpu.majority && mean(b) > other.majority;
  const ok = Math.abs(diff) <= tolerance && b.every(Number.isFinite) && learns;
  const versionKeys = Object.keys(other.versions).filter((k) => /tensorflow|webgpu|^node$|seedrandom/.test(k));
  process.stdout.write(
    `\nversions: ${versionKeys.map((k) => `${k} ${other.versions[k]}`).join(", ")}\n` +
      `mean Acc: CPU ${mean(a).toFixed(3)} (sd ${sd(a).toFixed(3)} over seeds), ${against} ${mean(b).toFixed(3)} (sd ${sd(b).toFixed(3)}); majority-class floor ${cpu.majority.toFixed(3)}\n` +
      `difference ${diff >= 0 ? "+" : ""}${diff.toFixed(3)}, tolerance ±${tolerance.toFixed(3)} (max of 2 × the CPU's seed-to-seed sd and 1/${nTest} test posts)\n` +
      `training time per seed (median): CPU ${median(cpu)} s, ${against} ${median(other)} s\n` +
      `gpu-smoke: ${ok ? "OK" : "FAILED"}: ${against === "gpu" ? "the GPU" : "TensorFlow.js on the CPU"} ${
        ok
          ? "learns as the CPU does, within the tolerance"
          : !learns
            ? "— a side does not beat the majority-class floor, so the comparison says nothing (more --epochs?)"
            : "is outside the tolerance of the CPU's accuracy"
      }\n`,
  );
  return ok ? 0 : 1;
}

function median(s: SideResult): string {
  const t = s.runs
    .map((r) => r.trainSeconds)
    .filter((x): x is number => x !== null)
    .sort((x, y) => x - y);
  return t.length ? t[Math.floor(t.length / 2)].toFixed(1) : "—";
}

if (require.main === module) {
  if (process.argv.includes("--child"))
    child().then(
      () => process.exit(0),
      (e) => {
        process.stderr.write(`${(e as Error).stack ?? e}\n`);
        process.exit(1);
      },
    );
  else
    main().then(
      (code) => process.exit(code),
      (e) => {
        process.stderr.write(`${(e as Error).message}\n`);
        process.exit(1);
      },
    );
}
