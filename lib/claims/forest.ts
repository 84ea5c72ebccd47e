/**
 * The forest plot below the claims table: each judged claim's decisive
 * difference with its nominal 95 % CI, signed so that right of zero is the
 * paper's direction, one panel per unit (accuracy-like proportions in points,
 * errors in km), a colour per final verdict (the family's rule), and the paper's
 * own difference against the same system as a diamond.
 */
import { forestSpec, type ForestRow } from "../figures/charts";
import type { FigureSpec } from "../figures/spec";
import { paperSign, type ClaimResult } from "./evaluate";
import type { ClaimRow } from "./table";

export const VERDICT_COLORS = [
  { name: "holds", color: "#009E73" },
  { name: "contradicted", color: "#D55E00" },
  { name: "inconclusive", color: "#8c8c8c" },
];

function row(x: ClaimRow, scale: number): ForestRow {
  const r = x.result!;
  const d = r.decisive;
  const s = paperSign(d.expectation) * scale;
  const a = s * d.ci.lo;
  const b = s * d.ci.hi;
  return {
    label: `${r.id} · ${r.settingLabel} (vs ${d.against})`,
    estimate: s * d.diff,
    lo: Math.min(a, b),
    hi: Math.max(a, b),
    group: x.decision!.verdict,
    paper: d.paper.diff === null ? null : s * d.paper.diff,
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

export function claimsForestSpec(rows: readonly ClaimRow[], name = "claims-forest"): FigureSpec {
  const judged = rows.filter((x) => x.result && x.decision);
  const results = judged.map((x) => x.result!);
  const prop = judged.filter((x) => x.result!.decisive.unit === "proportion").map((x) => row(x, 100));
  const km = judged.filter((x) => x.result!.decisive.unit === "km").map((x) => row(x, 1));
  return forestSpec({
    name,
    // Short: the title starts where the plot area does, right of the long row labels.
    title: "Every judged claim: paired difference with its 95 % CI",
    paperFigure: null,
    synthetic: results.some((r) => r.data.synthetic),
    dataset: forestDataset(results),
    width: 1300,
    height: Math.min(4000, 260 + 24 * (prop.length + km.length)),
    notes: [
      "Each row's data (real or SYNTHETIC) is named in the claims table.",
      "Equivalence claims (no difference expected) are drawn unsigned; their verdict uses the margin stated in the claims table.",
      "Colour: the final verdict under Holm's rule within the row's family (the claims table shows the adjusted interval).",
      "Diamonds: the paper's own difference against the same system, where its text prints one.",
    ],
    groups: VERDICT_COLORS,
    panels: [
      { xLabel: "difference in points (accuracy, Acc@161, macro P/R/F1), paper's direction positive", rows: prop },
      { xLabel: "difference in km (Mean / median error), paper's direction positive", rows: km },
    ],
  });
}
