/**
 * A paper's claim about d = A − B (A: the system the paper favours), judged
 * from d's interval and, equivalently, from a p-value for each of the two
 * decisive readings — so that a family-wise rule (./multiplicity.ts) can act on
 * the p-values while every row still reads as an interval.
 *
 *   holds         the CI excludes 0 on the side the paper states;
 *   contradicted  the CI excludes 0 on the other side;
 *   inconclusive  the CI contains 0.
 *
 * The p-value of a reading is the smallest α at which the (1 − α) interval
 * shows it, so  p ≤ α  ⇔  the (1 − α) CI shows that verdict:
 *
 * - directional claim: the two-sided p of d = 0, given to the side d̂ lies on
 *   (the other reading gets 1);
 * - equivalence claim with margin δ (two one-sided tests in interval form,
 *   Schuirmann 1987): holds when the CI lies inside (−δ, δ), contradicted when it
 *   lies entirely outside [−δ, δ]: p_holds = P[|T| ≥ (δ − |d̂|)/SE] (1 when
 *   |d̂| ≥ δ), p_contradicted = P[|T| ≥ (|d̂| − δ)/SE] (1 when |d̂| ≤ δ);
 * - a claim over m comparisons at once ("MRLF beats *every* baseline") is an
 *   intersection–union test (Berger 1982): it holds when every component holds,
 *   p_holds = max_k p_holds,k (no multiplicity correction is needed for "all
 *   hold"); it is contradicted when some component is contradicted at the
 *   Bonferroni level 1 − α/m: p_contradicted = min(1, m · min_k p_contradicted,k).
 *
 * A row's decision p-value is the smaller of its two; the reading it belongs to
 * is the row's decisive verdict, shown when that p survives the family's rule.
 */
import type { Interval } from "./interval";
import { tTwoSided } from "./student-t";
import { pValue } from "./two-level";

export type Verdict = "holds" | "contradicted" | "inconclusive";
export const VERDICTS: readonly Verdict[] = ["holds", "contradicted", "inconclusive"];

/** What the paper says about d = A − B. */
export type Expectation = { kind: "positive" } | { kind: "negative" } | { kind: "equivalent"; margin: number };

/** The p-values of the two decisive readings. */
export interface ReadingP {
  holds: number;
  contradicted: number;
}

export function verdictOf(ci: Pick<Interval, "lo" | "hi">, expect: Expectation): Verdict {
  if (!(Number.isFinite(ci.lo) && Number.isFinite(ci.hi) && ci.lo <= ci.hi))
    throw new Error(`verdictOf: not an interval: [${ci.lo}, ${ci.hi}]`);
  switch (expect.kind) {
    case "positive":
      return ci.lo > 0 ? "holds" : ci.hi < 0 ? "contradicted" : "inconclusive";
    case "negative":
      return ci.hi < 0 ? "holds" : ci.lo > 0 ? "contradicted" : "inconclusive";
    case "equivalent": {
      const m = expect.margin;
      if (!(m > 0)) throw new Error(`verdictOf: an equivalence margin must be > 0, got ${m}`);
      if (ci.lo > -m && ci.hi < m) return "holds";
      if (ci.lo >= m || ci.hi <= -m) return "contradicted";
      return "inconclusive";
    }
  }
}

/** The p-values of one comparison's two readings, from its estimate, SE and degrees of freedom. */
export function readingP(e: { estimate: number; se: number; df: number }, expect: Expectation): ReadingP {
  if (expect.kind === "equivalent") {
    const m = expect.margin;
    if (!(m > 0)) throw new Error(`readingP: an equivalence margin must be > 0, got ${m}`);
    const a = Math.abs(e.estimate);
    const tail = (x: number): number => (e.se === 0 ? (x > 0 ? 0 : 1) : x > 0 ? tTwoSided(x / e.se, e.df) : 1);
    return { holds: tail(m - a), contradicted: tail(a - m) };
  }
  const s = expect.kind === "positive" ? 1 : -1;
  const p = pValue(e);
  const side = s * e.estimate;
  return side > 0 ? { holds: p, contradicted: 1 } : side < 0 ? { holds: 1, contradicted: p } : { holds: 1, contradicted: 1 };
}

/** Intersection–union over m components: holds → max p_holds; contradicted → Bonferroni over the components. */
export function jointReadingP(components: readonly ReadingP[]): ReadingP {
  if (components.length === 0) throw new Error("jointReadingP: no components");
  const m = components.length;
  return {
    holds: Math.max(...components.map((c) => c.holds)),
    contradicted: Math.min(1, m * Math.min(...components.map((c) => c.contradicted))),
  };
}

/** The decisive reading (the smaller p; "holds" on a tie) and its p. */
export function decisiveReading(p: ReadingP): { reading: "holds" | "contradicted"; p: number } {
  return p.contradicted < p.holds ? { reading: "contradicted", p: p.contradicted } : { reading: "holds", p: p.holds };
}

/** The verdict at level α: the decisive reading when its p ≤ α, else inconclusive. */
export function verdictAt(p: ReadingP, alpha: number): Verdict {
  const d = decisiveReading(p);
  return d.p <= alpha ? d.reading : "inconclusive";
}
