/**
 * `make plan`: what a reproduction costs at a scale before anyone pays it — each kind of
 * training's count, steps and CPU-hours, and the wall time on N cores, N nodes and a GPU.
 *
 *   make plan SCALE=paper [SEEDS=3] [EPOCHS=] [CORES=1,2,16,64] [NODES=4x16,16x32] [GPU_SPEEDUP=x]
 *   make plan SCALE=default CHECK=results      the step times against the trainings a finished run's logs show
 *   node dist/scripts/plan.js [--cores=…] [--nodes=…] [--gpu-speedup=x] [--times=bench/step-times.json] [--check=OUT]
 *
 * Trainings: lib/studies/mrlf/plan.ts (the studies' loops, by hand until they are a graph). Step
 * times: bench/step-times.json (measured; `node dist/bench/step-times.js SCALE` measures them
 * here). The estimator: lib/experiments/cost.ts. A GPU's speed-up is never assumed: measure it
 * with bench/gpu-smoke (it prints CPU and GPU training times) and pass GPU_SPEEDUP.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { loadParams, seedCount } from "../lib/runtime/params";
import { fromRoot } from "../lib/runtime/paths";
import { checkStepTimes, estimatePlan, formatHours, gpuHours, trainingsInLog, wallHours, type StepTime } from "../lib/experiments/cost";
import { inferenceUnits, trainingUnits, trainPosts } from "../lib/studies/mrlf/plan";
import { SYNTHETIC_CITIES, type SyntheticCityId } from "../lib/data/synthetic/instagram";

const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

/** Step times from the JSON file, checked (file:line-free JSON: the entry index names a bad one). */
export function readStepTimes(file: string): StepTime[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: cannot read step times (${(e as Error).message})`);
  }
  const list = (raw as { times?: unknown }).times;
  if (!Array.isArray(list)) throw new Error(`${file}: times: expected a list of {kind, scale, batch, seconds, source}`);
  return list.map((t, i) => {
    const x = t as Partial<StepTime>;
    for (const [k, ok] of [
      ["kind", typeof x.kind === "string"],
      ["scale", typeof x.scale === "string"],
      ["batch", Number.isInteger(x.batch)],
      ["seconds", typeof x.seconds === "number" && x.seconds > 0],
      ["source", typeof x.source === "string" && x.source.length > 0],
    ] as const)
      if (!ok) throw new Error(`${file}: times[${i}]: ${k}: missing or invalid (got ${JSON.stringify((x as Record<string, unknown>)[k])})`);
    return x as StepTime;
  });
}

/** A plain-text table: the header, a rule, the rows; columns padded to their widest cell (right-aligned where `right(i)`). */
function textTable(head: string[], rows: string[][], right: (i: number) => boolean): string[] {
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (right(i) ? c.padStart(width[i]) : c.padEnd(width[i]))).join("  ");
  return [line(head), width.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
}

/** Every log of a run's output folder (OUT/volatile/logs: the notebooks' and the graph units'). */
function runLogs(out: string): string[] {
  const dir = path.join(out, "volatile", "logs");
  if (!fs.existsSync(dir)) throw new Error(`plan: --check: ${dir}: no logs (run make reproduce OUT=${out} first, or name its OUT)`);
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(".log")).map((f) => path.join(dir, f));
}

/** `--check=OUT`: each kind's trainings in that run, measured against their steps × the recorded step time. */
export function checkLines(out: string, times: readonly StepTime[], scale: string): string[] {
  const trainings = runLogs(out).flatMap((f) => trainingsInLog(fs.readFileSync(f, "utf8")));
  if (!trainings.some((t) => t.steps > 0))
    return [
      `check against ${out}: no training with its steps in the logs (runs before the epoch lines named their steps cannot be checked)`,
    ];
  const rows = checkStepTimes(trainings, times, scale).map((k) => [
    k.kind,
    String(k.trainings),
    k.steps.toLocaleString("en"),
    k.measuredSeconds.toFixed(1),
    k.estimatedSeconds === null ? "no step time" : k.estimatedSeconds.toFixed(1),
    k.estimatedSeconds === null ? "—" : `${(k.measuredSeconds / k.estimatedSeconds).toFixed(2)}×`,
  ]);
  const head = ["kind", "trainings", "steps", "measured s", "steps × s/step, s", "measured / estimate"];
  const measured = trainings.reduce((a, t) => a + t.seconds, 0);
  return [
    `check against the trainings in ${out}'s logs (each timed from its start line to its last epoch, one per core as the run gave them; SCALE=${scale}'s step times):`,
    ...textTable(head, rows, (i) => i > 0),
    `all trainings: ${(measured / 3600).toFixed(2)} CPU-hours measured (${trainings.length} trainings). A ratio below 1 means the step times over-estimate this data (random full-length inputs in bench/step-times.ts against real, mostly short captions the engine does not pad).`,
  ];
}

function main(): void {
  const params = loadParams();
  if (params.data !== null)
    throw new Error("plan: DATA is set: the plan sizes the synthetic cities only (own data's sizes are its own; not estimated yet)");
  const scale = params.scale;
  const seeds = seedCount(params);
  const cities = SYNTHETIC_CITIES as readonly SyntheticCityId[];
  const timesFile = path.resolve(arg("times") ?? fromRoot("bench", "step-times.json"));
  const units = [...inferenceUnits(scale, cities), ...trainingUnits({ scale, seeds, cities, epochs: params.epochs })];
  const plan = estimatePlan(units, readStepTimes(timesFile), scale);
  const posts = cities.map((c) => trainPosts(scale, c));
  const L: string[] = [];
  L.push(
    `plan: SCALE=${scale}, SEEDS=${seeds}${params.epochs ? `, EPOCHS=${params.epochs}` : ""}; cities ${cities.join(", ")} (${posts.map((n) => n.toLocaleString("en")).join(" / ")} training posts); step times from ${path.relative(process.cwd(), timesFile)}`,
    "",
  );
  const rows = plan.units.map((u) => [
    u.study,
    u.kind,
    u.city ?? "",
    String(u.trainings),
    u.stepsPerTraining.toLocaleString("en"),
    u.secondsPerStep === null ? "not measured" : u.secondsPerStep.toFixed(3),
    u.hoursPerTraining === null ? "—" : formatHours(u.hoursPerTraining),
    u.cpuHours === null ? "—" : u.cpuHours.toFixed(1),
    u.note,
  ]);
  const head = ["study", "kind", "city", "trainings", "steps each", "s/step", "one training", "CPU-hours", "what"];
  L.push(...textTable(head, rows, (i) => i >= 3 && i <= 7), "");
  const passes = inferenceUnits(scale, cities).length;
  const trainings = plan.units.reduce((a, u) => a + u.trainings, 0) - passes;
  L.push(
    `total: ${plan.cpuHours.toFixed(plan.cpuHours >= 10 ? 0 : 1)} CPU-hours over ${trainings} trainings and ${passes} image passes${plan.unmeasured.length ? ` — WITHOUT ${plan.unmeasured.join(", ")} (no step time measured at ${scale}: node dist/bench/step-times.js ${scale})` : ""}; the longest training ${formatHours(plan.longestHours)}`,
  );
  const cores = (arg("cores") ?? process.env.CORES ?? "1,2,16,64").split(",").map(Number);
  const nodes = (arg("nodes") ?? process.env.NODES ?? "4x16,16x32").split(",").map((s) => s.split("x").map(Number) as [number, number]);
  L.push("wall time = max(CPU-hours / workers, the longest training), one training per core:");
  for (const n of cores) L.push(`  ${String(n).padStart(4)} core${n === 1 ? " " : "s"}            ${formatHours(wallHours(plan, n))}`);
  for (const [n, c] of nodes) L.push(`  ${`${n} nodes × ${c} cores`.padEnd(22)} ${formatHours(wallHours(plan, n * c))}`);
  const speedup = Number(arg("gpu-speedup") ?? process.env.GPU_SPEEDUP ?? NaN);
  L.push(
    Number.isFinite(speedup)
      ? `  1 GPU (${speedup}× one core, as given)   ${formatHours(gpuHours(plan, speedup))}, trainings one after another`
      : "  1 GPU                  measure with bench/gpu-smoke (make gpu-smoke prints CPU and GPU training times), then make plan GPU_SPEEDUP=x",
  );
  const check = arg("check") ?? process.env.CHECK;
  if (check) L.push("", ...checkLines(path.resolve(check), readStepTimes(timesFile), scale));
  L.push(
    "",
    "Not in these figures:",
    "  - Flickr Vienna (real posts, no images, the same size at every scale): its trainings are MRLF and the baselines over text + hashtags;",
    "    `CHECK=` on a default run shows what they took there (their share of the MRLF and baseline rows).",
    "  - the Naive Bayes control and Tagvisor's random forest (no optimizer steps: seconds per city and seed);",
    '  - notebooks 07–08 (local words, GeoText and the synthetic microblog users, no SGD trainings): measured, README "Local words at paper scale";',
    "  - each unit's start-up and each notebook's kernel (seconds each; ≈ 53 units and 9 notebooks at the default scale).",
  );
  process.stdout.write(L.join("\n") + "\n");
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
}
