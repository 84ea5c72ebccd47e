/**
 * Statistics for judging claims: seeded paired bootstrap CIs over test items,
 * the exact McNemar test, mean ± sd over seeds, chance floors, and the
 * three-state verdict. Pure functions; randomness only through named streams.
 */
export { meanSd, type MeanSd } from "./summary";
export { percentileInterval, quantileSorted, type Interval } from "./interval";
export { indexSampler, type IndexSampler } from "./resample";
export { METRICS, metricOf, macroScores, checkOutcomes, allItems, type Outcomes, type MetricId, type MetricSpec } from "./metrics";
export {
  bootstrapTestSets,
  DEFAULT_REPLICATES,
  DEFAULT_LEVEL,
  type BootstrapOptions,
  type BootstrapResult,
  type Estimate,
} from "./bootstrap";
export {
  estimateMetric,
  estimateMetrics,
  comparePaired,
  checkPaired,
  diffInterval,
  itemGroups,
  type TestSetOutcomes,
  type RepeatedOutcomes,
  type SystemEstimate,
  type PairedComparison,
} from "./paired";
export { mcnemarExact, binomialHalfCdf, discordant, type McNemar } from "./mcnemar";
export { verdictOf, jointVerdict, bonferroniLevel, VERDICTS, type Verdict, type Expectation } from "./verdict";
export { majorityClass, majorityClassPredictions, stratifiedRandomPredictions } from "./floors";
