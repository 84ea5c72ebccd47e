import { test } from "node:test";
import assert from "node:assert/strict";
import { buildAll, percentDependencies, percentToCells, toIpynb } from "../../scripts/build-notebooks";

test("percent sources become code and markdown cells with stable ids", () => {
  const cells = percentToCells(
    ["// %% [markdown]", "// # Title", "//", "// text", "", "// %%", "const a = 1;", "", "a;", ""].join("\n"),
    "00-x",
  );
  assert.equal(cells.length, 2);
  assert.equal(cells[0].cell_type, "markdown");
  assert.deepEqual(cells[0].source, ["# Title\n", "\n", "text"]);
  assert.equal(cells[1].id, "00-x-02");
  assert.deepEqual(cells[1].source, ["const a = 1;\n", "\n", "a;"]);
  const nb = JSON.parse(toIpynb(cells));
  assert.equal(nb.nbformat_minor, 5);
  assert.equal(nb.metadata.kernelspec.name, "tslab");
});

test("georepro:after lines declare run-order dependencies in the notebook metadata", () => {
  const src = "// georepro:after 02-mrlf, 01-preprocessing\n\n// %%\n1;\n";
  assert.deepEqual(percentDependencies(src, "x.ts"), ["02-mrlf", "01-preprocessing"]);
  assert.equal(percentToCells(src, "03-x").length, 1);
  assert.deepEqual(JSON.parse(toIpynb(percentToCells(src, "03-x"), ["02-mrlf"])).metadata.georepro, { after: ["02-mrlf"] });
  assert.equal(JSON.parse(toIpynb([])).metadata.georepro, undefined);
  assert.throws(() => percentDependencies("// georepro:after mrlf\n// %%\n", "src/x.ts"), /src\/x\.ts:1: georepro:after: "mrlf"/);
});

test("malformed sources are refused with file:line", () => {
  assert.throws(() => percentToCells("const a = 1;\n// %%\n", "x", "src/x.ts"), /src\/x\.ts:1: text before the first/);
  assert.throws(() => percentToCells("// %% [markdown]\nnot a comment\n", "x", "src/x.ts"), /src\/x\.ts:2: Markdown cell lines must start/);
  assert.throws(() => percentToCells("// %% [raw]\n", "x", "src/x.ts"), /src\/x\.ts:1: unknown cell marker/);
});

test("every committed notebook is in sync with its source", () => {
  assert.deepEqual(buildAll(true), []);
});
