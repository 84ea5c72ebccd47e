import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadParams } from "../../lib/runtime/params";
import { comparedColumns, ResultTable, toCsv, toMarkdown, withPaper, validateTable } from "../../lib/results/table";
import { writeTable } from "../../lib/results/writer";
import { recordBackend } from "../../lib/runtime/provenance";

const table = (acc: number): ResultTable => ({
  name: "demo-table",
  title: "Demo",
  reproduces: "MRLF paper, Table II",
  dataset: { name: "synthetic-demo", synthetic: true, description: "made by the test" },
  columns: [{ key: "model", label: "Model", source: "info" }, ...comparedColumns("acc", "Acc")],
  rows: [withPaper({ model: "MRLF, \"full\"", acc }, "acc", 0.828), withPaper({ model: "none", acc: 0.5 }, "acc", null)],
  notes: ["a note"],
});

test("tables render ours beside the paper, name the dataset and mark it synthetic", () => {
  const md = toMarkdown(table(0.8));
  assert.match(md, /\| Acc \(ours\) \| Acc \(paper\) \| Acc Δ \|/);
  assert.match(md, /0\.800 \| 0\.828 \| -0\.028/);
  assert.match(md, /synthetic-demo\*\* \(SYNTHETIC/);
  const csv = toCsv(table(0.8));
  assert.equal(csv.split("\n")[0], "model,acc,acc_paper,acc_diff");
  assert.match(csv, /^"MRLF, ""full""",0\.800,0\.828,-0\.028$/m);
  assert.match(csv, /^none,0\.500,,$/m);
});

test("writeTable writes CSV/MD/JSON atomically; re-runs are byte-identical; volatile facts live apart", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "writer-"));
  const params = loadParams({}, { outDir: out });
  recordBackend("wasm");
  const a = writeTable(table(0.8), { params, producer: "test", startedAt: Date.now() - 1234 });
  const first = [a.csv, a.markdown, a.json, a.provenance].map((f) => fs.readFileSync(f));
  const b = writeTable(table(0.8), { params, producer: "test", startedAt: Date.now() - 99 });
  const second = [b.csv, b.markdown, b.json, b.provenance].map((f) => fs.readFileSync(f));
  assert.deepEqual(first, second);
  const prov = JSON.parse(fs.readFileSync(a.provenance, "utf8"));
  assert.equal(prov.backend, "wasm");
  assert.equal(prov.compute.backend, "wasm");
  assert.equal(prov.dataset.name, "synthetic-demo");
  assert.ok(prov.versions.node);
  const vol = JSON.parse(fs.readFileSync(path.join(out, "volatile", "demo-table.json"), "utf8"));
  assert.ok(vol.wallSeconds >= 0 && vol.finishedAt);
  // No temp files are left behind.
  assert.deepEqual(fs.readdirSync(path.join(out, "tables")).filter((f) => f.includes("tmp")), []);
  // A different value changes the table.
  writeTable(table(0.81), { params, producer: "test", startedAt: Date.now() });
  assert.notDeepEqual(fs.readFileSync(a.csv), first[0]);
});

test("malformed tables are refused with the field named", () => {
  assert.throws(() => validateTable({ ...table(1), name: "Bad Name" }), /name "Bad Name"/);
  assert.throws(() => validateTable({ ...table(1), rows: [{ modle: "x" }] }), /row 0: unknown column "modle"/);
  assert.throws(() => validateTable({ ...table(1), rows: [{ acc: NaN }] }), /column "acc" is NaN/);
  assert.throws(() => validateTable({ ...table(1), dataset: { name: "", synthetic: false, description: "" } }), /dataset.name is required/);
});
