/**
 * Claims: the registry of what the two papers claim about their own results
 * (and the suite's own controls), the machinery that gathers each row's
 * evidence from two-level intervals, and the family-wise rule that decides.
 */
export { CLAIMS, claimById } from "./registry";
export {
  validateClaimSpec,
  againstIn,
  type ClaimSpec,
  type ClaimSetting,
  type ClaimOrigin,
  type PaperEffect,
  type PaperId,
  type Relation,
} from "./spec";
export {
  evaluateClaim,
  expectationOf,
  paperSign,
  ALPHA,
  ONE_RUN,
  type ClaimEvidence,
  type ClaimResult,
  type ComparisonResult,
} from "./evaluate";
export { claimSentence, formatDiff, formatInterval, formatP, formatDf } from "./sentence";
export {
  writeClaimResult,
  writeNotRun,
  readClaimResults,
  readClaimRecords,
  claimFile,
  claimsDir,
  type ClaimRecords,
  type NotRunRecord,
} from "./record";
export { decideFamilies, familyOf, familyTallies, rowKey, type RowDecision, type FamilyTally } from "./family";
export { claimRows, claimsTable, claimsMarkdown, rowTallies, type ClaimRow } from "./table";
export { judge, notRun, answerRow, judgedOn, listedFor } from "./judge";
export { claimsForestSpec, VERDICT_COLORS } from "./forest";
