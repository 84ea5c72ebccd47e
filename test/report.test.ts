/** scripts/report.ts: results/README.md from tables, figures, provenance and the run summary. */
import { test } from "node:test";
import { testNeeding } from "./support/requires";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { claimById } from "../lib/claims/registry";
import { evaluateClaim, type ClaimEvidence } from "../lib/claims/evaluate";
import { writeClaimResult } from "../lib/claims/record";
import { buildReport, compareTable, jsonErrorOffset, readTable, reproduceCommand } from "../scripts/report";
import { comparedColumns, ResultTable, withPaper } from "../lib/results/table";
import { writeTable } from "../lib/results/writer";
import { loadParams } from "../lib/runtime/params";
import { runStamp } from "../lib/runtime/provenance";
import { groupedBarSpec } from "../lib/figures/charts";
import { figureJson } from "../lib/figures/output";
import { exportHtml } from "../scripts/html-export";
import sharp from "sharp";

const table = (): ResultTable => ({
  name: "table2-test",
  title: "Table II: overall performance",
  reproduces: "MRLF paper, Table II",
  dataset: { name: "synthetic-instagram", synthetic: true, description: "made by the test", checksums: { "posts.jsonl": "ab".repeat(32) } },
  columns: [{ key: "method", label: "Method", source: "info" }, ...comparedColumns("acc", "Acc"), ...comparedColumns("mean", "Mean (km)")],
  rows: [
    withPaper(withPaper({ method: "MRLF", acc: 0.8, mean: 1.2 }, "acc", 0.828), "mean", 1.51),
    withPaper(withPaper({ method: "Image", acc: 0.6, mean: 3.0 }, "acc", 0.579), "mean", null),
    withPaper(withPaper({ method: "Ours only", acc: 0.5, mean: 2.0 }, "acc", null), "mean", null),
  ],
});

function fixture(): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "georepro-report-test-"));
  writeTable(table(), { params: loadParams(process.env, { outDir: out }), producer: "notebooks/02-mrlf.ipynb", startedAt: Date.now() });
  const spec = groupedBarSpec({
    name: "fig2-test",
    title: "Ablation per city",
    paperFigure: "MRLF paper, Fig. 2",
    synthetic: true,
    dataset: "synthetic-instagram",
    categories: ["NY"],
    series: [{ name: "MRLF", values: [0.8] }],
    yLabel: "Acc",
  });
  fs.mkdirSync(path.join(out, "figures"));
  fs.writeFileSync(path.join(out, "figures", "fig2-test.json"), figureJson(spec, runStamp(loadParams(process.env, { outDir: out }))));
  fs.writeFileSync(path.join(out, "figures", "fig2-test.svg"), "<svg/>");
  fs.mkdirSync(path.join(out, "notebooks"));
  fs.writeFileSync(path.join(out, "notebooks", "02-mrlf.ipynb"), "{}");
  fs.writeFileSync(
    path.join(out, "volatile", "run-summary.json"),
    JSON.stringify({
      params: "seed=3 seeds=2 scale=tiny epochs=auto out=x",
      notebooks: [{ notebook: "02-mrlf.ipynb", status: "ok", seconds: 75.2 }],
      totalSeconds: 75.2,
    }),
  );
  return out;
}

const opts = {
  command: "make reproduce SEED=3 SEEDS=2 SCALE=tiny",
  paramsLine: "seed=3 seeds=2 scale=tiny epochs=auto out=x",
  projectNotebooks: ["02-mrlf.ipynb", "07-localwords.ipynb"],
};

/** Evidence for a claim, stamped as this run's (or with `stamp` overrides, as another run's). */
function judgedClaimEvidence(out: string, stampOverride: Partial<ReturnType<typeof runStamp>> = {}, setting = "melbourne"): ClaimEvidence {
  const truth = Int32Array.from({ length: 200 }, (_, i) => i % 4);
  const right = truth.slice();
  const wrong = truth.map((t, i) => (i % 3 === 0 ? (t + 1) % 4 : t));
  const sys = (p: Int32Array) =>
    [1, 2, 3].map((s) => ({
      testSet: `seed ${s}`,
      outcomes: {
        truth,
        predicted: s === 2 ? p.map((x, i) => (i % 50 === 1 ? (x + 1) % 4 : x)) : p,
        ids: Array.from({ length: 200 }, (_, i) => `s${s}p${i}`),
      },
    }));
  return {
    setting,
    data: { name: "synthetic-instagram", synthetic: true },
    itemNoun: "test posts",
    systems: { MRLF: sys(right), "text-tag-end": sys(wrong) },
    planted: "text and hashtags share location words",
    seed: 1,
    replicates: 200,
    stamp: { ...runStamp(loadParams(process.env, { outDir: out })), ...stampOverride },
  };
}

const judgedClaim = (out: string, stampOverride: Partial<ReturnType<typeof runStamp>> = {}, setting = "melbourne") =>
  evaluateClaim(claimById("fusion-conv-beats-text-tag-end"), judgedClaimEvidence(out, stampOverride, setting));

test("buildReport opens with the Claims: tallies per family and data kind, nominal and final verdicts, the paper's Δ, runs × distinct items; 'not run' says why", () => {
  const out = fixture();
  try {
    writeClaimResult(out, judgedClaim(out));
    const md = buildReport(out, opts);
    assert.ok(md.indexOf("## Claims") < md.indexOf("## Notebooks"), "claims come first");
    assert.doesNotMatch(md, /every claim the two papers make/i, "the table also holds the suite's controls");
    assert.match(md, /\| MRLF · synthetic \| SYNTHETIC \| 1 \| 0 \| 0 \| 1 \|/, "tallies per family, never one mixed total");
    assert.match(
      md,
      /\| Fusing text and hashtags at the convolution layer .* — Sec\. IV-D, Fig\. 3 \| Melbourne \| \+3\d\.\d pp \(\+\d+\.\d pp to \+\d+\.\d pp\); t [\d.∞≥]+ df, sd over runs \d+\.\d pp \| — \(figure only: the text prints no values\) \| holds \| p̃ = [\d.e-]+; .* at 95\.00 % \| \*\*holds\*\* \| 3 × 600 \| synthetic-instagram \(SYNTHETIC\) \| \[04-fusion-variants\]\(\.\.\/.*notebooks\/04-fusion-variants\.ipynb\) \|/,
    );
    assert.match(
      md,
      /\| MRLF has a higher Acc than every Table II baseline — Sec\. IV-B, Table II \| New York \| — \| \+9\.0 pp vs DeepGeo \| — \| — \| \*\*not run: notebook 02-mrlf was not part of this run\*\* \|/,
    );
    assert.match(md, /## Stale\n\nNothing: every table, figure and claim record in this folder comes from this run/);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test("stale output is refused: a table, figure or claim record from another commit or other parameters is listed under Stale, never presented", () => {
  const out = fixture();
  try {
    writeClaimResult(out, judgedClaim(out));
    // A claim record written with other parameters (seven seeds) and a table written at another commit.
    const other = judgedClaim(out, {}, "hong-kong");
    writeClaimResult(out, { ...other, stamp: { ...other.stamp!, run: { ...other.stamp!.run, seeds: 7 } } });
    writeTable(
      { ...table(), name: "table2-ordering", title: "Table II ordering (old generator)" },
      { params: loadParams(process.env, { outDir: out }), producer: "notebooks/02-mrlf.ipynb", startedAt: Date.now() },
    );
    const prov = path.join(out, "provenance", "table2-ordering.json");
    fs.writeFileSync(
      prov,
      JSON.stringify({ ...JSON.parse(fs.readFileSync(prov, "utf8")), commit: "a1fe22d0000000000000000000000000000000ff" }),
    );
    const md = buildReport(out, opts);
    const body = md.slice(0, md.indexOf("## Stale"));
    const stale = md.slice(md.indexOf("## Stale"));
    assert.doesNotMatch(body, /Table II ordering/, "the stale table is not in the body");
    assert.doesNotMatch(body, /table2-ordering/, "nor in the provenance or comparison sections");
    assert.match(body, /### Table II: overall performance/, "the current table is");
    assert.match(stale, /\| tables\/table2-ordering\.\{csv,md,json\} \| written at commit a1fe22d00000, this run is /);
    assert.match(
      stale,
      /\| claims\/fusion-conv-beats-text-tag-end--hong-kong\.json \| written with other parameters: seeds 7 \(this run: \d+\) \|/,
    );
    assert.match(
      body,
      /\| Hong Kong \| — \| — \| — \| — \| \*\*not run: notebook 04-fusion-variants was not part of this run\*\*/,
      "the stale claim's row reads not run",
    );
    // A record from before stamps existed is stale too.
    fs.writeFileSync(path.join(out, "claims", "old--new-york.json"), JSON.stringify({ id: "old", setting: "new-york", verdict: "holds" }));
    assert.match(buildReport(out, opts), /\| claims\/old--new-york\.json \| no commit recorded \(written by an older version\) \|/);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test("own data first: with DATA=…, the claims section shows the rows that ran and one line for the paper's settings not run", () => {
  const out = fixture();
  try {
    const own = evaluateClaim(claimById("fusion-conv-beats-text-tag-end"), {
      ...judgedClaimEvidence(out),
      setting: "mytown",
      settingLabel: "my-posts · Mytown",
      data: { name: "my-posts", synthetic: false },
    });
    writeClaimResult(out, own);
    const md = buildReport(out, { ...opts, data: "my-posts" });
    const claims = md.slice(md.indexOf("## Claims"), md.indexOf("## Notebooks"));
    assert.match(claims, /\| 1 \| Fusing text and hashtags .* \| my-posts · Mytown \|/, "the own row opens the table");
    assert.match(claims, /\| own data · my-posts · Mytown \| real \|/);
    assert.match(claims, /\d+ paper settings not run on this data/);
    assert.doesNotMatch(claims, /not run: notebook/, "no row per paper setting not run");
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test("compareTable: pairs ours with paper columns and summarises ours − paper over rows where both exist", () => {
  const c = compareTable(table());
  assert.deepEqual(
    c.map((x) => [x.metric, x.compared]),
    [
      ["Acc", 2],
      ["Mean (km)", 1],
    ],
  );
  assert.ok(Math.abs(c[0].meanDiff! - (0.8 - 0.828 + 0.6 - 0.579) / 2) < 1e-12);
  assert.ok(Math.abs(c[0].maxAbsDiff! - 0.028) < 1e-12);
  assert.ok(Math.abs(c[1].meanDiff! - (1.2 - 1.51)) < 1e-12);
});

test("buildReport: command, notebooks with status/time/links, comparison, full tables, figures, provenance", () => {
  const out = fixture();
  try {
    const md = buildReport(out, opts);
    assert.ok(md.includes("```sh\nmake reproduce SEED=3 SEEDS=2 SCALE=tiny\n```"));
    assert.match(md, /\| 02-mrlf\.ipynb \| ok \| 1m15s \| \[ipynb\]\(notebooks\/02-mrlf\.ipynb\) \| — \|/);
    assert.match(md, /\| 07-localwords\.ipynb \| \*\*not run\*\* \|/);
    assert.match(
      md,
      /\| \[table2-test\]\(#table-ii-overall-performance\) \| Acc \| 2 \| 0\.700 \| 0\.704 \| -0\.00[34] \| 0\.028 \| synthetic \|/,
    );
    assert.match(md, /\| MRLF \| 0\.800 \| 0\.828 \| -0\.028 \| 1\.200 \| 1\.510 \| -0\.310 \|/);
    assert.match(md, /Results on `synthetic-instagram` come from data generated by georepro/);
    assert.match(md, /Reproduces MRLF paper, Fig\. 2 · dataset: \*\*synthetic-instagram\*\* · SYNTHETIC data\./);
    assert.match(md, /!\[Ablation per city\]\(figures\/fig2-test\.svg\)/);
    assert.match(md, /\| \[Ablation per city\]\(#ablation-per-city\) \| MRLF paper, Fig\. 2 \| synthetic-instagram \| synthetic \|/);
    assert.match(md, /png missing/, "a figure whose PNG is absent is flagged");
    assert.match(md, /\| table2-test \| notebooks\/02-mrlf\.ipynb \| (?:[0-9a-f]{12}|unknown)/);
    assert.match(md, /posts\.jsonl: abababababab…/);
    // What trained the models, from the provenance's compute record.
    assert.match(
      md,
      /What trained the models: trainer \*\*(engine-1|tfjs-[\d.]+)\*\* \(models with a layer the engine lacks: tfjs-[\d.]+\), TensorFlow\.js backend \*\*\w+\*\*, device \*\*[^*]+\*\*/,
    );
    assert.doesNotMatch(md, /no row has a paper value/, "every compared metric here has a paper value");
    assert.doesNotMatch(md, /\*\*Note:\*\*/, "same parameters: no mismatch note");
    assert.equal(buildReport(out, opts), md, "deterministic");
    assert.match(
      buildReport(out, { ...opts, paramsLine: "seed=1 seeds=1 scale=default epochs=auto out=results" }),
      /\*\*Note:\*\* the notebooks ran with `seed=3/,
    );
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test("buildReport: a metric without any paper value is listed apart, not as an empty comparison row", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "georepro-report-nopaper-"));
  try {
    const t = table();
    t.rows = t.rows.map((r) => ({ ...r, mean_paper: null, mean_diff: null }));
    writeTable(t, { params: loadParams(process.env, { outDir: out }), producer: "test", startedAt: Date.now() });
    const md = buildReport(out, opts);
    assert.match(md, /no row has a paper value \(the paper gives none for these settings\): table2-test: Mean \(km\)\./);
    assert.doesNotMatch(md, /\| Mean \(km\) \| 0 \|/);
    assert.match(md, /\| Acc \| 2 \|/);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test("buildReport: an empty results folder gives a report that says what is missing", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "georepro-report-empty-"));
  try {
    const md = buildReport(out, opts);
    assert.match(md, /No run summary/);
    assert.match(md, /No tables were written/);
    assert.match(md, /No figures were written/);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test("bad inputs fail naming the file, the line and the field", () => {
  const out = fixture();
  try {
    const bad = path.join(out, "tables", "table2-test.json");
    fs.writeFileSync(bad, '{\n  "name": "x",\n  "title": oops\n}');
    assert.throws(
      () => buildReport(out, opts),
      (e: Error) => e.message.startsWith(`${bad}:3: not valid JSON`),
    );
    fs.writeFileSync(bad, JSON.stringify({ name: "x", title: "t", dataset: {}, columns: {}, rows: [] }));
    assert.throws(() => readTable(bad), new RegExp(`${bad.replace(/[.]/g, "\\.")}:1: columns: expected an array`));
    fs.writeFileSync(path.join(out, "volatile", "run-summary.json"), JSON.stringify({ notebooks: [{ notebook: "a" }] }));
    fs.rmSync(bad);
    assert.throws(() => buildReport(out, opts), /run-summary\.json:1: notebooks\[0\]: expected \{notebook, status, seconds\}/);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test("reproduceCommand: the run's parameters, OUT only when not the default folder", () => {
  const p = loadParams({}, { seed: 7, seeds: 3, scale: "paper", epochs: 50 });
  assert.equal(reproduceCommand(p), "make reproduce SEED=7 SEEDS=3 SPLITS=10 SCALE=paper EPOCHS=50");
  assert.match(
    reproduceCommand({ ...p, epochs: 0, outDir: "/tmp/elsewhere" }),
    /^make reproduce SEED=7 SEEDS=3 SPLITS=10 SCALE=paper OUT=\S+elsewhere$/,
  );
});

test("jsonErrorOffset: where a JSON text goes wrong (text length when it is valid)", () => {
  for (const ok of ['{"a": [1, -2.5e3, "x\\"y", true, null, {}]}', "[]", " 3 "]) assert.equal(jsonErrorOffset(ok), ok.length, ok);
  assert.equal(jsonErrorOffset('{"a": 1,\n "b": oops}'), 15);
  assert.equal(jsonErrorOffset("[1, 2"), 5);
  assert.equal(jsonErrorOffset('{"a" 1}'), 5);
});

testNeeding(
  "exportHtml: an executed notebook becomes self-contained HTML with its inline PNG; a missing one is reported, not thrown",
  !fs.existsSync("/usr/bin/jupyter") && "no /usr/bin/jupyter (make apt)",
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "georepro-html-test-"));
    try {
      const png = await sharp({ create: { width: 8, height: 6, channels: 3, background: { r: 0, g: 114, b: 178 } } })
        .png()
        .toBuffer();
      const b64 = png.toString("base64");
      const nb = {
        nbformat: 4,
        nbformat_minor: 5,
        metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
        cells: [
          { cell_type: "markdown", id: "m1", metadata: {}, source: "# Heading from the test" },
          {
            cell_type: "code",
            id: "c1",
            metadata: {},
            execution_count: 1,
            source: "figure()",
            outputs: [{ output_type: "display_data", metadata: {}, data: { "image/png": b64 } }],
          },
        ],
      };
      const file = path.join(dir, "notebooks", "02-test.ipynb");
      fs.mkdirSync(path.dirname(file));
      fs.writeFileSync(file, JSON.stringify(nb));
      const r = exportHtml(file, path.join(dir, "html"));
      assert.equal(r.error, null);
      assert.equal(r.html, path.join(dir, "html", "02-test.html"));
      const html = fs.readFileSync(r.html!, "utf8");
      assert.ok(html.includes(`data:image/png;base64,${b64}`), "the PNG is inlined");
      assert.match(html, /Heading from the test/);
      assert.deepEqual(fs.readdirSync(path.join(dir, "html")), ["02-test.html"], "no temp files left");
      const missing = exportHtml(path.join(dir, "notebooks", "nope.ipynb"), path.join(dir, "html"));
      assert.equal(missing.html, null);
      assert.match(missing.error!, /no executed notebook at .*nope\.ipynb/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);
