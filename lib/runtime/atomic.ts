/** Atomic file writes: temp file in the same folder + rename, so a reader never
 * sees a half-written table, figure or cache entry (rename is atomic on POSIX).
 * The temp file's name carries the writer's pid and host, so what an interrupted
 * writer leaves is found and removed (interrupt.ts). */
import * as fs from "node:fs";
import * as path from "node:path";
import { tmpTag } from "./interrupt";

export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${tmpTag()}.${Date.now()}`);
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

export const writeJsonAtomic = (file: string, value: unknown): void => writeFileAtomic(file, JSON.stringify(value, null, 2) + "\n");
