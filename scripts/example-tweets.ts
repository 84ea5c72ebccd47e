/**
 * Writes the worked example's raw tweet file (README, "Your own data in three
 * commands"): a small TSV shaped like a crawl of geotagged tweets, generated
 * (SYNTHETIC) by lib/data/synthetic/raw-tweets.ts.
 *
 *   node dist/scripts/example-tweets.js [OUT.tsv] [--users-per-city N] [--seed S]
 *
 * Default OUT: data/raw/example-tweets.tsv.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../lib/runtime/atomic";
import { fromRoot, projectRoot } from "../lib/runtime/paths";
import { exampleRawTweets } from "../lib/data/synthetic/raw-tweets";

export function main(argv: readonly string[]): number {
  let out = fromRoot("data", "raw", "example-tweets.tsv");
  let usersPerCity: number | undefined;
  let seed: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (v: string | undefined, flag: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${flag}: expected a positive integer, got ${JSON.stringify(v)}`);
      return n;
    };
    if (a === "--users-per-city") usersPerCity = num(argv[++i], a);
    else if (a === "--seed") seed = num(argv[++i], a);
    else if (a.startsWith("--")) throw new Error(`unknown option ${a}`);
    else out = path.resolve(a);
  }
  const lines = exampleRawTweets({ usersPerCity, seed });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  writeFileAtomic(out, lines.join("\n") + "\n");
  process.stdout.write(
    `example-tweets: wrote ${path.relative(projectRoot, out) || out} (${lines.length - 1} tweet lines, SYNTHETIC, in the shape of a raw crawl)\n`,
  );
  return 0;
}

if (require.main === module) {
  try {
    process.exit(main(process.argv.slice(2)));
  } catch (e) {
    process.stderr.write(`example-tweets: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
