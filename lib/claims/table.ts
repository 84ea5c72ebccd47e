/**
 * The claims table a reviewer reads first: one row per registry claim and
 * setting — the paper's words, the paper's figure, ours with its 95 % CI, the
 * verdict, the seeds and items counted, real or synthetic data, and the
 * notebook that tested it. Claims whose notebook did not run say "not run".
 */
import type { Cell, DatasetRef, ResultTable } from "../results/table";
import type { ClaimSpec } from "./spec";
import type { ClaimResult } from "./evaluate";
import { METRICS } from "../stats/metrics";
import { formatDiff, formatInterval } from "./sentence";

export interface ClaimRow {
  spec: ClaimSpec;
  setting: ClaimSpec["settings"][number];
  result: ClaimResult | null;
}

/**
 * Registry order: each claim's registry settings (judged or "not run"), then
 * the settings a run judged that the registry does not list (own data, DATA=…).
 * A result for a claim id not in the registry is an error (a stale results folder).
 */
export function claimRows(registry: readonly ClaimSpec[], found: readonly ClaimResult[]): ClaimRow[] {
  const byKey = new Map(found.map((r) => [`${r.id}/${r.setting}`, r]));
  const rows: ClaimRow[] = [];
  for (const spec of registry) {
    for (const setting of spec.settings) {
      const key = `${spec.id}/${setting.id}`;
      rows.push({ spec, setting, result: byKey.get(key) ?? null });
      byKey.delete(key);
    }
    for (const r of found.filter((x) => x.id === spec.id && byKey.has(`${x.id}/${x.setting}`))) {
      rows.push({ spec, setting: { id: r.setting, label: r.settingLabel, paper: r.paperEffect }, result: r });
      byKey.delete(`${r.id}/${r.setting}`);
    }
  }
  if (byKey.size)
    throw new Error(
      `claims: results for claims not in the registry: ${[...byKey.keys()].join(", ")} (stale files under claims/? re-run, or remove them)`,
    );
  return rows;
}

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
    description: `${parts.join("; ") || "no claim judged yet"}. Each row names its data; SYNTHETIC rows check the implementation on generated data, real rows test the claim`,
  };
}

/** The verdict cell: the result's, or why there is none ("not testable: <reason>" for a setting the claim cannot be judged on, else "not run"). */
export const verdictCell = (r: Pick<ClaimRow, "setting" | "result">): string =>
  r.result?.verdict ?? (r.setting.notTestable ? `not testable: ${r.setting.notTestable}` : "not run");

export function claimsTable(rows: readonly ClaimRow[], dataNames: string): ResultTable {
  const counts = { holds: 0, contradicted: 0, inconclusive: 0, "not run": 0, "not testable": 0 };
  for (const r of rows) counts[r.result?.verdict ?? (r.setting.notTestable ? "not testable" : "not run")]++;
  return {
    name: "claims",
    title: "Claims of the two papers, judged by the 95 % CI of a paired difference",
    reproduces: "MRLF paper (Sec. IV) and local-words paper (Sect. 4.3): every claim about their own results",
    dataset: claimsDataset(rows, dataNames),
    columns: [
      { key: "claim", label: "Claim", source: "info" },
      { key: "setting", label: "Setting", source: "info" },
      { key: "source", label: "Paper", source: "info" },
      { key: "versus", label: "Decisive comparison", source: "info" },
      { key: "unit", label: "Unit", source: "info" },
      { key: "paper", label: "Paper Δ", digits: 3, source: "paper" },
      { key: "ours", label: "Our Δ", digits: 3, source: "ours" },
      { key: "lo", label: "95 % CI low", digits: 3, source: "ours" },
      { key: "hi", label: "95 % CI high", digits: 3, source: "ours" },
      { key: "verdict", label: "Verdict", source: "ours" },
      { key: "seeds", label: "Seeds/splits", digits: 0, source: "info" },
      { key: "items", label: "Test items", digits: 0, source: "info" },
      { key: "data", label: "Data", source: "info" },
      { key: "notebook", label: "Notebook", source: "info" },
      { key: "id", label: "Claim id", source: "info" },
    ],
    rows: rows.map(({ spec, setting, result: r }): Record<string, Cell> => ({
      claim: spec.statement,
      setting: setting.label,
      source: spec.source,
      versus: r
        ? `${r.favoured} − ${r.decisive.against}`
        : `${spec.favoured} − ${spec.against.length > 1 ? `each of ${spec.against.length}` : spec.against[0]}`,
      unit: r ? (r.unit === "km" ? "km" : "proportion") : null,
      paper: setting.paper.diff,
      ours: r?.decisive.diff ?? null,
      lo: r?.decisive.ci.lo ?? null,
      hi: r?.decisive.ci.hi ?? null,
      verdict: verdictCell({ setting, result: r }),
      seeds: r?.testSets ?? null,
      items: r?.items ?? null,
      data: r ? `${r.data.name} (${r.data.synthetic ? "SYNTHETIC" : "real"})` : null,
      notebook: spec.notebook,
      id: `${spec.id}/${setting.id}`,
    })),
    notes: [
      `Verdicts: ${counts.holds} holds, ${counts.contradicted} contradicted, ${counts.inconclusive} inconclusive, ${counts["not run"]} not run${counts["not testable"] ? `, ${counts["not testable"]} not testable on their data (e.g. no images)` : ""}.`,
      "Δ = favoured system − compared system in the metric's units (proportions as fractions, km as km); the paper's Δ is its own published difference where the text prints one.",
      "holds: the 95 % CI excludes 0 on the paper's side; contradicted: it excludes 0 on the other side; inconclusive: it contains 0. A claim against several systems holds only if every comparison holds (intersection–union test) and is contradicted if one is contradicted at the Bonferroni level; the row shows the decisive comparison.",
      "CIs: percentile bootstrap over test items, 2,000 replicates, resampled within each seed's (or split's) test set and pooled; each seed draws a new split and a new initialisation.",
    ],
  };
}

/** A number as the claims table prints it: points for proportions, km for km. */
const fmt = (v: number | null, unit: "proportion" | "km"): string => (v === null ? "—" : formatDiff(v, unit));

/**
 * The claims table as Markdown for results/README.md: readable units (points,
 * km), the CI beside the estimate, a link to the notebook that tested it.
 */
export function claimsMarkdown(rows: readonly ClaimRow[], notebookLink: (notebook: string) => string): string[] {
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  const out = [
    "| # | Claim | Setting | Paper Δ | Our Δ (95 % CI) | Verdict | Seeds × items | Data | Notebook |",
    "| ---: | --- | --- | ---: | --- | --- | --- | --- | --- |",
  ];
  rows.forEach(({ spec, setting, result: r }, i) => {
    const unit = METRICS[spec.metric].unit;
    const ours = r
      ? `${fmt(r.decisive.diff, unit)} (${formatInterval(r.decisive.ci.lo, r.decisive.ci.hi, unit)})${spec.against.length > 1 ? ` vs ${r.decisive.against}` : ""}`
      : "—";
    const paper =
      setting.paper.diff === null
        ? `— (${setting.paper.note ?? "none"})`
        : `${fmt(setting.paper.diff, unit)}${setting.paper.versus && spec.against.length > 1 ? ` vs ${setting.paper.versus}` : ""}`;
    out.push(
      `| ${i + 1} | ${esc(spec.statement)} — ${spec.source} | ${esc(setting.label)} | ${esc(paper)} | ${esc(ours)} | **${verdictCell({ setting, result: r })}** | ${r ? `${r.testSets} × ${Math.round(r.items / r.testSets)}` : "—"} | ${r ? (r.data.synthetic ? `${r.data.name} (SYNTHETIC)` : `${r.data.name} (real)`) : "—"} | [${spec.notebook}](${notebookLink(spec.notebook)}) |`,
    );
  });
  return out;
}
