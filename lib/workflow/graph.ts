/**
 * The experiment graph that `make reproduce` hands to Snakemake (workflow/Snakefile):
 * units, each a command over the library that owns some content-addressed cache
 * entries, and the units each waits for. A unit is done when its marker
 * `<cacheDir>/done/<run key>/<unit id>` exists; the marker is written (atomically)
 * only after the unit's cache entries are complete, so a unit that dies leaves
 * no marker and the next run starts it again.
 *
 * Units (what costs, coarsest first):
 * - `prepare` — the MRLF cities prepared and the shared noisy-image cleaning
 *   (`cleaned-images`, lib/studies/mrlf/artifacts.ts), which 01 shows and 02–06 read;
 * - `features/<city>/<seed>` — a seed's cleaned split and the frozen image
 *   features of its images;
 * - `lr/<model>` — one Table II model's learning-rate candidates on the first
 *   seed of each dataset (`learning-rates`);
 * - `full-mrlf/<city>/<seed>`, `late-fusion/<city>/<seed>` — the shared
 *   trainings (`full-mrlf`, `late-fusion`) of notebooks 02, 03, 04 and 06;
 * - `runs/<NN-name>/<city>/<seed>` — every system notebook 02, 03, 04 or 06
 *   trains in that city and seed (Table II's baselines, Fig. 2's ablations,
 *   Fig. 3's fusions, Fig. 4's hashtag cuts: lib/studies/mrlf/units.ts);
 * - `nb/<NN-name>` — a notebook executed from the cached results (it still
 *   computes whatever no unit owns: 03's sensitivity grid, 04's padding-mask and
 *   correlated-mode checks, 05's image-only variants, and all of 07–08);
 * - `report` — results/README.md and the claims page.
 *
 * Not units yet: one per variant within a city and seed (a `runs/…` unit trains
 * its systems one after another), and the local-words settings × splits of
 * 07, which run on the notebook's worker threads (README "The experiment graph").
 *
 * The run key names everything a marker's truth depends on: the parameters, the
 * cache and output folders, the trainer plan and the compiled library. A change
 * to any starts a new set of markers (the cache still skips finished trainings).
 */
import * as path from "node:path";
import { codeFingerprint, keyOf } from "../runtime/hash";
import { RUN_UNITS } from "../studies/mrlf/units";
import { describeCompute, describeParams, seedList, type Params } from "../runtime/params";

export interface Unit {
  id: string;
  /** Ids of the units that must be done first. */
  after: string[];
  /** A notebook file (relative to the project root) the unit executes, for Snakemake's input list. */
  notebook?: string;
  /** Snakemake's priority among ready units (higher first; default 0). */
  priority?: number;
  /**
   * "all": the unit claims every core of the run (its GEOREPRO_THREADS), for a unit with independent work
   * of its own (07's runs and sweep points on worker threads) that nothing else runs beside. Default: one core.
   */
  threads?: "all";
}

/**
 * The units that head the longest chains, started first when they are ready: at the default scale (three
 * seeds, 2 cores) notebook 07 takes ≈ 3–4 min and 08 waits for it, and `prepare` (01's portrait detection,
 * ≈ 4–6 min) heads every MRLF training. Among the notebooks that wait for the shared trainings, the longest
 * go first, with their `runs/…` units (which carry their priority): 04 and 02 (fusion variants, Table II),
 * then 03; 06 and 05 fill the tail. Snakemake does not know costs; the order changes no result.
 */
export const FIRST: Readonly<Record<string, number>> = {
  "nb/07-nb-thresholds": 3,
  prepare: 3,
  "lr/mrlf": 2,
  "nb/04-fusion-variants": 2,
  "nb/02-mrlf": 2,
  "nb/03-ablation": 1,
};

export interface GraphInputs {
  /** Notebook files (relative to the root) in the run, in order, with the notebooks each waits for (`georepro:after`). */
  notebooks: readonly { file: string; after: readonly string[] }[];
  /** MRLF cities of the run (mrlfCities(params)). */
  cities: readonly string[];
  seeds: readonly number[];
  /** Table II models with a learning-rate schedule (a unit per model; one without candidates finishes at once). */
  tunedModels: readonly string[];
  /** The notebooks' own trainings as `runs/…` units (unitsFine); default true. */
  fine?: boolean;
}

/**
 * Whether a run's graph has the `runs/…` units: GEOREPRO_UNITS=fine|coarse, else (auto) on a cluster or on
 * 4 cores or more. Measured on a fresh 2-core machine at the default scale, the 48 extra processes (≈ 3 s of
 * start-up each) cost more than their parallelism gave (README "The experiment graph"); with more workers than
 * notebooks they spread 02–06's trainings.
 */
export function unitsFine(setting: string | undefined, cluster: string, cores: number): boolean {
  const s = setting ?? "auto";
  if (s !== "fine" && s !== "coarse" && s !== "auto") throw new Error(`GEOREPRO_UNITS: expected fine, coarse or auto (got "${s}")`);
  return s === "auto" ? cluster !== "local" || cores >= 4 : s === "fine";
}

/** Notebooks whose variant studies the graph trains ahead as `runs/<notebook>/<city>/<seed>` (lib/studies/mrlf/units.ts: RUN_UNITS). */
const RUN_NOTEBOOKS: ReadonlySet<string> = new Set(Object.keys(RUN_UNITS));

/** Notebooks whose studies read the MRLF units (the rest depend on nothing the graph trains). */
const MRLF_NOTEBOOKS = new Set(["02-mrlf", "03-ablation", "04-fusion-variants", "05-noisy-images", "06-low-frequency-hashtags"]);
/** Which shared trainings each MRLF notebook reads (lib/studies/mrlf/artifacts.ts: SHARED_ARTIFACTS' consumers). */
const READS: Record<string, readonly ("full-mrlf" | "late-fusion")[]> = {
  "02-mrlf": ["full-mrlf", "late-fusion"],
  "03-ablation": ["full-mrlf"],
  "04-fusion-variants": ["full-mrlf", "late-fusion"],
  "05-noisy-images": [],
  "06-low-frequency-hashtags": ["full-mrlf"],
};

/** A model name as a unit-id segment ("MobileNetV2 linear" → "mobilenetv2-linear"). */
export const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

export const stemOf = (file: string): string => path.basename(file).replace(/\.ipynb$/, "");

export function buildGraph(g: GraphInputs): Unit[] {
  const units: Unit[] = [];
  const stems = new Set(g.notebooks.map((n) => stemOf(n.file)));
  const mrlf = g.notebooks.some((n) => MRLF_NOTEBOOKS.has(stemOf(n.file))) || stems.has("01-preprocessing");
  const lr = (m: string) => `lr/${slug(m)}`;
  /** A model's learning-rate unit, where it has one. */
  const lrOf = (m: string) => (g.tunedModels.includes(m) ? [lr(m)] : []);
  if (mrlf && g.cities.length) {
    units.push({ id: "prepare", after: [] });
    for (const c of g.cities) for (const s of g.seeds) units.push({ id: `features/${c}/${s}`, after: ["prepare"] });
    // A model's candidates train on the first seed of each dataset's first city; which city that is the unit decides.
    const firstSeed = g.cities.map((c) => `features/${c}/${g.seeds[0]}`);
    for (const m of g.tunedModels) units.push({ id: lr(m), after: firstSeed });
    for (const c of g.cities)
      for (const s of g.seeds) {
        units.push({ id: `full-mrlf/${c}/${s}`, after: [`features/${c}/${s}`, ...lrOf("MRLF")] });
        units.push({ id: `late-fusion/${c}/${s}`, after: [`features/${c}/${s}`, ...lrOf("Late fusion")] });
      }
  }
  const has = new Set(units.map((u) => u.id));
  for (const n of g.notebooks) {
    const stem = stemOf(n.file);
    const after = n.after.filter((a) => stems.has(a)).map((a) => `nb/${a}`);
    if (has.has("prepare") && (MRLF_NOTEBOOKS.has(stem) || stem === "01-preprocessing")) {
      // 02–06 needed 01 only for the cleaned images, which `prepare` owns: they start beside 01.
      const own = after.filter((a) => a !== "nb/01-preprocessing");
      own.push("prepare");
      if (MRLF_NOTEBOOKS.has(stem)) {
        const rates = g.tunedModels.filter((m) => stem === "02-mrlf" || m === "MRLF" || m === "Late fusion").map(lr);
        /** What a city and seed of this notebook reads from the shared units. */
        const shared = (c: string, s: number) => [`features/${c}/${s}`, ...(READS[stem] ?? []).map((what) => `${what}/${c}/${s}`)];
        for (const c of g.cities) for (const s of g.seeds) own.push(...shared(c, s));
        own.push(...rates);
        if (RUN_NOTEBOOKS.has(stem) && g.fine !== false)
          for (const c of g.cities)
            for (const s of g.seeds) {
              units.push({ id: `runs/${stem}/${c}/${s}`, after: [...shared(c, s), ...rates] });
              own.push(`runs/${stem}/${c}/${s}`);
            }
      }
      units.push({ id: `nb/${stem}`, after: own, notebook: n.file });
    } else if (has.has("prepare") && stem === "00-datasets") {
      // 00 shows the cities `prepare` generates: after it, it reads them from the cache.
      units.push({ id: `nb/${stem}`, after: [...after, "prepare"], notebook: n.file });
    } else units.push({ id: `nb/${stem}`, after, notebook: n.file });
  }
  // Without MRLF units nothing runs beside 07 (08 waits for it): its runs and sweep points take every core.
  if (!has.has("prepare")) for (const u of units) if (u.id === "nb/07-nb-thresholds") u.threads = "all";
  units.push({ id: "report", after: g.notebooks.map((n) => `nb/${stemOf(n.file)}`) });
  checkGraph(units);
  // A notebook's `runs/…` units share its priority (they are most of its work).
  const priorityOf = (id: string) => FIRST[id] ?? (id.startsWith("runs/") ? FIRST[`nb/${id.split("/")[1]}`] : undefined);
  return units.map((u) => (priorityOf(u.id) ? { ...u, priority: priorityOf(u.id) } : u));
}

/** Every dependency names a unit of the graph, and there is no cycle. */
export function checkGraph(units: readonly Unit[]): void {
  const byId = new Map(units.map((u) => [u.id, u]));
  if (byId.size !== units.length) throw new Error("workflow graph: duplicate unit ids");
  for (const u of units) for (const a of u.after) if (!byId.has(a)) throw new Error(`workflow graph: ${u.id}: after: no unit "${a}"`);
  const state = new Map<string, 1 | 2>();
  const visit = (id: string, trail: string[]) => {
    if (state.get(id) === 2) return;
    if (state.get(id) === 1) throw new Error(`workflow graph: cycle ${[...trail, id].join(" → ")}`);
    state.set(id, 1);
    for (const a of byId.get(id)!.after) visit(a, [...trail, id]);
    state.set(id, 2);
  };
  for (const u of units) visit(u.id, []);
}

/** The run key: markers of one run key are true only for those parameters, folders, trainer plan and compiled library. */
export function runKey(p: Params, libDir: string): string {
  return keyOf({
    params: describeParams(p),
    compute: describeCompute(p),
    cacheDir: p.cacheDir,
    outDir: p.outDir,
    code: codeFingerprint(["."], libDir),
  });
}

/** Where the markers of this run live. */
export const doneDir = (p: Params, key: string): string => path.join(p.cacheDir, "done", key);

/**
 * Whether a unit writes results/ (a notebook, the report). Its marker also names the commit: tables are
 * stamped with it, and the report calls a table of another commit stale, so a new commit executes the
 * notebooks again (from the cache) while the training units' markers still hold.
 */
export const writesResults = (id: string): boolean => id.startsWith("nb/") || id === "report";

/** The marker file of unit `id` under doneDir (`nb/02-mrlf` → `commit-<sha>/nb/02-mrlf.done`). */
export const markerOf = (dir: string, id: string, commit = ""): string =>
  path.join(dir, ...(writesResults(id) && commit ? [`commit-${commit.slice(0, 12)}`] : []), `${id}.done`);

export { seedList };
