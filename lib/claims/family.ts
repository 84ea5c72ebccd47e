/**
 * The family-wise rule that turns each row's raw evidence (./evaluate.ts) into
 * its final verdict — taken where every row of a family is known: the claims
 * table that scripts/report.ts writes. (A notebook shows its rows' nominal
 * verdicts and points there.)
 *
 * Families. A verdict is read against the claims it was judged with, so the
 * rows are grouped by whose claim it is and what data it stands on:
 *
 *   (MRLF paper | local-words paper | the suite's own controls) × (real | synthetic),
 *   and, for a researcher's own data (DATA=…), one family per own setting
 *   (its controls apart).
 *
 * The suite's controls (CV-tuned NB+IGR, the random-partition control, late
 * fusion, …: baselines and controls the papers never ran) are a family of their
 * own and never counted for or against a paper; synthetic rows check the
 * implementation and never share a family with real ones.
 *
 * Rule. Within a family of m decidable rows, Holm's step-down procedure on the
 * rows' decision p-values (lib/stats/multiplicity.ts: FWER ≤ α = 5 % under any
 * dependence — the rows share systems, seeds and items). A row whose adjusted
 * p ≤ α shows its decisive reading (holds / contradicted); every other row is
 * inconclusive. The row of Holm rank r is also shown with its interval at the
 * level 1 − α/(m − r + 1) (for a "contradicted" reading of a claim over k
 * comparisons, 1 − α/((m − r + 1)k): the Bonferroni share of its component),
 * so a row whose nominal 95 % CI lies wholly on one side but which is
 * inconclusive explains itself: its adjusted interval reaches 0.
 *
 * Not counted in m: rows not run, settings marked not testable, and rows with
 * one training run (no training variance: inconclusive by design). m counts the
 * rows this run judged: a partial run (NOTEBOOKS=…) decides with the families'
 * rows it has, and the report says so.
 */
import { holm, holmLevel } from "../stats/multiplicity";
import { intervalAt } from "../stats/two-level";
import type { Interval } from "../stats/interval";
import type { Verdict } from "../stats/verdict";
import { ALPHA, type ClaimResult } from "./evaluate";
import { formatP } from "./sentence";

/** The family a row belongs to, e.g. "MRLF · synthetic", "suite controls · real", "own data · mytweets (state)". */
export function familyOf(r: Pick<ClaimResult, "paper" | "origin" | "own" | "settingLabel" | "data">): string {
  if (r.own) return `own data · ${r.settingLabel}${r.origin === "control" ? " · suite controls" : ""}`;
  const who = r.origin === "control" ? "suite controls" : r.paper === "mrlf" ? "MRLF" : "local words";
  return `${who} · ${r.data.synthetic ? "synthetic" : "real"}`;
}

export interface RowDecision {
  family: string;
  /** Decidable rows in the family (Holm's m). */
  m: number;
  /** Holm rank of the row (1 = smallest p); null when the row is not counted. */
  rank: number | null;
  adjustedP: number | null;
  /** The level of the adjusted interval. */
  level: number | null;
  /** The decisive comparison's interval at that level. */
  adjustedCi: Interval | null;
  /** The final verdict. */
  verdict: Verdict;
  /** Why the final verdict differs from the nominal one, when it does. */
  note: string | null;
}

export const rowKey = (r: Pick<ClaimResult, "id" | "setting">): string => `${r.id}/${r.setting}`;

/** Holm within each family; one decision per row, keyed by rowKey. */
export function decideFamilies(results: readonly ClaimResult[], alpha = ALPHA): Map<string, RowDecision> {
  const out = new Map<string, RowDecision>();
  const families = new Map<string, ClaimResult[]>();
  for (const r of results) {
    const f = familyOf(r);
    (families.get(f) ?? families.set(f, []).get(f)!).push(r);
  }
  for (const [family, rows] of families) {
    const decidable = rows.filter((r) => !r.undecidable).sort((a, b) => (rowKey(a) < rowKey(b) ? -1 : 1));
    const h = holm(decidable.map((r) => r.decision.p));
    const m = decidable.length;
    decidable.forEach((r, i) => {
      const rank = h.rank[i];
      const adjustedP = h.adjusted[i];
      const k = r.decision.reading === "contradicted" ? r.comparisons.length : 1;
      const level = 1 - (1 - holmLevel(alpha, m, rank)) / k;
      const d = r.decisive;
      const adjustedCi = intervalAt({ estimate: d.diff, se: d.se, df: d.df ?? Infinity }, level);
      const verdict: Verdict = adjustedP <= alpha ? r.decision.reading : "inconclusive";
      let note: string | null = null;
      if (verdict !== r.nominal) {
        const own = r.decision.p * (m - rank + 1) <= alpha;
        const boundary = r.relation === "equivalent" ? "the margin" : "0";
        note = own
          ? `Holm stopped at a row of smaller p in this family (adjusted p ${formatP(adjustedP)} > ${alpha})`
          : `not decisive at the family level: adjusted p ${formatP(adjustedP)} > ${alpha}; the ${(level * 100).toPrecision(4)} % interval reaches ${boundary}`;
      }
      out.set(rowKey(r), { family, m, rank, adjustedP, level, adjustedCi, verdict, note });
    });
    for (const r of rows.filter((x) => x.undecidable))
      out.set(rowKey(r), {
        family,
        m,
        rank: null,
        adjustedP: null,
        level: null,
        adjustedCi: null,
        verdict: "inconclusive",
        note: r.undecidable,
      });
  }
  return out;
}

export interface FamilyTally {
  family: string;
  /** Real or synthetic (own-data families: the data's own kind). */
  synthetic: boolean;
  holds: number;
  contradicted: number;
  inconclusive: number;
  /** Rows counted by the rule (m). */
  m: number;
}

/** Final-verdict counts per family, in a stable order (paper families first, then controls, then own data). */
export function familyTallies(results: readonly ClaimResult[], decisions: ReadonlyMap<string, RowDecision>): FamilyTally[] {
  const by = new Map<string, FamilyTally>();
  for (const r of results) {
    const d = decisions.get(rowKey(r))!;
    const t = by.get(d.family) ?? { family: d.family, synthetic: r.data.synthetic, holds: 0, contradicted: 0, inconclusive: 0, m: d.m };
    t[d.verdict]++;
    by.set(d.family, t);
  }
  const order = (f: string): number =>
    f.startsWith("own data") ? 0 : f.startsWith("MRLF") ? 1 : f.startsWith("local words") ? 2 : f.startsWith("suite controls") ? 3 : 4;
  return [...by.values()].sort(
    (a, b) => order(a.family) - order(b.family) || Number(a.synthetic) - Number(b.synthetic) || (a.family < b.family ? -1 : 1),
  );
}
