/**
 * A paper's claim, judged from the confidence interval of a paired difference
 * d = A − B (A: the system the paper favours, B: what it is compared with):
 *
 *   holds         the CI excludes 0 on the side the paper states;
 *   contradicted  the CI excludes 0 on the other side;
 *   inconclusive  the CI contains 0.
 *
 * A claim of *no* difference ("accuracy is not sensitive to N2 over a range")
 * is an equivalence claim with a margin δ (two one-sided tests in CI form,
 * Schuirmann 1987): it holds when the CI lies inside (−δ, δ), is contradicted
 * when the CI lies entirely outside [−δ, δ], and is inconclusive otherwise.
 *
 * A claim over several comparisons at once ("MRLF beats *every* baseline") is
 * an intersection–union test (Berger 1982): it holds when every component
 * holds at the nominal level — no multiplicity correction is needed for
 * "all hold" — and is contradicted when some component is contradicted at the
 * Bonferroni level 1 − α/m, which keeps the chance of a false "contradicted"
 * below α over the m components.
 */
import type { Interval } from "./interval";

export type Verdict = "holds" | "contradicted" | "inconclusive";
export const VERDICTS: readonly Verdict[] = ["holds", "contradicted", "inconclusive"];

/** What the paper says about d = A − B. */
export type Expectation = { kind: "positive" } | { kind: "negative" } | { kind: "equivalent"; margin: number };

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

/**
 * Joint verdict of m comparisons that must all go the paper's way.
 * `nominal[i]` is component i's CI at the nominal level (e.g. 95 %),
 * `adjusted[i]` its CI at the Bonferroni level 1 − α/m.
 */
export function jointVerdict(
  nominal: readonly Pick<Interval, "lo" | "hi">[],
  adjusted: readonly Pick<Interval, "lo" | "hi">[],
  expect: Expectation,
): Verdict {
  if (nominal.length === 0 || nominal.length !== adjusted.length)
    throw new Error(`jointVerdict: ${nominal.length} nominal and ${adjusted.length} adjusted intervals`);
  if (nominal.every((ci) => verdictOf(ci, expect) === "holds")) return "holds";
  if (adjusted.some((ci) => verdictOf(ci, expect) === "contradicted")) return "contradicted";
  return "inconclusive";
}

/** The Bonferroni level for m comparisons at nominal level `level`. */
export const bonferroniLevel = (level: number, m: number): number => 1 - (1 - level) / m;
