/**
 * Small notebooks for the workflow tests, in a temporary folder of their own (tslab's TypeScript
 * watches the folders around a notebook, so no output is ever written next to them). They reach the
 * library through the project's dist, like the notebook tests' (test/notebooks/interrupt.test.ts).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fromRoot } from "../../lib/runtime/paths";
import { JUPYTER_PATH, PYTHON } from "../../scripts/run-notebooks";
import { notebook } from "../support/notebook-file";

export const missingJupyter = (): string | null =>
  !fs.existsSync(PYTHON)
    ? `${PYTHON} missing`
    : !fs.existsSync(path.join(JUPYTER_PATH, "kernels", "tslab", "kernel.json"))
      ? "project-local tslab kernel missing (run make setup)"
      : null;

/** Snakemake on PATH (Debian's snakemake), or why not. */
export function missingSnakemake(): string | null {
  const dirs = (process.env.PATH ?? "").split(":");
  return dirs.some((d) => d && fs.existsSync(path.join(d, "snakemake")))
    ? null
    : "snakemake not on PATH (Debian's snakemake; make setup installs it)";
}

const LIB = `const g = require(process.env.GEOREPRO_ROOT + "/dist/lib/index.js");\nconst fs = require("fs");`;
const table = (name: string, rows: string) =>
  `run.table({ name: "${name}", title: "${name}", dataset: { name: "t", synthetic: true, description: "test" }, columns: [{ key: "x", label: "x", source: "ours" }, { key: "y", label: "y", source: "ours" }], rows: ${rows} });`;

/**
 * 91-a: a seeded computation cached by content (each computation appends to TEST_COUNTER, so a rerun
 * that recomputes it is caught) and a table of it. 92-b (after 91-a): a table, then a cache entry whose
 * build waits while TEST_SLOW is set (a signal finds it half-built). 93-c (after 92-b): a table.
 */
export const NOTEBOOKS: Record<string, object> = {
  "91-a": notebook([
    `${LIB}\nconst run = g.startNotebook("91-a");`,
    `const v = await g.cachedJson(run.params.cacheDir, "wf-a", { k: 1 }, () => { fs.appendFileSync(process.env.TEST_COUNTER, "a\\n"); const r = run.rng("draws"); return { x: r.next(), y: r.next() }; });\n` +
      table("wf-a", "[v]"),
  ]),
  "92-b": notebook(
    [
      `${LIB}\nconst run = g.startNotebook("92-b");\n${table("wf-b", "[{ x: 2, y: run.rng('b').next() }]")}`,
      `await g.cachedDir(run.params.cacheDir, "wf-slow", { k: 2 }, async (tmp: string) => {\n` +
        `  fs.writeFileSync(tmp + "/part-1", "written before the signal");\n` +
        `  console.log("[workflow-test] building " + tmp);\n` +
        `  if (process.env.TEST_SLOW) await new Promise((r) => setTimeout(r, 600_000));\n` +
        `  fs.writeFileSync(tmp + "/part-2", "the rest");\n});`,
    ],
    ["91-a"],
  ),
  "93-c": notebook([`${LIB}\nconst run = g.startNotebook("93-c");\n${table("wf-c", "[{ x: 3, y: 4 }]")}`], ["92-b"]),
};

/** The notebooks written to a fresh temporary folder; returns their files in order. */
export function writeNotebooks(): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workflow-nb-"));
  return Object.entries(NOTEBOOKS).map(([n, nb]) => {
    const f = path.join(dir, `${n}.ipynb`);
    fs.writeFileSync(f, JSON.stringify(nb));
    return f;
  });
}

export interface Run {
  status: number | null;
  stderr: string;
}

/**
 * `node dist/scripts/workflow.js <notebooks>` (what make reproduce runs); with `interruptWhen`, SIGTERM to
 * the driver (as make passes it on) once its stderr matches.
 */
export function runWorkflow(files: string[], env: NodeJS.ProcessEnv, interruptWhen?: RegExp, timeoutMs = 240_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fromRoot("dist", "scripts", "workflow.js"), ...files], {
      env: { ...process.env, GEOREPRO_SCALE: "tiny", ...env },
      detached: true,
    });
    let stderr = "";
    let sent = false;
    const timer = setTimeout(() => {
      process.kill(-child.pid!, "SIGKILL");
      reject(new Error(`the workflow did not end in time:\n${stderr}`));
    }, timeoutMs);
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (interruptWhen && !sent && interruptWhen.test(stderr)) {
        sent = true;
        child.kill("SIGTERM");
      }
    });
    child.stdout.resume();
    child.on("exit", (status) => {
      clearTimeout(timer);
      resolve({ status, stderr });
    });
  });
}

/** Every path under `roots` whose name marks a temporary or a lock. */
export function leftovers(roots: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.name === ".snakemake" || e.name === "slurm") continue; // Snakemake's and Slurm's own bookkeeping
      if (/tmp-|\.lock$/.test(e.name)) out.push(p);
      if (e.isDirectory()) walk(p);
    }
  };
  roots.forEach(walk);
  return out;
}

/** The files of the deterministic outputs (tables, figures, provenance, claims), relative to `out`, with their bytes. */
export function deterministicOutputs(out: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const sub of ["tables", "figures", "provenance", "claims"]) {
    const dir = path.join(out, sub);
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).sort()) files.set(`${sub}/${f}`, fs.readFileSync(path.join(dir, f), "utf8"));
  }
  return files;
}

/** Pids of live processes whose environment holds `needle` (e.g. a test's own GEOREPRO_OUT=…): what a run left running. */
export function processesWith(needle: string): number[] {
  const out: number[] = [];
  for (const p of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    try {
      const env = fs.readFileSync(`/proc/${p}/environ`, "utf8");
      const state = fs.readFileSync(`/proc/${p}/status`, "utf8").match(/^State:\s+(\S)/m)?.[1];
      if (state !== "Z" && env.split("\0").includes(needle)) out.push(Number(p));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return out;
}
