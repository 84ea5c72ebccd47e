/** Where things live. The project root is found from this file's location, so
 * notebooks (cwd = notebooks/), tests and scripts all agree. */
import * as fs from "node:fs";
import * as path from "node:path";
import { envVar } from "./env";

function findRoot(): string {
  const root = envVar("GEOREPRO_ROOT");
  if (root) return path.resolve(root);
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg)) {
      try {
        if (JSON.parse(fs.readFileSync(pkg, "utf8")).name === "georepro") return dir;
      } catch {
        /* keep looking upwards */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`georepro: cannot find the project root above ${__dirname}; set GEOREPRO_ROOT`);
    dir = up;
  }
}

/** Absolute path of the project root (the folder with georepro's package.json). */
export const projectRoot: string = findRoot();

/** Resolve a path relative to the project root. */
export const fromRoot = (...parts: string[]): string => path.resolve(projectRoot, ...parts);
