/**
 * What a notebook's first cell calls: `const run = startNotebook("02-mrlf")`.
 * It reads the parameters, opens named random streams under the root seed,
 * writes tables with provenance, and displays them inline under tslab (or
 * prints them when run outside a kernel, e.g. in tests).
 */
import { loadParams, Params, describeCompute, describeParams } from "./runtime/params";
import * as path from "node:path";
import { stream } from "./runtime/rng";
import { log, setLogFile } from "./runtime/progress";
import { ResultTable, toMarkdown } from "./results/table";
import { writeTable } from "./results/writer";

import type { AnswerRow, NotebookRun } from "./results/run";
export type { NotebookRun, AnswerRow };

export { tslabDisplay } from "./runtime/kernel";
import { newDisplay, tslabDisplay } from "./runtime/kernel";

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
  log("compute", describeCompute(params));
  const answers: AnswerRow[] = [];
  const answerBox = newDisplay();
  const showAnswers = () => answerBox?.markdown(answersMarkdown(answers));
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
    answer(row: AnswerRow): void {
      answers.push(row);
      showAnswers();
    },
  };
}

/**
 * The answer box: one compact table (claim, setting, Δ with its 95 % CI, the
 * row's nominal verdict, data kind), the synthetic-data caveat said once, and a
 * pointer to the claims table, where the family-wise rule gives the final verdict.
 */
export function answersMarkdown(rows: readonly AnswerRow[]): string {
  if (!rows.length) return "**This notebook's answers** appear here as its studies finish.";
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  const lines = [
    "**This notebook's answers** — each row's verdict at 95 % alone; the final verdict, under Holm's family-wise rule, is in the claims table (`results/README.md`). Each study's closing sentence gives the details.",
    "",
    "| Claim | Setting | Δ (95 % CI) | Nominal verdict | Data |",
    "| --- | --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${esc(r.claim)} | ${esc(r.setting)} | ${esc(r.effect)} | ${esc(r.verdict)} | ${r.synthetic ? "SYNTHETIC" : "real"} (${esc(r.data)}) |`,
    ),
  ];
  if (rows.some((r) => r.synthetic))
    lines.push(
      "",
      "SYNTHETIC rows check the implementation on data georepro generated, where the generator plants the effect (each closing sentence says what): they are not evidence about the papers' data.",
    );
  return lines.join("\n");
}
