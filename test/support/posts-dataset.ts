/**
 * A posts dataset made by the tests, in the on-disk format a researcher brings
 * (data-manifests/posts.md): CITY/posts.jsonl, CITY/pois.json, CITY/images/,
 * and a manifest naming them. The posts come from the synthetic generator at
 * the given scale, with the generator's ground truth (`truth`) removed, as a
 * real crawl would have none; images are hard-linked (copied where linking fails).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { syntheticCityDir } from "../../lib/data/synthetic/instagram";
import type { SyntheticCityId } from "../../lib/data/synthetic/instagram";
import type { Scale } from "../../lib/runtime/params";
import { fromRoot } from "../../lib/runtime/paths";

export interface MadeCity {
  /** Synthetic city to take the posts from. */
  from: SyntheticCityId;
  /** City id (folder name) in the made dataset. */
  as: string;
}

function linkTree(src: string, dst: string): void {
  fs.mkdirSync(dst, { recursive: true });
  for (const e of fs.readdirSync(src, { withFileTypes: true })) {
    const s = path.join(src, e.name),
      d = path.join(dst, e.name);
    if (e.isDirectory()) linkTree(s, d);
    else
      try {
        fs.linkSync(s, d);
      } catch {
        fs.copyFileSync(s, d);
      }
  }
}

/** Write the dataset under `dir` and its manifest `dir/NAME.json`; returns the manifest's path. */
export async function makePostsDataset(
  dir: string,
  name: string,
  cities: readonly MadeCity[],
  opts: { seed?: number; scale?: Scale; cacheDir?: string } = {},
): Promise<string> {
  const root = path.join(dir, "data", name);
  const files: unknown[] = [];
  for (const c of cities) {
    const src = await syntheticCityDir(
      { seed: opts.seed ?? 1, scale: opts.scale ?? "tiny", cacheDir: opts.cacheDir ?? fromRoot(".cache") },
      c.from,
      { verbose: false },
    );
    const out = path.join(root, c.as);
    fs.mkdirSync(out, { recursive: true });
    const posts = fs
      .readFileSync(path.join(src, "posts.jsonl"), "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => {
        const p = JSON.parse(l) as Record<string, unknown>;
        delete p.truth;
        return JSON.stringify(p);
      });
    fs.writeFileSync(path.join(out, "posts.jsonl"), posts.join("\n") + "\n");
    fs.copyFileSync(path.join(src, "pois.json"), path.join(out, "pois.json"));
    linkTree(path.join(src, "images"), path.join(out, "images"));
    files.push(
      { path: `${c.as}/posts.jsonl`, size: null, sha256: null, format: "instagram-posts-jsonl" },
      { path: `${c.as}/pois.json`, size: null, sha256: null, format: "poi-list" },
    );
  }
  const manifest = {
    schemaVersion: 1,
    name,
    title: `Instagram-style posts made by the tests (${cities.map((c) => c.as).join(", ")})`,
    description: "Posts in the researcher-data format, taken from the synthetic generator without its ground truth.",
    citation: "georepro tests",
    url: "none",
    license: null,
    synthetic: true,
    root: { searchPaths: [root], env: `GEOREPRO_DATA_${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}` },
    files,
  };
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(manifest, null, 2) + "\n");
  return file;
}
