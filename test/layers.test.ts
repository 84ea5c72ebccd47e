/** The library's layering (scripts/check-layers.ts) holds, and the checker finds what breaks it. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkLayers, layerOf } from "../scripts/check-layers";
import { fromRoot } from "../lib/runtime/paths";

test("lib/ imports only downwards and has no folder cycles", () => {
  assert.deepEqual(checkLayers(fromRoot("lib")), []);
});

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "georepro-layers-"));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

test("an upward import (type-only included) is a violation naming file and line", () => {
  const dir = tree({
    "data/a.ts": 'export const a = 1;\nimport type { S } from "../studies/s";\n',
    "studies/s.ts": 'import { a } from "../data/a";\nexport type S = typeof a;\n',
  });
  const v = checkLayers(dir);
  assert.ok(
    v.some((l) => /data\/a\.ts:2: imports lib\/studies\/s\.ts: data may not import studies/.test(l)),
    v.join("\n"),
  );
  assert.ok(
    v.some((l) => /folders data ↔ studies import each other/.test(l)),
    v.join("\n"),
  );
});

test("a cycle inside one layer is found; a folder without a layer is an error", () => {
  const dir = tree({
    "data/x.ts": 'import { y } from "../geo/y";\nexport const x = y;\n',
    "geo/y.ts": 'import type { x } from "../data/x";\nexport const y = 1;\n',
  });
  assert.ok(checkLayers(dir).some((l) => /folders data ↔ geo import each other/.test(l)));
  assert.throws(() => layerOf("newfolder/z.ts"), /no layer for folder "newfolder"/);
});

test("no file is an exception: a runtime file importing the notebook entry point (lib/notebook.ts) is a violation", () => {
  const dir = tree({
    "notebook.ts": 'import { r } from "./runtime/r";\nexport const n = r;\n',
    "runtime/r.ts": 'export const r = 1;\nimport type { n } from "../notebook";\n',
  });
  assert.ok(
    checkLayers(dir).some((l) => /runtime\/r\.ts:2: imports lib\/notebook\.ts: core may not import presentation/.test(l)),
    checkLayers(dir).join("\n"),
  );
  // A file's layer is its folder's (written joined so that the relayer's path rewriting leaves it alone).
  assert.equal(layerOf(["runtime", "notebook.ts"].join("/")), "core");
  assert.equal(layerOf("notebook.ts"), "presentation");
  assert.equal(layerOf("geo/distance.ts"), "core");
});

test("every folder of lib/ has a layer", () => {
  for (const e of fs.readdirSync(fromRoot("lib"), { withFileTypes: true })) if (e.isDirectory()) layerOf(`${e.name}/x.ts`);
});
