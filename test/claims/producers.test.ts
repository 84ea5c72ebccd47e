/**
 * Every registered claim has a producer: its id is named in a study (lib/studies/), the
 * only place that calls claims.judge / notRun. A claim registered without a judge call
 * would otherwise read "not run" after its notebook ran, with every other test green.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { CLAIMS } from "../../lib/claims/registry";
import { fromRoot } from "../../lib/runtime/paths";

function studySources(): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts")) out.push(fs.readFileSync(p, "utf8"));
    }
  };
  walk(fromRoot("lib", "studies"));
  return out.join("\n");
}

/** Claim ids that no study source names as a string literal. */
export const orphans = (ids: readonly string[], src: string): string[] => ids.filter((id) => !src.includes(`"${id}"`));

test("every registered claim is judged by a study (its id is named in lib/studies/)", () => {
  const none = orphans(
    CLAIMS.map((c) => c.id),
    studySources(),
  );
  assert.deepEqual(none, [], "claims with no producer: add a judge call in the study that makes their evidence");
});

test("a claim registered without a judge call is found", () => {
  assert.deepEqual(orphans(["a-judged", "b-registered-only"], 'judge(run, "a-judged", evidence)'), ["b-registered-only"]);
});
