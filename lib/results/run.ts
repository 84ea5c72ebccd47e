/**
 * What a notebook run offers the library (startNotebook in ./notebook.ts
 * implements it). A type of its own so that studies and claims, which take a
 * run, do not depend on the notebook entry point above them.
 */
import type { Params } from "../runtime/params";
import type { Rng } from "../runtime/rng";
import type { ResultTable } from "./table";

export interface NotebookRun {
  name: string;
  params: Params;
  startedAt: number;
  /** A named random stream under the run's root seed. */
  rng(name: string, seed?: number): Rng;
  /**
   * Write a table to results/ (CSV, Markdown, JSON + provenance) and display it.
   * Returns nothing, so that a cell ending with it prints no file list.
   */
  table(t: ResultTable): void;
  /** Display Markdown inline (or print it outside a kernel). */
  markdown(md: string): void;
  /**
   * Add a row to the notebook's answer table: a display shown under the first
   * code cell that each verdict updates in place, so the first screen of the
   * executed notebook (and of its HTML export) shows the paper's claims and our
   * answers. lib/claims' judge() calls it with each claim's row.
   */
  answer(row: AnswerRow): void;
}

/** One row of a notebook's answer table (lib/claims' judge() makes it). */
export interface AnswerRow {
  claim: string;
  setting: string;
  /** "A − B: +2.1 pp (−0.3 pp to +4.5 pp)". */
  effect: string;
  /** The row's nominal verdict (the final one, under the family-wise rule, is in the claims table). */
  verdict: string;
  synthetic: boolean;
  data: string;
}
