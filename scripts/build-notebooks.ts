/**
 * Notebook sources are plain TypeScript files in `notebooks/src/NN-name.ts`
 * in the "percent" format (as jupytext): `// %%` starts a code cell,
 * `// %% [markdown]` a Markdown cell whose lines are `// `-comments. This
 * script writes `notebooks/NN-name.ipynb` (nbformat 4.5, stable cell ids, no
 * outputs), so sources diff cleanly and the .ipynb is always regenerable.
 *
 * Lines `// georepro:after NN-name[, NN-name]` before the first cell declare the
 * notebooks this one must run after (run-notebooks.ts runs two notebooks at a
 * time); they become `metadata.georepro.after`.
 *
 *   node dist/scripts/build-notebooks.js          write every notebook
 *   node dist/scripts/build-notebooks.js --check  exit 1 if any .ipynb is stale
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../lib/runtime/atomic";
import { fromRoot } from "../lib/runtime/paths";

interface Cell {
  cell_type: "code" | "markdown";
  id: string;
  metadata: Record<string, unknown>;
  source: string[];
  outputs?: unknown[];
  execution_count?: null;
}

/** A cell marker line; group 1 is its tag: "" for code, " [markdown]" for Markdown. */
export const MARKER = /^\/\/ %%(.*)$/;
const AFTER = /^\/\/ georepro:after\s+(.+)$/;

/** The `// georepro:after …` declarations before the first cell. */
export function percentDependencies(source: string, file = "notebook"): string[] {
  const after: string[] = [];
  let lineNo = 0;
  for (const raw of source.split("\n")) {
    lineNo++;
    if (MARKER.test(raw)) break;
    const m = AFTER.exec(raw);
    if (!m) continue;
    for (const name of m[1].split(",").map((x) => x.trim()))
      if (!/^\d\d-[a-z0-9-]+$/.test(name))
        throw new Error(`${file}:${lineNo}: georepro:after: "${name}" is not a notebook name like 02-mrlf`);
      else after.push(name);
  }
  return after;
}

export function percentToCells(source: string, stem: string, file = stem): Cell[] {
  const cells: Cell[] = [];
  let kind: "code" | "markdown" | null = null;
  let lines: string[] = [];
  let lineNo = 0;
  const flush = () => {
    if (kind === null) return;
    while (lines.length && lines[lines.length - 1].trim() === "") lines.pop();
    while (lines.length && lines[0].trim() === "") lines.shift();
    if (lines.length === 0) return;
    const id = `${stem}-${String(cells.length + 1).padStart(2, "0")}`;
    const src = lines.map((l, i) => (i < lines.length - 1 ? l + "\n" : l));
    cells.push(
      kind === "code"
        ? { cell_type: "code", id, metadata: {}, source: src, outputs: [], execution_count: null }
        : { cell_type: "markdown", id, metadata: {}, source: src },
    );
  };
  for (const raw of source.split("\n")) {
    lineNo++;
    const m = MARKER.exec(raw);
    if (m) {
      flush();
      const tag = m[1].trim();
      if (tag !== "" && tag !== "[markdown]")
        throw new Error(`${file}:${lineNo}: unknown cell marker "// %%${m[1]}" (use "// %%" or "// %% [markdown]")`);
      kind = tag === "[markdown]" ? "markdown" : "code";
      lines = [];
      continue;
    }
    if (kind === null) {
      if (AFTER.test(raw)) continue;
      if (raw.trim() !== "") throw new Error(`${file}:${lineNo}: text before the first "// %%" cell marker`);
      continue;
    }
    if (kind === "markdown") {
      if (raw.trim() !== "" && !raw.startsWith("//")) throw new Error(`${file}:${lineNo}: Markdown cell lines must start with "//"`);
      lines.push(raw.replace(/^\/\/ ?/, ""));
    } else lines.push(raw);
  }
  flush();
  return cells;
}

export function toIpynb(cells: Cell[], after: string[] = []): string {
  const nb = {
    cells,
    metadata: {
      ...(after.length ? { georepro: { after } } : {}),
      kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" },
      language_info: {
        codemirror_mode: { mode: "typescript", name: "javascript", typescript: true },
        file_extension: ".ts",
        mimetype: "text/typescript",
        name: "typescript",
        version: "3.7.2",
      },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return JSON.stringify(nb, null, 1) + "\n";
}

export function buildAll(check: boolean, srcDir = fromRoot("notebooks", "src"), outDir = fromRoot("notebooks")): string[] {
  const stale: string[] = [];
  for (const f of fs
    .readdirSync(srcDir)
    .filter((f) => /^\d\d-.*\.ts$/.test(f))
    .sort()) {
    const stem = f.replace(/\.ts$/, "");
    const file = path.join(srcDir, f);
    const source = fs.readFileSync(file, "utf8");
    const rel = path.relative(fromRoot(), file);
    const text = toIpynb(percentToCells(source, stem, rel), percentDependencies(source, rel));
    const out = path.join(outDir, `${stem}.ipynb`);
    const current = fs.existsSync(out) ? fs.readFileSync(out, "utf8") : null;
    if (current !== text) {
      stale.push(out);
      if (!check) writeFileAtomic(out, text);
    }
  }
  return stale;
}

if (require.main === module) {
  const check = process.argv.includes("--check");
  const stale = buildAll(check);
  if (check && stale.length) {
    process.stderr.write(`stale notebooks (run \`make notebooks\`): ${stale.map((s) => path.relative(fromRoot(), s)).join(", ")}\n`);
    process.exit(1);
  }
  for (const s of stale) process.stderr.write(`wrote ${path.relative(fromRoot(), s)}\n`);
}
