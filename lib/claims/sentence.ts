/**
 * The one sentence every notebook closes a study with, built from a
 * ClaimResult and nothing else: the row's nominal verdict (its 95 % interval
 * alone; the final verdict is the family's, in the claims table), the effect
 * with its interval, degrees of freedom and p, the spread over runs, the exact
 * test over distinct items, the paper's Δ against the same system, the runs and
 * distinct items counted, and whether the data are real — for synthetic data
 * also what the generator planted, so that a reader can tell a sanity check of
 * the implementation from evidence.
 */
import { METRICS } from "../metrics/weighted";
import type { ClaimResult, ComparisonResult } from "./evaluate";

const VERDICT_WORD = { holds: "holds", contradicted: "contradicted", inconclusive: "inconclusive" } as const;

/** A difference in the metric's reading units: points (pp) for proportions, km otherwise. */
export function formatDiff(v: number, unit: "proportion" | "km"): string {
  const x = unit === "proportion" ? v * 100 : v;
  const s = `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(unit === "proportion" ? 1 : 3)}`;
  return unit === "proportion" ? `${s} pp` : `${s} km`;
}

/** A spread (sd, SE) in reading units, unsigned. */
export const formatSpread = (v: number, unit: "proportion" | "km"): string => formatDiff(v, unit).replace(/^[+−]/, "");

export const formatInterval = (lo: number, hi: number, unit: "proportion" | "km"): string =>
  `${formatDiff(lo, unit)} to ${formatDiff(hi, unit)}`;

/** A p-value as tables print it. */
export const formatP = (p: number): string => (p === 0 ? "0" : p < 0.001 ? p.toExponential(1) : p.toFixed(3));

/** Degrees of freedom as tables print them (null: ∞, the normal; ≥ 1000: as good as normal). */
export const formatDf = (df: number | null): string =>
  df === null ? "∞" : df >= 1000 ? "≥1000" : df >= 100 ? df.toFixed(0) : df.toFixed(1);

/** "MRLF − Tagvisor Acc = +20.0 pp (95 % CI …; t with 2.3 df, p = 0.012; …)" */
export function comparisonPhrase(r: Pick<ClaimResult, "favoured">, c: ComparisonResult): string {
  const u = c.unit;
  const spread =
    c.trainingSd === null
      ? "one run: no spread over runs"
      : `sd over runs ${formatSpread(c.runSd, u)}, training sd ${formatSpread(c.trainingSd, u)}, item SE ${formatSpread(c.itemSe, u)}`;
  const exact = c.exact ? `; ${c.exact.test} p = ${formatP(c.exact.p)}` : "";
  return `${r.favoured} − ${c.against} ${METRICS[c.metric].label} = ${formatDiff(c.diff, u)} (95 % CI ${formatInterval(c.ci.lo, c.ci.hi, u)}; t with ${formatDf(c.df)} df, p = ${formatP(c.p)}; ${spread}${exact})`;
}

export function claimSentence(r: Omit<ClaimResult, "sentence">): string {
  const d = r.decisive;
  const many = r.comparisons.length > 1;
  const run1 = r.testSets === 1 ? r.testSetNoun.replace(/s\b/, "") : r.testSetNoun;
  const counts = `${r.testSets} ${run1}, ${r.distinctItems} distinct ${r.itemNoun}${r.items !== r.distinctItems ? ` (${r.items} scored over all runs)` : ""}${r.distinctClusters !== null && r.distinctClusters !== undefined ? `, resampled by their ${r.distinctClusters} owners` : ""}`;
  const tally = many
    ? ` Over all ${r.comparisons.length} comparisons at 95 %: ${(["holds", "contradicted", "inconclusive"] as const).map((v) => `${r.comparisons.filter((c) => c.nominal === v).length} ${v}`).join(", ")}; the one shown decides (${r.decision.reading === "holds" ? "the weakest for the paper" : "the strongest against it, read at the Bonferroni level over the comparisons"}).`
    : "";
  const margin = r.relation === "equivalent" && r.margin !== null ? ` Equivalence margin ±${formatSpread(r.margin, r.unit)}.` : "";
  const same =
    d.paper.diff !== null
      ? ` The paper's Δ against ${d.against}: ${formatDiff(d.paper.diff, d.unit)} (${d.paper.inside === "yes" ? "inside" : "outside"} our CI).`
      : "";
  const headline =
    r.paperEffect.diff !== null && r.paperEffect.versus && r.paperEffect.versus !== d.against
      ? ` The paper's headline margin is over ${r.paperEffect.versus}, ${formatDiff(r.paperEffect.diff, r.unit)}${r.paperVersusNotRun ? " (not run here)" : ""}.`
      : "";
  const paper = same + headline;
  const data = r.data.synthetic
    ? `Data: ${r.data.name} (SYNTHETIC) — a check of the implementation, not evidence about the paper's data; the generator plants: ${r.planted}`
    : `Data: ${r.data.name} (real).`;
  const why = r.undecidable ? ` Inconclusive by design: ${r.undecidable}.` : "";
  return `**Nominal: ${VERDICT_WORD[r.nominal]}** (this row alone; the final verdict, under the family-wise rule, is in the claims table) — ${r.statement} (${r.settingLabel}): ${comparisonPhrase(r, d)}; ${counts}.${why}${tally}${margin}${paper} ${data}`;
}
