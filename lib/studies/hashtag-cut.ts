/**
 * Fig. 4 (MRLF paper Sec. IV-F): MRLF with and without removing the hashtags
 * seen fewer than 50 times in a city, and a sweep of that cut. Every cut uses
 * the same posts and partition (notebook 02's cleaned split); only each post's
 * hashtags change (lib/experiments/variants.ts `hashtagCutSplit`). The claims
 * "the cut raises Acc" and "the cut lowers Mean" are judged per city.
 */
import type { NotebookRun } from "../runtime/run";
import type { Cell, ResultTable } from "../results/table";
import type { FigureSpec } from "../figures/spec";
import { lineSpec } from "../figures/charts";
import { judge } from "../claims/judge";
import type { ClaimResult } from "../claims/evaluate";
import { PAPER_TABLE2, type AccMean, type MrlfCity } from "../papers/mrlf";
import { defaultThresholds, PAPER_THRESHOLDS } from "../data/preprocess-posts";
import { hashtagCutVariant, hashtagSweep, type MrlfVariant } from "../experiments/variants";
import { cityEvidence, type MrlfStudy } from "./context";
import { findSummary, systemsIn } from "./summary";
import { mrlfVariant, runVariants, variantBars, variantTable, type VariantRuns } from "./variants";

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

/** Fig. 4's variants: no cut and the scale's own cut in every city; the sweep's middle cuts in the first city only (paper scale: every city). */
export function cutVariants(study: MrlfStudy): { variant: MrlfVariant; cities?: string[] }[] {
  const scale = study.params.scale;
  const own = defaultThresholds(scale).minHashtagCount;
  const first = [study.cities[0].city];
  return hashtagSweep(scale).map((t) => {
    const v = hashtagCutVariant(t, scale);
    const label = t === 0 ? NO_CUT_LABEL : t === own ? CUT_LABEL : `cut < ${t}`;
    return { variant: { ...v, label }, ...(t === 0 || t === own || scale === "paper" ? {} : { cities: first }) };
  });
}

const paperFor =
  (ownLabel: string) =>
  (city: string, label: string): AccMean | null =>
    label === ownLabel ? (PAPER_TABLE2.MRLF[city as MrlfCity] ?? null) : null;

export async function hashtagCutStudy(study: MrlfStudy): Promise<HashtagCut> {
  const scale = study.params.scale;
  const ownCut = defaultThresholds(scale).minHashtagCount;
  const defs = cutVariants(study);
  const cuts = defs.map((d) => d.variant.minHashtagCount!);
  const cutOf = (label: string) => defs.find((d) => d.variant.label === label)!.variant.minHashtagCount!;
  const variants = await runVariants(
    study,
    defs.map((d) => mrlfVariant(d.variant, d.cities)),
    "fig4-hashtag-cut",
  );
  const paper = paperFor(CUT_LABEL);
  const firstSeed = study.seeds[0];
  // What each cut removes, counted on the first seed's split (seeds change the partition, not the posts).
  const reportRows: Record<string, Cell>[] = [];
  for (const c of study.cities) {
    const recut = variants.runs.find((r) => r.city === c.city && r.seed === firstSeed && r.recut)!.recut!;
    for (const d of defs) {
      if (d.cities && !d.cities.includes(c.city)) continue;
      const r = variants.runs.find((x) => x.city === c.city && x.seed === firstSeed && x.system === d.variant.label)!;
      const rep = r.recut;
      const distinct = rep ? rep.distinctAfter : recut.distinctBefore;
      const occ = rep ? rep.occurrencesAfter : recut.occurrencesBefore;
      reportRows.push({
        city: study.cityName(c.city),
        cut: d.variant.minHashtagCount!,
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
      { key: "distinct_vs_own", label: `Distinct vs cut ${ownCut}`, digits: 0, source: "ours" },
      { key: "occurrences_vs_own", label: `Occurrences vs cut ${ownCut}`, digits: 0, source: "ours" },
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
    extra: [{ key: "cut", label: "Cut (< n removed)", digits: 0, value: (_c, label) => cutOf(label) }],
    notes: [
      `The paper's Fig. 4 values are not printed in its text: paper columns are empty except on this scale's own cut (${ownCut}), which carries Table II's MRLF (trained with the paper's cut of ${PAPER_THRESHOLDS.minHashtagCount}).`,
      ...(ownCut !== PAPER_THRESHOLDS.minHashtagCount
        ? [
            `At scale ${scale} the preprocessing cut is ${ownCut}, not the paper's ${PAPER_THRESHOLDS.minHashtagCount} (the tiny cities are too small for 50).`,
          ]
        : []),
      `Every cut uses the same posts and partition (notebook 02's); only the posts' hashtags differ.${scale === "paper" ? "" : ` The sweep's middle cuts run on ${study.cityName(study.cities[0].city)} only (cost).`}`,
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
      dataset: study.dataset.name,
      notes: ["Error bars: half the 95 % CI over test posts."],
      series: study.cities.map((c) => {
        const pts = defs
          .filter((d) => !d.cities || d.cities.includes(c.city))
          .map((d) => ({ x: d.variant.minHashtagCount!, e: findSummary(variants.summaries, c.city, d.variant.label).estimates[metric] }));
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
