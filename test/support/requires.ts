/**
 * Tests that need something outside Node (Debian Python peers, Jupyter, the real
 * GeoText copy) declare it here. Outside CI a missing requirement skips the test
 * and says why; under CI=true it fails the test instead, so a check that cannot
 * run is never silently green (a newcomer's machine once lacked IPython while CI,
 * on a hand-prepared machine, stayed green).
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";

export const underCi = (env: NodeJS.ProcessEnv = process.env): boolean => /^(1|true|yes)$/i.test(env.CI ?? "");

/**
 * `test(name, fn)`, unless `missing` names what is absent: then a skip with that
 * reason, or under CI a failing test that names it and the command that installs it.
 */
export function testNeeding(name: string, missing: string | false | null, fn: (t: TestContext) => void | Promise<void>): void {
  if (!missing) {
    test(name, fn);
    return;
  }
  if (underCi()) {
    test(name, () =>
      assert.fail(
        `cannot run under CI=true: ${missing}. \`make test\` installs what this check needs; a check that cannot run fails in CI instead of skipping.`,
      ),
    );
    return;
  }
  test(name, { skip: `skipped: ${missing}` }, fn);
}
