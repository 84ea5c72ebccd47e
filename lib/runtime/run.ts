/**
 * What a notebook run offers the library (startNotebook in ./notebook.ts
 * implements it). A type of its own so that studies and claims, which take a
 * run, do not depend on the notebook entry point above them.
 */
import type { Params } from "./params";
import type { Rng } from "./rng";
import type { ResultTable } from "../results/table";

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
   * Add a line to the notebook's answer box: a display shown under the first
   * code cell that each verdict updates in place, so the first screen of the
   * executed notebook (and of its HTML export) shows the paper's claims and our
   * answers. lib/claims' judge() calls it with each claim's sentence.
   */
  answer(line: string): void;
}
