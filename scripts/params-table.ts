/**
 * README's parameter table, generated from the one list of environment variables
 * (lib/runtime/env.ts): prints it, or with --write replaces the table between the
 * README's markers. test/runtime/env.test.ts fails when the README differs.
 *
 *   node dist/scripts/params-table.js [--write]
 */
import * as fs from "node:fs";
import { parameterTable } from "../lib/runtime/env";
import { fromRoot } from "../lib/runtime/paths";

export const BEGIN = "<!-- parameter table: generated from lib/runtime/env.ts by `node dist/scripts/params-table.js --write` -->";
export const END = "<!-- end of parameter table -->";

/** The README text with its parameter table replaced; an error when the markers are missing. */
export function withTable(readme: string, table = parameterTable()): string {
  const a = readme.indexOf(BEGIN);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md: the parameter table's markers are missing (${BEGIN} … ${END})`);
  return `${readme.slice(0, a + BEGIN.length)}\n${table}\n${readme.slice(b)}`;
}

if (require.main === module) {
  if (process.argv.includes("--write")) {
    const file = fromRoot("README.md");
    fs.writeFileSync(file, withTable(fs.readFileSync(file, "utf8")));
    process.stderr.write("params-table: README.md's parameter table rewritten from lib/runtime/env.ts\n");
  } else process.stdout.write(`${parameterTable()}\n`);
}
