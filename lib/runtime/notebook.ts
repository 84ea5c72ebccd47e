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

import type { NotebookRun } from "./run";
export type { NotebookRun };

export { tslabDisplay } from "./kernel";
import { newDisplay, tslabDisplay } from "./kernel";

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
  const answers: string[] = [];
  const answerBox = newDisplay();
  const showAnswers = () =>
    answerBox?.markdown(
      answers.length
        ? [
            "**This notebook's answers** (each from the 95 % CI of a paired difference; details at the end of each study):",
            "",
            ...answers.map((a) => `- ${a}`),
          ].join("\n")
        : "**This notebook's answers** appear here as its studies finish (verdicts from 95 % confidence intervals).",
    );
  showAnswers();
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
    answer(line: string): void {
      answers.push(line);
      showAnswers();
    },
  };
}
