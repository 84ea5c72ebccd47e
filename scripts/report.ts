/**
 * Writes <outDir>/README.md at the end of `make reproduce`: which notebooks ran
 * (status, time, executed copy, HTML copy), every reproduced table with the
 * paper's figure, ours and the difference, a summary of those differences, the
 * figures, the provenance of each table, and the command that regenerates it all.
 *
 *   node dist/scripts/report.js        (reads GEOREPRO_OUT etc. like the notebooks)
 *
 * Inputs, all under <outDir>:
 *   volatile/run-summary.json   written by scripts/run-notebooks.ts
 *   tables/*.json               lib/results/writer.ts (columns tagged source ours/paper/diff)
 *   figures/*.json (+ .svg/.png) lib/figures/output.ts
 *   provenance/*.json           lib/results/writer.ts
 *   notebooks/*.ipynb, html/*.html
 * A malformed input fails with `file:line: field: problem`; a missing optional
 * input (no figures, no run summary) is reported in the README, not an error.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../lib/runtime/atomic";
import { dataName, DEFAULT_PARAMS, describeParams, loadParams, Params, seedCount, splitCount } from "../lib/runtime/params";
import { describeDataForRun, notebooksForRun } from "../lib/data/selection";
import { projectRoot } from "../lib/runtime/paths";
import { formatSeconds } from "../lib/runtime/progress";
import { Cell, ResultTable, toMarkdown } from "../lib/results/table";
import { exportHtml } from "./html-export";
import { CLAIMS } from "../lib/claims/registry";
import { readClaimResults } from "../lib/claims/record";
import { claimRows, claimsMarkdown, claimsTable, type ClaimRow } from "../lib/claims/table";
import { claimsForestSpec } from "../lib/claims/forest";
import { writeTable } from "../lib/results/writer";
import { writeFigure } from "../lib/figures/output";
import { closeFigureBrowser } from "../lib/figures/browser";

export const CLAIMS_FOREST = "claims-forest";

/**
 * The claims table (tables/claims.*) and the forest plot (figures/claims-forest.*)
 * from every claim result the notebooks wrote under <outDir>/claims/.
 */
export async function writeClaimOutputs(p: Params): Promise<ClaimRow[]> {
  const results = readClaimResults(p.outDir);
  const rows = claimRows(CLAIMS, results);
  const names = [...new Set(results.map((r) => r.data.name))].sort();
  writeTable(claimsTable(rows, names.join("+") || "none"), { params: p, producer: "scripts/report.ts", startedAt: Date.now() });
  if (results.length) await writeFigure(claimsForestSpec(results, CLAIMS_FOREST), { outDir: p.outDir, display: false });
  return rows;
}

// ---- reading inputs ------------------------------------------------------------------------

/** Parse a JSON file; errors name the file and the line of a syntax error. */
export function readJsonFile(file: string): unknown {
  const text = fs.readFileSync(file, "utf8");
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const line = text.slice(0, jsonErrorOffset(text)).split("\n").length;
    throw new Error(`${file}:${line}: not valid JSON (${msg}); re-run the notebook that wrote it`);
  }
}

/**
 * Offset of the first syntax error in a JSON text (Node 20's JSON.parse does not
 * always say where): a small recursive-descent scan over the JSON grammar.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\r\n".includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const str = () => {
    if (text[i] !== '"') fail();
    for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    if (text[i] !== '"') fail();
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      i++;
      ws();
      if (text[i] === close) return void i++;
      for (;;) {
        if (c === "{") {
          ws();
          str();
          ws();
          if (text[i] !== ":") fail();
          i++;
        }
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === close) return void i++;
        else fail();
      }
    }
    if (c === '"') return str();
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
  } catch (pos) {
    if (typeof pos === "number") return pos;
    throw pos;
  }
  return text.length;
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function need(file: string, obj: Record<string, unknown>, field: string, kind: "string" | "array" | "object" | "boolean" | "number"): void {
  const v = obj[field];
  const ok = kind === "array" ? Array.isArray(v) : kind === "object" ? isObj(v) : typeof v === kind;
  if (!ok)
    throw new Error(
      `${file}:1: ${field}: expected ${kind === "array" || kind === "object" ? `an ${kind}` : `a ${kind}`} (got ${JSON.stringify(v)?.slice(0, 60)})`,
    );
}

const jsonFiles = (dir: string): string[] =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".json") && !f.startsWith("."))
        .sort()
        .map((f) => path.join(dir, f))
    : [];

export function readTable(file: string): ResultTable {
  const t = readJsonFile(file);
  if (!isObj(t)) throw new Error(`${file}:1: expected a table object`);
  need(file, t, "name", "string");
  need(file, t, "title", "string");
  need(file, t, "dataset", "object");
  need(file, t, "columns", "array");
  need(file, t, "rows", "array");
  (t.columns as unknown[]).forEach((c, i) => {
    if (!isObj(c) || typeof c.key !== "string" || typeof c.label !== "string")
      throw new Error(`${file}:1: columns[${i}]: expected {key, label, source?}`);
  });
  (t.rows as unknown[]).forEach((r, i) => {
    if (!isObj(r)) throw new Error(`${file}:1: rows[${i}]: expected an object`);
  });
  return t as unknown as ResultTable;
}

export interface FigureEntry {
  name: string;
  title: string;
  paperFigure: string | null;
  synthetic: boolean;
  dataset?: string;
  notes?: string[];
  hasSvg: boolean;
  hasPng: boolean;
}

export function readFigure(file: string): FigureEntry {
  const f = readJsonFile(file);
  if (!isObj(f)) throw new Error(`${file}:1: expected a figure object`);
  need(file, f, "name", "string");
  need(file, f, "title", "string");
  need(file, f, "synthetic", "boolean");
  const dir = path.dirname(file);
  const name = f.name as string;
  return {
    name,
    title: f.title as string,
    paperFigure: typeof f.paperFigure === "string" ? f.paperFigure : null,
    synthetic: f.synthetic as boolean,
    dataset: typeof f.dataset === "string" ? f.dataset : undefined,
    notes: Array.isArray(f.notes) ? (f.notes as string[]) : undefined,
    hasSvg: fs.existsSync(path.join(dir, `${name}.svg`)),
    hasPng: fs.existsSync(path.join(dir, `${name}.png`)),
  };
}

export interface RunSummary {
  params: string;
  notebooks: { notebook: string; status: string; seconds: number }[];
  totalSeconds: number;
  /** 1/5/15-minute load average when the run ended, and the core count (absent in older summaries). */
  loadAverage?: number[];
  cores?: number;
}

export function readRunSummary(file: string): RunSummary | null {
  if (!fs.existsSync(file)) return null;
  const s = readJsonFile(file);
  if (!isObj(s)) throw new Error(`${file}:1: expected an object`);
  need(file, s, "notebooks", "array");
  (s.notebooks as unknown[]).forEach((n, i) => {
    if (!isObj(n) || typeof n.notebook !== "string" || typeof n.status !== "string" || typeof n.seconds !== "number")
      throw new Error(`${file}:1: notebooks[${i}]: expected {notebook, status, seconds}`);
  });
  const load =
    Array.isArray(s.loadAverage) && s.loadAverage.every((x) => typeof x === "number")
      ? { loadAverage: s.loadAverage as number[], ...(typeof s.cores === "number" ? { cores: s.cores } : {}) }
      : {};
  return {
    params: typeof s.params === "string" ? s.params : "",
    notebooks: s.notebooks as RunSummary["notebooks"],
    totalSeconds: typeof s.totalSeconds === "number" ? s.totalSeconds : NaN,
    ...load,
  };
}

// ---- comparing with the paper ----------------------------------------------------------------

export interface Comparison {
  table: string;
  metric: string;
  /** Rows where both ours and the paper's value are numbers. */
  compared: number;
  meanOurs: number | null;
  meanPaper: number | null;
  meanDiff: number | null;
  maxAbsDiff: number | null;
  digits: number;
}

/**
 * Pair each "ours" column K with its "paper" column (K_paper by the
 * comparedColumns convention) and summarise ours − paper over the rows where
 * both are numbers.
 */
export function compareTable(t: ResultTable): Comparison[] {
  const byKey = new Map(t.columns.map((c) => [c.key, c]));
  const out: Comparison[] = [];
  for (const c of t.columns) {
    if (c.source !== "ours") continue;
    const paper = byKey.get(`${c.key}_paper`);
    if (!paper) continue;
    const pairs = t.rows
      .map((r) => [r[c.key], r[paper.key]] as [Cell | undefined, Cell | undefined])
      .filter((p): p is [number, number] => typeof p[0] === "number" && typeof p[1] === "number");
    const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
    const diffs = pairs.map(([o, p]) => o - p);
    out.push({
      table: t.name,
      metric: c.label.replace(/\s*\(ours\)\s*$/, ""),
      compared: pairs.length,
      meanOurs: mean(pairs.map((p) => p[0])),
      meanPaper: mean(pairs.map((p) => p[1])),
      meanDiff: mean(diffs),
      maxAbsDiff: diffs.length ? Math.max(...diffs.map(Math.abs)) : null,
      digits: c.digits ?? 3,
    });
  }
  return out;
}

// ---- the README ---------------------------------------------------------------------------

const mdCell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const mdTable = (head: string[], rows: string[][], align?: ("l" | "r")[]): string[] => [
  `| ${head.map(mdCell).join(" | ")} |`,
  `| ${head.map((_, i) => (align?.[i] === "r" ? "---:" : "---")).join(" | ")} |`,
  ...rows.map((r) => `| ${r.map(mdCell).join(" | ")} |`),
];
const rel = (outDir: string, file: string): string => path.relative(outDir, file).split(path.sep).join("/");

/** `make reproduce …` with exactly the parameters of this run (defaults left out). */
export function reproduceCommand(p: Params): string {
  const parts = ["make reproduce", `SEED=${p.seed}`, `SEEDS=${seedCount(p)}`, `SPLITS=${splitCount(p)}`, `SCALE=${p.scale}`];
  if (p.epochs) parts.push(`EPOCHS=${p.epochs}`);
  if (p.data !== null) parts.push(`DATA=${p.data}`);
  if (p.level !== null) parts.push(`LEVEL=${p.level.join(",")}`);
  if (p.minUsers !== DEFAULT_PARAMS.minUsers) parts.push(`MIN_USERS=${p.minUsers}`);
  // With DATA the default folder is results-NAME (lib/runtime/params.ts).
  const defaultOut = p.data !== null ? path.join(projectRoot, `results-${dataName(p.data)}`) : DEFAULT_PARAMS.outDir;
  if (p.outDir !== defaultOut) parts.push(`OUT=${path.relative(projectRoot, p.outDir) || "."}`);
  return parts.join(" ");
}

export interface ReportOptions {
  /** The command shown as "how to regenerate"; defaults to reproduceCommand(loadParams()). */
  command?: string;
  /** Notebooks the project has (file names); ones absent from the run summary are listed as not run. */
  projectNotebooks?: string[];
  /** describeParams() of the report's parameters, to flag a run summary made with others. */
  paramsLine?: string;
  /** Claim rows (default: read from <outDir>/claims/). */
  claimRows?: ClaimRow[];
}

export function buildReport(outDir: string, opts: ReportOptions = {}): string {
  const params = opts.command && opts.paramsLine ? null : loadParams();
  const command = opts.command ?? reproduceCommand(params!);
  const paramsLine = opts.paramsLine ?? describeParams(params!);
  const summary = readRunSummary(path.join(outDir, "volatile", "run-summary.json"));
  const allTables = jsonFiles(path.join(outDir, "tables")).map(readTable);
  // The claims table opens the page in its own form; it is not repeated under Tables.
  const tables = allTables.filter((t) => t.name !== "claims");
  const figuresAll = jsonFiles(path.join(outDir, "figures")).map(readFigure);
  const forest = figuresAll.find((f) => f.name === CLAIMS_FOREST);
  const figures = figuresAll.filter((f) => f.name !== CLAIMS_FOREST);
  const provFiles = jsonFiles(path.join(outDir, "provenance"));
  const L: string[] = [];

  L.push("# georepro results", "");
  L.push("Regenerate everything on this page with:", "", "```sh", command, "```", "");
  L.push(
    "Tables (`tables/`), figures (`figures/`) and provenance (`provenance/`) are byte-identical across re-runs with the same seed, data and commit.",
    "Run times (`volatile/`), executed notebooks (`notebooks/`) and their HTML copies (`html/`) are not, and neither is this page's Notebooks section.",
    "",
  );
  if (params) L.push(`**Data.** ${describeDataForRun(params)}`, "");
  // Claims: what a reviewer reads first.
  L.push("## Claims", "");
  const rows = opts.claimRows ?? claimRows(CLAIMS, readClaimResults(outDir));
  const judged = rows.filter((r) => r.result);
  if (!judged.length) L.push("No claim was judged in this folder (no notebook wrote `claims/*.json`).", "");
  else {
    const count = (v: string) => judged.filter((r) => r.result!.verdict === v).length;
    const seeds = [...new Set(judged.map((r) => r.result!.testSets))].sort((a, b) => a - b);
    L.push(
      `Every claim the two papers make about their own results (lib/claims/registry.ts), judged by the 95 % confidence interval of a paired difference on the same test items: **${count("holds")} hold, ${count("contradicted")} contradicted, ${count("inconclusive")} inconclusive**, ${rows.filter((r) => !r.result && !r.setting.notTestable).length} not run${rows.some((r) => !r.result && r.setting.notTestable) ? `, ${rows.filter((r) => !r.result && r.setting.notTestable).length} not testable on their data (no images)` : ""}. Claims of the suite's own controls (origin "suite", e.g. MRLF against the NB control) are counted with them; each row names its data, real or SYNTHETIC.`,
      "",
      "- **holds**: the CI excludes 0 on the paper's side; **contradicted**: it excludes 0 on the other side; **inconclusive**: it contains 0. A claim against several systems holds only if every comparison holds, and is contradicted only if one comparison's Bonferroni-adjusted CI (level 1 − 0.05/m for m comparisons) excludes 0 on the other side; the row shows the decisive comparison with its nominal 95 % CI, so a row can show a CI beside 0 and still read inconclusive.",
      `- Δ = the favoured system − the compared one: points (pp) for accuracy-like metrics, km for errors. CIs: percentile bootstrap over test items (2,000 replicates), resampled within each of the ${seeds.join("/")} seeds or splits (each a new split and initialisation) and pooled.`,
      "- **SYNTHETIC** rows check the implementation on data georepro generated, where the generator plants the effect; they are not evidence about the papers' data. Real rows are.",
      "",
      ...claimsMarkdown(rows, (nb) =>
        path
          .relative(outDir, path.join(projectRoot, "notebooks", `${nb}.ipynb`))
          .split(path.sep)
          .join("/"),
      ),
      "",
      "Files: [csv](tables/claims.csv) · [json](tables/claims.json) · [provenance](provenance/claims.json)",
      "",
    );
    if (forest?.hasSvg) L.push(`![${forest.title}](figures/${forest.name}.svg)`, "", ...(forest.notes ?? []).map((n) => `- ${n}`), "");
  }
  const synthetic = [...new Set(tables.filter((t) => t.dataset.synthetic).map((t) => t.dataset.name))].sort();
  if (synthetic.length)
    L.push(
      `**Synthetic data.** Results on ${synthetic.map((s) => `\`${s}\``).join(", ")} come from data generated by georepro, not the papers' data: compare trends, not absolute numbers.`,
      "",
    );

  // Notebooks
  L.push("## Notebooks", "");
  if (!summary) L.push("No run summary (`volatile/run-summary.json`): the notebooks have not been run into this folder.", "");
  else {
    const ran = new Set(summary.notebooks.map((n) => n.notebook));
    const rows = summary.notebooks.map((n) => {
      const stem = n.notebook.replace(/\.ipynb$/, "");
      const nb = path.join(outDir, "notebooks", n.notebook);
      const html = path.join(outDir, "html", `${stem}.html`);
      return [
        n.notebook,
        n.status === "ok" ? "ok" : `**${n.status}**`,
        formatSeconds(n.seconds),
        fs.existsSync(nb) ? `[ipynb](${rel(outDir, nb)})` : "—",
        fs.existsSync(html) ? `[html](${rel(outDir, html)})` : "—",
      ];
    });
    for (const nb of (opts.projectNotebooks ?? []).filter((n) => !ran.has(n)).sort()) rows.push([nb, "**not run**", "—", "—", "—"]);
    L.push(...mdTable(["notebook", "status", "time", "executed", "HTML"], rows, ["l", "l", "r", "l", "l"]), "");
    const load = summary.loadAverage
      ? ` (${summary.cores ?? "?"} cores; load average at the end ${summary.loadAverage.join(" / ")} — times taken while other work ran are notes, not speed results; bench/README.md and the README record measured ones)`
      : " (load average not recorded: read these times as notes, not speed results; the README records measured ones)";
    L.push(`Run parameters: \`${summary.params}\`; total ${formatSeconds(summary.totalSeconds || 0)}${load}.`, "");
    if (summary.params && summary.params !== paramsLine)
      L.push(
        `**Note:** the notebooks ran with \`${summary.params}\` but this report was written with \`${paramsLine}\`; the command above reflects the report's parameters.`,
        "",
      );
  }

  // Comparison summary
  L.push("## Ours against the papers", "");
  const allComps = tables.flatMap(compareTable);
  const comps = allComps.filter((c) => c.compared > 0);
  const noPaper = allComps.filter((c) => c.compared === 0).map((c) => `${c.table}: ${c.metric}`);
  if (!comps.length) L.push("No table compares a metric with a paper value yet.", "");
  else {
    const f = (v: number | null, d: number): string => (v === null ? "—" : v.toFixed(d));
    const sign = (v: number | null, d: number): string => (v === null ? "—" : `${v >= 0 ? "+" : ""}${v.toFixed(d)}`);
    const syn = new Map(tables.map((t) => [t.name, t.dataset.synthetic]));
    L.push(
      "Per table and metric, over the rows where the paper gives a value: mean of ours, mean of the paper's, mean Δ (ours − paper) and the largest |Δ|.",
      "",
      ...mdTable(
        ["table", "metric", "rows", "ours (mean)", "paper (mean)", "Δ (mean)", "max |Δ|", "data"],
        comps.map((c) => [
          `[${c.table}](#${anchor(tables.find((t) => t.name === c.table)!.title)})`,
          c.metric,
          String(c.compared),
          f(c.meanOurs, c.digits),
          f(c.meanPaper, c.digits),
          sign(c.meanDiff, c.digits),
          f(c.maxAbsDiff, c.digits),
          syn.get(c.table) ? "synthetic" : "real",
        ]),
        ["l", "l", "r", "r", "r", "r", "r", "l"],
      ),
      "",
    );
  }
  if (noPaper.length)
    L.push(`Compared columns where no row has a paper value (the paper gives none for these settings): ${noPaper.join("; ")}.`, "");

  // Tables
  L.push("## Tables", "");
  if (!tables.length) L.push("No tables were written.", "");
  // Grouped by the notebook that wrote them, in notebook order (then by name), so a section's tables stand together.
  const producerOf = (name: string): string => {
    const file = path.join(outDir, "provenance", `${name}.json`);
    const prov = fs.existsSync(file) ? readJsonFile(file) : null;
    return isObj(prov) && typeof prov.producer === "string" ? prov.producer : "~";
  };
  const grouped = tables
    .map((t) => ({ t, producer: producerOf(t.name) }))
    .sort((a, b) => (a.producer < b.producer ? -1 : a.producer > b.producer ? 1 : a.t.name < b.t.name ? -1 : 1));
  let group: string | null = null;
  for (const { t, producer } of grouped) {
    if (producer !== group) L.push(`**From ${producer === "~" ? "an unknown producer" : `\`${producer}\``}:**`, "");
    group = producer;
    L.push(
      toMarkdown(t),
      `Files: [csv](tables/${t.name}.csv) · [json](tables/${t.name}.json) · [provenance](provenance/${t.name}.json)`,
      "",
    );
  }

  // Figures
  L.push("## Figures", "");
  if (!figures.length) L.push("No figures were written.", "");
  else
    L.push(
      ...mdTable(
        ["figure", "reproduces", "dataset", "data"],
        figures.map((f) => [
          `[${f.title}](#${anchor(f.title)})`,
          f.paperFigure ?? "—",
          f.dataset ?? "—",
          f.synthetic ? "synthetic" : "real",
        ]),
      ),
      "",
    );
  for (const fig of figures) {
    L.push(`### ${fig.title}`, "");
    const what = [fig.paperFigure ? `Reproduces ${fig.paperFigure}` : "No paper counterpart"];
    if (fig.dataset) what.push(`dataset: **${fig.dataset}**`);
    if (fig.synthetic) what.push("SYNTHETIC data");
    L.push(`${what.join(" · ")}.`, "");
    if (fig.hasSvg) L.push(`![${fig.title}](figures/${fig.name}.svg)`, "");
    else L.push(`**Missing:** figures/${fig.name}.svg was not written (the render failed?).`, "");
    L.push(
      `Files: ${fig.hasSvg ? `[svg](figures/${fig.name}.svg)` : "svg missing"} · ${fig.hasPng ? `[png](figures/${fig.name}.png)` : "png missing"} · [spec](figures/${fig.name}.json)`,
      "",
    );
    for (const n of fig.notes ?? []) L.push(`- ${n}`);
    if (fig.notes?.length) L.push("");
  }

  // Provenance
  L.push("## Provenance", "");
  if (!provFiles.length) L.push("No provenance records.", "");
  else {
    const rows: string[][] = [];
    const versions = new Map<string, Set<string>>();
    for (const file of provFiles) {
      const p = readJsonFile(file);
      if (!isObj(p)) throw new Error(`${file}:1: expected a provenance object`);
      const ds = isObj(p.dataset) ? p.dataset : {};
      const sums = isObj(ds.checksums) ? Object.entries(ds.checksums as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : 1)) : [];
      const commit = typeof p.commit === "string" ? p.commit.slice(0, 12) + (p.dirty ? " (dirty)" : "") : "?";
      rows.push([
        String(p.table ?? path.basename(file, ".json")),
        String(p.producer ?? "?"),
        commit,
        `seed ${p.seed} ×${p.seeds}${p.splits ? ` (${p.splits} splits)` : ""}, ${p.scale}, epochs ${p.epochs || "auto"}`,
        String(p.backend ?? "—"),
        `${ds.name ?? "?"}${ds.synthetic ? " (synthetic)" : ""}`,
        sums.length ? sums.map(([f, h]) => `${f}: ${String(h).slice(0, 12)}…`).join("; ") : "—",
      ]);
      if (isObj(p.versions))
        for (const [k, v] of Object.entries(p.versions)) (versions.get(k) ?? versions.set(k, new Set()).get(k)!).add(String(v));
    }
    L.push(...mdTable(["table", "producer", "commit", "parameters", "backend", "dataset", "checksums (sha256)"], rows), "");
    if (versions.size) {
      L.push("Package versions recorded with the tables:", "");
      L.push(
        ...mdTable(
          ["package", "version"],
          [...versions.keys()].sort().map((k) => [k, [...versions.get(k)!].sort().join(", ")]),
        ),
        "",
      );
    }
  }
  return (
    L.join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trimEnd() + "\n"
  );
}

/** GitHub-style heading anchor. */
export const anchor = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, "")
    .replace(/\s/g, "-");

async function main(): Promise<void> {
  try {
    const p = loadParams();
    const rows = await writeClaimOutputs(p);
    // HTML copies for executed notebooks that have none (e.g. run by an older runner).
    const nbDir = path.join(p.outDir, "notebooks");
    if (fs.existsSync(nbDir))
      for (const nb of fs
        .readdirSync(nbDir)
        .filter((f) => f.endsWith(".ipynb"))
        .sort()) {
        const html = path.join(p.outDir, "html", nb.replace(/\.ipynb$/, ".html"));
        if (fs.existsSync(html)) continue;
        const r = exportHtml(path.join(nbDir, nb), path.dirname(html));
        process.stderr.write(
          r.error ? `report: warning: no HTML copy of ${nb}: ${r.error}\n` : `report: wrote ${path.relative(projectRoot, html)}\n`,
        );
      }
    const all = fs.existsSync(path.join(projectRoot, "notebooks"))
      ? fs.readdirSync(path.join(projectRoot, "notebooks")).filter((f) => /^\d\d-.*\.ipynb$/.test(f))
      : [];
    // With DATA=…, only the notebooks that fit the data's kind belong to the run.
    const projectNotebooks = notebooksForRun(p, all);
    const file = path.join(p.outDir, "README.md");
    writeFileAtomic(file, buildReport(p.outDir, { projectNotebooks, claimRows: rows }));
    process.stderr.write(`report: wrote ${path.relative(projectRoot, file)}\n`);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    await closeFigureBrowser();
  }
}

if (require.main === module) void main();
