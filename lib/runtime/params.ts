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

export const SCALES = ["tiny", "default", "paper"] as const;
export type Scale = (typeof SCALES)[number];

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
};

const ENV: Record<keyof Params, string> = {
  seed: "GEOREPRO_SEED",
  seeds: "GEOREPRO_SEEDS",
  splits: "GEOREPRO_SPLITS",
  scale: "GEOREPRO_SCALE",
  epochs: "GEOREPRO_EPOCHS",
  outDir: "GEOREPRO_OUT",
  cacheDir: "GEOREPRO_CACHE",
  manifestDir: "GEOREPRO_MANIFESTS",
};

function coerce(field: keyof Params, raw: unknown, source: string): Params[keyof Params] {
  const bad = (what: string) => new Error(`params: ${source}: ${field}: ${what} (got ${JSON.stringify(raw)})`);
  switch (field) {
    case "seed":
    case "seeds":
    case "splits":
    case "epochs": {
      const n = typeof raw === "string" ? Number(raw.trim()) : raw;
      if (typeof n !== "number" || !Number.isInteger(n) || n < 0) throw bad(`expected a non-negative integer${field === "seeds" || field === "splits" ? " (0 = the scale's default)" : ""}`);
      return n;
    }
    case "scale":
      if (typeof raw !== "string" || !(SCALES as readonly string[]).includes(raw)) throw bad(`expected one of ${SCALES.join(", ")}`);
      return raw as Scale;
    default:
      if (typeof raw !== "string" || raw.length === 0) throw bad("expected a path");
      return path.resolve(projectRoot, raw);
  }
}

function merge(into: Params, obj: Record<string, unknown>, source: string): void {
  for (const [k, v] of Object.entries(obj)) {
    if (k.startsWith("$") || k.startsWith("_")) continue; // comments / schema refs
    if (!(k in DEFAULT_PARAMS)) throw new Error(`params: ${source}: unknown field "${k}" (known: ${Object.keys(DEFAULT_PARAMS).join(", ")})`);
    (into as unknown as Record<string, unknown>)[k] = coerce(k as keyof Params, v, source);
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
  const projectFile = fromRoot("params.json");
  if (fs.existsSync(projectFile)) merge(p, readJson(projectFile), projectFile);
  if (env.GEOREPRO_PARAMS) {
    const f = path.resolve(projectRoot, env.GEOREPRO_PARAMS);
    merge(p, readJson(f), f);
  }
  for (const [field, name] of Object.entries(ENV) as [keyof Params, string][]) {
    const v = env[name];
    if (v !== undefined && v !== "") (p as unknown as Record<string, unknown>)[field] = coerce(field, v, `environment ${name}`);
  }
  merge(p, overrides as Record<string, unknown>, "overrides");
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

/** One-line description for notebook headers and logs. */
export const describeParams = (p: Params): string =>
  `seed=${p.seed} seeds=${seedCount(p)} splits=${splitCount(p)} scale=${p.scale} epochs=${p.epochs || "auto"} out=${path.relative(projectRoot, p.outDir) || "."}`;
