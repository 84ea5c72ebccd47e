/**
 * The parameter envelope's environment: every GEOREPRO_* variable the library,
 * the scripts and the benchmarks read, with its `make` variable, default and
 * meaning, in one table. Code reads a variable only through `envVar(name)`, so
 * a variable that is not documented here does not type-check; test/runtime/env.test.ts
 * checks that no source reads one otherwise and that README's parameter table is
 * this table (`node dist/scripts/params-table.js --write` rewrites it).
 *
 * Why a file of its own beside params.ts (which re-exports it): the compute plan
 * (device.ts) reads variables and params.ts imports the plan, so the table lives
 * below both.
 */

export interface EnvSpec {
  /** The `make` variable that sets it, if any. */
  make?: string;
  default: string;
  doc: string;
  /** Who sets it: the user (README table), or the project itself between its processes. */
  audience: "user" | "internal";
}

export const ENV_VARS = {
  GEOREPRO_SEED: { make: "SEED", default: "1", doc: "root seed: every random stream derives from it", audience: "user" },
  GEOREPRO_SEEDS: {
    make: "SEEDS",
    default: "3 (2 at tiny)",
    doc: "repeated seeds (each a new split and initialisation): sd and CIs",
    audience: "user",
  },
  GEOREPRO_SPLITS: {
    make: "SPLITS",
    default: "10 (3 at tiny)",
    doc: "local words: seeded splits / seeds (cheap models, so more of them)",
    audience: "user",
  },
  GEOREPRO_SCALE: {
    make: "SCALE",
    default: "default",
    doc: "`tiny` (tests), `default` (≈ 33 min cold on 2 cores at 3 seeds), `paper`",
    audience: "user",
  },
  GEOREPRO_EPOCHS: { make: "EPOCHS", default: "0 = the scale's default", doc: "epoch cap for neural models", audience: "user" },
  GEOREPRO_OUT: { make: "OUT", default: "`results` (`results-NAME` with `DATA=NAME`)", doc: "output folder", audience: "user" },
  GEOREPRO_DATA: {
    make: "DATA",
    default: "unset: GeoText + synthetic",
    doc: "your dataset: a manifest name in `data-manifests/` or a path to one; runs the notebooks that fit its kind",
    audience: "user",
  },
  GEOREPRO_LEVEL: {
    make: "LEVEL",
    default: "the labels the records carry",
    doc: "own microblog users: `state`, `city`, `country`, or several (`state,country`); users without a label are labelled from lat/lon",
    audience: "user",
  },
  GEOREPRO_MIN_USERS: {
    make: "MIN_USERS",
    default: "5",
    doc: "own microblog users: locations with fewer users are removed (and counted)",
    audience: "user",
  },
  GEOREPRO_CACHE: { default: "`.cache`", doc: "generated data, trained models, frozen image features", audience: "user" },
  GEOREPRO_PARAMS: {
    default: "unset",
    doc: "a JSON file of parameters, read after `params.json` and before these variables",
    audience: "user",
  },
  GEOREPRO_MANIFESTS: { default: "`data-manifests`", doc: "the folder of data manifests", audience: "user" },
  "GEOREPRO_DATA_<NAME>": {
    default: "unset",
    doc: "where dataset NAME's files are (overrides its manifest's root; e.g. `GEOREPRO_DATA_GEOTEXT`, `GEOREPRO_DATA_MICROBLOG`)",
    audience: "user",
  },
  GEOREPRO_JOBS: {
    default: "2 (1 on a 1-core machine)",
    doc: "notebooks executed at once by `node dist/scripts/run-notebooks.js` given several (not used by `make reproduce`, whose graph runs on `CORES`)",
    audience: "user",
  },
  GEOREPRO_CELL_TIMEOUT: { default: "3600", doc: "seconds a notebook cell may run before the runner stops it", audience: "user" },
  GEOREPRO_BACKEND: {
    default: "the plan's (see *GPU*)",
    doc: "force a TensorFlow.js backend (`tensorflow-gpu`, `webgpu`, `tensorflow`, `wasm`, `cpu`); a GPU one without a device is an error",
    audience: "user",
  },
  GEOREPRO_TRAINER: {
    default: "`auto`",
    doc:
      "`auto`: TensorFlow.js on a GPU when one reports a device, else georepro's training engine on the CPU (the CPU default); " +
      "`engine`: the CPU default without looking for a GPU; `tfjs`: TensorFlow.js trains every model " +
      "(slower on the CPU; last-bit differences, so into `results-tfjs-cpu/`)",
    audience: "user",
  },
  GEOREPRO_TRAIN_WORKERS: {
    default: "`auto`",
    doc:
      "`auto`: a helper thread takes half of each batch when the process was given 2 or more cores (`GEOREPRO_THREADS`); " +
      "`on` / `off`; results are bit-identical either way",
    audience: "user",
  },
  GEOREPRO_BACKBONE: {
    default: "the scale's",
    doc: "an image backbone manifest (a path) to use instead of the scale's frozen backbone",
    audience: "user",
  },
  "GEOREPRO_PRETRAINED_<NAME>": {
    default: "unset",
    doc: "a converted pretrained model (model.json) for the Table II baseline NAME (e.g. `GEOREPRO_PRETRAINED_RESNET50`)",
    audience: "user",
  },
  GEOREPRO_LOCALWORDS_SWEEP: {
    default: "the scale's",
    doc: "`full`: the local-words sweeps over the paper's whole grid at any scale (default: at `SCALE=paper` only)",
    audience: "user",
  },
  GEOREPRO_INTERACTIVE: {
    default: "unset (`1` under `make notebook`)",
    doc: "`1`: figures are drawn as interactive plotly charts in the notebook",
    audience: "user",
  },
  GEOREPRO_SNAKEMAKE: { default: "`snakemake`", doc: "the Snakemake executable `make reproduce` runs", audience: "user" },
  GEOREPRO_UNITS: {
    default: "`auto`",
    doc: "`fine`: notebooks 02, 03, 04, 06 train their studies as `runs/<notebook>/<city>/<seed>` units; `coarse`: inside the notebook units; `auto`: fine on Slurm or on 4 cores or more",
    audience: "user",
  },
  GEOREPRO_SBATCH: {
    default: "unset",
    doc: "extra `sbatch` options for `CLUSTER=slurm` (read by `workflow/profiles/slurm/config.yaml`), e.g. `-p long --time=4:00:00`",
    audience: "user",
  },
  GEOREPRO_INGEST_BUCKET_MB: {
    default: "32",
    doc: "`make ingest`: megabytes of text per spool file (memory holds one at a time)",
    audience: "user",
  },
  GEOREPRO_CHROMIUM: { default: "`/usr/bin/chromium`", doc: "the Chromium that exports figures", audience: "user" },
  GEOREPRO_JUPYTER: { default: "`/usr/bin/jupyter`", doc: "the Jupyter executable of the runner and the HTML export", audience: "user" },
  GEOREPRO_PYTHON: { default: "`/usr/bin/python3`", doc: "the Python that runs the nbclient driver", audience: "user" },
  GEOREPRO_ROOT: {
    default: "the project folder",
    doc: "the project root as notebooks see it (set by the runner and `make notebook`)",
    audience: "internal",
  },
  GEOREPRO_CHROMIUM_WS: {
    default: "unset",
    doc: "a running Chromium's DevTools endpoint that notebooks share (set by the runner)",
    audience: "internal",
  },
  GEOREPRO_THREADS: {
    default: "1",
    doc: "the cores this process may use: a graph unit's Snakemake `threads` (helper threads follow it)",
    audience: "internal",
  },
  GEOREPRO_GRAPH: {
    default: "unset",
    doc: "the experiment graph's listing (JSON) that Snakemake hands to each unit (`scripts/unit.ts`)",
    audience: "internal",
  },
  GEOREPRO_WORKFLOW_START: {
    default: "unset",
    doc: "when the workflow driver started (ms since the epoch): the report's total wall time",
    audience: "internal",
  },
  GEOREPRO_RUN_SUMMARY: {
    default: "unset",
    doc: "where a unit's notebook run writes its part of the run summary (the report merges them)",
    audience: "internal",
  },
  GEOREPRO_GPU_PROBE: {
    default: "unset",
    doc: "the runner's GPU probe, passed to notebooks as JSON so that each does not probe again",
    audience: "internal",
  },
} as const satisfies Record<string, EnvSpec>;

export type EnvName = keyof typeof ENV_VARS;
/** A variable name, including the members of the `<NAME>` families (GEOREPRO_DATA_GEOTEXT, …). */
export type EnvVarName = Exclude<EnvName, `${string}<NAME>`> | `GEOREPRO_DATA_${string}` | `GEOREPRO_PRETRAINED_${string}`;

/** The one way code reads a GEOREPRO_* variable. `env` exists for tests. */
export function envVar(name: EnvVarName, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[name];
}

/** The README's parameter table (the user-facing variables), as Markdown. */
export function parameterTable(): string {
  const rows = Object.entries(ENV_VARS as Record<string, EnvSpec>).filter(([, s]) => s.audience === "user");
  return [
    "| variable | env | default | meaning |",
    "| --- | --- | --- | --- |",
    ...rows.map(([name, s]) => `| ${s.make ? `\`${s.make}\`` : "—"} | \`${name}\` | ${s.default} | ${s.doc} |`),
  ].join("\n");
}
