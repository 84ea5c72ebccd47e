/**
 * The parameter envelope: every GEOREPRO_* variable is documented in lib/runtime/env.ts, read only through envVar, and README's table is
 * that list.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ENV_VARS, envVar, parameterTable } from "../../lib/runtime/env";
import { fromRoot } from "../../lib/runtime/paths";
import { BEGIN, END, withTable } from "../../scripts/params-table";

const FAMILIES = Object.keys(ENV_VARS)
  .filter((k) => k.endsWith("<NAME>"))
  .map((k) => k.replace("<NAME>", ""));

function sources(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|js|py)$/.test(e.name) && !e.name.endsWith(".d.ts")) out.push(p);
    }
  };
  for (const d of ["lib", "scripts", "bench", "workflow"]) walk(fromRoot(d));
  return out;
}

/** Reads of a GEOREPRO_* variable that bypass envVar (assignments, which set a child's environment, are not reads). */
export function directReads(text: string): number[] {
  const notSet = String.raw`(?!\s*(?:=(?!=)|\?\?=))`;
  const re = new RegExp(
    [
      String.raw`process\.env\.GEOREPRO_\w+\b` + notSet,
      String.raw`(?<![\w.])env\.GEOREPRO_\w+\b` + notSet,
      String.raw`env\[\s*["'\x60]GEOREPRO_`,
      String.raw`(?<!delete )(?:process\.|(?<![\w.]))env\[\s*[A-Z_]+_ENV\s*\]` + notSet,
      String.raw`os\.environ(?:\.get\(|\[)\s*["']GEOREPRO_`,
    ].join("|"),
    "g",
  );
  return [...text.matchAll(re)].map((m) => text.slice(0, m.index).split("\n").length);
}

test("no source reads a GEOREPRO_* variable except through envVar (lib/runtime/env.ts)", () => {
  const bad: string[] = [];
  for (const f of sources()) {
    if (f === fromRoot("lib", "runtime", "env.ts")) continue;
    for (const line of directReads(fs.readFileSync(f, "utf8"))) bad.push(`${path.relative(fromRoot(), f)}:${line}`);
  }
  assert.deepEqual(bad, []);
});

test("the read check finds a direct read and lets an assignment pass", () => {
  assert.deepEqual(directReads('const a = process.env.GEOREPRO_X;\nprocess.env.GEOREPRO_Y = "1";\nconst b = env["GEOREPRO_Z"];'), [1, 3]);
  assert.deepEqual(directReads("const w = env[WS_ENV];\ndelete process.env[WS_ENV];"), [1]);
});

test("every GEOREPRO_* name in lib/, scripts/, bench/ is documented in ENV_VARS", () => {
  const known = new Set(Object.keys(ENV_VARS));
  const undocumented = new Set<string>();
  for (const f of sources())
    for (const m of fs.readFileSync(f, "utf8").matchAll(/GEOREPRO_[A-Z0-9_]*[A-Z0-9]/g))
      if (!known.has(m[0]) && !FAMILIES.some((p) => m[0].startsWith(p) || p.startsWith(`${m[0]}_`)))
        undocumented.add(`${m[0]} (${path.relative(fromRoot(), f)})`);
  assert.deepEqual([...undocumented], []);
});

test("README's parameter table is the one generated from ENV_VARS", () => {
  const readme = fs.readFileSync(fromRoot("README.md"), "utf8");
  assert.ok(readme.includes(BEGIN) && readme.includes(END), "README.md: parameter table markers");
  assert.equal(readme, withTable(readme), "README.md differs from lib/runtime/env.ts: run node dist/scripts/params-table.js --write");
  for (const [name, spec] of Object.entries(ENV_VARS)) if (spec.audience === "user") assert.ok(parameterTable().includes(`\`${name}\``));
});

test("envVar reads the given environment", () => {
  assert.equal(envVar("GEOREPRO_SEED", { GEOREPRO_SEED: "7" }), "7");
  assert.equal(envVar("GEOREPRO_DATA_GEOTEXT", {}), undefined);
});
