/**
 * `make ingest` at crawl size: a per-tweet JSONL of N tweets (default 10
 * million, 500,000 users whose tweets are interleaved through the file, short
 * texts and coordinates, as a crawl's export) ingested by the CLI in a child
 * process; prints the file size, the wall time, the rate and the ingest's peak
 * resident memory (it reports its own high-water mark), with the load average.
 *
 *   node dist/bench/ingest-scale.js [tweets=10000000] [users=500000]
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { fromRoot } from "../lib/runtime/paths";

const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

function main(): void {
  const tweets = Number(process.argv[2] ?? 10_000_000);
  const users = Number(process.argv[3] ?? 500_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "georepro-ingest-bench-"));
  try {
    const raw = path.join(dir, "crawl.jsonl");
    const t0 = Date.now();
    const fd = fs.openSync(raw, "w");
    const words = ["coffee", "game", "tonight", "traffic", "pizza", "rain", "beach", "concert", "monday", "lol"];
    let lines: string[] = [];
    for (let i = 0; i < tweets; i++) {
      const u = (i * 7919) % users; // interleaved: a user's tweets are spread over the whole file
      const text = `${words[i % 10]} ${words[(i >> 3) % 10]} at ${words[(i >> 6) % 10]} #${words[u % 10]}`;
      lines.push(
        `{"id_str":"${i}","user":{"id_str":"${u}"},"text":"${text}","lat":${(30 + (u % 17) + (i % 5) * 0.01).toFixed(4)},"lon":${(-120 + (u % 45) + (i % 3) * 0.01).toFixed(4)}}`,
      );
      if (lines.length === 100_000) {
        fs.writeSync(fd, lines.join("\n") + "\n");
        lines = [];
      }
    }
    if (lines.length) fs.writeSync(fd, lines.join("\n") + "\n");
    fs.closeSync(fd);
    const size = fs.statSync(raw).size;
    console.log(
      `wrote ${raw}: ${tweets} tweets of ${users} users, ${(size / 2 ** 30).toFixed(2)} GiB, in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    console.log(`load average before the ingest: ${load()}; ${os.cpus().length} cores`);
    const t1 = Date.now();
    const r = spawnSync(
      process.execPath,
      [
        fromRoot("dist", "scripts", "ingest.js"),
        "--from",
        raw,
        "--columns",
        "user:user.id_str",
        "--out",
        path.join(dir, "out"),
        "--manifest-dir",
        dir,
      ],
      { encoding: "utf8" },
    );
    const s = (Date.now() - t1) / 1000;
    if (r.status !== 0) throw new Error(`ingest failed:\n${r.stderr.slice(-3000)}`);
    console.log(r.stdout.trim());
    const peak = /peak memory (\d+) MB/.exec(r.stderr);
    console.log(
      `ingest: ${s.toFixed(1)} s, ${(size / 2 ** 20 / s).toFixed(1)} MB/s, ${Math.round(tweets / s)} tweets/s; peak resident memory ${peak ? `${peak[1]} MB` : "(not reported)"} for a ${(size / 2 ** 20).toFixed(0)} MB file`,
    );
    console.log(`load average after: ${load()}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
