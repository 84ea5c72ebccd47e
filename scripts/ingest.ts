/**
 * `make ingest`: raw microblog data → data/NAME/users.jsonl + data-manifests/NAME.json.
 *
 *   node dist/scripts/ingest.js --from FILE [--format tsv|csv|jsonl] [--name NAME]
 *        [--columns user:COL,text:COL,lat:COL,lon:COL,state:COL,city:COL,country:COL]
 *        [--user COL] [--text COL] [--lat COL] [--lon COL] [--state COL] [--city COL] [--country COL]
 *        [--per tweet|user] [--no-header] [--strict] [--synthetic]
 *        [--title T] [--citation C] [--url U] [--license L] [--out DIR] [--manifest-dir DIR]
 *
 * FORMAT defaults to the file's extension and NAME to its base name.
 * Columns default to the field's own name where the header has it. Exit
 * status 0 when users were written (bad lines are listed and skipped), 1 when
 * the ingest stopped (bad header or mapping, `--strict`, nothing left).
 * See lib/data/ingest.ts for what happens to each kind of bad input.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs as parseCommandLine } from "node:util";
import {
  describeIngest,
  INGEST_FIELDS,
  IngestError,
  ingestFile,
  type IngestField,
  type IngestFileOptions,
  type IngestFormat,
} from "../lib/data/ingest";
import { projectRoot } from "../lib/runtime/paths";

const USAGE =
  "usage: node dist/scripts/ingest.js --from FILE [--format tsv|csv|jsonl] [--name NAME] [--columns user:COL,text:COL,lat:COL,lon:COL] [--per tweet|user] [--no-header] [--strict] [--synthetic]";
/** Problems printed on the terminal (all of them go to ingest-issues.txt). */
const SHOWN = 20;

/** tsv/csv/jsonl from the file's extension (FORMAT= when it has another). */
export function formatFromName(file: string): IngestFormat {
  const ext = path.extname(file).toLowerCase().replace(/^\./, "");
  if (ext === "tsv" || ext === "csv" || ext === "jsonl") return ext;
  if (ext === "ndjson") return "jsonl";
  throw new IngestError(`--format: cannot tell the format of ${path.basename(file)} from its extension; give FORMAT=tsv|csv|jsonl`);
}

/** A manifest name from the file name: "My Tweets.tsv" → "my-tweets". */
export function nameFromFile(file: string): string {
  const n = path
    .basename(file)
    .replace(/\.[^.]+$/, "")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "");
  if (!n) throw new IngestError(`--name: cannot make a manifest name from ${path.basename(file)}; give NAME=`);
  return n;
}

const STRING_OPTIONS = ["from", "format", "name", "columns", "per", "title", "citation", "url", "license", "out", "manifest-dir"] as const;

export function parseArgs(argv: readonly string[]): { from: string; options: IngestFileOptions } {
  // Node's own parser: --opt VALUE and --opt=VALUE, unknown options and stray arguments are errors.
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseCommandLine({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries([...STRING_OPTIONS, ...INGEST_FIELDS].map((k) => [k, { type: "string" as const }])),
        "no-header": { type: "boolean" },
        strict: { type: "boolean" },
        synthetic: { type: "boolean" },
      },
    }));
  } catch (e) {
    throw new IngestError(`${(e as Error).message}\n${USAGE}`);
  }
  const flags = new Map(Object.entries(values).filter((e): e is [string, string] => typeof e[1] === "string"));
  const bools = new Set(
    Object.entries(values)
      .filter(([, v]) => v === true)
      .map(([k]) => k),
  );
  const need = (k: string) => {
    const v = flags.get(k);
    if (!v) throw new IngestError(`--${k}: required\n${USAGE}`);
    return v;
  };
  const columns: Partial<Record<IngestField, string>> = {};
  for (const pair of (flags.get("columns") ?? "").split(",").filter((s) => s.trim() !== "")) {
    const m = /^\s*([a-z]+)\s*[:=]\s*(.+?)\s*$/.exec(pair);
    if (!m || !(INGEST_FIELDS as readonly string[]).includes(m[1]))
      throw new IngestError(`--columns: "${pair}" is not FIELD:COLUMN with FIELD one of ${INGEST_FIELDS.join(", ")}`);
    columns[m[1] as IngestField] = m[2];
  }
  for (const f of INGEST_FIELDS) if (flags.has(f)) columns[f] = flags.get(f)!;
  const per = flags.get("per") ?? "tweet";
  if (per !== "tweet" && per !== "user") throw new IngestError(`--per: expected tweet or user, got "${per}"`);
  const from = path.resolve(need("from"));
  return {
    from,
    options: {
      format: (flags.get("format") ?? formatFromName(from)) as IngestFormat,
      name: flags.get("name") ?? nameFromFile(from),
      per,
      columns,
      header: !bools.has("no-header"),
      strict: bools.has("strict"),
      synthetic: bools.has("synthetic"),
      title: flags.get("title"),
      citation: flags.get("citation"),
      url: flags.get("url"),
      license: flags.get("license"),
      outDir: flags.has("out") ? path.resolve(flags.get("out")!) : undefined,
      manifestDir: flags.has("manifest-dir") ? path.resolve(flags.get("manifest-dir")!) : undefined,
    },
  };
}

/** The process's resident high-water mark (Linux), for the bounded-memory claim. */
function peakMemoryMb(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync("/proc/self/status", "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

export function main(argv: readonly string[]): number {
  try {
    const { from, options } = parseArgs(argv);
    const w = ingestFile(from, options);
    const rel = (p: string) => path.relative(projectRoot, p) || p;
    for (const l of describeIngest(w.result, path.basename(from))) process.stdout.write(`ingest: ${l}\n`);
    for (const i of w.result.issues.slice(0, SHOWN)) process.stderr.write(`${i}\n`);
    if (w.result.issueCount > SHOWN) process.stderr.write(`… and ${w.result.issueCount - SHOWN} more: see ${rel(w.issuesFile)}\n`);
    process.stdout.write(`ingest: wrote ${rel(w.usersFile)} and ${rel(w.manifestFile)} (problems: ${rel(w.issuesFile)})\n`);
    process.stdout.write(`ingest: next: make reproduce DATA=${options.name} LEVEL=state|city|country\n`);
    const peak = peakMemoryMb();
    if (peak !== null) process.stderr.write(`[ingest] peak memory ${peak} MB\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof IngestError)) throw e;
    process.stderr.write(`ingest: stopped: ${e.message}\n`);
    return 1;
  }
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
