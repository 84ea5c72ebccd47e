/**
 * make reproduce interrupted: the real driver (scripts/workflow.ts), Snakemake, the unit runner, nbclient
 * and tslab kernels, on three small notebooks (91-a finishes, 92-b is inside a cache entry's build when
 * SIGTERM comes, 93-c and the report wait). The run must end with one line saying what finished and what
 * did not, no traceback, no process left, nothing half-written in the cache or the results; the next run
 * must start only the units that had not finished (91-a is neither re-executed nor recomputed).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { testNeeding } from "../support/requires";
import { leftovers, missingJupyter, missingSnakemake, processesWith, runWorkflow, writeNotebooks } from "./helpers";

testNeeding(
  "an interrupted graph run says in one line what finished, leaves nothing half-written, and the next run resumes from the finished units",
  missingJupyter() ?? missingSnakemake() ?? false,
  async () => {
    const files = writeNotebooks();
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "workflow-int-"));
    const out = path.join(work, "out");
    const cache = path.join(work, "cache");
    const counter = path.join(work, "computed-a");
    const env = { GEOREPRO_OUT: out, GEOREPRO_CACHE: cache, TEST_COUNTER: counter, TEST_SLOW: "1" };

    const r = await runWorkflow(files, env, /\[workflow-test\] building/);
    assert.equal(r.status, 143, r.stderr);
    const said = r.stderr.split("\n").filter((l) => /interrupted by/.test(l));
    assert.equal(said.length, 1, r.stderr);
    assert.match(
      said[0],
      /^workflow: interrupted by SIGTERM after .* — finished: 91-a; not finished: 92-b, 93-c, report\. .*`make reproduce` resumes from them\.$/,
    );
    assert.doesNotMatch(r.stderr.slice(r.stderr.indexOf(said[0])), /Traceback|Error/, "nothing after the line");
    assert.deepEqual(processesWith(`GEOREPRO_OUT=${out}`), [], "no unit, driver or kernel left running");
    assert.deepEqual(leftovers([cache, out]), [], "nothing half-written");
    assert.ok(
      !fs.existsSync(path.join(cache, "wf-slow")) || fs.readdirSync(path.join(cache, "wf-slow")).length === 0,
      "no entry of 92-b's build",
    );
    // What was written is whole: each table parses.
    for (const f of fs.readdirSync(path.join(out, "tables")).filter((f) => f.endsWith(".json")))
      JSON.parse(fs.readFileSync(path.join(out, "tables", f), "utf8"));
    const executedA = path.join(out, "notebooks", "91-a.ipynb");
    const before = fs.statSync(executedA).mtimeMs;

    const r2 = await runWorkflow(files, { ...env, TEST_SLOW: "" });
    assert.equal(r2.status, 0, r2.stderr);
    assert.match(r2.stderr, /workflow: 4 units \(1 already done\)/);
    assert.match(r2.stderr, /workflow: 4 units done in .* \(3 ran now\)/);
    assert.doesNotMatch(r2.stderr, /\[1\/1\] 91-a\.ipynb/, "91-a is not executed again");
    assert.equal(fs.statSync(executedA).mtimeMs, before);
    assert.equal(fs.readFileSync(counter, "utf8"), "a\n", "91-a's cached computation ran once");
    for (const t of ["wf-a", "wf-b", "wf-c"]) assert.ok(fs.existsSync(path.join(out, "tables", `${t}.csv`)), t);
    assert.ok(fs.existsSync(path.join(out, "README.md")), "the report");
    const summary = JSON.parse(fs.readFileSync(path.join(out, "volatile", "run-summary.json"), "utf8"));
    assert.deepEqual(
      summary.notebooks.map((n: { notebook: string }) => n.notebook),
      ["91-a.ipynb", "92-b.ipynb", "93-c.ipynb"],
    );
    assert.deepEqual(leftovers([cache, out]), []);
  },
);
