/**
 * What a set of trainings costs, before anyone pays it: a pure function over a
 * list of training units (kind × steps × how many) and measured seconds per
 * step. `make plan` (scripts/plan.ts) feeds it the units lib/studies/mrlf/plan.ts
 * lists for a scale and the step times bench/step-times.json records; the
 * workflow graph can feed it its own units unchanged.
 *
 * Model: a training runs on one core (the engine is single-threaded; a batch
 * split in two halves the wall time only while a second core is idle, which a
 * full machine never has), trainings are independent, so N workers finish
 * after max(total / N, the longest training) — a lower bound that list
 * scheduling reaches within the longest training. A GPU's speed-up over one
 * core is not assumed: it is measured (bench/gpu-smoke.ts prints both times)
 * and passed in; without it the GPU column says so.
 */

/** One kind of training in a plan. */
export interface TrainingUnit {
  /** Which notebook / study runs it ("02 Table II"). */
  study: string;
  /** The kind of model, as step times name it (a ScheduledModel, or "MRLF image-only"). */
  kind: string;
  /** The data it trains on (a city), when one. */
  city?: string;
  /** How many trainings of this kind and size. */
  trainings: number;
  /** Optimizer steps of one training (epochs × batches per epoch; an upper bound where early stopping may end it sooner). */
  stepsPerTraining: number;
  /** What the count is made of, in words. */
  note: string;
}

/** A measured time per step. */
export interface StepTime {
  kind: string;
  scale: string;
  batch: number;
  seconds: number;
  /** Where the figure comes from (command, machine, date, load). */
  source: string;
}

export interface UnitEstimate extends TrainingUnit {
  secondsPerStep: number | null;
  /** CPU-hours of all trainings of this unit (null: no step time measured for its kind). */
  cpuHours: number | null;
  /** Hours of one training on one core. */
  hoursPerTraining: number | null;
  source: string | null;
}

export interface PlanEstimate {
  units: UnitEstimate[];
  /** Sum over the units with a step time. */
  cpuHours: number;
  /** The longest single training (hours): no amount of parallelism goes below it. */
  longestHours: number;
  /** Kinds without a measured step time (their trainings are not in the totals). */
  unmeasured: string[];
}

/** Attach step times (matched by kind, and scale when given) and sum. */
export function estimatePlan(units: readonly TrainingUnit[], times: readonly StepTime[], scale?: string): PlanEstimate {
  const timeOf = (kind: string) => times.find((t) => t.kind === kind && (!scale || t.scale === scale)) ?? null;
  const out = units.map((u): UnitEstimate => {
    const t = timeOf(u.kind);
    const hoursPerTraining = t ? (u.stepsPerTraining * t.seconds) / 3600 : null;
    return {
      ...u,
      secondsPerStep: t?.seconds ?? null,
      hoursPerTraining,
      cpuHours: hoursPerTraining === null ? null : hoursPerTraining * u.trainings,
      source: t?.source ?? null,
    };
  });
  return {
    units: out,
    cpuHours: out.reduce((a, u) => a + (u.cpuHours ?? 0), 0),
    longestHours: Math.max(0, ...out.filter((u) => u.trainings > 0).map((u) => u.hoursPerTraining ?? 0)),
    unmeasured: [...new Set(out.filter((u) => u.cpuHours === null && u.trainings > 0).map((u) => u.kind))],
  };
}

/** Wall hours on `workers` cores (N cores, or N nodes × cores each): max(total / workers, longest training). */
export function wallHours(p: Pick<PlanEstimate, "cpuHours" | "longestHours">, workers: number): number {
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`plan: workers: expected a positive integer (got ${workers})`);
  return Math.max(p.cpuHours / workers, p.longestHours);
}

/** Wall hours on one GPU that runs a step `speedup` times faster than one core, trainings one after another. */
export const gpuHours = (p: Pick<PlanEstimate, "cpuHours">, speedup: number): number => {
  if (!(speedup > 0)) throw new Error(`plan: GPU speed-up: expected a positive number (got ${speedup})`);
  return p.cpuHours / speedup;
};

/** "3 d 4 h", "5.2 h", "12 min". */
export function formatHours(h: number): string {
  if (h < 1) return `${Math.max(1, Math.round(h * 60))} min`;
  if (h < 48) return `${h.toFixed(1)} h`;
  const d = Math.floor(h / 24);
  return `${d} d ${Math.round(h - d * 24)} h`;
}

/**
 * Checking the estimate against a run that happened: every training a run's logs
 * show (lib/training/train.ts writes `[train NAME] training engine` or `… tfjs on …`
 * when it starts and one line per epoch, with its optimizer steps), timed from
 * its start line to its last epoch line, so compilation and validation count as
 * they do in a real run. Its estimate is the steps it took × the step time of
 * its kind: the ratio measured / estimated checks the step times, apart from
 * the plan's other upper bound (epoch caps where early stopping ends sooner).
 */
export interface MeasuredTraining {
  /** The training's log name (`mrlf-new-york`). */
  name: string;
  /** The kind its start line names (`[kind MRLF image-only]`), else the one its name implies. */
  kind: string | null;
  epochs: number;
  steps: number;
  seconds: number;
}

/** A training's log name → the kind step times are recorded for (null: not a kind the plan estimates). */
const KIND_OF_NAME: readonly [prefix: string, kind: string][] = [
  ["mrlf-", "MRLF"],
  ["late-fusion-", "Late fusion"],
  ["deepgeo-chars-", "DeepGeo"],
  ["loctwi-attention-", "LocTwi"],
  ["linear-probe-", "MobileNetV2 linear"],
  ["mobilenet-top-", "MobileNetV2 fine-tuned"],
];
export const kindOfTraining = (name: string): string | null => KIND_OF_NAME.find(([p]) => name.startsWith(p))?.[1] ?? null;

const TRAIN_LINE = /^(\S+Z) \[train ([^\]]+)\] (.*)$/;
const EPOCH = /^epoch \d+\/\d+ .* (\d+) steps /;
const KIND_TAG = / \[kind ([^\]]+)\]$/;

/** The trainings in one log's text, in the order they started (lines without a timestamp are ignored). */
export function trainingsInLog(text: string): MeasuredTraining[] {
  const open = new Map<string, { start: number; end: number; epochs: number; steps: number; kind: string | null }>();
  const done: MeasuredTraining[] = [];
  const close = (name: string) => {
    const t = open.get(name);
    if (t && t.epochs > 0) done.push({ name, kind: t.kind, epochs: t.epochs, steps: t.steps, seconds: (t.end - t.start) / 1000 });
    open.delete(name);
  };
  for (const line of text.split("\n")) {
    const m = TRAIN_LINE.exec(line);
    if (!m) continue;
    const [, stamp, name, rest] = m;
    const at = Date.parse(stamp);
    if (!Number.isFinite(at)) continue;
    if (rest.startsWith("training engine") || rest.startsWith("tfjs on ")) {
      close(name);
      open.set(name, { start: at, end: at, epochs: 0, steps: 0, kind: KIND_TAG.exec(rest)?.[1] ?? kindOfTraining(name) });
      continue;
    }
    const e = EPOCH.exec(rest);
    const t = open.get(name);
    if (e && t) {
      t.epochs++;
      t.steps += Number(e[1]);
      t.end = at;
    }
  }
  for (const name of [...open.keys()]) close(name);
  return done;
}

export interface KindCheck {
  kind: string;
  trainings: number;
  steps: number;
  measuredSeconds: number;
  /** steps × the kind's step time (null: none recorded at this scale). */
  estimatedSeconds: number | null;
}

/** Per kind: what the run's trainings took against what their steps cost by the step times. */
export function checkStepTimes(trainings: readonly MeasuredTraining[], times: readonly StepTime[], scale: string): KindCheck[] {
  const byKind = new Map<string, KindCheck>();
  for (const t of trainings) {
    const kind = t.kind;
    if (!kind) continue;
    const k = byKind.get(kind) ?? { kind, trainings: 0, steps: 0, measuredSeconds: 0, estimatedSeconds: null };
    k.trainings++;
    k.steps += t.steps;
    k.measuredSeconds += t.seconds;
    byKind.set(kind, k);
  }
  return [...byKind.values()].map((k) => {
    const time = times.find((x) => x.kind === k.kind && x.scale === scale);
    return { ...k, estimatedSeconds: time ? k.steps * time.seconds : null };
  });
}
