/**
 * Fig. 3 (MRLF paper Sec. IV-D): what fills MRLF's fusion slot — fusion on
 * the convolution outputs (MRLF), after the features (text-tag-end), text ×
 * image, hashtag × image, or none (concatenation) — with the late-fusion
 * baseline as the plain multimodal control, in both generator modes:
 *
 * - independent (every city): text and hashtags are independent given the POI;
 * - correlated (one city, for cost): a share of captions names the post's
 *   location hashtags, so text and hashtags share words — what the paper says
 *   conv-layer fusion exploits. Only the systems the claims compare run there
 *   (MRLF, text-tag-end, late fusion).
 *
 * Plus the padding-mask check: MRLF without masks on the first city, and
 * whether it would change a fusion verdict.
 */
import type { NotebookRun } from "../../results/run";
import type { Cell, ResultTable } from "../../results/table";
import type { FigureSpec } from "../../figures/spec";
import { judge, judgedOn } from "../../claims/judge";
import { evaluateClaim, type ClaimResult } from "../../claims/evaluate";
import { claimById } from "../../claims/registry";
import { PAPER_TABLE2, type AccMean, type MrlfCity } from "../../papers/mrlf";
import { comparePaired } from "../../stats/paired";
import { stream } from "../../runtime/rng";
import { CORRELATED, type GeneratorSettings } from "../../data/synthetic/instagram";
import { FUSION_VARIANTS, NO_MASK_VARIANT } from "../../experiments/variants";
import { mrlfStudy, type MrlfStudy, cityEvidence, settingOfCity } from "./context";
import { lateFusion } from "./artifacts";
import { systemsIn } from "./summary";
import { mrlfVariant, ranIn, runVariants, variantBars, variantTable, type VariantRuns, type VariantSystem } from "./variants";

const LATE = "Late fusion";
const lateFusionSystem: VariantSystem = { id: "late-fusion", label: LATE, run: (study, city, seed) => lateFusion(study, city, seed) };
const paper = (city: string, label: string): AccMean | null => (label === "MRLF" ? (PAPER_TABLE2.MRLF[city as MrlfCity] ?? null) : null);

/** Setting id of a claim judged on correlated-mode data. */
export const correlatedSetting = (city: string): string => `${city}-correlated`;

export interface FusionStudy {
  independent: VariantRuns;
  correlated: { study: MrlfStudy; variants: VariantRuns } | null;
  noMask: VariantRuns;
  tables: ResultTable[];
  figures: FigureSpec[];
}

/** Fig. 3's systems in the independent generator mode: the fusion variants (the first is the full model) and late fusion. */
export const fusionSystems = (): VariantSystem[] => [...FUSION_VARIANTS.map((v) => mrlfVariant(v)), lateFusionSystem];

export async function fusionStudy(
  study: MrlfStudy,
  opts: { correlatedCities?: readonly string[]; generator?: GeneratorSettings } = {},
): Promise<FusionStudy> {
  const independent = await runVariants(study, fusionSystems(), "fig3-fusion", undefined, "the Fig. 3 fusion variant");
  const first = study.cities[0].city;
  const noMask = await runVariants(
    study,
    [{ ...mrlfVariant(FUSION_VARIANTS[0]), cities: [first] }, mrlfVariant(NO_MASK_VARIANT, [first])],
    "04-padding-mask",
  );
  let correlated: FusionStudy["correlated"] = null;
  // The correlated mode is the generator's: its first city (none when the study has no generated city).
  const firstGenerated = study.cities.find((c) => study.planted(c.city) !== null)?.city;
  const corCities = opts.correlatedCities ?? (firstGenerated ? [firstGenerated] : []);
  if (corCities.length > 0) {
    const cs = await mrlfStudy(study.run, {
      generator: opts.generator ?? CORRELATED,
      cities: corCities,
      ctx: study.ctx,
      seeds: study.seeds,
      tuneOn: study.tuneOn ?? study,
    });
    const systems = [mrlfVariant(FUSION_VARIANTS[0]), mrlfVariant(FUSION_VARIANTS[1]), lateFusionSystem];
    correlated = { study: cs, variants: await runVariants(cs, systems, "fig3-fusion-correlated") };
  }
  const spread = study.cities.map((c) => {
    const ran = FUSION_VARIANTS.slice(1).filter((v) => ranIn(independent, c.city, v.label));
    const accs = ran.map((v) => independent.summaries.find((s) => s.city === c.city && s.system === v.label)!.estimates.acc.estimate);
    return `${study.cityName(c.city)} ${(Math.max(...accs) - Math.min(...accs)).toFixed(3)}${ran.length < FUSION_VARIANTS.length - 1 ? ` (over ${ran.map((v) => v.label).join(", ")})` : ""}`;
  });
  const tables: ResultTable[] = [
    variantTable(study, independent, {
      name: "fig3-fusion-variants",
      title: "Fig. 3 — fusion variants and the late-fusion baseline: Acc and Mean error (km) per city (independent generator mode)",
      reproduces: "MRLF paper, Fig. 3 (Sec. IV-D)",
      paper,
      notes: [
        "The paper's Fig. 3 values are not printed in its text (bar chart only): paper columns are empty except MRLF's, which are Table II's.",
        "Every MRLF variant keeps F^c/F^w of text and hashtags and F_img; only the fusion slot F_cro of Eq. 9 changes (concatenation: no F_cro). Late fusion (Table II's row) has no character branches and no fusion at all.",
        `Spread of Acc (max − min) over the four non-MRLF fusions: ${spread.join(", ")}.`,
        ...study.cities
          .filter((c) => !study.hasImages(c.city))
          .map(
            (c) =>
              `${study.cityName(c.city)}: no images — every variant and late fusion run over text + hashtags; the text+image and hashtag+image fusions need pixels and have no row.`,
          ),
      ],
    }),
  ];
  if (correlated)
    tables.push(
      variantTable(correlated.study, correlated.variants, {
        name: "fig3-fusion-correlated",
        title: `Fig. 3 in the correlated generator mode (${Math.round((opts.generator ?? CORRELATED).shareRate * 100)} % of captions name the post's location hashtags): MRLF, text-tag-end and late fusion`,
        reproduces: 'MRLF paper, Fig. 3 and Sec. IV-D ("the same word in both hashtags and text")',
        paper: () => null,
        notes: [
          `Correlated mode runs on ${corCities.map((c) => study.cityName(c)).join(", ")} only, and only the systems the fusion claims compare (cost: three seeds of every Fig. 3 variant in both modes would not fit the time budget). Images are the same as in the independent mode.`,
        ],
      }),
    );
  tables.push(paddingMaskTable(study, noMask, independent));
  const meta = { paperFigure: "MRLF paper, Fig. 3", paper, notes: ["Paper bars: Table II's MRLF (Fig. 3's own values are not printed)."] };
  return {
    independent,
    correlated,
    noMask,
    tables,
    figures: [
      variantBars(study, independent, {
        ...meta,
        name: "fig3-fusion-acc",
        title: "Fig. 3 — fusion variants: accuracy per city",
        metric: "acc",
      }),
      variantBars(study, independent, {
        ...meta,
        name: "fig3-fusion-mean",
        title: "Fig. 3 — fusion variants: mean error per city",
        metric: "meanKm",
      }),
    ],
  };
}

function plantedFusion(study: MrlfStudy, city: string): string | undefined {
  const base = study.planted(city);
  if (!base) return undefined;
  return study.generator.mode === "correlated"
    ? `${base} Sharing words between caption and hashtags is the only planted reason for fusing them early.`
    : `${base} Nothing in this mode rewards fusing text with hashtags before their features are formed.`;
}

const evidenceFor = (
  study: MrlfStudy,
  runs: VariantRuns,
  city: string,
  labels: string[],
  setting?: string,
  all: readonly string[] = labels,
) => {
  const planted = plantedFusion(study, city);
  return {
    ...cityEvidence(study, city, setting),
    // Fewer variants ran than the claim names (a city without images): judged against those that did.
    ...(labels.length < all.length ? { against: labels.slice(1) } : {}),
    testSetNoun: "seeds",
    systems: systemsIn(runs.runs, city, labels),
    ...(planted ? { planted } : {}),
  };
};

/** Judge the fusion claims: in every city (independent mode) and on the correlated-mode city. */
export function judgeFusion(run: Pick<NotebookRun, "params" | "markdown">, study: MrlfStudy, f: FusionStudy): ClaimResult[] {
  const out: ClaimResult[] = [];
  for (const c of study.cities) {
    out.push(judge(run, "fusion-conv-beats-text-tag-end", evidenceFor(study, f.independent, c.city, ["MRLF", "text-tag-end"])));
    out.push(
      judge(
        run,
        "fusion-mrlf-best-mean",
        evidenceFor(
          study,
          f.independent,
          c.city,
          FUSION_VARIANTS.filter((v) => ranIn(f.independent, c.city, v.label)).map((v) => v.label),
          undefined,
          FUSION_VARIANTS.map((v) => v.label),
        ),
      ),
    );
    out.push(judge(run, "mrlf-beats-late-fusion", evidenceFor(study, f.independent, c.city, ["MRLF", LATE])));
    if (judgedOn("fusion-similar-to-concatenation", settingOfCity(study, c.city))) {
      // The favoured system (concatenation) first: evidenceFor judges against the rest that ran.
      const all = ["concatenation", ...FUSION_VARIANTS.map((v) => v.label).filter((l) => l !== "concatenation")];
      const ran = all.filter((l) => ranIn(f.independent, c.city, l));
      out.push(judge(run, "fusion-similar-to-concatenation", evidenceFor(study, f.independent, c.city, ran, undefined, all)));
    }
  }
  if (f.correlated) {
    const cs = f.correlated.study;
    for (const c of cs.cities) {
      out.push(
        judge(
          run,
          "fusion-conv-beats-text-tag-end",
          evidenceFor(cs, f.correlated.variants, c.city, ["MRLF", "text-tag-end"], correlatedSetting(c.city)),
        ),
      );
      out.push(
        judge(run, "mrlf-beats-late-fusion", evidenceFor(cs, f.correlated.variants, c.city, ["MRLF", LATE], correlatedSetting(c.city))),
      );
    }
  }
  return out;
}

/** MRLF with vs without padding masks (first city), and the verdicts the unmasked model would get. */
function paddingMaskTable(study: MrlfStudy, noMask: VariantRuns, independent: VariantRuns): ResultTable {
  const city = study.cities[0].city;
  const masked = systemsIn(noMask.runs, city, ["MRLF"]).MRLF;
  const unmasked = systemsIn(noMask.runs, city, [NO_MASK_VARIANT.label])[NO_MASK_VARIANT.label];
  const rows: Record<string, Cell>[] = (["acc", "meanKm"] as const).map((m) => {
    const c = comparePaired(masked, unmasked, m, { rng: stream(study.params.seed, `padding-mask/${city}/${m}`) });
    return {
      city: study.cityName(city),
      what: `${m === "acc" ? "Acc" : "Mean km"}: masked − unmasked`,
      diff: c.diff.estimate,
      lo: c.diff.ci.lo,
      hi: c.diff.ci.hi,
      verdicts: "",
    };
  });
  const planted = plantedFusion(study, city) ?? "";
  for (const id of ["fusion-conv-beats-text-tag-end", "mrlf-beats-late-fusion"]) {
    const spec = claimById(id);
    const labels = [spec.favoured, ...spec.against];
    const systems = systemsIn(independent.runs, city, labels);
    const base = { ...cityEvidence(study, city), seed: study.params.seed, ...(planted ? { planted } : {}) };
    const withMask = evaluateClaim(spec, { ...base, systems }).nominal;
    const without = evaluateClaim(spec, { ...base, systems: { ...systems, MRLF: unmasked } }).nominal;
    rows.push({
      city: study.cityName(city),
      what: `verdict of ${id}`,
      diff: null,
      lo: null,
      hi: null,
      verdicts: `${withMask} with masks, ${without} without${withMask === without ? " (unchanged)" : " (CHANGED)"}`,
    });
  }
  return {
    name: "04-padding-mask",
    title: "Padding masks: MRLF with masks (the default) against the same model without them",
    reproduces: "MRLF paper, Eq. 3–8 (attention and max-pooling over padded sequences; the paper is silent)",
    dataset: study.dataset,
    columns: [
      { key: "city", label: "City", source: "info" },
      { key: "what", label: "Comparison", source: "info" },
      { key: "diff", label: "Difference", digits: 3, source: "ours" },
      { key: "lo", label: "95% CI lo", digits: 3, source: "ours" },
      { key: "hi", label: "95% CI hi", digits: 3, source: "ours" },
      { key: "verdicts", label: "Verdicts", source: "info" },
    ],
    rows,
    notes: [
      `${study.seeds.length} seeds, first city only (cost). A verdict row re-judges the claim with the unmasked MRLF in place of the masked one (not written to the claims table).`,
    ],
  };
}
