/**
 * Showing a study's results in a notebook: tables through the run (written to
 * results/ and displayed), figures written as SVG/PNG/JSON and displayed, and
 * training times to results/volatile/ (never a table: they change between runs).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { NotebookRun } from "../results/run";
import type { ResultTable } from "../results/table";
import type { FigureSpec } from "../figures/spec";
import { writeFigure } from "../figures/output";
import { closeFigureBrowser } from "../figures/browser";
import { writeFileAtomic } from "../runtime/atomic";
import { contactSheet } from "../data/synthetic/images";

export function showTables(run: Pick<NotebookRun, "table">, tables: readonly ResultTable[]): void {
  for (const t of tables) run.table(t);
}

export async function showFigures(run: Pick<NotebookRun, "params">, specs: readonly FigureSpec[]): Promise<void> {
  for (const s of specs) await writeFigure(s, { outDir: run.params.outDir });
  await closeFigureBrowser();
}

/** Training seconds of this notebook's runs (volatile: results/volatile/NAME-times.json, merged with earlier cells'). */
export function recordTimes(run: Pick<NotebookRun, "name" | "params" | "startedAt">, rows: readonly object[]): void {
  const dir = path.join(run.params.outDir, "volatile");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${run.name}-times.json`);
  const old = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as { startedAt?: number; rows: object[] }) : null;
  const earlier = old && old.startedAt === run.startedAt ? old.rows : [];
  const loadavg = fs.existsSync("/proc/loadavg") ? fs.readFileSync("/proc/loadavg", "utf8").trim() : null;
  fs.writeFileSync(file, JSON.stringify({ startedAt: run.startedAt, loadavg, rows: [...earlier, ...rows] }, null, 2) + "\n");
}

/** A grid of images (row-major, `columns` per row) written to figures/NAME.png and shown with its caption. */
export async function showContactSheet(
  run: Pick<NotebookRun, "params" | "markdown">,
  name: string,
  sheet: { files: readonly string[]; columns: number; caption: string },
): Promise<void> {
  const png = await contactSheet([...sheet.files], sheet.columns, 96);
  writeFileAtomic(path.join(run.params.outDir, "figures", `${name}.png`), png);
  run.markdown(`![${name}](data:image/png;base64,${png.toString("base64")})\n\nWritten to \`figures/${name}.png\`. ${sheet.caption}`);
}
