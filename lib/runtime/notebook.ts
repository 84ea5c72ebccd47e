/**
 * What a notebook's first cell calls: `const run = startNotebook("02-mrlf")`.
 * It reads the parameters, opens named random streams under the root seed,
 * writes tables with provenance, and displays them inline under tslab (or
 * prints them when run outside a kernel, e.g. in tests).
 */
import { loadParams, Params, describeParams } from "./params";
import { Rng, stream } from "./rng";
import { ResultTable, toMarkdown } from "../results/table";
import { writeTable, WrittenTable } from "../results/writer";

export interface NotebookRun {
  name: string;
  params: Params;
  startedAt: number;
  /** A named random stream under the run's root seed. */
  rng(name: string, seed?: number): Rng;
  /** Write a table to results/ (CSV, Markdown, JSON + provenance) and display it. */
  table(t: ResultTable): WrittenTable;
  /** Display Markdown inline (or print it outside a kernel). */
  markdown(md: string): void;
}

type TslabDisplay = { markdown(s: string): void; html(s: string): void; png(b: Uint8Array): void; svg?(s: string): void };

/** tslab's display API when running inside the kernel, else null. */
export function tslabDisplay(): TslabDisplay | null {
  if (!process.env.JPY_PARENT_PID && !process.argv.some((a) => a.includes("tslab"))) return null;
  try {
    return (require("tslab") as { display: TslabDisplay }).display;
  } catch {
    return null;
  }
}

export function showMarkdown(md: string): void {
  const d = tslabDisplay();
  if (d) d.markdown(md);
  else process.stdout.write(md + "\n");
}

export function startNotebook(name: string, overrides: Partial<Params> = {}): NotebookRun {
  const params = loadParams(process.env, overrides);
  const startedAt = Date.now();
  process.stderr.write(`[${name}] ${describeParams(params)}\n`);
  return {
    name,
    params,
    startedAt,
    rng: (streamName: string, seed = params.seed) => stream(seed, `${name}/${streamName}`),
    table(t: ResultTable): WrittenTable {
      const files = writeTable(t, { params, producer: `notebooks/${name}.ipynb`, startedAt });
      showMarkdown(toMarkdown(t));
      return files;
    },
    markdown: showMarkdown,
  };
}
