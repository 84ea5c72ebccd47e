/**
 * The claims table a reviewer reads first: one row per registry claim and
 * setting — the paper's words, our Δ with its nominal 95 % interval, the
 * paper's Δ against the same system (and whether our interval holds it), the
 * family, the Holm-adjusted p and interval, the nominal and the final verdict,
 * the runs and distinct items counted, real or synthetic data, and the notebook
 * that tested it. A row without a result says why: "not run: <dataset> absent",
 * "not testable: <reason>", or "not run: <notebook> was not part of this run".
 */
import type { Cell, DatasetRef, ResultTable } from "../results/table";
import { againstIn, type ClaimSetting, type ClaimSpec } from "./spec";
import type { ClaimResult } from "./evaluate";
import type { NotRunRecord } from "./record";
import { decideFamilies, familyOf, familyTallies, rowKey, type FamilyTally, type RowDecision } from "./family";
import { METRICS } from "../metrics/weighted";
import { formatDf, formatDiff, formatInterval, formatP, formatSpread } from "./sentence";

export interface ClaimRow {
  spec: ClaimSpec;
  setting: ClaimSetting;
  result: ClaimResult | null;
  /** The family's decision (null without a result). */
  decision: RowDecision | null;
  /** Why the row has no result (null when it has one). */
  status: string | null;
}

/**
 * Registry order: each claim's registry settings (judged, not run, or not
 * testable), then the settings a run judged that the registry does not list
 * (own data, DATA=…). `results` and `notRun` must be this run's records (the
 * report sets stale ones apart first). A result for a claim id not in the
 * registry is an error.
 */
export function claimRows(
  registry: readonly ClaimSpec[],
  results: readonly ClaimResult[],
  notRun: readonly NotRunRecord[] = [],
): ClaimRow[] {
  const decisions = decideFamilies(results);
  const byKey = new Map(results.map((r) => [rowKey(r), r]));
  const skipped = new Map(notRun.map((r) => [rowKey(r), r.notRun]));
  const rows: ClaimRow[] = [];
  for (const spec of registry) {
    for (const setting of spec.settings) {
      const key = `${spec.id}/${setting.id}`;
      const result = byKey.get(key) ?? null;
      const status = result
        ? null
        : setting.notTestable
          ? `not testable: ${setting.notTestable}`
          : (skipped.get(key) ?? `not run: notebook ${spec.notebook} was not part of this run`);
      // A result names its setting as the run ran it (e.g. which folds trained); rows not run keep the registry's label.
      const label = result?.settingLabel ?? setting.label;
      rows.push({
        spec,
        setting: label === setting.label ? setting : { ...setting, label },
        result,
        decision: result ? decisions.get(key)! : null,
        status,
      });
      byKey.delete(key);
    }
    for (const r of results.filter((x) => x.id === spec.id && byKey.has(rowKey(x)))) {
      rows.push({
        spec,
        setting: { id: r.setting, label: r.settingLabel, paper: r.paperEffect },
        result: r,
        decision: decisions.get(rowKey(r))!,
        status: null,
      });
      byKey.delete(rowKey(r));
    }
  }
  if (byKey.size)
    throw new Error(
      `claims: results for claims not in the registry: ${[...byKey.keys()].join(", ")} (re-run the notebooks, or remove those files under claims/)`,
    );
  return rows;
}

/** Tallies of final verdicts per family (judged rows only). */
export const rowTallies = (rows: readonly ClaimRow[]): FamilyTally[] => {
  const judged = rows.filter((r) => r.result);
  return familyTallies(
    judged.map((r) => r.result!),
    new Map(judged.map((r) => [rowKey(r.result!), r.decision!])),
  );
};

/** The claims table's data: real and synthetic datasets named apart (a row's Data column says which it is). */
function claimsDataset(rows: readonly ClaimRow[], dataNames: string): DatasetRef {
  const judged = rows.filter((r) => r.result);
  const names = (synthetic: boolean) =>
    [...new Set(judged.filter((r) => r.result!.data.synthetic === synthetic).map((r) => r.result!.data.name))].sort();
  const real = names(false);
  const synthetic = names(true);
  const parts = [real.length ? `real data: ${real.join(", ")}` : "", synthetic.length ? `SYNTHETIC: ${synthetic.join(", ")}` : ""].filter(
    (x) => x,
  );
  return {
    name: dataNames,
    synthetic: synthetic.length > 0,
    ...(real.length > 0 && synthetic.length > 0 ? { mixed: true } : {}),
    description: `${parts.join("; ") || "no claim judged yet"}. Each row names its data and family; SYNTHETIC rows check the implementation on generated data, real rows test the claim; tallies are per family, never mixed`,
  };
}

/** The paper's Δ against the system of our decisive comparison, and where the paper's own margin is over another system. */
export function paperCells(row: ClaimRow): { same: number | null; inside: string; versus: string; versusNote: string } {
  const { spec, setting, result: r } = row;
  const p = setting.paper;
  const unit = METRICS[spec.metric].unit;
  const against = againstIn(spec, setting);
  const versus = p.versus ?? (against.length === 1 && p.diff !== null ? against[0] : "");
  const notRun = p.versus !== undefined && !against.includes(p.versus);
  if (!r) return { same: null, inside: "", versus, versusNote: p.diff === null ? (p.note ?? "") : "" };
  const d = r.decisive;
  const otherMargin =
    p.diff !== null && p.versus && p.versus !== d.against
      ? `paper's margin is over ${p.versus}, ${formatDiff(p.diff, unit)}${notRun ? " (not run here)" : ""}`
      : "";
  return {
    same: d.paper.diff,
    inside: d.paper.inside,
    versus,
    versusNote: otherMargin || (d.paper.diff === null ? (p.note ?? "the paper has no number for this system") : ""),
  };
}

export function claimsTable(rows: readonly ClaimRow[], dataNames: string): ResultTable {
  const tallies = rowTallies(rows);
  const notRun = rows.filter((r) => !r.result).length;
  return {
    name: "claims",
    title: "Claims of the two papers and the suite's own controls, judged by two-level intervals under Holm's rule per family",
    reproduces:
      "MRLF paper (Sec. IV) and local-words paper (Sect. 3, 4.3): their claims about their own results; plus the suite's controls",
    dataset: claimsDataset(rows, dataNames),
    columns: [
      { key: "claim", label: "Claim", source: "info" },
      { key: "setting", label: "Setting", source: "info" },
      { key: "family", label: "Family", source: "info" },
      { key: "source", label: "Paper", source: "info" },
      { key: "versus", label: "Decisive comparison", source: "info" },
      { key: "unit", label: "Unit", source: "info" },
      { key: "paper_baseline", label: "Paper's baseline (its headline Δ)", source: "info" },
      { key: "paper_headline", label: "Paper's headline Δ", digits: 3, source: "paper" },
      { key: "paper_same", label: "Paper Δ vs the same system", digits: 3, source: "paper" },
      { key: "paper_inside", label: "Paper's Δ inside our CI?", source: "info" },
      { key: "paper_note", label: "Paper note", source: "info" },
      { key: "ours", label: "Our Δ", digits: 3, source: "ours" },
      { key: "lo", label: "95 % CI low", digits: 3, source: "ours" },
      { key: "hi", label: "95 % CI high", digits: 3, source: "ours" },
      { key: "se", label: "SE", digits: 4, source: "ours" },
      { key: "df", label: "df (Satterthwaite; blank = ∞)", digits: 1, source: "ours" },
      { key: "seed_sd", label: "sd of Δ over runs", digits: 4, source: "ours" },
      { key: "training_sd", label: "training sd of Δ", digits: 4, source: "ours" },
      { key: "nominal", label: "Nominal verdict (95 %)", source: "ours" },
      { key: "p", label: "Decision p", digits: 4, source: "ours" },
      { key: "holm_rank", label: "Holm rank", digits: 0, source: "info" },
      { key: "family_m", label: "Family size m", digits: 0, source: "info" },
      { key: "adj_p", label: "Holm-adjusted p", digits: 4, source: "ours" },
      { key: "adj_level", label: "Adjusted CI level", digits: 5, source: "info" },
      { key: "adj_lo", label: "Adjusted CI low", digits: 3, source: "ours" },
      { key: "adj_hi", label: "Adjusted CI high", digits: 3, source: "ours" },
      { key: "verdict", label: "Verdict", source: "ours" },
      { key: "verdict_note", label: "Why", source: "info" },
      { key: "exact", label: "Exact test over distinct items", source: "ours" },
      { key: "runs", label: "Training runs", digits: 0, source: "info" },
      { key: "distinct_items", label: "Distinct test items", digits: 0, source: "info" },
      { key: "distinct_clusters", label: "Distinct owners (resampling clusters)", digits: 0, source: "info" },
      { key: "items", label: "Items scored over runs", digits: 0, source: "info" },
      { key: "data", label: "Data", source: "info" },
      { key: "notebook", label: "Notebook", source: "info" },
      { key: "id", label: "Claim id", source: "info" },
    ],
    rows: rows.map((row): Record<string, Cell> => {
      const { spec, setting, result: r, decision: dec } = row;
      const d = r?.decisive;
      const pc = paperCells(row);
      return {
        claim: spec.statement,
        setting: setting.label,
        family: r ? familyOf(r) : `${spec.origin === "control" ? "suite controls" : spec.paper === "mrlf" ? "MRLF" : "local words"}`,
        source: spec.source,
        versus: d
          ? `${r!.favoured} − ${d.against}${spec.alsoOn ? ` (${METRICS[d.metric].label})` : ""}`
          : `${spec.favoured} − ${againstIn(spec, setting).length > 1 ? `each of ${againstIn(spec, setting).length}` : againstIn(spec, setting)[0]}`,
        unit: METRICS[spec.metric].unit,
        paper_baseline: pc.versus || null,
        paper_headline: setting.paper.diff,
        paper_same: pc.same,
        paper_inside: r ? pc.inside : null,
        paper_note: pc.versusNote || null,
        ours: d?.diff ?? null,
        lo: d?.ci.lo ?? null,
        hi: d?.ci.hi ?? null,
        se: d?.se ?? null,
        df: d ? d.df : null,
        seed_sd: d?.runSd ?? null,
        training_sd: d?.trainingSd ?? null,
        nominal: r?.nominal ?? null,
        p: r && !r.undecidable ? r.decision.p : null,
        holm_rank: dec?.rank ?? null,
        family_m: dec?.m ?? null,
        adj_p: dec?.adjustedP ?? null,
        adj_level: dec?.level ?? null,
        adj_lo: dec?.adjustedCi?.lo ?? null,
        adj_hi: dec?.adjustedCi?.hi ?? null,
        verdict: dec?.verdict ?? row.status,
        verdict_note: dec?.note ?? null,
        exact: d?.exact ? `${d.exact.test}: ${d.exact.positive} for, ${d.exact.negative} against, p = ${formatP(d.exact.p)}` : null,
        runs: r?.testSets ?? null,
        distinct_items: r?.distinctItems ?? null,
        distinct_clusters: r?.distinctClusters ?? null,
        items: r?.items ?? null,
        data: r ? `${r.data.name} (${r.data.synthetic ? "SYNTHETIC" : "real"})` : null,
        notebook: spec.notebook,
        id: `${spec.id}/${setting.id}`,
      };
    }),
    notes: [
      `Final verdicts per family (Holm, FWER 5 %): ${tallies.map((t) => `${t.family}: ${t.holds} holds, ${t.contradicted} contradicted, ${t.inconclusive} inconclusive (m = ${t.m})`).join("; ") || "none judged"}; ${notRun} rows without a result.`,
      "Δ = favoured system − compared system in the metric's units (proportions as fractions, km as km). The paper's Δ is its own published difference against the SAME system where it prints one; its headline Δ may be over another system (named), which the suite may not run.",
      "Intervals: two-level — X̄ ± t_ν·SE with SE² = σ̂²_train/G + 1ᵀC1/G², C the item covariance of the G runs under a bootstrap that draws each distinct test item once (shared users get one weight) — in closed form for item means of unclustered items (Acc, Mean km, Acc@…: the bootstrap's covariance to first order, lib/stats/item-covariance.ts), from 2,000 replicates for clustered items (Flickr owners), macro scores and medians, σ̂²_train by the method of moments, ν by Satterthwaite (lib/stats/two-level.ts). One run: training variance not estimated, the row is inconclusive.",
      "holds: the interval excludes 0 on the paper's side; contradicted: on the other side; inconclusive: neither. A claim over several systems holds only if every comparison holds (intersection–union) and is contradicted if one is contradicted at the Bonferroni level over its comparisons; the row shows the decisive comparison. Equivalence claims: holds when the interval lies inside ±margin, contradicted when it lies outside it.",
      "Families: (MRLF | local words | the suite's own controls) × (real | synthetic), and one per own-data setting; the suite's controls are never counted for or against a paper. Within a family, Holm's step-down rule on each row's decision p (p ≤ α ⇔ the (1 − α) interval shows the verdict); the adjusted interval is the decisive comparison at the row's Holm level.",
    ],
  };
}

/** A number as the claims table prints it: points for proportions, km for km. */
const fmt = (v: number | null, unit: "proportion" | "km"): string => (v === null ? "—" : formatDiff(v, unit));

/**
 * The claims table as Markdown for results/README.md: readable units (points,
 * km), the interval beside the estimate, the paper's Δ against the same system,
 * nominal and final verdicts, a link to the notebook that tested it.
 */
export function claimsMarkdown(rows: readonly ClaimRow[], notebookLink: (notebook: string) => string): string[] {
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  const out = [
    "| # | Claim | Setting | Our Δ (95 % CI) | Paper's Δ, same system | Nominal | Holm-adjusted | **Verdict** | Runs × distinct items | Data | Notebook |",
    "| ---: | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  rows.forEach((row, i) => {
    const { spec, setting, result: r, decision: dec } = row;
    const unit = METRICS[spec.metric].unit;
    const pc = paperCells(row);
    let ours = "—",
      paper = "—",
      adj = "—",
      runs = "—";
    if (r && dec) {
      const d = r.decisive;
      const u = d.unit;
      const vs =
        againstIn(spec, setting).length > 1 || spec.alsoOn ? ` vs ${d.against}${spec.alsoOn ? ` (${METRICS[d.metric].label})` : ""}` : "";
      ours = `${fmt(d.diff, u)} (${formatInterval(d.ci.lo, d.ci.hi, u)})${vs}; t ${formatDf(d.df)} df, sd over runs ${formatSpread(d.runSd, u)}`;
      paper =
        d.paper.diff !== null
          ? `${fmt(d.paper.diff, u)} (${d.paper.inside === "yes" ? "inside" : "outside"} our CI)${pc.versusNote ? `; ${pc.versusNote}` : ""}`
          : `— (${pc.versusNote || "no paper number"})`;
      adj = r.undecidable
        ? `— (${r.undecidable})`
        : `p̃ = ${formatP(dec.adjustedP!)}; ${formatInterval(dec.adjustedCi!.lo, dec.adjustedCi!.hi, u)} at ${(dec.level! * 100).toPrecision(4)} %${dec.note ? ` — ${dec.note}` : ""}`;
      runs = `${r.testSets} × ${r.distinctItems}${r.distinctClusters !== null && r.distinctClusters !== undefined ? ` (${r.distinctClusters} owners)` : ""}`;
    } else if (setting.paper.diff !== null) paper = `${fmt(setting.paper.diff, unit)}${pc.versus ? ` vs ${pc.versus}` : ""}`;
    out.push(
      `| ${i + 1} | ${esc(spec.statement)} — ${spec.source}${spec.origin === "control" ? " (suite control)" : ""} | ${esc(setting.label)} | ${esc(ours)} | ${esc(paper)} | ${r ? r.nominal : "—"} | ${esc(adj)} | **${esc(dec?.verdict ?? row.status ?? "—")}** | ${runs} | ${r ? (r.data.synthetic ? `${r.data.name} (SYNTHETIC)` : `${r.data.name} (real)`) : "—"} | [${spec.notebook}](${notebookLink(spec.notebook)}) |`,
    );
  });
  return out;
}
