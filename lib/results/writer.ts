/**
 * Writes result tables atomically as CSV, Markdown and JSON under
 * `<outDir>/tables/`, with provenance under `<outDir>/provenance/` and volatile
 * facts (wall time, timestamp) under `<outDir>/volatile/`. Only the tables and
 * provenance are expected to be byte-identical across re-runs of one commit.
 * The provenance names the commit and the run's parameters (`run`), so that
 * scripts/report.ts can tell this run's tables from stale ones, and what trained
 * the models (`compute`) with the versions of every number-changing package.
 */
import * as path from "node:path";
import { writeFileAtomic, writeJsonAtomic } from "../runtime/atomic";
import { seedCount, splitCount, type Params } from "../runtime/params";
import { computeRecord, gitCommit, packageVersions, runKey } from "../runtime/provenance";
import { ResultTable, toCsv, toJson, toMarkdown, validateTable } from "./table";

export interface WriteContext {
  params: Params;
  /** Which notebook or script produced the table. */
  producer: string;
  /** When the producer started (ms since epoch), for wall time. */
  startedAt: number;
}

export interface WrittenTable {
  csv: string;
  markdown: string;
  json: string;
  provenance: string;
}

export function writeTable(table: ResultTable, ctx: WriteContext): WrittenTable {
  validateTable(table);
  const dir = path.join(ctx.params.outDir, "tables");
  const files: WrittenTable = {
    csv: path.join(dir, `${table.name}.csv`),
    markdown: path.join(dir, `${table.name}.md`),
    json: path.join(dir, `${table.name}.json`),
    provenance: path.join(ctx.params.outDir, "provenance", `${table.name}.json`),
  };
  writeFileAtomic(files.csv, toCsv(table));
  writeFileAtomic(files.markdown, toMarkdown(table));
  writeFileAtomic(files.json, toJson(table));
  const { commit, dirty } = gitCommit();
  const compute = computeRecord();
  writeJsonAtomic(files.provenance, {
    table: table.name,
    producer: ctx.producer,
    commit,
    dirty,
    seed: ctx.params.seed,
    seeds: seedCount(ctx.params),
    splits: splitCount(ctx.params),
    scale: ctx.params.scale,
    epochs: ctx.params.epochs,
    // Everything that decides the numbers: the report lists a table whose commit or run differs as stale.
    run: runKey(ctx.params),
    dataset: table.dataset,
    // What trained the models (trainer, backend, device, why no faster backend) and every
    // number-changing package's installed version (lib/runtime/packages.ts).
    backend: compute.backend,
    compute,
    versions: packageVersions(),
  });
  writeJsonAtomic(path.join(ctx.params.outDir, "volatile", `${table.name}.json`), {
    table: table.name,
    producer: ctx.producer,
    wallSeconds: Number(((Date.now() - ctx.startedAt) / 1000).toFixed(1)),
    finishedAt: new Date().toISOString(),
  });
  return files;
}
