/**
 * Statistics for judging claims: two-level intervals (training runs and test
 * items; ./two-level.ts) from a bootstrap that draws each distinct test item
 * once (./item-bootstrap.ts; in closed form for item means, ./item-covariance.ts), weighted metrics, Student's t, exact McNemar and
 * sign tests over distinct items, mean ± sd over runs, chance floors, the
 * three-state verdict with its p-values, and Holm's family-wise rule.
 * Pure functions; randomness only through named streams.
 */
export { meanSd, type MeanSd } from "./summary";
export { type Interval } from "./interval";
export { indexSampler, type IndexSampler } from "./resample";
export {
  METRICS,
  metricOf,
  macroScores,
  weightedMedian,
  checkOutcomes,
  unitWeights,
  type Outcomes,
  type MetricId,
  type MetricSpec,
} from "../metrics/weighted";
export {
  itemBootstrap,
  covarianceMatrix,
  resamplingUnits,
  replicatesOf,
  DEFAULT_REPLICATES,
  type ItemBootstrap,
  type ItemBootstrapOptions,
  type ResamplingUnits,
} from "./item-bootstrap";
export { linearizedItemCovariance } from "./item-covariance";
export { twoLevel, intervalAt, pValue, type TwoLevelEstimate } from "./two-level";
export { tCdf, tQuantile, tTwoSided, normalCdf, incompleteBeta, logGamma } from "./student-t";
export {
  estimateMetric,
  estimateMetrics,
  comparePaired,
  checkPaired,
  DEFAULT_LEVEL,
  type TestSetOutcomes,
  type RepeatedOutcomes,
  type SystemEstimate,
  type PairedComparison,
  type EstimateOptions,
} from "./paired";
export { mcnemarExact, binomialHalfCdf, discordant, type McNemar } from "./mcnemar";
export { exactPairedTest, type ExactTest } from "./exact";
export {
  verdictOf,
  readingP,
  jointReadingP,
  decisiveReading,
  verdictAt,
  VERDICTS,
  type Verdict,
  type Expectation,
  type ReadingP,
} from "./verdict";
export { holm, holmLevel, type HolmResult } from "./multiplicity";
export { majorityClass, majorityClassPredictions, stratifiedRandomPredictions } from "./floors";
