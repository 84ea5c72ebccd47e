/**
 * Content-addressed disk cache for expensive, deterministic work (generated
 * datasets, trained models, frozen image features). The key is a hash of
 * everything that determines the result — data checksum, config, seed, code
 * version tag — so one notebook reuses what another computed and a re-run skips
 * finished work. `make clean` removes the whole cache folder.
 *
 * Safe on a folder shared by several processes and hosts (a Slurm cluster's shared
 * cache) without locks: an entry becomes visible only by rename once complete, and
 * when two writers race, the first rename wins and the second discards its copy
 * (entries are deterministic, so both copies are the same). Which process computes
 * an entry is the experiment graph's business (lib/workflow/graph.ts): its units own
 * the shared entries, so notebooks running at once rarely need the same missing one.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeJsonAtomic } from "./atomic";
import { keyOf } from "./hash";
import { cacheEvent } from "./progress";
import { tmpTag } from "./interrupt";

export interface CacheEntry {
  /** Folder reserved for this entry; write files into it. */
  dir: string;
  /** Content key (hash of the key object). */
  key: string;
}

function entryDir(cacheDir: string, kind: string, keyObj: unknown): CacheEntry {
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(kind)) throw new Error(`cache: bad kind "${kind}"`);
  const key = keyOf(keyObj);
  return { dir: path.join(cacheDir, kind, key), key };
}

/**
 * Cache a JSON-serialisable value. `compute` runs only when no complete entry
 * exists and no other process is computing it; entries are completed
 * atomically (a crash leaves no half entry).
 */
export async function cachedJson<T>(cacheDir: string, kind: string, keyObj: unknown, compute: () => Promise<T> | T): Promise<T> {
  const { dir, key } = entryDir(cacheDir, kind, keyObj);
  const file = path.join(dir, "value.json");
  if (fs.existsSync(file)) cacheEvent(kind, true, key);
  else {
    cacheEvent(kind, false, key);
    const value = await compute();
    writeJsonAtomic(path.join(dir, "key.json"), keyObj);
    writeJsonAtomic(file, value); // last: value.json present means the entry is complete
  }
  // Always the stored value, so what a caller gets never depends on which notebook computed it.
  return JSON.parse(fs.readFileSync(file, "utf8")) as T;
}

/**
 * Cache a folder of files. `build(tmpDir)` writes into a temporary folder that
 * is renamed into place when it returns, so a present folder is always complete.
 * Returns the entry's folder.
 */
export async function cachedDir(
  cacheDir: string,
  kind: string,
  keyObj: unknown,
  build: (tmpDir: string) => Promise<void> | void,
): Promise<CacheEntry> {
  const entry = entryDir(cacheDir, kind, keyObj);
  const complete = () => fs.existsSync(path.join(entry.dir, ".complete"));
  if (complete()) {
    cacheEvent(kind, true, entry.key);
    return entry;
  }
  cacheEvent(kind, false, entry.key);
  const tmp = `${entry.dir}.${tmpTag()}`; // pid and host: an interrupted build is swept (interrupt.ts)
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  try {
    await build(tmp);
    writeJsonAtomic(path.join(tmp, "key.json"), keyObj);
    fs.writeFileSync(path.join(tmp, ".complete"), "");
    publishDir(tmp, entry.dir, complete);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return entry;
}

/**
 * Move a finished folder into place. Renaming onto an existing non-empty folder fails, so a
 * complete entry another writer published first is kept (ours is dropped), and a folder left
 * without its `.complete` (an older layout) is moved aside by rename before ours goes in.
 */
export function publishDir(tmp: string, dir: string, complete: () => boolean): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.renameSync(tmp, dir);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ENOTEMPTY" && code !== "EEXIST") throw e;
      if (complete()) return; // someone else's identical entry won
      const aside = `${dir}.${tmpTag()}.stale`;
      try {
        fs.renameSync(dir, aside);
        fs.rmSync(aside, { recursive: true, force: true });
      } catch {
        /* another writer moved it first */
      }
    }
  }
  throw new Error(`cache: cannot publish ${dir} (it keeps reappearing incomplete)`);
}
