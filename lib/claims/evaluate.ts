/**
 * Judging a claim on one setting from the systems' per-item outcomes:
 * a paired bootstrap of A − B for every B the claim names (same test items,
 * same resamples for both systems; several seeds resampled within each seed
 * and pooled, lib/stats/bootstrap.ts), the 95 % percentile CI of each
 * difference, and the three-state verdict (lib/stats/verdict.ts): holds /
 * contradicted / inconclusive, jointly over the Bs by an intersection–union
 * test with a Bonferroni guard against a false "contradicted".
 */
import { stream } from "../runtime/rng";
import { comparePaired, diffInterval, type RepeatedOutcomes } from "../stats/paired";
import { METRICS } from "../stats/metrics";
import { DEFAULT_LEVEL, DEFAULT_REPLICATES } from "../stats/bootstrap";
import { bonferroniLevel, jointVerdict, verdictOf, type Expectation, type Verdict } from "../stats/verdict";
import type { Interval } from "../stats/interval";
import type { McNemar } from "../stats/mcnemar";
import type { ClaimSetting, ClaimSpec, PaperEffect } from "./spec";
import { claimSentence } from "./sentence";

export interface ClaimEvidence {
  /** One of the claim's setting ids — or, with `settingLabel`, a setting the registry does not list (a researcher's own data). */
  setting: string;
  /** Label of a setting that is not in the registry (own data, DATA=…); the paper has no figure for it. */
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
  /** What one test set is, plural: "seeds" (new split + initialisation each) or "splits". */
  testSetNoun?: string;
  /** Outcomes of the favoured system and of every system it is compared with, by label. */
  systems: Readonly<Record<string, RepeatedOutcomes>>;
  /** Synthetic data only: what the generator planted that decides this claim (so a reader can tell a sanity check from evidence). */
  planted?: string;
  /** Root seed of the run: names the bootstrap stream. */
  seed: number;
  /** Bootstrap replicates (default 2,000). */
  replicates?: number;
}

export interface ComparisonResult {
  against: string;
  /** Estimates (mean over test sets) of A, B and A − B. */
  favoured: number;
  other: number;
  diff: number;
  /** 95 % CI of A − B. */
  ci: Interval;
  /** CI of A − B at the Bonferroni level over the claim's comparisons. */
  adjustedCi: Interval;
  verdict: Verdict;
  /** sd of A − B over test sets (0 for one). */
  sdOverTestSets: number;
  mcnemar?: McNemar;
}

export interface ClaimResult {
  id: string;
  paper: ClaimSpec["paper"];
  source: string;
  statement: string;
  metric: ClaimSpec["metric"];
  unit: "proportion" | "km";
  favoured: string;
  relation: ClaimSpec["relation"];
  margin: number | null;
  setting: string;
  settingLabel: string;
  notebook: string;
  verdict: Verdict;
  /** The comparison that decides the verdict (the weakest for "holds", the contradicting one for "contradicted"). */
  decisive: ComparisonResult;
  comparisons: ComparisonResult[];
  testSets: number;
  testSetNoun: string;
  items: number;
  itemNoun: string;
  data: { name: string; synthetic: boolean };
  planted: string | null;
  paperEffect: PaperEffect;
  replicates: number;
  level: number;
  sentence: string;
}

/** The paper's direction for d = A − B on this metric. */
export function expectationOf(spec: Pick<ClaimSpec, "metric" | "relation" | "margin">): Expectation {
  if (spec.relation === "equivalent") return { kind: "equivalent", margin: spec.margin!.value };
  const higherIsBetter = METRICS[spec.metric].better === "higher";
  const aLarger = spec.relation === "better" ? higherIsBetter : !higherIsBetter;
  return { kind: aLarger ? "positive" : "negative" };
}

/** +1 when the paper expects A − B > 0, −1 when it expects < 0 (equivalence: +1). */
export const paperSign = (e: Expectation): number => (e.kind === "negative" ? -1 : 1);

function decisiveIndex(comps: readonly ComparisonResult[], verdict: Verdict, e: Expectation): number {
  const s = paperSign(e);
  const score = (c: ComparisonResult): number => {
    if (e.kind === "equivalent") return -Math.max(Math.abs(c.ci.lo), Math.abs(c.ci.hi)); // the widest departure from 0 decides
    if (verdict === "contradicted") return c.verdict === "contradicted" ? Math.min(s * c.adjustedCi.lo, s * c.adjustedCi.hi) : Infinity;
    return Math.min(s * c.ci.lo, s * c.ci.hi); // the weakest evidence for the paper's side
  };
  let best = 0;
  comps.forEach((c, i) => {
    if (score(c) < score(comps[best])) best = i;
  });
  return best;
}

export function evaluateClaim(spec: ClaimSpec, ev: ClaimEvidence): ClaimResult {
  const where = `claim ${spec.id} (${ev.setting})`;
  const setting: ClaimSetting | undefined =
    spec.settings.find((s) => s.id === ev.setting) ??
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
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(setting.id))
    throw new Error(`${where}: setting: "${setting.id}" must be lower-case letters, digits, dots, dashes (it names a file)`);
  if (setting.notTestable)
    throw new Error(`${where}: setting: not testable here (${setting.notTestable}); the claims table says so without a run`);
  // A setting may judge against a subset of the claim's comparators (those that can run on its data).
  const against = setting.against ?? spec.against;
  for (const b of against)
    if (!spec.against.includes(b))
      throw new Error(`${where}: against: "${b}" is not one of the claim's comparators (${spec.against.join(", ")})`);
  if (against.length === 0) throw new Error(`${where}: against: no comparator left to judge against`);
  for (const sys of [spec.favoured, ...against])
    if (!ev.systems[sys])
      throw new Error(`${where}: systems: no outcomes for "${sys}" (given: ${Object.keys(ev.systems).join(", ") || "none"})`);
  if (ev.data.synthetic && !ev.planted?.trim())
    throw new Error(`${where}: planted: synthetic data must say what the generator planted that decides the claim`);
  const replicates = ev.replicates ?? DEFAULT_REPLICATES;
  const level = DEFAULT_LEVEL;
  const e = expectationOf(spec);
  const adjLevel = bonferroniLevel(level, against.length);
  const a = ev.systems[spec.favoured];
  const comparisons: ComparisonResult[] = against.map((b) => {
    // One stream per (claim, setting, B): adding a comparison never moves another's interval.
    const c = comparePaired(a, ev.systems[b], spec.metric, {
      rng: stream(ev.seed, `bootstrap/${spec.id}/${ev.setting}/${b}`),
      replicates,
      level,
    });
    return {
      against: b,
      favoured: c.a.estimate,
      other: c.b.estimate,
      diff: c.diff.estimate,
      ci: c.diff.ci,
      adjustedCi: diffInterval(c, adjLevel),
      verdict: verdictOf(c.diff.ci, e),
      sdOverTestSets: c.diff.sd,
      ...(c.mcnemar ? { mcnemar: c.mcnemar } : {}),
    };
  });
  const verdict = jointVerdict(
    comparisons.map((c) => c.ci),
    comparisons.map((c) => c.adjustedCi),
    e,
  );
  const decisive = comparisons[decisiveIndex(comparisons, verdict, e)];
  const items = a.reduce((s, t) => s + t.outcomes.truth.length, 0);
  const result: Omit<ClaimResult, "sentence"> = {
    id: spec.id,
    paper: spec.paper,
    source: spec.source,
    statement: spec.statement,
    metric: spec.metric,
    unit: METRICS[spec.metric].unit,
    favoured: spec.favoured,
    relation: spec.relation,
    margin: spec.margin?.value ?? null,
    setting: setting.id,
    settingLabel: setting.label,
    notebook: spec.notebook,
    verdict,
    decisive,
    comparisons,
    testSets: a.length,
    testSetNoun: ev.testSetNoun ?? "seeds",
    items,
    itemNoun: ev.itemNoun,
    data: ev.data,
    planted: ev.data.synthetic ? ev.planted!.trim() : null,
    paperEffect: setting.paper,
    replicates,
    level,
  };
  return { ...result, sentence: claimSentence(result) };
}
