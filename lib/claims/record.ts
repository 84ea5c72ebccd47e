/**
 * Claim results on disk: each notebook writes one JSON per (claim, setting)
 * under <outDir>/claims/, and the report (scripts/report.ts) reads them all
 * into the claims table and the forest plot. The files are deterministic
 * (same seeds and data → the same bytes), like every table.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeJsonAtomic } from "../runtime/atomic";
import { VERDICTS } from "../stats/verdict";
import type { ClaimResult } from "./evaluate";

export const claimsDir = (outDir: string): string => path.join(outDir, "claims");
export const claimFile = (outDir: string, id: string, setting: string): string => path.join(claimsDir(outDir), `${id}--${setting}.json`);

export function writeClaimResult(outDir: string, r: ClaimResult): string {
  const file = claimFile(outDir, r.id, r.setting);
  writeJsonAtomic(file, r);
  return file;
}

/** Every claim result under <outDir>/claims/, sorted by file name; a malformed file fails naming it. */
export function readClaimResults(outDir: string): ClaimResult[] {
  const dir = claimsDir(outDir);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json") && !f.startsWith("."))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      let r: ClaimResult;
      try {
        r = JSON.parse(fs.readFileSync(file, "utf8"));
      } catch (e) {
        throw new Error(`${file}:1: not valid JSON (${(e as Error).message}); re-run the notebook that wrote it`);
      }
      for (const field of ["id", "setting", "verdict", "statement", "sentence"] as const)
        if (typeof r[field] !== "string") throw new Error(`${file}:1: ${field}: expected a string; re-run the notebook that wrote it`);
      if (!VERDICTS.includes(r.verdict)) throw new Error(`${file}:1: verdict: "${r.verdict}" is not one of ${VERDICTS.join(", ")}`);
      if (!r.decisive || typeof r.decisive.ci?.lo !== "number") throw new Error(`${file}:1: decisive.ci: missing`);
      return r;
    });
}
