/**
 * Claim records on disk: each notebook writes one JSON per (claim, setting)
 * under <outDir>/claims/ — the row's raw evidence (./evaluate.ts), or, where
 * the notebook could not judge it, why not ("not run: geotext-raw absent") —
 * and the report (scripts/report.ts) reads them all into the claims table and
 * the forest plot. Every record carries the commit and run parameters it was
 * written with, so a record left by another run is listed as stale, never
 * shown as current. The files are deterministic (same seeds, data and commit →
 * the same bytes), like every table.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeJsonAtomic } from "../runtime/atomic";
import type { RunStamp } from "../runtime/provenance";
import { VERDICTS } from "../stats/verdict";
import type { ClaimResult } from "./evaluate";

export const claimsDir = (outDir: string): string => path.join(outDir, "claims");
export const claimFile = (outDir: string, id: string, setting: string): string => path.join(claimsDir(outDir), `${id}--${setting}.json`);

/** A (claim, setting) a notebook reached but could not judge, and why (e.g. "not run: geotext-raw absent"). */
export interface NotRunRecord {
  id: string;
  setting: string;
  notRun: string;
  stamp: RunStamp | null;
}

/** A record written before records carried a stamp: shown under "stale" only. */
export interface UnstampedRecord {
  id: string;
  setting: string;
  file: string;
}

export function writeClaimResult(outDir: string, r: ClaimResult): string {
  const file = claimFile(outDir, r.id, r.setting);
  writeJsonAtomic(file, r);
  return file;
}

export function writeNotRun(outDir: string, r: NotRunRecord): string {
  const file = claimFile(outDir, r.id, r.setting);
  writeJsonAtomic(file, r);
  return file;
}

export interface ClaimRecords {
  results: ClaimResult[];
  notRun: NotRunRecord[];
  unstamped: UnstampedRecord[];
}

/** Every record under <outDir>/claims/, sorted by file name; a malformed file fails naming it and the field. */
export function readClaimRecords(outDir: string): ClaimRecords {
  const dir = claimsDir(outDir);
  const out: ClaimRecords = { results: [], notRun: [], unstamped: [] };
  if (!fs.existsSync(dir)) return out;
  for (const f of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json") && !f.startsWith("."))
    .sort()) {
    const file = path.join(dir, f);
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
      throw new Error(`${file}:1: not valid JSON (${(e as Error).message}); re-run the notebook that wrote it`);
    }
    for (const field of ["id", "setting"] as const)
      if (typeof r[field] !== "string") throw new Error(`${file}:1: ${field}: expected a string; re-run the notebook that wrote it`);
    if (!("stamp" in r)) {
      out.unstamped.push({ id: r.id as string, setting: r.setting as string, file });
      continue;
    }
    if (typeof r.notRun === "string") {
      out.notRun.push(r as unknown as NotRunRecord);
      continue;
    }
    for (const field of ["nominal", "statement", "sentence"] as const)
      if (typeof r[field] !== "string") throw new Error(`${file}:1: ${field}: expected a string; re-run the notebook that wrote it`);
    if (!VERDICTS.includes(r.nominal as ClaimResult["nominal"]))
      throw new Error(`${file}:1: nominal: "${r.nominal}" is not one of ${VERDICTS.join(", ")}`);
    const d = r.decisive as ClaimResult["decisive"] | undefined;
    if (!d || typeof d.ci?.lo !== "number" || typeof d.se !== "number") throw new Error(`${file}:1: decisive: missing its interval or SE`);
    const rp = r.readingP as ClaimResult["readingP"] | undefined;
    if (!rp || typeof rp.holds !== "number" || typeof rp.contradicted !== "number") throw new Error(`${file}:1: readingP: missing`);
    out.results.push(r as unknown as ClaimResult);
  }
  return out;
}

/** The judged results only. */
export const readClaimResults = (outDir: string): ClaimResult[] => readClaimRecords(outDir).results;
