/**
 * What a notebook calls to close a study: evaluate the claim on this setting,
 * write the result for the claims table, and show its sentence inline.
 *
 *   claims.judge(run, "mrlf-beats-baselines-acc", { setting: "new-york", data, itemNoun: "test posts", systems, planted, seed });
 */
import type { Params } from "../runtime/params";
import { claimById } from "./registry";
import { evaluateClaim, type ClaimEvidence, type ClaimResult } from "./evaluate";
import { writeClaimResult } from "./record";

/** What judge needs of a notebook run (startNotebook's NotebookRun has both). */
export interface JudgeContext {
  params: Params;
  markdown(md: string): void;
  /** The notebook's answer box (NotebookRun.answer), when it has one. */
  answer?(line: string): void;
}

export function judge(run: JudgeContext, claimId: string, evidence: Omit<ClaimEvidence, "seed"> & { seed?: number }): ClaimResult {
  const r = evaluateClaim(claimById(claimId), { ...evidence, seed: evidence.seed ?? run.params.seed });
  writeClaimResult(run.params.outDir, r);
  run.markdown(r.sentence);
  run.answer?.(r.sentence);
  return r;
}
