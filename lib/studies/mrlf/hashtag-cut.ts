/**
 * Fig. 4 (MRLF paper Sec. IV-F): MRLF with and without removing the hashtags
 * seen fewer than 50 times in a city, and a sweep of that cut. Every cut uses
 * the same posts and partition (notebook 02's cleaned split); only each post's
 * hashtags change (lib/experiments/variants.ts `hashtagCutSplit`). The claims
 * "the cut raises Acc" and "the cut lowers Mean" are judged per city.
 */
import type { NotebookRun } from "../../results/run";
import type { Cell, ResultTable } from "../../results/table";
import type { FigureSpec } from "../../figures/spec";
import { lineSpec } from "../../figures/charts";
import { judge } from "../../claims/judge";
import type { ClaimResult } from "../../claims/evaluate";
import { PAPER_TABLE2, type AccMean, type MrlfCity } from "../../papers/mrlf";
import { defaultThresholds, PAPER_THRESHOLDS } from "../../data/preprocess-posts";
import { hashtagCutVariant, hashtagSweep } from "../../experiments/variants";
import { cityEvidence, type MrlfStudy } from "./context";
import { findSummary, systemsIn } from "./summary";
import { mrlfVariant, runVariants, variantBars, variantTable, type VariantRuns, type VariantSystem } from "./variants";

/** Labels the claims registry uses for Fig. 4's two arms. */
export const CUT_LABEL = "hashtag cut";
export const NO_CUT_LABEL = "no cut";

export interface HashtagCut {
  cuts: number[];
  ownCut: number;
  variants: VariantRuns;
  tables: ResultTable[];
  figures: FigureSpec[];
}

/** One system of Fig. 4: a label and the cut it applies in each city it runs in. */
export interface CutDef {
  label: string;
  /** The cut in a city (the city's own cut for CUT_LABEL). */
  cutIn(city: string): number;
  cities?: string[];
}

/** A city's own hashtag cut: its dataset's threshold (Flickr Vienna: 2), else the scale's (50 at default and paper scale). */
export const ownCutOf = (study: MrlfStudy, city: string): number => study.prepared(city).thresholds.minHashtagCount;

/**
 * Fig. 4's systems: no cut and each city's own cut in every city; the scale's
 * sweep's middle cuts in the first city that uses the scale's cut (paper
 * scale: every such city); and in a city whose own cut is not the paper's (a
 * real dataset of its own size), the paper's 50 beside it.
 */
export function cutVariants(study: MrlfStudy): CutDef[] {
  const scale = study.params.scale;
  const scaleCut = defaultThresholds(scale).minHashtagCount;
  const onScaleCut = study.cities.filter((c) => ownCutOf(study, c.city) === scaleCut).map((c) => c.city);
  const ownCutCities = study.cities.filter((c) => ownCutOf(study, c.city) !== scaleCut).map((c) => c.city);
  const defs: CutDef[] = [
    { label: NO_CUT_LABEL, cutIn: () => 0 },
    { label: CUT_LABEL, cutIn: (c) => ownCutOf(study, c) },
  ];
  const middle = hashtagSweep(scale).filter((t) => t !== 0 && t !== scaleCut);
  if (onScaleCut.length)
    for (const t of middle) defs.push({ label: `cut < ${t}`, cutIn: () => t, cities: scale === "paper" ? onScaleCut : [onScaleCut[0]] });
  const paperCities = ownCutCities.filter((c) => ownCutOf(study, c) !== PAPER_THRESHOLDS.minHashtagCount);
  if (paperCities.length) defs.push({ label: PAPER_CUT_LABEL, cutIn: () => PAPER_THRESHOLDS.minHashtagCount, cities: paperCities });
  return defs.sort((a, b) => cutSortKey(study, a) - cutSortKey(study, b));
}

/** Label of the paper's 50 where a city's own cut is another. */
export const PAPER_CUT_LABEL = `cut < ${PAPER_THRESHOLDS.minHashtagCount} (the paper's)`;

const cutSortKey = (study: MrlfStudy, d: CutDef): number =>
  d.cutIn(d.cities?.[0] ?? study.cities[0].city) + (d.label === CUT_LABEL ? 0.5 : 0);

/** A CutDef as a variant study system (the own cut of a city is its full model: the shared artifact). */
const cutSystem = (study: MrlfStudy, d: CutDef) =>
  mrlfVariant((city: string) => ({ ...hashtagCutVariant(city ? d.cutIn(city) : 0, study.params.scale), label: d.label }), d.cities);

/** Fig. 4's systems, as hashtagCutStudy trains them. */
export const cutSystems = (study: MrlfStudy): VariantSystem[] => cutVariants(study).map((d) => cutSystem(study, d));

const paperFor =
  (ownLabel: string) =>
  (city: string, label: string): AccMean | null =>
    label === ownLabel ? (PAPER_TABLE2.MRLF[city as MrlfCity] ?? null) : null;

export async function hashtagCutStudy(study: MrlfStudy): Promise<HashtagCut> {
  const scale = study.params.scale;
  const ownCut = defaultThresholds(scale).minHashtagCount;
  const defs = cutVariants(study);
  const cuts = [
    ...new Set(study.cities.flatMap((c) => defs.filter((d) => !d.cities || d.cities.includes(c.city)).map((d) => d.cutIn(c.city)))),
  ].sort((a, b) => a - b);
  const cutOf = (city: string, label: string) => defs.find((d) => d.label === label)!.cutIn(city);
  const variants = await runVariants(study, cutSystems(study), "fig4-hashtag-cut");
  const paper = paperFor(CUT_LABEL);
  const firstSeed = study.seeds[0];
  // What each cut removes, counted on the first seed's split (seeds change the partition, not the posts).
  const reportRows: Record<string, Cell>[] = [];
  for (const c of study.cities) {
    const recut = variants.runs.find((r) => r.city === c.city && r.seed === firstSeed && r.recut)!.recut!;
    for (const d of defs) {
      if (d.cities && !d.cities.includes(c.city)) continue;
      const r = variants.runs.find((x) => x.city === c.city && x.seed === firstSeed && x.system === d.label)!;
      const rep = r.recut;
      const distinct = rep ? rep.distinctAfter : recut.distinctBefore;
      const occ = rep ? rep.occurrencesAfter : recut.occurrencesBefore;
      reportRows.push({
        city: study.cityName(c.city),
        cut: d.cutIn(c.city),
        distinct,
        occurrences: occ,
        distinct_vs_own: distinct - recut.distinctBefore,
        occurrences_vs_own: occ - recut.occurrencesBefore,
        posts_without: rep ? rep.postsLeftWithoutTags : 0,
      });
    }
  }
  const report: ResultTable = {
    name: "fig4-hashtag-cut-report",
    title: "Hashtags kept at each cut-off (posts of notebook 02's split)",
    reproduces: "MRLF paper, Sec. IV-A / IV-F (filter report for Fig. 4)",
    dataset: study.dataset,
    columns: [
      { key: "city", label: "City", source: "info" },
      { key: "cut", label: "Cut (< n removed)", digits: 0, source: "info" },
      { key: "distinct", label: "Distinct hashtags", digits: 0, source: "ours" },
      { key: "occurrences", label: "Hashtag occurrences", digits: 0, source: "ours" },
      { key: "distinct_vs_own", label: "Distinct vs the city's own cut", digits: 0, source: "ours" },
      { key: "occurrences_vs_own", label: "Occurrences vs the city's own cut", digits: 0, source: "ours" },
      { key: "posts_without", label: "Posts left without hashtags", digits: 0, source: "ours" },
    ],
    rows: reportRows,
    notes: [
      "The cut counts a hashtag's occurrences over every post of the city before the other filters (the paper's preprocessing order), so a hashtag can survive a cut of n with fewer than n occurrences among the posts kept in the end.",
    ],
  };
  const table = variantTable(study, variants, {
    name: "fig4-low-frequency-hashtags",
    title: "Fig. 4 — MRLF with and without removing low-frequency hashtags: Acc and Mean error (km)",
    reproduces: "MRLF paper, Fig. 4 (Sec. IV-F)",
    paper,
    extra: [{ key: "cut", label: "Cut (< n removed)", digits: 0, value: (c, label) => cutOf(c, label) }],
    order: (c, label) =>
      defs.some((d) => d.label === label && (!d.cities || d.cities.includes(c))) ? cutOf(c, label) : Number.MAX_SAFE_INTEGER,
    notes: [
      `The paper's Fig. 4 values are not printed in its text: paper columns are empty except on this scale's own cut (${ownCut}), which carries Table II's MRLF (trained with the paper's cut of ${PAPER_THRESHOLDS.minHashtagCount}).`,
      ...(ownCut !== PAPER_THRESHOLDS.minHashtagCount
        ? [
            `At scale ${scale} the preprocessing cut is ${ownCut}, not the paper's ${PAPER_THRESHOLDS.minHashtagCount} (the tiny cities are too small for 50).`,
          ]
        : []),
      `Every cut uses the same posts and partition (notebook 02's); only the posts' hashtags differ.${scale === "paper" ? "" : ` The sweep's middle cuts run on ${study.cityName(study.cities[0].city)} only (cost).`}`,
      ...study.cities
        .filter((c) => ownCutOf(study, c.city) !== ownCut)
        .map(
          (c) =>
            `${study.cityName(c.city)}: its own cut is ${ownCutOf(study, c.city)} (its dataset's threshold: ${study.prepared(c.city).thresholds.why ?? "set by its data"}); "${CUT_LABEL}" means that cut there, and "${PAPER_CUT_LABEL}" shows what the paper's ${PAPER_THRESHOLDS.minHashtagCount} does on data of this size.`,
        ),
    ],
  });
  const pair = { ...variants, systems: variants.systems.filter((s) => s.label === CUT_LABEL || s.label === NO_CUT_LABEL) };
  const meta = {
    paperFigure: "MRLF paper, Fig. 4",
    paper,
    notes: ["Paper bars: Table II's MRLF, i.e. with the cut (Fig. 4's own values are not printed)."],
  };
  const sweep = (metric: "acc" | "meanKm"): FigureSpec =>
    lineSpec({
      name: `fig4-hashtag-cut-sweep-${metric === "acc" ? "acc" : "mean"}`,
      title: `${metric === "acc" ? "Accuracy" : "Mean error"} against the hashtag cut-off`,
      paperFigure: "MRLF paper, Fig. 4",
      synthetic: study.dataset.synthetic,
      ...(study.dataset.mixed ? { mixed: true } : {}),
      dataset: study.dataset.name,
      notes: ["Error bars: half the 95 % CI over test posts."],
      series: study.cities.map((c) => {
        const pts = defs
          .filter((d) => !d.cities || d.cities.includes(c.city))
          .map((d) => ({ x: d.cutIn(c.city), e: findSummary(variants.summaries, c.city, d.label).estimates[metric] }))
          .sort((a, b) => a.x - b.x);
        return {
          name: study.cityName(c.city),
          x: pts.map((p) => p.x),
          y: pts.map((p) => p.e.estimate),
          errors: pts.map((p) => (p.e.ci.hi - p.e.ci.lo) / 2),
        };
      }),
      xLabel: "hashtags with fewer occurrences per city removed",
      yLabel: metric === "acc" ? "Acc" : "Mean error (km, lower is better)",
      markers: [
        {
          x: ownCut,
          label:
            ownCut === PAPER_THRESHOLDS.minHashtagCount
              ? `paper: < ${ownCut} removed`
              : `this scale's cut (paper: ${PAPER_THRESHOLDS.minHashtagCount})`,
        },
      ],
    });
  return {
    cuts,
    ownCut,
    variants,
    tables: [report, table],
    figures: [
      variantBars(study, pair, {
        ...meta,
        name: "fig4-low-frequency-acc",
        title: "Fig. 4 — with and without low-frequency hashtags: accuracy",
        metric: "acc",
      }),
      variantBars(study, pair, {
        ...meta,
        name: "fig4-low-frequency-mean",
        title: "Fig. 4 — with and without low-frequency hashtags: mean error",
        metric: "meanKm",
      }),
      sweep("acc"),
      sweep("meanKm"),
    ],
  };
}

export function judgeHashtagCut(run: Pick<NotebookRun, "params" | "markdown">, study: MrlfStudy, h: HashtagCut): ClaimResult[] {
  const out: ClaimResult[] = [];
  for (const c of study.cities) {
    const base = study.planted(c.city);
    const planted = base
      ? `${base} Rare hashtags are personal tail tags (uninformative, or built from the place the hashtags show) and secondary place tags; with the cut MRLF loses both, without it it may fit noise.`
      : undefined;
    for (const id of ["hashtag-cut-helps-acc", "hashtag-cut-helps-mean"])
      out.push(
        judge(run, id, {
          ...cityEvidence(study, c.city),
          testSetNoun: "seeds",
          systems: systemsIn(h.variants.runs, c.city, [CUT_LABEL, NO_CUT_LABEL]),
          ...(planted ? { planted } : {}),
        }),
      );
  }
  return out;
}
