/**
 * Writes <outDir>/README.md at the end of `make reproduce`: the claims (with DATA=…,
 * the rows of the user's data first), their verdict tallies per family and data
 * kind, which notebooks ran (status, time, executed copy, HTML copy), every
 * reproduced table with the paper's figure, ours and the difference, a summary of
 * those differences, the figures, the provenance of each table, and the command
 * that regenerates it all.
 *
 * Only this run's output is presented: a table, figure or claim record whose
 * stamp (commit and run parameters, lib/runtime/provenance.ts) differs from the
 * run's is listed under "Stale", never in the body.
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
import { readClaimRecords } from "../lib/claims/record";
import { claimRows, claimsMarkdown, claimsTable, rowTallies, type ClaimRow } from "../lib/claims/table";
import { runStamp, staleness, type RunStamp } from "../lib/runtime/provenance";
import { claimsForestSpec } from "../lib/claims/forest";
import { writeTable } from "../lib/results/writer";
import { writeFigure } from "../lib/figures/output";
import { closeFigureBrowser } from "../lib/figures/browser";

export const CLAIMS_FOREST = "claims-forest";

/** An output left by another run: what it is and why it is not this run's. */
export interface StaleEntry {
  file: string;
  why: string;
}

export interface ClaimOutputs {
  rows: ClaimRow[];
  /** Claim records under claims/ written by another commit or with other parameters. */
  stale: StaleEntry[];
}

/**
 * This run's claim rows from <outDir>/claims/: records stamped with another
 * commit or other parameters are set apart as stale (the report lists them,
 * the table never shows them).
 */
export function currentClaimRows(outDir: string, stamp: RunStamp): ClaimOutputs {
  const rec = readClaimRecords(outDir);
  const stale: StaleEntry[] = rec.unstamped.map((u) => ({
    file: rel(outDir, u.file),
    why: "no commit recorded (written by an older version)",
  }));
  const keep = <T extends { id: string; setting: string; stamp: RunStamp | null }>(xs: readonly T[]): T[] =>
    xs.filter((x) => {
      const why = staleness(x.stamp, stamp);
      if (why) stale.push({ file: `claims/${x.id}--${x.setting}.json`, why });
      return !why;
    });
  const results = keep(rec.results);
  const notRun = keep(rec.notRun);
  return { rows: claimRows(CLAIMS, results, notRun), stale };
}

/**
 * The claims table (tables/claims.*) and the forest plot (figures/claims-forest.*)
 * from this run's claim records under <outDir>/claims/.
 */
export async function writeClaimOutputs(p: Params): Promise<ClaimOutputs> {
  const out = currentClaimRows(p.outDir, runStamp(p));
  const results = out.rows.filter((r) => r.result).map((r) => r.result!);
  const names = [...new Set(results.map((r) => r.data.name))].sort();
  writeTable(claimsTable(out.rows, names.join("+") || "none"), { params: p, producer: "scripts/report.ts", startedAt: Date.now() });
  if (results.length) await writeFigure(claimsForestSpec(out.rows, CLAIMS_FOREST), { outDir: p.outDir, display: false, params: p });
  return out;
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
  /** Claim rows and stale claim records (default: read from <outDir>/claims/). */
  claims?: ClaimOutputs;
  /** The run's commit and parameters (default: this checkout's commit and loadParams()). */
  stamp?: RunStamp;
  /** The run's DATA (default: loadParams().data): with own data, its rows come first and the paper's rows not run are one line. */
  data?: string | null;
}

/** The provenance stamp of a table (null when its provenance file is missing). */
function tableStamp(outDir: string, name: string): Partial<RunStamp> | null {
  const file = path.join(outDir, "provenance", `${name}.json`);
  if (!fs.existsSync(file)) return null;
  const p = readJsonFile(file);
  return isObj(p) ? (p as Partial<RunStamp>) : null;
}

/** ", N settings not testable on their data (no images)" when some are. */
const notTestableCount = (rows: readonly ClaimRow[]): string => {
  const n = rows.filter((r) => !r.result && r.setting.notTestable).length;
  return n ? `; ${n} settings not testable on their data (e.g. no images)` : "";
};

/** The claims section's opening: tallies per family and data kind, never one mixed total. */
function tallyLines(rows: readonly ClaimRow[]): string[] {
  const t = rowTallies(rows);
  if (!t.length) return [];
  return [
    "**Final verdicts per family** (Holm's rule within each family; m = the rows it counts):",
    "",
    ...mdTable(
      ["family", "data", "holds", "contradicted", "inconclusive", "m"],
      t.map((x) => [
        x.family,
        x.synthetic ? "SYNTHETIC" : "real",
        String(x.holds),
        String(x.contradicted),
        String(x.inconclusive),
        String(x.m),
      ]),
      ["l", "l", "r", "r", "r", "r"],
    ),
    "",
  ];
}

export function buildReport(outDir: string, opts: ReportOptions = {}): string {
  const params = opts.command && opts.paramsLine ? null : loadParams();
  const command = opts.command ?? reproduceCommand(params!);
  const paramsLine = opts.paramsLine ?? describeParams(params!);
  const stamp = opts.stamp ?? runStamp(params ?? loadParams());
  const summary = readRunSummary(path.join(outDir, "volatile", "run-summary.json"));
  // Only this run's outputs are presented; the rest is listed under "Stale" at the end.
  const stale: StaleEntry[] = [];
  const allTables = jsonFiles(path.join(outDir, "tables"))
    .map(readTable)
    .filter((t) => {
      const why = staleness(tableStamp(outDir, t.name), stamp);
      if (why) stale.push({ file: `tables/${t.name}.{csv,md,json}`, why });
      return !why;
    });
  // The claims table opens the page in its own form; it is not repeated under Tables.
  const tables = allTables.filter((t) => t.name !== "claims");
  const figuresAll = jsonFiles(path.join(outDir, "figures"))
    .map((f) => ({ f, e: readFigure(f) }))
    .filter(({ f, e }) => {
      const raw = readJsonFile(f);
      const why = staleness(isObj(raw) && isObj(raw.stamp) ? (raw.stamp as Partial<RunStamp>) : null, stamp);
      if (why) stale.push({ file: `figures/${e.name}.{svg,png,json}`, why });
      return !why;
    })
    .map(({ e }) => e);
  const forest = figuresAll.find((f) => f.name === CLAIMS_FOREST);
  const figures = figuresAll.filter((f) => f.name !== CLAIMS_FOREST);
  const current = new Set(allTables.map((t) => t.name));
  const provFiles = jsonFiles(path.join(outDir, "provenance")).filter((f) => current.has(path.basename(f, ".json")));
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
  const claims = opts.claims ?? currentClaimRows(outDir, stamp);
  const ownData = (opts.data !== undefined ? opts.data : (params?.data ?? null)) !== null;
  const allRows = claims.rows;
  const judged = allRows.filter((r) => r.result);
  // With own data, the rows of the user's data come first and the paper's settings not run are one line.
  const shown = ownData ? judged.slice().sort((a, b) => Number(!a.result!.own) - Number(!b.result!.own)) : allRows;
  const notShown = allRows.length - shown.length;
  if (!judged.length)
    L.push(
      `No claim was judged in this run (no notebook wrote a current \`claims/*.json\`)${allRows.length ? `: ${allRows.length} paper and control settings not run` : ""}.`,
      "",
    );
  else {
    const runs = [...new Set(judged.map((r) => r.result!.testSets))].sort((a, b) => a - b);
    L.push(
      `The claims of the two papers about their own results, and the suite's own controls (lib/claims/registry.ts), each judged by a two-level interval of a paired difference on the same test items — ${judged.length} rows judged in this run${notShown ? `; ${notShown} paper settings not run on this data` : ""}${notTestableCount(allRows)}.`,
      "",
      ...tallyLines(allRows),
      "- **Intervals** carry both sources of variance: the spread over the " +
        `${runs.join("/")} training runs (seeds or splits, each a new split and/or initialisation) and the test items, drawn once per bootstrap replicate over the distinct items of all runs (a user in several test sets gets one weight): X̄ ± t_ν·SE, SE² = σ̂²_train/G + 1ᵀC1/G², ν by Satterthwaite (lib/stats/two-level.ts). One training run: the training variance is not estimated and the row is inconclusive.`,
      "- **holds**: the interval excludes 0 on the paper's side; **contradicted**: on the other side; **inconclusive**: neither. A claim against several systems holds only if every comparison holds; equivalence claims hold when the interval lies inside ±margin.",
      "- **Families**: (MRLF | local words | the suite's own controls) × (real | SYNTHETIC), and one per own-data setting. Within a family Holm's step-down rule (family-wise error ≤ 5 %, valid under any dependence) decides the final verdict; the nominal 95 % verdict stands beside it, with the Holm-adjusted p and interval, so a row whose 95 % interval clears 0 but that is inconclusive shows why. The suite's controls are never counted for or against a paper.",
      "- **Paper's Δ**: the paper's own difference against the same system as ours, and whether our 95 % interval contains it; where the paper's headline margin is over another system, the row names it (and says when the suite does not run it).",
      "- **SYNTHETIC** rows check the implementation on data georepro generated, where the generator plants the effect; they are not evidence about the papers' data, and they are tallied apart.",
      "",
      ...claimsMarkdown(shown, (nb) =>
        path
          .relative(outDir, path.join(projectRoot, "notebooks", `${nb}.ipynb`))
          .split(path.sep)
          .join("/"),
      ),
      "",
      ...(notShown
        ? [`${notShown} paper settings not run on this data (the registry's GeoText, synthetic and paper-city settings).`, ""]
        : []),
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
    const computes = new Map<string, string[]>();
    for (const file of provFiles) {
      const p = readJsonFile(file);
      if (!isObj(p)) throw new Error(`${file}:1: expected a provenance object`);
      if (isObj(p.compute)) {
        const c = p.compute as Record<string, unknown>;
        const fallback = isObj(c.fallback)
          ? Object.entries(c.fallback as Record<string, string>)
              .map(([k, v]) => `${k}: ${v}`)
              .join("; ")
          : "";
        const line = `trainer **${c.trainer}** (models with a layer the engine lacks: ${c.otherModels}), TensorFlow.js backend **${c.backend}**, device **${c.device}**${c.cpuDefault ? " — the CPU default" : " — not the CPU default: numbers are not byte-identical to it"}${fallback ? `. Not used: ${fallback}` : ""}`;
        computes.set(line, [...(computes.get(line) ?? []), String(p.table ?? path.basename(file, ".json"))]);
      }
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
    // What trained the models (lib/runtime/device.ts): one line per distinct record, naming its tables when several differ.
    if (computes.size === 1) L.push(`What trained the models: ${[...computes.keys()][0]}.`, "");
    else for (const [line, tables] of computes) L.push(`What trained the models of ${tables.join(", ")}: ${line}.`, "");
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
  // Stale: what another run left in this folder (never presented above).
  const staleAll = [...stale, ...(opts.claims ?? currentClaimRows(outDir, stamp)).stale];
  L.push("## Stale", "");
  if (!staleAll.length)
    L.push("Nothing: every table, figure and claim record in this folder comes from this run (its commit and parameters).", "");
  else
    L.push(
      `These files were not written by this run (commit ${stamp.commit.slice(0, 12)}${stamp.dirty ? ", dirty" : ""}, parameters \`${JSON.stringify(stamp.run)}\`) and are not presented above; re-run their notebooks or delete them:`,
      "",
      ...mdTable(
        ["file", "why"],
        staleAll.map((x) => [x.file, x.why]),
      ),
      "",
    );
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
    const claims = await writeClaimOutputs(p);
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
    writeFileAtomic(file, buildReport(p.outDir, { projectNotebooks, claims }));
    process.stderr.write(`report: wrote ${path.relative(projectRoot, file)}\n`);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    await closeFigureBrowser();
  }
}

if (require.main === module) void main();
