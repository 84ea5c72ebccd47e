/** The docs match the code: README's "How it fits together" and CONTRIBUTING name every lib/ folder, script and tool. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { fromRoot } from "../lib/runtime/paths";

const readme = fs.readFileSync(fromRoot("README.md"), "utf8");
const contributing = fs.readFileSync(fromRoot("CONTRIBUTING.md"), "utf8");

/** The code block under "## How it fits together". */
function layoutBlock(): string {
  const at = readme.indexOf("## How it fits together");
  assert.ok(at >= 0, 'README.md: no "## How it fits together"');
  const a = readme.indexOf("```\n", at);
  const b = readme.indexOf("```\n", a + 4);
  return readme.slice(a + 4, b);
}

const libEntries = () =>
  fs
    .readdirSync(fromRoot("lib"), { withFileTypes: true })
    .filter((e) => e.isDirectory() || e.name.endsWith(".ts"))
    .map((e) => (e.isDirectory() ? `${e.name}/` : e.name))
    .sort();

test("README's folder list is `ls lib/`", () => {
  const listed = [...layoutBlock().matchAll(/^ {2}([a-z][\w-]*\/|[\w-]+\.ts)/gm)].map((m) => m[1]);
  const inline = [...layoutBlock().matchAll(/;\s+([\w-]+\.ts)\s/g)].map((m) => m[1]);
  assert.deepEqual([...new Set([...listed, ...inline])].sort(), libEntries());
});

test("README's layout and CONTRIBUTING name every script and tool", () => {
  const block = layoutBlock();
  const scripts = fs
    .readdirSync(fromRoot("scripts"))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => f.replace(/\.ts$/, ""));
  const tools = fs.readdirSync(fromRoot("tools"));
  for (const s of scripts) {
    assert.match(block, new RegExp(`\\b${s}\\b`), `README.md "How it fits together": scripts/${s}.ts is not named`);
    assert.match(contributing, new RegExp(`\\b${s}\\b`), `CONTRIBUTING.md: scripts/${s}.ts is not named`);
  }
  for (const t of tools) {
    assert.ok(block.includes(t), `README.md "How it fits together": tools/${t} is not named`);
    assert.ok(contributing.includes(t), `CONTRIBUTING.md: tools/${t} is not named`);
  }
});

test("CONTRIBUTING names every lib/ folder and has the checklists", () => {
  for (const e of libEntries()) assert.ok(contributing.includes(`lib/${e}`), `CONTRIBUTING.md: lib/${e} is not named`);
  for (const h of ["Add a baseline", "Add a claim", "Add a fusion", "Add a study"])
    assert.ok(contributing.includes(`### ${h}`), `CONTRIBUTING.md: no "### ${h}" checklist`);
});
