/**
 * The one sentence every notebook closes a study with, built from a
 * ClaimResult and nothing else: the verdict, the effect with its 95 % CI, the
 * seeds and test items counted, and whether the data are real — for synthetic
 * data also what the generator planted that decides the claim, so that a
 * reader can tell a sanity check of the implementation from evidence.
 */
import { METRICS } from "../stats/metrics";
import type { ClaimResult } from "./evaluate";

const VERDICT_WORD = { holds: "Holds", contradicted: "Contradicted", inconclusive: "Inconclusive" } as const;

/** A difference in the metric's reading units: points (pp) for proportions, km otherwise. */
export function formatDiff(v: number, unit: "proportion" | "km"): string {
  const x = unit === "proportion" ? v * 100 : v;
  const s = `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(unit === "proportion" ? 1 : 3)}`;
  return unit === "proportion" ? `${s} pp` : `${s} km`;
}

export const formatInterval = (lo: number, hi: number, unit: "proportion" | "km"): string =>
  `${formatDiff(lo, unit)} to ${formatDiff(hi, unit)}`;

export function claimSentence(r: Omit<ClaimResult, "sentence">): string {
  const label = METRICS[r.metric].label;
  const d = r.decisive;
  const many = r.comparisons.length > 1;
  const counts = `${r.testSets} ${r.testSets === 1 ? r.testSetNoun.replace(/s$/, "") : r.testSetNoun}, ${r.items} ${r.itemNoun} in all`;
  const effect = `${r.favoured} − ${d.against} ${label} = ${formatDiff(d.diff, r.unit)} (95 % CI ${formatInterval(d.ci.lo, d.ci.hi, r.unit)}${d.mcnemar ? `; exact McNemar p = ${d.mcnemar.p < 0.001 ? d.mcnemar.p.toExponential(1) : d.mcnemar.p.toFixed(3)}` : ""})`;
  const tally = many
    ? ` Over all ${r.comparisons.length} comparisons: ${(["holds", "contradicted", "inconclusive"] as const).map((v) => `${r.comparisons.filter((c) => c.verdict === v).length} ${v}`).join(", ")}; ${r.verdict === "contradicted" ? `the one shown contradicts at the Bonferroni level` : `the one shown is the ${r.verdict === "holds" ? "narrowest" : "weakest"}`}.`
    : "";
  const margin =
    r.relation === "equivalent" && r.margin !== null ? ` Equivalence margin ±${formatDiff(r.margin, r.unit).replace(/^[+−]/, "")}.` : "";
  const data = r.data.synthetic
    ? `Data: ${r.data.name} (SYNTHETIC) — a check of the implementation, not evidence about the paper's data; the generator plants: ${r.planted}`
    : `Data: ${r.data.name} (real).`;
  return `**${VERDICT_WORD[r.verdict]}** — ${r.statement} (${r.settingLabel}): ${effect}; ${counts}.${tally}${margin} ${data}`;
}
