/**
 * End to end through the real Jupyter client (nbclient) on the tslab kernel:
 * notebook 00 on tiny data, and a failing notebook whose cell is named.
 * Skips (with the reason) only when the Debian Jupyter packages or the
 * project-local kernel are missing, i.e. outside `make test`.
 */
import { testNeeding } from "../support/requires";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fromRoot } from "../../lib/runtime/paths";
import { JUPYTER_PATH, PYTHON } from "../../scripts/run-notebooks";

const missing = !fs.existsSync(PYTHON)
  ? `${PYTHON} missing`
  : !fs.existsSync(path.join(JUPYTER_PATH, "kernels", "tslab", "kernel.json"))
    ? "project-local tslab kernel missing (run make setup)"
    : null;

function runCli(notebooks: string[], out: string, env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [fromRoot("dist", "scripts", "run-notebooks.js"), ...notebooks], {
    env: { ...process.env, GEOREPRO_SCALE: "tiny", GEOREPRO_OUT: out, ...env },
    encoding: "utf8",
    timeout: 300_000,
  });
}

testNeeding("notebook 00 runs end to end on tiny data and writes its table", missing ?? false, () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "nb00-"));
  const r = runCli([fromRoot("notebooks", "00-datasets.ipynb")], out);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /\[1\/1\] 00-datasets\.ipynb: ok/);
  const executed = JSON.parse(fs.readFileSync(path.join(out, "notebooks", "00-datasets.ipynb"), "utf8"));
  const outputs = executed.cells.flatMap((c: { outputs?: unknown[] }) => c.outputs ?? []);
  assert.ok(outputs.length > 0, "executed notebook has outputs");
  assert.ok(!outputs.some((o: { output_type: string }) => o.output_type === "error"));
  const summary = JSON.parse(fs.readFileSync(path.join(out, "volatile", "run-summary.json"), "utf8"));
  assert.equal(summary.notebooks[0].status, "ok");
  assert.ok(
    fs.readdirSync(path.join(out, "tables")).some((f) => f.endsWith(".csv")),
    "notebook 00 wrote a table",
  );
});

testNeeding("a failing cell stops the run with a non-zero exit naming the notebook and the cell", missing ?? false, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nbfail-"));
  const nb = {
    cells: [
      {
        cell_type: "code",
        id: "ok-cell",
        metadata: {},
        source: ['const a: number = 1;\nprocess.stderr.write("[demo] progress line\\n");\na;'],
        outputs: [],
        execution_count: null,
      },
      {
        cell_type: "code",
        id: "bad-cell",
        metadata: {},
        source: ['throw new Error("deliberate failure");'],
        outputs: [],
        execution_count: null,
      },
      { cell_type: "code", id: "never", metadata: {}, source: ["1 + 1;"], outputs: [], execution_count: null },
    ],
    metadata: { kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  const file = path.join(dir, "99-fails.ipynb");
  fs.writeFileSync(file, JSON.stringify(nb));
  const second = path.join(dir, "99-zz-not-reached.ipynb");
  fs.writeFileSync(second, JSON.stringify({ ...nb, cells: [nb.cells[0]] }));
  const r = runCli([file, second], path.join(dir, "out"), { GEOREPRO_JOBS: "1" });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /FAILED: \S*99-fails\.ipynb: cell 2 \(id bad-cell\): .*deliberate failure/);
  assert.match(r.stderr, /99-fails\.ipynb failed/);
  assert.doesNotMatch(r.stderr, /99-zz-not-reached\.ipynb: ok/);
  // Progress lines a cell writes to stderr are echoed while it runs.
  assert.match(r.stderr, /\| \[demo\] progress line/);
});

testNeeding("a type error in a cell is reported the same way", missing ?? false, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nbtype-"));
  const nb = {
    cells: [
      { cell_type: "code", id: "typed", metadata: {}, source: ['const n: number = "not a number";'], outputs: [], execution_count: null },
    ],
    metadata: { kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  const file = path.join(dir, "98-typed.ipynb");
  fs.writeFileSync(file, JSON.stringify(nb));
  const r = runCli([file], path.join(dir, "out"));
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /FAILED: \S*98-typed\.ipynb: cell 1 \(id typed\)/);
});

testNeeding("two notebooks run at once, and a notebook waits for the ones it declares", missing ?? false, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nbdeps-"));
  const mark = path.join(dir, "first-done");
  const cell = (src: string) => ({ cell_type: "code", id: "c", metadata: {}, source: [src], outputs: [], execution_count: null });
  const nb = (src: string, after?: string[]) => ({
    cells: [cell(src)],
    metadata: {
      kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" },
      ...(after ? { georepro: { after } } : {}),
    },
    nbformat: 4,
    nbformat_minor: 5,
  });
  // 10-first sleeps, then marks; 11-second must see the mark (it waits); 12-free does not wait.
  fs.writeFileSync(
    path.join(dir, "10-first.ipynb"),
    JSON.stringify(nb(`await new Promise((r) => setTimeout(r, 3000));\nrequire("fs").writeFileSync(${JSON.stringify(mark)}, "x");`)),
  );
  fs.writeFileSync(
    path.join(dir, "11-second.ipynb"),
    JSON.stringify(
      nb(`if (!require("fs").existsSync(${JSON.stringify(mark)})) throw new Error("started before 10-first finished");`, ["10-first"]),
    ),
  );
  fs.writeFileSync(
    path.join(dir, "12-free.ipynb"),
    JSON.stringify(nb(`if (require("fs").existsSync(${JSON.stringify(mark)})) throw new Error("waited although it declares nothing");`)),
  );
  const r = runCli(
    ["10-first", "11-second", "12-free"].map((n) => path.join(dir, `${n}.ipynb`)),
    path.join(dir, "out"),
    { GEOREPRO_JOBS: "2" },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /2 at a time/);
  const summary = JSON.parse(fs.readFileSync(path.join(dir, "out", "volatile", "run-summary.json"), "utf8"));
  assert.deepEqual(
    summary.notebooks.map((n: { notebook: string; status: string }) => `${n.notebook}:${n.status}`),
    ["10-first.ipynb:ok", "11-second.ipynb:ok", "12-free.ipynb:ok"],
  );
});

testNeeding(
  "a burst of thousands of output lines in one cell neither kills the kernel nor loses a line (zeromq EBUSY and high-water mark, lib/runtime/zmq-sends.ts)",
  missing ?? false,
  () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nbburst-"));
    const kernelModule = JSON.stringify(fromRoot("dist", "lib", "runtime", "kernel.js"));
    const nb = {
      cells: [
        // What every notebook does first through startNotebook: reach tslab's display API (which installs the fix).
        {
          cell_type: "code",
          id: "setup",
          metadata: {},
          source: [`require(${kernelModule}).tslabDisplay();`],
          outputs: [],
          execution_count: null,
        },
        {
          cell_type: "code",
          id: "burst",
          metadata: {},
          source: ['for (let i = 0; i < 3000; i++) process.stdout.write(`line ${i}\\n`);\nconsole.log("survived the burst");'],
          outputs: [],
          execution_count: null,
        },
      ],
      metadata: { kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    const file = path.join(dir, "99-burst.ipynb");
    fs.writeFileSync(file, JSON.stringify(nb));
    const r = runCli([file], path.join(dir, "out"));
    assert.equal(r.status, 0, r.stderr);
    const executed = fs.readFileSync(path.join(dir, "out", "notebooks", "99-burst.ipynb"), "utf8");
    // Every line, in order: a PUB socket past its high-water mark drops messages silently (zmq-sends.ts).
    const cell = JSON.parse(executed).cells[1] as { outputs: { output_type: string; text?: string | string[] }[] };
    const printed = cell.outputs
      .filter((o) => o.output_type === "stream")
      .map((o) => (Array.isArray(o.text) ? o.text.join("") : (o.text ?? "")))
      .join("")
      .split("\n")
      .filter((l) => l !== "");
    const expected = [...Array.from({ length: 3000 }, (_, i) => `line ${i}`), "survived the burst"];
    assert.equal(printed.length, expected.length, `${expected.length - printed.length} of ${expected.length} lines lost`);
    assert.deepEqual(printed, expected);
  },
);
