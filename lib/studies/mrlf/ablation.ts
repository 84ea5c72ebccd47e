/**
 * Fig. 2 (MRLF paper Sec. IV-C): MRLF without text, without hashtags, without
 * the image, and full; the claims "every modality contributes" and "the image
 * contributes most", judged per city. The sensitivity study (./sensitivity.ts)
 * shows how these verdicts follow the generator's signal shares.
 */
import type { NotebookRun } from "../../results/run";
import type { ResultTable } from "../../results/table";
import type { FigureSpec } from "../../figures/spec";
import { judge, judgedOn } from "../../claims/judge";
import type { ClaimResult } from "../../claims/evaluate";
import { PAPER_TABLE2, type AccMean, type MrlfCity } from "../../papers/mrlf";
import { ABLATION_VARIANTS, FULL_MRLF } from "../../experiments/variants";
import { signalOf, type SyntheticCityId } from "../../data/synthetic/instagram";
import { cityEvidence, settingOfCity, type MrlfStudy } from "./context";
import { systemsIn } from "./summary";
import { mrlfVariant, ranIn, runVariants, variantBars, variantTable, type VariantRuns, type VariantSystem } from "./variants";

export interface Ablation {
  variants: VariantRuns;
  table: ResultTable;
  figures: FigureSpec[];
}

/** Fig. 2's full-model bar carries Table II's MRLF (the figure's own values are not printed). */
const paper = (city: string, label: string): AccMean | null =>
  label === FULL_MRLF.label ? (PAPER_TABLE2.MRLF[city as MrlfCity] ?? null) : null;

/** Fig. 2's systems: MRLF without each modality, and the full model (the shared artifact). */
export const ablationSystems = (): VariantSystem[] => ABLATION_VARIANTS.map((v) => mrlfVariant(v));

export async function ablationStudy(study: MrlfStudy): Promise<Ablation> {
  const variants = await runVariants(study, ablationSystems(), "fig2-ablation", undefined, "the Fig. 2 ablation row");
  const meta = {
    paperFigure: "MRLF paper, Fig. 2",
    paper,
    notes: ["Paper bars: Table II's full MRLF (Fig. 2's own values are not printed)."],
  };
  return {
    variants,
    table: variantTable(study, variants, {
      name: "fig2-ablation",
      title: "Fig. 2 — MRLF ablation: Acc and Mean error (km) without text, without hashtags, without image, and full",
      reproduces: "MRLF paper, Fig. 2 (Sec. IV-C)",
      paper,
      notes: [
        "The paper's Fig. 2 values are not printed in its text (bar chart only): paper columns are empty for the ablated variants; the full model's are Table II's MRLF.",
        "w/o text and w/o hashtags also drop the text×hashtag fusion F_cro (nothing left to fuse); w/o image keeps it.",
        ...study.cities
          .filter((c) => !study.hasImages(c.city))
          .map(
            (c) =>
              `${study.cityName(c.city)}: no images, so its full MRLF is the text + hashtag model (the other cities' "w/o image"); "w/o text" is MRLF over hashtags alone, "w/o hashtags" over text alone; no "w/o image" row.`,
          ),
      ],
    }),
    figures: [
      variantBars(study, variants, { ...meta, name: "fig2-ablation-acc", title: "Fig. 2 — ablation: accuracy per city", metric: "acc" }),
      variantBars(study, variants, {
        ...meta,
        name: "fig2-ablation-mean",
        title: "Fig. 2 (Mean, not drawn in the paper) — ablation: mean error per city",
        metric: "meanKm",
      }),
    ],
  };
}

/** The planted fact that decides the ablation claims on synthetic data: which modality carries the POI most often. */
function plantedAblation(study: MrlfStudy, city: string): string | undefined {
  const base = study.planted(city);
  if (!base) return undefined;
  const s = signalOf(city as SyntheticCityId, study.generator);
  const most = (Object.entries(s) as [string, number][]).sort((a, b) => b[1] - a[1])[0][0];
  return `${base} So removing any modality loses signal by construction, and the one with the largest share (${most}) should cost the most.`;
}

export function judgeAblation(run: Pick<NotebookRun, "params" | "markdown">, study: MrlfStudy, a: Ablation): ClaimResult[] {
  const out: ClaimResult[] = [];
  for (const c of study.cities) {
    const planted = plantedAblation(study, c.city);
    const evidence = (labels: string[]) => {
      const ran = labels.filter((l) => ranIn(a.variants, c.city, l));
      return {
        ...cityEvidence(study, c.city),
        // Without images there is no "w/o image" row: judged against the variants that ran.
        ...(ran.length < labels.length ? { against: ran.slice(1) } : {}),
        testSetNoun: "seeds",
        systems: systemsIn(a.variants.runs, c.city, ran),
        ...(planted ? { planted } : {}),
      };
    };
    out.push(judge(run, "ablation-each-modality-helps", evidence(["MRLF (full)", "w/o text", "w/o hashtags", "w/o image"])));
    // Without images the claims about the image have no test (the claims table says "not testable").
    if (study.hasImages(c.city)) out.push(judge(run, "ablation-image-helps-most", evidence(["w/o image", "w/o text", "w/o hashtags"])));
    // Fig. 2's caption: "the same trend is also hold for Mean".
    if (judgedOn("ablation-each-modality-helps-mean", settingOfCity(study, c.city)))
      out.push(judge(run, "ablation-each-modality-helps-mean", evidence(["MRLF (full)", "w/o text", "w/o hashtags", "w/o image"])));
    if (study.hasImages(c.city) && judgedOn("ablation-image-helps-most-mean", settingOfCity(study, c.city)))
      out.push(judge(run, "ablation-image-helps-most-mean", evidence(["w/o image", "w/o text", "w/o hashtags"])));
  }
  return out;
}
