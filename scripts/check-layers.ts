/**
 * The library's layering, checked: every import in lib/ goes to the same or a
 * lower layer, and no two folders import each other (directly or round a loop).
 * The folders are the layers — a file's layer is its top folder's, with no
 * exceptions:
 *
 *   core          runtime, tfjs, papers, geo, metrics, stats, results
 *   data          data
 *   methods       text, image, models, training, localwords, figures
 *   experiments   experiments (one system on one split and seed)
 *   studies       studies, claims, workflow (a paper section over cities/users and seeds, its verdicts; the graph of their units)
 *   presentation  the files directly in lib/: index.ts and notebook.ts (what notebooks import)
 *
 *   node dist/scripts/check-layers.js      (exit 1 and one line per violation)
 *
 * Type-only imports count: a type is a dependency of the design, if not of the
 * bundle. `make test` runs this through test/layers.test.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { projectRoot } from "../lib/runtime/paths";

export const LAYERS = ["core", "data", "methods", "experiments", "studies", "presentation"] as const;
export type Layer = (typeof LAYERS)[number];

/** Each layer's folders, lowest first; a folder not listed here is an error (add it). */
export const LAYER_FOLDERS: Record<Layer, readonly string[]> = {
  core: ["runtime", "tfjs", "papers", "geo", "metrics", "stats", "results"],
  data: ["data"],
  methods: ["text", "image", "models", "training", "localwords", "figures"],
  experiments: ["experiments"],
  studies: ["studies", "claims", "workflow"],
  presentation: [],
};

/** The layer of a file under lib/ (path relative to lib/, with forward slashes): its top folder's. */
export function layerOf(rel: string): Layer {
  if (!rel.includes("/")) return "presentation";
  const top = rel.split("/")[0];
  for (const l of LAYERS) if (LAYER_FOLDERS[l].includes(top)) return l;
  throw new Error(`check-layers: lib/${rel}: no layer for folder "${top}" (add it to LAYER_FOLDERS in scripts/check-layers.ts)`);
}

/** The unit of the cycle check: the top folder (a file directly in lib/ is its own unit). */
const unitOf = (rel: string): string => (rel.includes("/") ? rel.split("/")[0] : rel);

export interface ImportEdge {
  from: string;
  to: string;
  line: number;
}

const IMPORT_RE =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|(?:^|[^\w.])(?:require|import)\s*\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm;

/** Relative imports of every .ts file under `libDir`, resolved to paths relative to it. */
export function libImports(libDir: string): ImportEdge[] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) files.push(p);
    }
  };
  walk(libDir);
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    const from = path.relative(libDir, file).split(path.sep).join("/");
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec?.startsWith(".")) continue;
      const base = path.resolve(path.dirname(file), spec);
      const target = [`${base}.ts`, path.join(base, "index.ts"), base].find((p) => fs.existsSync(p) && fs.statSync(p).isFile());
      if (!target) throw new Error(`check-layers: ${file}: import "${spec}" resolves to no .ts file`);
      const to = path.relative(libDir, target).split(path.sep).join("/");
      if (to.startsWith("..")) continue;
      const line = text.slice(0, m.index! + m[0].length).split("\n").length;
      edges.push({ from, to, line });
    }
  }
  return edges;
}

/** Every layering violation and folder cycle, one line each. */
export function checkLayers(libDir: string): string[] {
  const edges = libImports(libDir);
  const out: string[] = [];
  for (const e of edges) {
    const a = LAYERS.indexOf(layerOf(e.from));
    const b = LAYERS.indexOf(layerOf(e.to));
    if (b > a)
      out.push(`lib/${e.from}:${e.line}: imports lib/${e.to}: ${LAYERS[a]} may not import ${LAYERS[b]} (order: ${LAYERS.join(" → ")})`);
  }
  // Folder cycles (Tarjan's strongly connected components over the folder graph).
  const graph = new Map<string, Set<string>>();
  for (const e of edges) {
    const u = unitOf(e.from),
      v = unitOf(e.to);
    if (u === v) continue;
    if (!graph.has(u)) graph.set(u, new Set());
    graph.get(u)!.add(v);
  }
  const index = new Map<string, number>(),
    low = new Map<string, number>(),
    stack: string[] = [],
    on = new Set<string>();
  let i = 0;
  const comps: string[][] = [];
  const strong = (v: string) => {
    (index.set(v, i), low.set(v, i), i++, stack.push(v), on.add(v));
    for (const w of [...(graph.get(v) ?? [])].sort()) {
      if (!index.has(w)) (strong(w), low.set(v, Math.min(low.get(v)!, low.get(w)!)));
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do ((w = stack.pop()!), on.delete(w), c.push(w));
      while (w !== v);
      if (c.length > 1) comps.push(c.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) strong(v);
  for (const c of comps) {
    const inCycle = edges.filter((e) => c.includes(unitOf(e.from)) && c.includes(unitOf(e.to)) && unitOf(e.from) !== unitOf(e.to));
    out.push(`folders ${c.join(" ↔ ")} import each other: ${inCycle.map((e) => `lib/${e.from}:${e.line} → lib/${e.to}`).join("; ")}`);
  }
  return out;
}

if (require.main === module) {
  const v = checkLayers(path.join(projectRoot, "lib"));
  for (const line of v) process.stderr.write(`${line}\n`);
  process.stderr.write(
    v.length ? `check-layers: ${v.length} violation(s)\n` : `check-layers: lib/ is layered (${LAYERS.join(" → ")}), no folder cycles\n`,
  );
  process.exit(v.length ? 1 : 0);
}
