/**
 * The forest plot below the claims table: each judged claim's decisive
 * difference with its 95 % CI, signed so that right of zero is the paper's
 * direction, one panel per unit (accuracy-like proportions in points, errors in
 * km), a colour per verdict, and the paper's own difference as a diamond.
 */
import { forestSpec, type ForestRow } from "../figures/charts";
import type { FigureSpec } from "../figures/spec";
import { expectationOf, paperSign, type ClaimResult } from "./evaluate";

export const VERDICT_COLORS = [
  { name: "holds", color: "#009E73" },
  { name: "contradicted", color: "#D55E00" },
  { name: "inconclusive", color: "#8c8c8c" },
];

function row(r: ClaimResult, scale: number): ForestRow {
  const s =
    paperSign(
      expectationOf({ metric: r.metric, relation: r.relation, margin: r.margin === null ? undefined : { value: r.margin, why: "" } }),
    ) * scale;
  const a = s * r.decisive.ci.lo;
  const b = s * r.decisive.ci.hi;
  return {
    label: `${r.id} · ${r.settingLabel} (vs ${r.decisive.against})`,
    estimate: s * r.decisive.diff,
    lo: Math.min(a, b),
    hi: Math.max(a, b),
    group: r.verdict,
    paper: r.paperEffect.diff === null ? null : s * r.paperEffect.diff,
  };
}

/** Real datasets by name, synthetic ones counted (the claims table names each row's data). */
function forestDataset(results: readonly ClaimResult[]): string {
  const names = (synthetic: boolean) => [...new Set(results.filter((r) => r.data.synthetic === synthetic).map((r) => r.data.name))].sort();
  const real = names(false);
  const synthetic = names(true);
  const parts = [
    real.length ? `real: ${real.join(", ")}` : "",
    synthetic.length ? `SYNTHETIC: ${synthetic.length} generated dataset${synthetic.length > 1 ? "s" : ""}` : "",
  ].filter((x) => x);
  return `${real.length && synthetic.length ? "MIXED — " : ""}${parts.join("; ")}`;
}

export function claimsForestSpec(results: readonly ClaimResult[], name = "claims-forest"): FigureSpec {
  const prop = results.filter((r) => r.unit === "proportion").map((r) => row(r, 100));
  const km = results.filter((r) => r.unit === "km").map((r) => row(r, 1));
  return forestSpec({
    name,
    // Short: the title starts where the plot area does, right of the long row labels.
    title: "Every claim: paired difference with its 95 % CI",
    paperFigure: null,
    synthetic: results.some((r) => r.data.synthetic),
    dataset: forestDataset(results),
    width: 1300,
    height: Math.min(4000, 260 + 24 * (prop.length + km.length)),
    notes: [
      "Each row's data (real or SYNTHETIC) is named in the claims table.",
      "Equivalence claims (no difference expected) are drawn unsigned; their verdict uses the margin stated in the claims table.",
      "Diamonds: the paper's own difference, where its text prints one.",
    ],
    groups: VERDICT_COLORS,
    panels: [
      { xLabel: "difference in points (accuracy, Acc@161, macro P/R/F1), paper's direction positive", rows: prop },
      { xLabel: "difference in km (Mean / median error), paper's direction positive", rows: km },
    ],
  });
}
