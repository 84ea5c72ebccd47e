/**
 * Table III (MRLF paper Sec. III-B, IV-E): the image-only part of MRLF on all
 * images, after removing images whose portrait ratio exceeds η = 0.5, with
 * person regions inpainted, with both (the cleaning every other notebook's
 * models train on), and — not in the paper — after removing by the
 * generator's true ratio. Every variant is tested on the same test posts.
 *
 * Also the detector's threshold τ on held-out images and its η decision
 * against the generator's truth (both from the shared cleaning artifact), the
 * same models on the test posts the detector calls clean, and the claim
 * "removing noisy images lowers Mean", judged per city.
 */
import type { NotebookRun } from "../../results/run";
import { withPaper, comparedColumns, type Cell, type ResultTable } from "../../results/table";
import type { FigureSpec } from "../../figures/spec";
import { groupedBarSpec } from "../../figures/charts";
import { judge, judgedOn, listedFor } from "../../claims/judge";
import type { ClaimResult } from "../../claims/evaluate";
import { PAPER_TABLE3, type MrlfCity } from "../../papers/mrlf";
import { stream } from "../../runtime/rng";
import { estimateMetrics } from "../../stats/paired";
import { etaFilter, type EtaFilterReport } from "../../data/eta-filter";
import type { Post } from "../../data/posts";
import { decisionMetrics } from "../../image/portrait-gate";
import { imageFeatures, type FeatureSet } from "../../image/features";
import { runMrlf } from "../../experiments/mrlf-run";
import type { RunResult } from "../../experiments/run";
import type { CitySplit } from "../../experiments/split";
import { cityEvidence, datasetOf, type MrlfStudy } from "./context";
import { chosenLearningRate } from "./tuning";
import { findSummary, metricCells, metricColumns, summarise, systemsIn, trainingTimes, type SystemSummary } from "./summary";

export const IMAGE_ONLY = { useText: false, useTags: false, useImage: true } as const;

export type Table3Variant = "all" | "remove" | "inpaint" | "remove+inpaint" | "remove-true";
export const TABLE3_VARIANTS: readonly { key: Table3Variant; label: string; paper: keyof typeof PAPER_TABLE3 | null }[] = [
  { key: "all", label: "Image (all)", paper: "all" },
  { key: "remove", label: "Image (remove)", paper: "remove" },
  { key: "inpaint", label: "Image (inpaint)", paper: null },
  { key: "remove+inpaint", label: "Image (remove + inpaint)", paper: null },
  { key: "remove-true", label: "Image (remove, true ratio)", paper: null },
];

/** The raw split with train/val posts above η removed (by `ratio`); the key says which ratio removed them. */
export function removeNoisy(
  split: CitySplit<Post>,
  ratio: (f: string) => number,
  eta: number,
  ratioFrom: string,
): { split: CitySplit<Post>; train: EtaFilterReport; val: EtaFilterReport } {
  const train = etaFilter(split.train, ratio, eta);
  const val = etaFilter(split.val, ratio, eta);
  return {
    split: { ...split, train: train.kept, val: val.kept, key: { ...split.key, etaRemove: ratioFrom } },
    train: train.report,
    val: val.report,
  };
}

/** The raw split with every image replaced by its inpainted version where there is one (no post removed). */
export function inpaintOnly(split: CitySplit<Post>, inpainted: ReadonlyMap<string, string>, id: string): CitySplit<Post> {
  const swap = (p: Post): Post => ({ ...p, images: p.images.map((f) => inpainted.get(f) ?? f) });
  return {
    ...split,
    train: split.train.map(swap),
    val: split.val.map(swap),
    test: split.test.map(swap),
    key: { ...split.key, inpaint: id },
  };
}

export interface NoisyImages {
  runs: RunResult[];
  summaries: SystemSummary[];
  tables: ResultTable[];
  figures: FigureSpec[];
  /** Up to 8 New-York-first examples: original, mask, inpainted (for a contact sheet). */
  examples: { files: string[]; columns: number; caption: string } | null;
  times: ReturnType<typeof trainingTimes>;
}

/** The cities with images (a city without them prints one line: no Table III there). */
export function withImages(study: MrlfStudy, what: string): MrlfStudy | null {
  const cities = study.cities.filter((c) => study.needsImages(c.city, what));
  if (cities.length === study.cities.length) return study;
  return cities.length ? { ...study, cities, dataset: datasetOf(cities) } : null;
}

const TABLE3_WHAT = "Table III (noisy images: portrait ratio, removal, inpainting)";

export async function noisyImagesStudy(all: MrlfStudy): Promise<NoisyImages | null> {
  const study = withImages(all, TABLE3_WHAT);
  if (!study) return null;
  const { ctx, params, cleaning } = study;
  const eta = cleaning.eta;
  const cityName = study.cityName;
  const lr = await chosenLearningRate(study, "MRLF");
  const runs: RunResult[] = [];
  const filterRows: Record<string, Cell>[] = [];
  const truthRows: Record<string, Cell>[] = [];
  const cleanRows = new Map<string, { keep: number[]; n: number }>();
  for (const c of study.cities) {
    const trueRatio = new Map(c.posts.flatMap((p) => p.images.map((f) => [f, p.truth?.portraitRatio ?? 0] as const)));
    // The detector against the generator's truth (synthetic data only).
    const withTruth = c.posts.filter((p) => p.images.length > 0 && p.truth);
    if (withTruth.length) {
      const r = (p: Post) => cleaning.ratio(p.images[0]);
      const e = decisionMetrics(
        withTruth.map((p) => r(p) > eta),
        withTruth.map((p) => p.truth!.portraitRatio > eta),
      );
      const person = decisionMetrics(
        withTruth.map((p) => r(p) > 0),
        withTruth.map((p) => p.truth!.portraitRatio > 0),
      );
      const found = withTruth.filter((p) => p.truth!.portraitRatio > 0 && r(p) > 0);
      const mae = found.length ? found.reduce((s, p) => s + Math.abs(r(p) - p.truth!.portraitRatio), 0) / found.length : null;
      const row: Record<string, Cell> = {
        city: cityName(c.city),
        images: withTruth.length,
        detector_runs: withTruth.filter((p) => cleaning.measured.get(p.images[0])!.detectorScore !== null).length,
        true_noisy: withTruth.filter((p) => p.truth!.portraitRatio > eta).length,
        detected_noisy: withTruth.filter((p) => r(p) > eta).length,
        tp: e.tp,
        fp: e.fp,
        fn: e.fn,
        precision: e.precision,
        recall: e.recall,
        person_precision: person.precision,
        person_recall: person.recall,
        mae,
      };
      truthRows.push(withPaper(withPaper(row, "precision", null), "recall", null));
    }
    for (const seed of study.seeds) {
      const s = await study.split(c.city, seed);
      const raw = s.raw;
      const rawFeats = await imageFeatures(
        ctx.backbone,
        [...raw.train, ...raw.val, ...raw.test].flatMap((p) => p.images),
        { cacheDir: params.cacheDir, label: `image-features ${c.city}` },
      );
      const removed = removeNoisy(raw, cleaning.ratio, eta, `detector:${cleaning.id}`);
      const removedTrue = removeNoisy(raw, (f) => trueRatio.get(f) ?? 0, eta, "generator-truth");
      const inpainted = inpaintOnly(raw, cleaning.inpainted, cleaning.id);
      // The inpaint-only split keeps the posts the η filter removes, so it needs features of their inpainted images too.
      const inpFeats = await imageFeatures(
        ctx.backbone,
        [...inpainted.train, ...inpainted.val, ...inpainted.test].flatMap((p) => p.images),
        { cacheDir: params.cacheDir, label: `image-features inpainted ${c.city}` },
      );
      if (seed === study.seeds[0])
        for (const [variant, r] of [
          ["detector", removed],
          ["generator's true ratio", removedTrue],
        ] as const)
          for (const part of ["train", "val"] as const)
            filterRows.push(
              withPaper(
                {
                  city: cityName(c.city),
                  variant,
                  part,
                  before: r[part].postsBefore,
                  removed: r[part].removedPosts,
                  after: r[part].postsAfter,
                },
                "removed",
                null,
              ),
            );
      const variantSplits: Record<Table3Variant, { split: CitySplit<Post>; features: FeatureSet }> = {
        all: { split: raw, features: rawFeats },
        remove: { split: removed.split, features: rawFeats },
        inpaint: { split: inpainted, features: inpFeats },
        "remove+inpaint": { split: s.split, features: s.features },
        "remove-true": { split: removedTrue.split, features: rawFeats },
      };
      for (const v of TABLE3_VARIANTS) {
        const x = variantSplits[v.key];
        runs.push(await runMrlf(ctx, x.split, seed, x.features, { overrides: IMAGE_ONLY, learningRate: lr, system: v.label }));
      }
      cleanRows.set(`${c.city}/${seed}`, {
        keep: raw.test.map((p, i) => (p.images.every((f) => cleaning.ratio(f) <= eta) ? i : -1)).filter((i) => i >= 0),
        n: raw.test.length,
      });
    }
  }
  const summaries = summarise(runs, params.seed, "table3");
  const data = study.dataset;
  const tauRows = thresholdRows(study);
  const tables: ResultTable[] = [
    {
      name: "05-detector-threshold",
      title: "Person detector threshold τ on held-out calibration images (person present: yes/no)",
      reproduces: "MRLF paper, Sec. III-B (portrait recognition; the paper gives no detector figures)",
      dataset: {
        name: "synthetic-portrait-calibration",
        synthetic: true,
        description: `${cleaning.calibration.images.length} images rendered by the synthetic generator from seed ${cleaning.calibration.seed}, stream portrait-calibration (held out from every evaluation image)`,
      },
      columns: [
        { key: "tau", label: "τ", digits: 2, source: "info" },
        { key: "chosen", label: "chosen", source: "info" },
        { key: "tp", label: "TP", digits: 0, source: "ours" },
        { key: "fp", label: "FP", digits: 0, source: "ours" },
        { key: "fn", label: "FN", digits: 0, source: "ours" },
        ...comparedColumns("precision", "precision", 3),
        ...comparedColumns("recall", "recall", 3),
        { key: "f1", label: "F1", digits: 3, source: "ours" },
      ],
      rows: tauRows,
      notes: [
        `Held-out images: ${cleaning.calibration.images.filter((c) => c.truthRatio > 0).length} with a person, ${cleaning.calibration.images.filter((c) => c.truthRatio === 0).length} without (pets, food, scenes).`,
        "Recall is capped by the segmenter: a person it does not find (area below the person-sized threshold) cannot be recovered by any τ.",
        cleaning.notes.models,
      ],
    },
    {
      name: "05-portrait-vs-truth",
      title: `The η = ${eta} decision: detected portrait ratio vs the generator's true ratio`,
      reproduces: "MRLF paper, Sec. IV-E (the η filter; the paper reports no detector accuracy)",
      dataset: data,
      columns: [
        { key: "city", label: "city", source: "info" },
        { key: "images", label: "images", digits: 0, source: "ours" },
        { key: "detector_runs", label: "detector runs", digits: 0, source: "ours" },
        { key: "true_noisy", label: "true ratio > η", digits: 0, source: "ours" },
        { key: "detected_noisy", label: "detected ratio > η", digits: 0, source: "ours" },
        { key: "tp", label: "TP", digits: 0, source: "ours" },
        { key: "fp", label: "FP", digits: 0, source: "ours" },
        { key: "fn", label: "FN", digits: 0, source: "ours" },
        ...comparedColumns("precision", "η precision", 3),
        ...comparedColumns("recall", "η recall", 3),
        { key: "person_precision", label: "person precision", digits: 3, source: "ours" },
        { key: "person_recall", label: "person recall", digits: 3, source: "ours" },
        { key: "mae", label: "|ratio − true| (found persons)", digits: 3, source: "ours" },
      ],
      rows: truthRows,
      notes: [
        `τ = ${cleaning.tau.toFixed(2)} (chosen on held-out images above). Person precision / recall: ratio > 0 vs true ratio > 0.`,
        "Empty precision: nothing was detected as noisy; empty recall: no image is truly noisy. The paper gives no detector figures (its U2-Net ran on real photos).",
        'The segmenter runs on every image; the detector only where the segmenter found a person-sized region ("detector runs").',
      ],
    },
    {
      name: "05-eta-filter-report",
      title: `Posts removed by the η = ${eta} filter (training and validation parts of the first seed's split; the test part is never filtered)`,
      reproduces: "MRLF paper, Sec. IV-E (the paper gives no counts)",
      dataset: data,
      columns: [
        { key: "city", label: "city", source: "info" },
        { key: "variant", label: "ratio from", source: "info" },
        { key: "part", label: "part", source: "info" },
        { key: "before", label: "posts before", digits: 0, source: "ours" },
        ...comparedColumns("removed", "removed", 0),
        { key: "after", label: "posts after", digits: 0, source: "ours" },
      ],
      rows: filterRows,
      notes: ["A post is removed when its image's portrait ratio exceeds η; removed + kept = before in every row."],
    },
    {
      name: "table3-noisy-images",
      title: "Table III — the image-only model before and after removing noisy images: Acc and Mean error (km) with 95 % CIs",
      reproduces: "MRLF paper, Table III",
      dataset: data,
      columns: [{ key: "city", label: "City", source: "info" }, { key: "method", label: "Method", source: "info" }, ...metricColumns(true)],
      rows: study.cities.flatMap((c) =>
        TABLE3_VARIANTS.map((v) => ({
          city: cityName(c.city),
          method: v.label,
          ...metricCells(findSummary(summaries, c.city, v.label), v.paper ? (PAPER_TABLE3[v.paper][c.city as MrlfCity] ?? null) : null),
        })),
      ),
      notes: [
        `Test posts: the same for every row (all of the split's test posts, ${study.seeds.length} seeds). τ = ${cleaning.tau.toFixed(2)}, η = ${eta}.`,
        "remove: training/validation posts with a detected ratio > η dropped; inpaint: every confirmed person region inpainted in train, validation and test images; remove + inpaint: both — the cleaning Table II and Fig. 2–4's models train on; remove (true ratio): by the generator's recorded ratio (not in the paper).",
        `Image features: ${ctx.backbone.description}. The paper has no inpaint rows. ${cleaning.notes.inpainter}`,
      ],
    },
    cleanSubsetTable(study, runs, cleanRows),
  ];
  const ex = examples(study);
  return {
    runs,
    summaries,
    tables,
    figures: [
      groupedBarSpec({
        name: "table3-noisy-images-mean",
        title: "Table III: Mean error (km) of the image-only model",
        paperFigure: "MRLF paper, Table III",
        synthetic: data.synthetic,
        dataset: data.name,
        notes: ["Error bars: half the 95 % CI over test posts."],
        categories: study.cities.map((c) => cityName(c.city)),
        series: [
          ...TABLE3_VARIANTS.map((v) => {
            const e = study.cities.map((c) => findSummary(summaries, c.city, v.label).estimates.meanKm);
            return { name: v.label, values: e.map((x) => x.estimate), errors: e.map((x) => (x.ci.hi - x.ci.lo) / 2) };
          }),
          {
            name: "Image (all), paper",
            values: study.cities.map((c) => PAPER_TABLE3.all[c.city as MrlfCity]?.meanKm ?? null),
            kind: "paper" as const,
          },
          {
            name: "Image (remove), paper",
            values: study.cities.map((c) => PAPER_TABLE3.remove[c.city as MrlfCity]?.meanKm ?? null),
            kind: "paper" as const,
          },
        ],
        yLabel: "Mean error (km, lower is better)",
        valueDigits: 2,
      }),
    ],
    examples: ex,
    times: trainingTimes(runs),
  };
}

function thresholdRows(study: MrlfStudy): Record<string, Cell>[] {
  const { choice } = study.cleaning.calibration;
  const tau = study.cleaning.tau;
  const shown = [...new Set([0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, tau])].sort((a, b) => a - b);
  return shown.map((t) => {
    const c = choice.candidates.find((x) => Math.abs(x.threshold - t) < 1e-9)!;
    const row = {
      tau: t,
      chosen: t === tau ? "◀" : "",
      tp: c.metrics.tp,
      fp: c.metrics.fp,
      fn: c.metrics.fn,
      precision: c.metrics.precision,
      recall: c.metrics.recall,
      f1: c.metrics.f1,
    };
    return withPaper(withPaper(row, "precision", null), "recall", null);
  });
}

/** The same models on the test posts the detector calls clean (ratio ≤ η): where a removal filter would be deployed. */
function cleanSubsetTable(study: MrlfStudy, runs: readonly RunResult[], keep: Map<string, { keep: number[]; n: number }>): ResultTable {
  const rows: Record<string, Cell>[] = [];
  for (const c of study.cities)
    for (const v of TABLE3_VARIANTS) {
      const rep = systemsIn(runs, c.city, [v.label])[v.label].map((t, i) => {
        const k = keep.get(`${c.city}/${study.seeds[i]}`)!.keep;
        return {
          testSet: t.testSet,
          outcomes: {
            truth: Int32Array.from(k, (j) => t.outcomes.truth[j]),
            predicted: Int32Array.from(k, (j) => t.outcomes.predicted[j]),
            errorKm: Float64Array.from(k, (j) => t.outcomes.errorKm![j]),
            ids: k.map((j) => t.outcomes.ids![j]),
          },
        };
      });
      const e = estimateMetrics(rep, ["acc", "meanKm"], { rng: stream(study.params.seed, `ci/05-clean/${c.city}/${v.label}`) });
      rows.push({
        city: study.cityName(c.city),
        method: v.label,
        acc: e.acc.estimate,
        acc_lo: e.acc.ci.lo,
        acc_hi: e.acc.ci.hi,
        mean_km: e.meanKm.estimate,
        mean_km_lo: e.meanKm.ci.lo,
        mean_km_hi: e.meanKm.ci.hi,
        posts: e.acc.items,
      });
    }
  return {
    name: "05-clean-test-subset",
    title: "Image-only models on the test posts the detector calls clean (ratio ≤ η)",
    reproduces: "MRLF paper, Table III (extra view; no paper figures)",
    dataset: study.dataset,
    columns: [
      { key: "city", label: "City", source: "info" },
      { key: "method", label: "Method", source: "info" },
      { key: "acc", label: "Acc", digits: 3, source: "ours" },
      { key: "acc_lo", label: "Acc 95% CI lo", digits: 3, source: "ours" },
      { key: "acc_hi", label: "Acc 95% CI hi", digits: 3, source: "ours" },
      { key: "mean_km", label: "Mean km", digits: 3, source: "ours" },
      { key: "mean_km_lo", label: "Mean km 95% CI lo", digits: 3, source: "ours" },
      { key: "mean_km_hi", label: "Mean km 95% CI hi", digits: 3, source: "ours" },
      { key: "posts", label: "Clean test posts (all seeds)", digits: 0, source: "info" },
    ],
    rows,
  };
}

/** The first city's images with the largest detected ratio: originals, masks, inpainted. */
function examples(study: MrlfStudy): NoisyImages["examples"] {
  const c = study.cities[0];
  const r = (p: Post) => study.cleaning.ratio(p.images[0]);
  const ex = c.posts
    .filter((p) => p.images.length > 0 && r(p) > 0)
    .sort((a, b) => r(b) - r(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, 8);
  if (ex.length === 0) return null;
  return {
    files: [
      ...ex.map((p) => p.images[0]),
      ...ex.map((p) => study.cleaning.measured.get(p.images[0])!.maskFile!),
      ...ex.map((p) => study.cleaning.inpainted.get(p.images[0])!),
    ],
    columns: ex.length,
    caption: `Row 1: ${study.cityName(c.city)}'s images with the largest detected portrait ratio; row 2: the person mask; row 3: the inpainted image. Columns (detected / true ratio): ${ex.map((p) => `${p.id} (${r(p).toFixed(2)} / ${p.truth?.portraitRatio.toFixed(2) ?? "?"})`).join(", ")}.`,
  };
}

export function judgeNoisyImages(run: Pick<NotebookRun, "params" | "markdown">, all: MrlfStudy, n: NoisyImages | null): ClaimResult[] {
  const study = withImages(all, TABLE3_WHAT);
  if (!study || !n) return [];
  return study.cities.flatMap((c) => {
    const base = study.planted(c.city);
    const planted = base
      ? `${base} A quarter of the images are selfies whose person covers part of the POI scene (the generator records the true ratio); the scene still carries the image signal, so removing portraits removes training data that is only partly noise.`
      : undefined;
    const evidence = {
      ...cityEvidence(study, c.city),
      testSetNoun: "seeds",
      systems: systemsIn(n.runs, c.city, ["Image (remove)", "Image (all)"]),
      ...(planted ? { planted } : {}),
    };
    // Table III's Mean (every city), and its Acc: higher in Melbourne, unchanged in New York and Hong Kong (own data: neither Acc claim).
    return ["noisy-image-removal-lowers-mean", "noisy-image-removal-raises-acc", "noisy-image-removal-keeps-acc"]
      .filter((id) => (id === "noisy-image-removal-lowers-mean" ? judgedOn(id, c.city) : listedFor(id, c.city)))
      .map((id) => judge(run, id, evidence));
  });
}
