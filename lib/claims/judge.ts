/**
 * What a notebook calls to close a study: evaluate the claim on this setting,
 * write the row's evidence for the claims table (stamped with the commit and
 * the run's parameters), show its sentence, and add a line to the notebook's
 * answer table. The verdict a notebook shows is the row's nominal one; the
 * final verdict needs the whole family (./family.ts) and is in the claims table.
 *
 *   claims.judge(run, "mrlf-beats-baselines-acc", { setting: "new-york", data, itemNoun: "test posts", systems, planted, seed });
 *   claims.notRun(run, "lw-proposed-beats-nbigr-acc", "geotext-raw-state-official", "not run: geotext-raw absent");
 */
import type { Params } from "../runtime/params";
import type { AnswerRow } from "../results/run";
import { runStamp } from "../runtime/provenance";
import { CLAIMS, claimById } from "./registry";
import { evaluateClaim, type ClaimEvidence, type ClaimResult } from "./evaluate";
import { writeClaimResult, writeNotRun } from "./record";
import { formatDiff, formatInterval } from "./sentence";

/** What judge needs of a notebook run (startNotebook's NotebookRun has both). */
export interface JudgeContext {
  params: Params;
  markdown(md: string): void;
  /** The notebook's answer table (NotebookRun.answer), when it has one. */
  answer?(row: AnswerRow): void;
}

/** The notebook's answer-table row of a result. */
export function answerRow(r: ClaimResult): AnswerRow {
  const d = r.decisive;
  return {
    claim: r.statement,
    setting: r.settingLabel,
    effect: `${r.favoured} − ${d.against}: ${formatDiff(d.diff, d.unit)} (${formatInterval(d.ci.lo, d.ci.hi, d.unit)})`,
    verdict: r.undecidable ? `inconclusive (${r.undecidable})` : r.nominal,
    synthetic: r.data.synthetic,
    data: r.data.name,
  };
}

export function judge(
  run: JudgeContext,
  claimId: string,
  evidence: Omit<ClaimEvidence, "seed" | "stamp"> & { seed?: number },
): ClaimResult {
  const r = evaluateClaim(claimById(claimId), { ...evidence, seed: evidence.seed ?? run.params.seed, stamp: runStamp(run.params) });
  writeClaimResult(run.params.outDir, r);
  run.markdown(r.sentence);
  run.answer?.(answerRow(r));
  return r;
}

/** Record that a (claim, setting) could not be judged in this run, and why ("not run: geotext-raw absent"); shows the line. */
export function notRun(run: JudgeContext, claimId: string, setting: string, why: string): void {
  const spec = claimById(claimId);
  const s = spec.settings.find((x) => x.id === setting);
  if (!s) throw new Error(`claims.notRun: ${claimId}: setting "${setting}" is not in the registry`);
  writeNotRun(run.params.outDir, { id: claimId, setting, notRun: why, stamp: runStamp(run.params) });
  run.markdown(`*${spec.statement} (${s.label}): ${why}.*`);
}

/**
 * Whether a study judges a claim on a setting: the registry lists the setting for
 * this claim (and it is testable), or no claim lists it at all (a researcher's own
 * data, judged under its own label). A paper setting the claim does not list is skipped.
 */
export function judgedOn(claimId: string, setting: string): boolean {
  const s = claimById(claimId).settings.find((x) => x.id === setting);
  if (s) return !s.notTestable;
  return !CLAIMS.some((c) => c.settings.some((x) => x.id === setting));
}

/** Whether the registry lists a (testable) setting for a claim — for claims about the paper's own example (never judged on own data). */
export function listedFor(claimId: string, setting: string): boolean {
  const s = claimById(claimId).settings.find((x) => x.id === setting);
  return !!s && !s.notTestable;
}
