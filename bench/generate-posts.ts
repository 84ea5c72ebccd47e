/**
 * How long generating the synthetic Instagram data takes at a scale (default:
 * "default", the size `make reproduce` uses), from an empty cache, one process.
 * Acceptance: default < 2 minutes on 2 cores. Also times the cached reload.
 *
 *   node dist/bench/generate-posts.js [tiny|default|paper]
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { syntheticCity, SYNTHETIC_CITIES } from "../lib/data/synthetic/instagram";
import type { Scale } from "../lib/runtime/params";

async function main(): Promise<void> {
  const scale = (process.argv[2] ?? "default") as Scale;
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "georepro-bench-posts-"));
  const lines: string[] = [];
  let total = 0,
    posts = 0,
    images = 0;
  for (const city of SYNTHETIC_CITIES) {
    const t0 = performance.now();
    const ds = await syntheticCity({ seed: 1, scale, cacheDir }, city, { verbose: false });
    const ms = performance.now() - t0;
    total += ms;
    posts += ds.posts.length;
    const n = ds.posts.reduce((a, p) => a + p.images.length, 0);
    images += n;
    lines.push(`${`generate ${city} (${ds.posts.length} posts, ${n} images)`.padEnd(52)} ${(ms / 1000).toFixed(2).padStart(7)} s`);
  }
  lines.push(`${`generate all (${posts} posts, ${images} images)`.padEnd(52)} ${(total / 1000).toFixed(2).padStart(7)} s`);
  const t1 = performance.now();
  for (const city of SYNTHETIC_CITIES) await syntheticCity({ seed: 1, scale, cacheDir }, city, { verbose: false });
  lines.push(`${"reload all from the cache".padEnd(52)} ${((performance.now() - t1) / 1000).toFixed(2).padStart(7)} s`);
  console.log(`synthetic Instagram data, scale=${scale}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}`);
  for (const l of lines) console.log(l);
  fs.rmSync(cacheDir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
