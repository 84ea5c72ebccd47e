/**
 * Content-addressed disk cache for expensive, deterministic work (generated
 * datasets, trained models, frozen image features). The key is a hash of
 * everything that determines the result — data checksum, config, seed, code
 * version tag — so one notebook reuses what another computed and a re-run skips
 * finished work. Notebooks running at once compute an entry once: the others
 * wait for it (compute-once.ts). `make clean` removes the whole cache folder.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeJsonAtomic } from "./atomic";
import { keyOf } from "./hash";
import { cacheEvent } from "./progress";
import { computeOnce } from "./compute-once";
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
  const computed = await computeOnce(
    `${dir}.lock`,
    () => fs.existsSync(file),
    async () => {
      cacheEvent(kind, false, key);
      const value = await compute();
      writeJsonAtomic(path.join(dir, "key.json"), keyObj);
      writeJsonAtomic(file, value);
    },
    `${kind} ${key}`,
  );
  if (!computed) cacheEvent(kind, true, key);
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
  const built = await computeOnce(
    `${entry.dir}.lock`,
    () => fs.existsSync(path.join(entry.dir, ".complete")),
    async () => {
      cacheEvent(kind, false, entry.key);
      const tmp = `${entry.dir}.${tmpTag()}`; // pid and host: an interrupted build is swept (interrupt.ts)
      fs.rmSync(tmp, { recursive: true, force: true });
      fs.mkdirSync(tmp, { recursive: true });
      try {
        await build(tmp);
        writeJsonAtomic(path.join(tmp, "key.json"), keyObj);
        fs.writeFileSync(path.join(tmp, ".complete"), "");
        fs.rmSync(entry.dir, { recursive: true, force: true });
        fs.renameSync(tmp, entry.dir);
      } catch (e) {
        fs.rmSync(tmp, { recursive: true, force: true });
        throw e;
      }
    },
    `${kind} ${entry.key}`,
  );
  if (!built) cacheEvent(kind, true, entry.key);
  return entry;
}
