/**
 * `make bench`: every benchmark in turn, each in its own process, printing what
 * bench/README.md records. Pass names to run a subset:
 *   node dist/bench/run-all.js train-peer localwords-peer
 * Benchmarks measure wall time: run them on an otherwise idle machine.
 */
import { spawnSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";

/** name → arguments (the figures in bench/README.md were printed with these). */
export const BENCHES: Record<string, string[]> = {
  "generate-posts": ["default"],
  "geotext-labels": [],
  "localwords-peer": [],
  // 1k … 235k synthetic users, every stage; the log–log plot of bench/README.md.
  "localwords-scale": ["1000,10000,100000,235120", "--svg", "bench/localwords-scale.svg"],
  "word2vec-peer": ["100"],
  "ingest-scale": ["10000000", "500000"],
  backends: ["3", "wasm"], // the pure-JS cpu backend needs minutes per step: `node dist/bench/backends.js 1 wasm,cpu`
  "train-peer": ["mrlf-default,mrlf-32,mrlf-paper,resnet50,resnet101,densenet121", "5"],
  "wasm-matmul": [],
  features: [],
  portrait: [],
  "mrlf-variants": ["default"],
  figures: [],
};

function main(): void {
  const names = process.argv.slice(2);
  for (const n of names)
    if (!(n in BENCHES)) throw new Error(`bench: unknown benchmark "${n}" (known: ${Object.keys(BENCHES).join(", ")})`);
  const failed: string[] = [];
  for (const name of names.length ? names : Object.keys(BENCHES)) {
    process.stdout.write(
      `\n== ${name} (load average ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(" ")}) ==\n`,
    );
    // --expose-gc: localwords-scale collects before each stage so that its peak memory is the stage's own.
    const r = spawnSync(process.execPath, ["--expose-gc", path.join(__dirname, `${name}.js`), ...BENCHES[name]], { stdio: "inherit" });
    if (r.status !== 0) failed.push(name);
  }
  if (failed.length) {
    process.stderr.write(`bench: failed: ${failed.join(", ")}\n`);
    process.exit(1);
  }
}

if (require.main === module) main();
