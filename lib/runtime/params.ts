/**
 * Run parameters: the one place notebooks, scripts and tests read them from.
 *
 * papermill has no TypeScript translator, so parameters travel as (lowest to
 * highest precedence): built-in defaults → `params.json` at the project root →
 * the JSON file named by `GEOREPRO_PARAMS` → environment variables
 * (`GEOREPRO_SEED`, `GEOREPRO_SCALE`, …), which is what `make reproduce SEED=7`
 * sets. Every value is validated; a bad one names its source and field.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fromRoot, projectRoot } from "./paths";
import { computeLabel, computePlan } from "./device";
import { envVar, type EnvVarName } from "./env";
export { ENV_VARS, envVar, parameterTable, type EnvName, type EnvVarName, type EnvSpec } from "./env";

export const SCALES = ["tiny", "default", "paper"] as const;
export type Scale = (typeof SCALES)[number];

/** Label levels for a researcher's own microblog data (`LEVEL=`). */
export const LEVELS = ["state", "city", "country"] as const;
export type Level = (typeof LEVELS)[number];

export interface Params {
  /** Root seed; every random stream derives from it. */
  seed: number;
  /**
   * Repeated seeds for trained comparisons (seed, seed+1, …): each draws a new
   * split and a new initialisation. 0 = the scale's default (SCALE_SEEDS).
   */
  seeds: number;
  /** Seeded train/test splits for the local-words experiments (cheap, so more). 0 = the scale's default (SCALE_SPLITS). */
  splits: number;
  /** Data scale: tiny (tests), default (make reproduce), paper (the papers' counts). */
  scale: Scale;
  /** Epoch cap for neural models; 0 means "the scale's default". */
  epochs: number;
  /** Where tables, figures and provenance go (absolute). */
  outDir: string;
  /** Where generated data, trained models and frozen features are cached (absolute). */
  cacheDir: string;
  /** Folder holding data manifests (absolute). */
  manifestDir: string;
  /**
   * A researcher's own dataset (`make reproduce DATA=…`): a manifest name in
   * `manifestDir` or a path to a manifest file; null runs the default data
   * (GeoText and the synthetic sets). See lib/data/selection.ts.
   */
  data: string | null;
  /**
   * Label levels for own microblog data (`LEVEL=state` or `LEVEL=state,country`),
   * one dataset per level; null = the levels the records carry labels for.
   */
  level: Level[] | null;
  /** Own data: locations with fewer users are dropped (and counted). */
  minUsers: number;
}

export const DEFAULT_PARAMS: Params = {
  seed: 1,
  seeds: 0,
  splits: 0,
  scale: "default",
  epochs: 0,
  outDir: fromRoot("results"),
  cacheDir: fromRoot(".cache"),
  manifestDir: fromRoot("data-manifests"),
  data: null,
  level: null,
  minUsers: 5,
};

const ENV: Record<keyof Params, EnvVarName> = {
  seed: "GEOREPRO_SEED",
  seeds: "GEOREPRO_SEEDS",
  splits: "GEOREPRO_SPLITS",
  scale: "GEOREPRO_SCALE",
  epochs: "GEOREPRO_EPOCHS",
  outDir: "GEOREPRO_OUT",
  cacheDir: "GEOREPRO_CACHE",
  manifestDir: "GEOREPRO_MANIFESTS",
  data: "GEOREPRO_DATA",
  level: "GEOREPRO_LEVEL",
  minUsers: "GEOREPRO_MIN_USERS",
};

function coerce(field: keyof Params, raw: unknown, source: string): Params[keyof Params] {
  const bad = (what: string) => new Error(`params: ${source}: ${field}: ${what} (got ${JSON.stringify(raw)})`);
  switch (field) {
    case "seed":
    case "seeds":
    case "splits":
    case "epochs":
    case "minUsers": {
      const n = typeof raw === "string" ? Number(raw.trim()) : raw;
      if (typeof n !== "number" || !Number.isInteger(n) || n < 0)
        throw bad(`expected a non-negative integer${field === "seeds" || field === "splits" ? " (0 = the scale's default)" : ""}`);
      if (field === "minUsers" && n < 1) throw bad("expected at least 1");
      return n;
    }
    case "scale":
      if (typeof raw !== "string" || !(SCALES as readonly string[]).includes(raw)) throw bad(`expected one of ${SCALES.join(", ")}`);
      return raw as Scale;
    case "level": {
      if (raw === null) return null;
      const list = typeof raw === "string" ? raw.split(",").map((x) => x.trim()) : Array.isArray(raw) ? raw : [raw];
      if (list.length === 0 || !list.every((x) => typeof x === "string" && (LEVELS as readonly string[]).includes(x)))
        throw bad(`expected one of ${LEVELS.join(", ")}, or several separated by commas`);
      if (new Set(list).size !== list.length) throw bad("a level is listed twice");
      return list as Level[];
    }
    case "data":
      if (raw === null) return null;
      // A name (data-manifests/NAME.json) or a path; existence is checked once every source is merged.
      if (typeof raw !== "string" || raw.trim() === "") throw bad("expected a manifest name or a path to a manifest file");
      return raw.trim();
    default:
      if (typeof raw !== "string" || raw.length === 0) throw bad("expected a path");
      return path.resolve(projectRoot, raw);
  }
}

function merge(into: Params, obj: Record<string, unknown>, source: string, set?: Set<string>): void {
  for (const [k, v] of Object.entries(obj)) {
    if (k.startsWith("$") || k.startsWith("_")) continue; // comments / schema refs
    if (!(k in DEFAULT_PARAMS))
      throw new Error(`params: ${source}: unknown field "${k}" (known: ${Object.keys(DEFAULT_PARAMS).join(", ")})`);
    (into as unknown as Record<string, unknown>)[k] = coerce(k as keyof Params, v, source);
    set?.add(k);
  }
}

function readJson(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new Error(`params: ${file}: cannot read the parameters file`);
  }
  try {
    const obj = JSON.parse(text);
    if (obj === null || typeof obj !== "object" || Array.isArray(obj)) throw new Error("not an object");
    return obj;
  } catch (e) {
    throw new Error(`params: ${file}: not a JSON object (${(e as Error).message})`);
  }
}

/** Read the parameters for this run. `env` and `overrides` exist for tests. */
export function loadParams(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Params> = {}): Params {
  const p: Params = { ...DEFAULT_PARAMS };
  const set = new Set<string>();
  const projectFile = fromRoot("params.json");
  if (fs.existsSync(projectFile)) merge(p, readJson(projectFile), projectFile, set);
  const paramsFile = envVar("GEOREPRO_PARAMS", env);
  if (paramsFile) {
    const f = path.resolve(projectRoot, paramsFile);
    merge(p, readJson(f), f, set);
  }
  for (const [field, name] of Object.entries(ENV) as [keyof Params, EnvVarName][]) {
    const v = envVar(name, env);
    if (v !== undefined && v !== "") {
      (p as unknown as Record<string, unknown>)[field] = coerce(field, v, `environment ${name}`);
      set.add(field);
    }
  }
  merge(p, overrides as Record<string, unknown>, "overrides", set);
  // A run on one's own data writes beside the committed results, not over them.
  if (p.data !== null && !set.has("outDir")) p.outDir = fromRoot(`results-${dataName(p.data)}`);
  // So does a run whose models are not trained as the CPU default trains them (a GPU, or
  // GEOREPRO_TRAINER=tfjs): its numbers are not byte-identical to the CPU default's
  // (lib/runtime/device.ts). A GPU run also keeps its own cache, since frozen image features
  // and portrait masks come from its backend too.
  const plan = computePlan(env);
  const label = computeLabel(plan);
  if (label && !set.has("outDir")) p.outDir = `${p.outDir}-${label}`;
  if (plan.gpu) p.cacheDir = path.join(p.cacheDir, label!);
  if (p.data !== null && !fs.existsSync(dataManifestFile(p)))
    throw new Error(
      `params: data: no manifest ${dataManifestFile(p)} (DATA is a manifest name in ${path.relative(projectRoot, p.manifestDir) || "."}/ or a path to a manifest .json; \`make ingest\` writes one)`,
    );
  return p;
}

/**
 * Seeds per scale for trained comparisons. Three at the default scale: enough
 * for an sd and for CIs that pool three splits and initialisations, and what
 * the 30-minute budget on 2 cores affords.
 */
export const SCALE_SEEDS: Readonly<Record<Scale, number>> = { tiny: 2, default: 3, paper: 3 };
/** Seeded splits per scale for local words (no training on a GPU-sized model: ten are cheap). */
export const SCALE_SPLITS: Readonly<Record<Scale, number>> = { tiny: 3, default: 10, paper: 10 };

/** How many seeds this run repeats its trained comparisons over. */
export const seedCount = (p: Params): number => p.seeds || SCALE_SEEDS[p.scale];
/** How many seeded splits the local-words experiments use. */
export const splitCount = (p: Params): number => p.splits || SCALE_SPLITS[p.scale];

/** The seeds of a repeated experiment: seed, seed+1, …, seed+seedCount−1. */
export const seedList = (p: Params): number[] => Array.from({ length: seedCount(p) }, (_, i) => p.seed + i);
/** The seeds of the local-words splits: seed, seed+1, …, seed+splitCount−1. */
export const splitSeedList = (p: Params): number[] => Array.from({ length: splitCount(p) }, (_, i) => p.seed + i);

/** "mytweets" for DATA=mytweets or DATA=path/to/mytweets.json. */
export const dataName = (data: string): string => path.basename(data).replace(/\.json$/, "");

/**
 * The manifest file DATA names: a bare name is `manifestDir/NAME.json`;
 * anything with a slash or ending in .json is a path from the project root.
 */
export function dataManifestFile(p: Pick<Params, "data" | "manifestDir">): string {
  if (p.data === null) throw new Error("params: data is not set");
  return /[\\/]/.test(p.data) || p.data.endsWith(".json") ? path.resolve(projectRoot, p.data) : path.join(p.manifestDir, `${p.data}.json`);
}

/**
 * The line a notebook and the runner print about what trains the models: the rule applied and why no
 * faster backend is used, and, when that is not the CPU default, where its results go.
 */
export function describeCompute(p: Params, env: NodeJS.ProcessEnv = process.env): string {
  const plan = computePlan(env);
  const label = computeLabel(plan);
  return label
    ? `${plan.why}. Not the CPU default: numbers are not byte-identical to it, so results go to ${path.relative(projectRoot, p.outDir) || "."}${plan.gpu ? ` and the cache to ${path.relative(projectRoot, p.cacheDir)}` : ""} (OUT= overrides)`
    : plan.why;
}

/** One-line description for notebook headers and logs. */
export const describeParams = (p: Params): string =>
  `seed=${p.seed} seeds=${seedCount(p)} splits=${splitCount(p)} scale=${p.scale} epochs=${p.epochs || "auto"} out=${path.relative(projectRoot, p.outDir) || "."}` +
  // Own-data parameters appear only when set, so a default run's line stays as it was.
  (p.data !== null ? ` data=${p.data}` : "") +
  (p.level !== null ? ` level=${p.level.join(",")}` : "") +
  (p.minUsers !== DEFAULT_PARAMS.minUsers ? ` min-users=${p.minUsers}` : "");
