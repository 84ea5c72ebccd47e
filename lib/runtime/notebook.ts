/**
 * What a notebook's first cell calls: `const run = startNotebook("02-mrlf")`.
 * It reads the parameters, opens named random streams under the root seed,
 * writes tables with provenance, and displays them inline under tslab (or
 * prints them when run outside a kernel, e.g. in tests).
 */
import { loadParams, Params, describeParams } from "./params";
import * as path from "node:path";
import { Rng, stream } from "./rng";
import { log, setLogFile } from "./progress";
import { ResultTable, toMarkdown } from "../results/table";
import { writeTable } from "../results/writer";

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
}

export { tslabDisplay } from "./kernel";
import { tslabDisplay } from "./kernel";

export function showMarkdown(md: string): void {
  const d = tslabDisplay();
  if (d) d.markdown(md);
  else process.stdout.write(md + "\n");
}

export function startNotebook(name: string, overrides: Partial<Params> = {}): NotebookRun {
  const params = loadParams(process.env, overrides);
  const startedAt = Date.now();
  // Every progress / log line of this notebook also goes to <outDir>/volatile/logs/<name>.log.
  setLogFile(path.join(params.outDir, "volatile", "logs", `${name}.log`));
  log(name, describeParams(params));
  return {
    name,
    params,
    startedAt,
    rng: (streamName: string, seed = params.seed) => stream(seed, `${name}/${streamName}`),
    table(t: ResultTable): void {
      writeTable(t, { params, producer: `notebooks/${name}.ipynb`, startedAt });
      showMarkdown(toMarkdown(t));
    },
    markdown: showMarkdown,
  };
}
