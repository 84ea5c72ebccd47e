/**
 * The variant study shared by notebooks 03 (Fig. 2, ablation), 04 (Fig. 3,
 * fusion) and 06 (Fig. 4, hashtag cut): a list of systems — MRLF variants,
 * the full model from the shared artifact, and any other RunResult maker —
 * trained on every city and seed of a study; then one table with CIs, one
 * grouped-bar figure per metric, and the claims judged on the outcomes.
 */
import type { Cell, ResultTable } from "../../results/table";
import type { FigureSpec } from "../../figures/spec";
import { groupedBarSpec, type BarSeries } from "../../figures/charts";
import { runMrlf } from "../../experiments/mrlf-run";
import type { RunResult } from "../../experiments/run";
import { hashtagCutSplit, isFullModel, type MrlfVariant, type RecutReport } from "../../experiments/variants";
import type { AccMean } from "../../papers/mrlf";
import type { MrlfStudy } from "./context";
import { fullMrlf } from "./artifacts";
import { chosenLearningRate } from "./tuning";
import { findSummary, metricCells, metricColumns, summarise, trainingTimes, type SystemSummary } from "./summary";
import { info } from "../../runtime/progress";

/** A system of a variant study: its label, and how it runs on one city and seed. */
export interface VariantSystem {
  id: string;
  label: string;
  /** Cities it runs in (default: all of the study's). */
  cities?: readonly string[];
  /** True when it needs images: a city without them prints one line (study.needsImages) and gets no row. */
  needsImages?: boolean;
  run(study: MrlfStudy, city: string, seed: number): Promise<RunResult & { recut?: RecutReport }>;
}

/**
 * An MRLF variant as a system. The full model (no overrides, the scale's own
 * hashtag cut) is the shared artifact `full-mrlf`; a hashtag-cut variant
 * re-reads the split's hashtags at its cut (same posts, same partition).
 */
export function mrlfVariant(v: MrlfVariant | ((city: string) => MrlfVariant), cities?: readonly string[]): VariantSystem {
  const at = typeof v === "function" ? v : () => v;
  const any = typeof v === "function" ? null : v;
  return {
    id: any?.id ?? at("").id,
    label: any?.label ?? at("").label,
    ...(cities ? { cities } : {}),
    ...(any?.needsImages ? { needsImages: true } : {}),
    async run(study, city, seed) {
      const variant = at(city);
      const base = study.prepared(city).thresholds;
      if (isFullModel(variant, study.params.scale, base.minHashtagCount))
        return { ...(await fullMrlf(study, city, seed)), system: variant.label };
      const s = await study.split(city, seed);
      let split = s.split;
      let recut: RecutReport | undefined;
      if (variant.minHashtagCount !== undefined) {
        const r = await hashtagCutSplit(study.params, s.split, base, variant.minHashtagCount, study.generator);
        split = r.split;
        recut = r.report;
      }
      // A city without images runs every variant over text + hashtags (its full model has no image branch).
      const r = await runMrlf(study.ctx, split, seed, s.features, {
        overrides: { ...study.fullOverrides(city), ...variant.overrides },
        learningRate: await chosenLearningRate(study, "MRLF", city),
        system: variant.label,
      });
      return recut ? { ...r, recut } : r;
    },
  };
}

export interface VariantRuns {
  runs: (RunResult & { recut?: RecutReport })[];
  summaries: SystemSummary[];
  systems: VariantSystem[];
  times: ReturnType<typeof trainingTimes>;
}

/** Whether a system ran in a city (its cities list and the city's images allow it). */
export const ranIn = (v: Pick<VariantRuns, "runs">, city: string, label: string): boolean =>
  v.runs.some((r) => r.city === city && r.system === label);

/** Train (or load) every system on every city and seed of the study. */
export async function runVariants(
  study: MrlfStudy,
  systems: readonly VariantSystem[],
  name: string,
  log: (line: string) => void = info,
  what: string = name,
): Promise<VariantRuns> {
  const labels = new Set<string>();
  for (const s of systems) {
    if (labels.has(s.label)) throw new Error(`runVariants: two systems labelled "${s.label}"`);
    labels.add(s.label);
  }
  const runs: VariantRuns["runs"] = [];
  for (const c of study.cities) for (const seed of study.seeds) runs.push(...(await runSystemsAt(study, systems, c.city, seed, log, what)));
  return { runs, summaries: summarise(runs, study.params.seed, name), systems: [...systems], times: trainingTimes(runs) };
}

/**
 * The systems that run in one city and seed, in order (a system limited to other cities, or one that
 * needs images in a city without them, is left out: study.needsImages says so once). runVariants calls
 * it for every city and seed; the experiment graph's `runs/<notebook>/<city>/<seed>` units call it
 * ahead of the notebook (lib/studies/mrlf/units.ts), which then finds every training cached.
 */
export async function runSystemsAt(
  study: MrlfStudy,
  systems: readonly VariantSystem[],
  city: string,
  seed: number,
  log: (line: string) => void = info,
  what = "the study",
): Promise<VariantRuns["runs"]> {
  const runs: VariantRuns["runs"] = [];
  for (const sys of systems) {
    if (sys.cities && !sys.cities.includes(city)) continue;
    if (sys.needsImages && !study.needsImages(city, `"${sys.label}" (${what})`)) continue;
    const r = await sys.run(study, city, seed);
    runs.push(r);
    log(
      `${city} seed ${seed} ${sys.label}: Acc ${r.metrics.acc.toFixed(3)} Mean ${r.metrics.meanKm.toFixed(3)} km${r.fromCache ? " (cached)" : ` (${r.trainSeconds?.toFixed(0)} s)`}`,
    );
  }
  return runs;
}

export interface VariantTableOptions {
  name: string;
  title: string;
  reproduces: string;
  /** The paper's value for a (city, system label), or null. */
  paper: (city: string, label: string) => AccMean | null;
  notes: string[];
  /** Extra info columns per row (e.g. the hashtag cut). */
  extra?: { key: string; label: string; digits?: number; value: (city: string, label: string) => Cell }[];
  /** Row order within a city (default: the systems' order), e.g. by the hashtag cut each system applies there. */
  order?: (city: string, label: string) => number;
}

/** One row per (city, system) with Acc/Mean CIs and the paper's value where it prints one. */
export function variantTable(study: MrlfStudy, v: VariantRuns, o: VariantTableOptions): ResultTable {
  const rows: Record<string, Cell>[] = [];
  for (const c of study.cities)
    for (const sys of o.order ? v.systems.slice().sort((a, b) => o.order!(c.city, a.label) - o.order!(c.city, b.label)) : v.systems) {
      if (!ranIn(v, c.city, sys.label)) continue;
      const extra = Object.fromEntries((o.extra ?? []).map((e) => [e.key, e.value(c.city, sys.label)]));
      rows.push({
        city: study.cityName(c.city),
        variant: sys.label,
        ...extra,
        ...metricCells(findSummary(v.summaries, c.city, sys.label), o.paper(c.city, sys.label)),
      });
    }
  return {
    name: o.name,
    title: o.title,
    reproduces: o.reproduces,
    dataset: study.dataset,
    columns: [
      { key: "city", label: "City", source: "info" },
      { key: "variant", label: "Variant", source: "info" },
      ...(o.extra ?? []).map((e) => ({
        key: e.key,
        label: e.label,
        ...(e.digits !== undefined ? { digits: e.digits } : {}),
        source: "info" as const,
      })),
      ...metricColumns(true),
    ],
    rows,
    notes: [
      `Means over ${study.seeds.length} seeds (${study.seeds.join(", ")}); two-level 95 % intervals (the spread over seeds and the test posts, each distinct post resampled once; lib/stats/two-level.ts); sd over seeds.`,
      ...o.notes,
    ],
  };
}

/** Grouped bars (one series per system, one bar per city; the CI as error bars), then the paper's values. */
export function variantBars(
  study: MrlfStudy,
  v: VariantRuns,
  o: {
    name: string;
    title: string;
    paperFigure: string;
    metric: "acc" | "meanKm";
    paper: (city: string, label: string) => AccMean | null;
    notes?: string[];
  },
): FigureSpec {
  const cities = study.cities.map((c) => c.city);
  const series: BarSeries[] = v.systems.map((sys) => {
    const est = cities.map((c) => (ranIn(v, c, sys.label) ? findSummary(v.summaries, c, sys.label).estimates[o.metric] : null));
    return {
      name: sys.label,
      values: est.map((e) => e?.estimate ?? null),
      errors: est.map((e) => (e ? (e.ci.hi - e.ci.lo) / 2 : null)),
      kind: "ours",
    };
  });
  const published = v.systems
    .map((sys) => ({ sys, values: cities.map((c) => o.paper(c, sys.label)?.[o.metric] ?? null) }))
    .filter(({ values }) => values.some((x) => x !== null))
    .map(({ sys, values }) => ({ name: `${sys.label} (paper, Table II)`, values, kind: "paper" as const }));
  return groupedBarSpec({
    name: o.name,
    title: o.title,
    paperFigure: o.paperFigure,
    synthetic: study.dataset.synthetic,
    ...(study.dataset.mixed ? { mixed: true } : {}),
    dataset: study.dataset.name,
    notes: ["Error bars: half the 95 % CI over test posts.", ...(o.notes ?? [])],
    categories: cities.map((c) => study.cityName(c)),
    series: [...series, ...published],
    yLabel: o.metric === "acc" ? "Acc" : "Mean error (km, lower is better)",
    ...(o.metric === "acc" ? { yRange: [0, 1] as [number, number] } : {}),
    valueDigits: 2,
  });
}
