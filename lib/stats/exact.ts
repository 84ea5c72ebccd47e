/**
 * An exact test beside each interval, for metrics that are a mean of a
 * per-item value (Acc, Mean km, Acc@161, Acc@1 km; ./metrics.ts `perItem`),
 * counting every distinct item once:
 *
 * - each item in exactly one run (independent test sets, or one run): the
 *   per-item differences d_i = v_A(i) − v_B(i) are independent; for Acc this is
 *   McNemar's exact test on the discordant items (./mcnemar.ts), for the other
 *   metrics the exact sign test of the d_i (ties dropped);
 * - items repeated across runs (seeds on one test fold, overlapping splits):
 *   the d_i of one item are not independent, so each distinct item contributes
 *   once, with its mean difference over the runs it appears in, to an exact
 *   sign test (Dixon & Mood 1946) — counts of items on either side, ties dropped.
 *
 * - clustered items (outcomes.clusters: a Flickr owner's photos): the cluster is
 *   the unit — each distinct cluster contributes once, with its mean difference
 *   over its items and runs, to the exact sign test.
 *
 * Under H0 (no systematic difference, d_i symmetric about 0) the count of
 * positive items among the untied ones is Binomial(n, ½); p is two-sided.
 * The test is conditional on the trained models (it sees no training variance):
 * it is shown beside the two-level interval, never used for a verdict.
 */
import { METRICS, type MetricId, type Outcomes } from "../metrics/weighted";
import { mcnemarExact } from "./mcnemar";

export interface ExactTest {
  test: "exact McNemar" | "exact sign test over distinct items" | "exact sign test over clusters";
  /** Distinct items where A does better / worse (by the metric's direction: + is A − B > 0). */
  positive: number;
  negative: number;
  /** Distinct items with no difference (dropped). */
  ties: number;
  p: number;
}

/** The exact test of A − B on `metric`, or null when the metric does not decompose over items. */
export function exactPairedTest(
  a: readonly { outcomes: Outcomes }[],
  b: readonly { outcomes: Outcomes }[],
  metric: MetricId,
): ExactTest | null {
  const f = METRICS[metric].perItem;
  if (!f) return null;
  const sum = new Map<string, { d: number; n: number }>();
  const clustered = a.some((t) => t.outcomes.clusters);
  a.forEach((t, g) => {
    const ids = t.outcomes.clusters ?? t.outcomes.ids!;
    for (let i = 0; i < ids.length; i++) {
      const d = f(t.outcomes, i) - f(b[g].outcomes, i);
      const s = sum.get(ids[i]);
      if (s) {
        s.d += d;
        s.n++;
      } else sum.set(ids[i], { d, n: 1 });
    }
  });
  let positive = 0,
    negative = 0,
    ties = 0,
    repeated = false;
  for (const { d, n } of sum.values()) {
    if (n > 1) repeated = true;
    const m = d / n;
    if (Math.abs(m) < 1e-12) ties++;
    else if (m > 0) positive++;
    else negative++;
  }
  const test = clustered
    ? "exact sign test over clusters"
    : metric === "acc" && !repeated
      ? "exact McNemar"
      : "exact sign test over distinct items";
  return { test, positive, negative, ties, p: mcnemarExact(positive, negative).p };
}
