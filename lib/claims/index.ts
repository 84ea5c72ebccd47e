/**
 * Claims: the registry of what the two papers claim about their own results,
 * and the machinery that judges each claim from paired bootstrap CIs.
 */
export { CLAIMS, claimById } from "./registry";
export { validateClaimSpec, type ClaimSpec, type ClaimSetting, type PaperEffect, type PaperId, type Relation } from "./spec";
export { evaluateClaim, expectationOf, paperSign, type ClaimEvidence, type ClaimResult, type ComparisonResult } from "./evaluate";
export { claimSentence, formatDiff, formatInterval } from "./sentence";
export { writeClaimResult, readClaimResults, claimFile, claimsDir } from "./record";
export { claimRows, claimsTable, claimsMarkdown, type ClaimRow } from "./table";
export { judge } from "./judge";
export { claimsForestSpec, VERDICT_COLORS } from "./forest";
