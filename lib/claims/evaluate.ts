/**
 * Judging a claim on one setting from the systems' per-item outcomes — the
 * row's raw evidence, before the family's rule (./family.ts) decides:
 *
 * - for every B the setting compares A with (and, for a claim with a second
 *   metric, on both metrics): the paired difference A − B over the G training
 *   runs with its two-level interval (lib/stats/two-level.ts: runs and test
 *   items, the distinct items resampled once per replicate, the same weights for
 *   both systems), its SE, Satterthwaite degrees of freedom, two-sided p, the
 *   exact test over distinct items, and the paper's Δ against the same B;
 * - the row's p-values for its two readings (holds / contradicted), jointly over
 *   the comparisons (intersection–union; lib/stats/verdict.ts), and its nominal
 *   verdict at 95 % — a verdict of this row alone. The final verdict is taken
 *   where the whole family is known: the claims table (./family.ts).
 *
 * With one training run the training variance cannot be estimated: the row is
 * inconclusive whatever its (item-only) interval, and says so.
 */
import { stream } from "../runtime/rng";
import type { RunStamp } from "../runtime/provenance";
import { comparePaired, DEFAULT_LEVEL, type RepeatedOutcomes } from "../stats/paired";
import { METRICS, type MetricId } from "../metrics/weighted";
import { DEFAULT_REPLICATES } from "../stats/item-bootstrap";
import {
  decisiveReading,
  jointReadingP,
  readingP,
  verdictAt,
  verdictOf,
  type Expectation,
  type ReadingP,
  type Verdict,
} from "../stats/verdict";
import type { Interval } from "../stats/interval";
import type { ExactTest } from "../stats/exact";
import { againstIn, type ClaimOrigin, type ClaimSetting, type ClaimSpec, type PaperEffect, type Relation } from "./spec";
import { claimSentence } from "./sentence";

/** The error rate of every verdict: 5 % (nominal: each row's 95 % interval; final: the family's FWER). */
export const ALPHA = 0.05;

export interface ClaimEvidence {
  /** One of the claim's setting ids — or, with `settingLabel`, a setting the registry does not list (a researcher's own data). */
  setting: string;
  /**
   * Label of a setting that is not in the registry (own data, DATA=…; the paper has no figure for it) — or,
   * for a registry setting, its label as this run ran it (e.g. "… official folds 1–3 → 5": which folds trained).
   */
  settingLabel?: string;
  /**
   * For a setting the registry does not list: the comparators that could run on its data (a subset of the
   * claim's, e.g. no image baselines on posts without images). A registry setting names its own (ClaimSetting.against).
   */
  against?: readonly string[];
  /** The data the systems were scored on. */
  data: { name: string; synthetic: boolean };
  /** What one item is, plural: "test posts", "test users". */
  itemNoun: string;
  /** What one training run is, plural: "seeds" (new split + initialisation each) or "splits". */
  testSetNoun?: string;
  /** Outcomes of the favoured system and of every system it is compared with, by label. */
  systems: Readonly<Record<string, RepeatedOutcomes>>;
  /** Synthetic data only: what the generator planted that decides this claim (so a reader can tell a sanity check from evidence). */
  planted?: string;
  /** Root seed of the run: names the bootstrap stream. */
  seed: number;
  /** Bootstrap replicates (default 2,000). */
  replicates?: number;
  /** Commit and run parameters (judge() stamps them; the report refuses stale records). */
  stamp?: RunStamp;
}

export interface ComparisonResult {
  against: string;
  /** The metric of this comparison (a claim with a second metric has comparisons on both). */
  metric: MetricId;
  unit: "proportion" | "km";
  expectation: Expectation;
  /** Estimates (mean over runs) of A, B and A − B. */
  favoured: number;
  other: number;
  diff: number;
  /**
   * Standard error of A − B (training runs and test items) and its Satterthwaite degrees of freedom (null: ∞, normal; also for ν ≥ 10⁶).
   */
  se: number;
  df: number | null;
  /** sd of A − B over the runs (0 for one run). */
  runSd: number;
  /** Method-of-moments training sd of A − B (null with one run; 0 where item sampling explains the runs' spread). */
  trainingSd: number | null;
  /** The item part of the SE: √(1ᵀC1)/G. */
  itemSe: number;
  /** Nominal 95 % interval of A − B. */
  ci: Interval;
  /** Two-sided p of A − B = 0. */
  p: number;
  /** p-values of this comparison's two readings. */
  readingP: ReadingP;
  /** This comparison's verdict at 95 %. */
  nominal: Verdict;
  /** Exact test over distinct items (null where the metric does not decompose over items). */
  exact: ExactTest | null;
  /** The paper's A − B against the same system (null: the paper has no number for it), and whether our 95 % CI contains it. */
  paper: { diff: number | null; inside: "yes" | "no" | "no paper number" };
}

export interface ClaimResult {
  id: string;
  paper: ClaimSpec["paper"];
  origin: ClaimOrigin;
  source: string;
  statement: string;
  metric: ClaimSpec["metric"];
  unit: "proportion" | "km";
  favoured: string;
  relation: Relation;
  margin: number | null;
  setting: string;
  settingLabel: string;
  /** True for a setting the registry does not list (a researcher's own data). */
  own: boolean;
  notebook: string;
  /** This row's verdict at 95 % alone; the final verdict is the family's (the claims table). */
  nominal: Verdict;
  /** The row's p-values for its two readings (jointly over its comparisons). */
  readingP: ReadingP;
  /** The row's decisive reading and its p: what the family's rule acts on. */
  decision: { reading: "holds" | "contradicted"; p: number };
  /** Why this row cannot be decided at all (one training run); null when it can. */
  undecidable: string | null;
  /** The comparison that decides the decisive reading (the weakest for "holds", the strongest against for "contradicted"). */
  decisive: ComparisonResult;
  comparisons: ComparisonResult[];
  /** Training runs (seeds or splits). */
  testSets: number;
  testSetNoun: string;
  /** Items over all runs, and distinct items (a user in two runs counts once). */
  items: number;
  distinctItems: number;
  /** Distinct clusters the items were resampled by (Flickr owners); null when each item is its own unit. */
  distinctClusters: number | null;
  itemNoun: string;
  data: { name: string; synthetic: boolean };
  planted: string | null;
  paperEffect: PaperEffect;
  /** The paper's headline baseline when it is not among the systems compared here (e.g. ResNet50): "not run here". */
  paperVersusNotRun: boolean;
  replicates: number;
  level: number;
  sentence: string;
  /** Commit and run parameters it was written with (null outside a stamped run, e.g. tests). */
  stamp: RunStamp | null;
}

/** The paper's direction for d = A − B on a metric. */
export function expectationOf(spec: { metric: MetricId; relation: Relation; margin?: { value: number } | null }): Expectation {
  if (spec.relation === "equivalent") return { kind: "equivalent", margin: spec.margin!.value };
  const higherIsBetter = METRICS[spec.metric].better === "higher";
  const aLarger = spec.relation === "better" ? higherIsBetter : !higherIsBetter;
  return { kind: aLarger ? "positive" : "negative" };
}

/** +1 when the paper expects A − B > 0, −1 when it expects < 0 (equivalence: +1). */
export const paperSign = (e: Expectation): number => (e.kind === "negative" ? -1 : 1);

/** The key of a comparison in PaperEffect.bySystem: B, or "B · <metric label>" on a claim's second metric. */
export const comparisonKey = (against: string, metric: MetricId, primary: MetricId): string =>
  metric === primary ? against : `${against} · ${METRICS[metric].label}`;

/** The paper's A − B against the same system, if it has one. */
export function paperDiffFor(paper: PaperEffect, key: string, against: string, primary: boolean, comparators: number): number | null {
  const v = paper.bySystem?.[key];
  if (v !== undefined) return v;
  if (!primary || paper.diff === null) return null;
  if (paper.versus === against) return paper.diff;
  if (paper.versus === undefined && comparators === 1) return paper.diff;
  return null;
}

/** Index of the comparison that decides a reading. */
function decisiveIndex(comps: readonly ComparisonResult[], reading: "holds" | "contradicted"): number {
  let best = 0;
  comps.forEach((c, i) => {
    const better =
      reading === "holds" ? c.readingP.holds > comps[best].readingP.holds : c.readingP.contradicted < comps[best].readingP.contradicted;
    if (better) best = i;
  });
  return best;
}

export const ONE_RUN = "1 training run: training variance not estimated";

export function evaluateClaim(spec: ClaimSpec, ev: ClaimEvidence): ClaimResult {
  const where = `claim ${spec.id} (${ev.setting})`;
  const listed = spec.settings.find((s) => s.id === ev.setting);
  const setting: ClaimSetting | undefined =
    listed ??
    (ev.settingLabel
      ? {
          id: ev.setting,
          label: ev.settingLabel,
          paper: { diff: null, note: "not in the paper: this run's own data" },
          ...(ev.against ? { against: ev.against } : {}),
        }
      : undefined);
  if (!setting)
    throw new Error(
      `${where}: setting: not one of ${spec.settings.map((s) => s.id).join(", ")} (add it to lib/claims/registry.ts, or give settingLabel for own data)`,
    );
  if (setting.notTestable) throw new Error(`${where}: setting: marked not testable (${setting.notTestable}); do not judge it`);
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(setting.id))
    throw new Error(`${where}: setting: "${setting.id}" must be lower-case letters, digits, dots, dashes (it names a file)`);
  const against = againstIn(spec, setting);
  for (const sys of [spec.favoured, ...against])
    if (!ev.systems[sys])
      throw new Error(`${where}: systems: no outcomes for "${sys}" (given: ${Object.keys(ev.systems).join(", ") || "none"})`);
  if (ev.data.synthetic && !ev.planted?.trim())
    throw new Error(`${where}: planted: synthetic data must say what the generator planted that decides the claim`);
  const replicates = ev.replicates ?? DEFAULT_REPLICATES;
  const level = DEFAULT_LEVEL;
  const a = ev.systems[spec.favoured];
  const metrics: { metric: MetricId; relation: Relation }[] = [
    { metric: spec.metric, relation: spec.relation },
    ...(spec.alsoOn ? [{ metric: spec.alsoOn.metric, relation: spec.alsoOn.relation as Relation }] : []),
  ];
  const comparisons: ComparisonResult[] = metrics.flatMap(({ metric, relation }) =>
    against.map((b) => {
      const e = expectationOf({ metric, relation, margin: spec.margin });
      const key = comparisonKey(b, metric, spec.metric);
      // One stream per (claim, setting, B, metric): adding a comparison never moves another's interval.
      const c = comparePaired(a, ev.systems[b], metric, {
        rng: stream(ev.seed, `bootstrap/${spec.id}/${ev.setting}/${key}`),
        replicates,
        level,
      });
      const d = c.diff;
      const paperDiff = paperDiffFor(setting.paper, key, b, metric === spec.metric, against.length);
      const rp = readingP(d, e);
      return {
        against: b,
        metric,
        unit: METRICS[metric].unit,
        expectation: e,
        favoured: c.a.estimate,
        other: c.b.estimate,
        diff: d.estimate,
        se: d.se,
        // ν ≥ 10⁶ is the normal to every printed digit (runs that agree to rounding error give ν ~ 10⁶⁰): stored as ∞.
        df: Number.isFinite(d.df) && d.df < 1e6 ? d.df : null,
        runSd: d.runSd,
        trainingSd: d.trainingVar === null ? null : Math.sqrt(d.trainingVar),
        itemSe: Math.sqrt(d.itemVar),
        ci: d.ci,
        p: d.p,
        readingP: rp,
        nominal: verdictOf(d.ci, e),
        exact: c.exact,
        paper: {
          diff: paperDiff,
          inside: paperDiff === null ? "no paper number" : d.ci.lo <= paperDiff && paperDiff <= d.ci.hi ? "yes" : "no",
        },
      };
    }),
  );
  const joint = jointReadingP(comparisons.map((c) => c.readingP));
  const decision = decisiveReading(joint);
  const decisive = comparisons[decisiveIndex(comparisons, decision.reading)];
  const undecidable = a.length < 2 ? ONE_RUN : null;
  const items = a.reduce((s, t) => s + t.outcomes.truth.length, 0);
  const distinctItems = new Set(a.flatMap((t) => t.outcomes.ids ?? [])).size;
  const distinctClusters = a.every((t) => t.outcomes.clusters) ? new Set(a.flatMap((t) => t.outcomes.clusters!)).size : null;
  const result: Omit<ClaimResult, "sentence"> = {
    id: spec.id,
    paper: spec.paper,
    origin: spec.origin,
    source: spec.source,
    statement: spec.statement,
    metric: spec.metric,
    unit: METRICS[spec.metric].unit,
    favoured: spec.favoured,
    relation: spec.relation,
    margin: spec.margin?.value ?? null,
    setting: setting.id,
    settingLabel: ev.settingLabel ?? setting.label,
    own: !listed,
    notebook: spec.notebook,
    nominal: undecidable ? "inconclusive" : verdictAt(joint, ALPHA),
    readingP: joint,
    decision,
    undecidable,
    decisive,
    comparisons,
    testSets: a.length,
    testSetNoun: ev.testSetNoun ?? "seeds",
    items,
    distinctItems,
    distinctClusters,
    itemNoun: ev.itemNoun,
    data: ev.data,
    planted: ev.data.synthetic ? ev.planted!.trim() : null,
    paperEffect: setting.paper,
    paperVersusNotRun: setting.paper.versus !== undefined && !against.includes(setting.paper.versus),
    replicates,
    level,
    stamp: ev.stamp ?? null,
  };
  return { ...result, sentence: claimSentence(result) };
}
