// georepro:after 02-mrlf
// %% [markdown]
// # 03 · Ablation: what each modality contributes (MRLF paper, Sec. IV-C, Fig. 2)
//
// The paper removes one of MRLF's three inputs at a time — the post's **text**, its
// **hashtags**, its **image** — retrains, and compares accuracy with the full model per city
// (Fig. 2). Its claims: "the three modalities contribute to the final prediction", and
// "the image information contributes more than the other two"; text and hashtags matter
// less in Melbourne and Hong Kong. Fig. 2 shows Acc only ("the same trend is also hold for
// Mean"); we report both.
//
// **The paper's Fig. 2 values are not printed in its text** (only the bar chart exists), so
// the paper columns are empty for the ablated variants. The full model's row carries the
// paper's Table II MRLF values, which is what Fig. 2's "MRLF" bar shows.
//
// **Variants are configurations of the one model** (`lib/models/mrlf.ts`, `lib/models/variants.ts`):
//
// | variant | MrlfConfig | what is removed from Eq. 9's concatenation |
// |---|---|---|
// | w/o text | `useText: false` | F^c_text, F^w_text, and F_cro (text × hashtag fusion needs the text) |
// | w/o hashtags | `useTags: false` | F^c_tag, F^w_tag, and F_cro |
// | w/o image | `useImage: false` | F_img (F_cro stays: it fuses text and hashtags only) |
// | MRLF (full) | — | nothing: notebook 02's model, loaded from the cache, not trained again |
//
// *Reading:* the paper does not say what happens to the fused representation F_cro when text
// or hashtags are removed; with one of its two inputs gone there is nothing to cross-attend,
// so it is dropped with them (`effectiveFusion` falls back to plain concatenation).
// Every variant trains on notebook 02's split (per location 70/10/20 %, seeded) with the same
// schedule, seeds and image features as the full model.

// %%
import * as fs from "node:fs";
import * as path from "node:path";
import {
  startNotebook,
  seedList,
  experimentContext,
  postCitiesForRun,
  postsDataReport,
  CITY_SPECS,
  PAPER_TABLE2,
  ABLATION_VARIANTS,
  runVariantGrid,
  summariseRuns,
  variantRows,
  variantBarSeries,
  VARIANT_COLUMNS,
  ablationClaim,
  gridDataset,
  figures,
} from "georepro";
const run = startNotebook("03-ablation");
const CITIES = postCitiesForRun(run.params); // the synthetic three, or your own with DATA= (lib/data/selection.ts)
run.markdown(postsDataReport(run.params).join("\n\n"));
const ctx = await experimentContext(run.params);
const seeds = seedList(run.params);
const cityName = (c: string): string => (CITY_SPECS as Record<string, { name: string }>)[c]?.name ?? c;
run.markdown(`Scale **${run.params.scale}**, seeds ${seeds.join(", ")}, TensorFlow.js backend **${ctx.backend}**; image features: ${ctx.backbone.description}.`);

// %% [markdown]
// ## Training the variants
// One progress line per epoch; the full model (and any variant trained before) loads from the cache.

// %%
const grid = await runVariantGrid(ctx, CITIES, seeds, ABLATION_VARIANTS, (l) => process.stderr.write(`[03-ablation] ${l}\n`));
// Wall times are volatile: results/volatile/, never a table.
fs.mkdirSync(path.join(run.params.outDir, "volatile"), { recursive: true });
fs.writeFileSync(path.join(run.params.outDir, "volatile", "03-ablation-times.json"), JSON.stringify(grid.seconds, null, 2) + "\n");
const summary = summariseRuns(grid.runs, CITIES, ABLATION_VARIANTS.map((v) => v.id));
const datasetRef = gridDataset(grid.cities);
const paperOf = (city: string, variant: string) => (variant === "full" ? ((PAPER_TABLE2.MRLF as Record<string, { acc: number; meanKm: number }>)[city] ?? null) : null);
const claim = ablationClaim(summary, CITIES, cityName);
const seedNote = seeds.length > 1 ? `Mean ± sd over ${seeds.length} seeds (${seeds.join(", ")}).` : `One seed (${seeds[0]}): no sd, and differences are not tested for significance (\`make reproduce SEEDS=3\` for mean ± sd).`;

// %% [markdown]
// ## Fig. 2 as a table — Acc and Mean (km) per city and variant
// Δ = ours − paper. Our data are synthetic: absolute numbers are not comparable with the
// paper's; what can be compared is the direction of each difference.

// %%
run.table({
  name: "fig2-ablation",
  title: "Fig. 2 — MRLF ablation: Acc and Mean error (km) without text, without hashtags, without image, and full",
  reproduces: "MRLF paper, Fig. 2 (Sec. IV-C)",
  dataset: datasetRef,
  columns: VARIANT_COLUMNS,
  rows: variantRows(summary, CITIES, ABLATION_VARIANTS, paperOf, cityName),
  notes: [
    "The paper's Fig. 2 values are not printed in its text (bar chart only): paper columns are empty for the ablated variants; the full model's are Table II's MRLF.",
    "w/o text and w/o hashtags also drop the text×hashtag fusion F_cro (nothing left to fuse); w/o image keeps it.",
    seedNote,
    claim.sentence,
  ],
});

// %%
const categories = CITIES.map(cityName);
const meta = { paperFigure: "MRLF paper, Fig. 2", synthetic: datasetRef.synthetic, dataset: datasetRef.name, notes: ["Paper bars: Table II's full MRLF (Fig. 2's own values are not printed)."] };
await figures.groupedBar({ ...meta, name: "fig2-ablation-acc", title: "Fig. 2 — ablation: accuracy per city", categories, series: variantBarSeries(summary, CITIES, ABLATION_VARIANTS, "acc", paperOf), yLabel: "Acc", yRange: [0, 1], valueDigits: 2 }, { outDir: run.params.outDir });
await figures.groupedBar({ ...meta, name: "fig2-ablation-mean", title: "Fig. 2 (Mean, not drawn in the paper) — ablation: mean error per city", categories, series: variantBarSeries(summary, CITIES, ABLATION_VARIANTS, "meanKm", paperOf), yLabel: "Mean error (km, lower is better)", valueDigits: 2 }, { outDir: run.params.outDir });
await figures.closeFigureBrowser();

// %% [markdown]
// ## Does the paper's claim hold here?
// Computed from the table above (Acc, as in Fig. 2): the full model must beat every
// one-modality-removed variant, and removing the image must cost the most.

// %%
run.markdown(`**${claim.sentence}** ${seedNote}`);
