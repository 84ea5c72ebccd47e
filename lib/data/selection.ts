/**
 * Which data a run uses: what notebooks iterate over, chosen in one place.
 *
 *   make reproduce                       GeoText + synthetic microblog users (07, 08),
 *                                        synthetic Instagram-style cities (01–06)
 *                                        + every real posts manifest marked
 *                                        `posts.inDefaultRun` whose data are on this
 *                                        machine (Flickr Vienna), beside them
 *   make reproduce DATA=NAME [LEVEL=…]   the researcher's dataset described by
 *                                        data-manifests/NAME.json (or a path to a
 *                                        manifest): microblog users → 07 and 08,
 *                                        Instagram-style posts → 01–06
 *
 * Without DATA, the conventional manifests are still honoured and said so:
 * data-manifests/microblog-users.json (07/08) and data-manifests/instagram-posts.json
 * (01–06), the targets of the templates in data-manifests/templates/. A data
 * folder set through GEOREPRO_DATA_MICROBLOG without such a manifest is named
 * in the run's report rather than silently ignored.
 *
 * Each `…ForRun` function returns report lines that the notebook prints, so a
 * run always says which data it used and why.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { dataManifestFile, type Params } from "../runtime/params";
import type { DatasetRef } from "../results/table";
import { DatasetMissingError, displayPath, loadManifest, ManifestError, resolveManifest, type Manifest } from "./manifest";
import { SYNTHETIC_CITIES } from "./synthetic/pois";
import type { CityDataset } from "./posts";
import { envVar } from "../runtime/env";

export type DataKind = "microblog" | "posts";

export const MICROBLOG_FORMATS = ["microblog-users-jsonl", "microblog-users-tsv"] as const;
export const POSTS_FORMATS = ["instagram-posts-jsonl", "flickr-photos-csv"] as const;

/** The notebooks that fit each kind of data (by file stem). */
export const NOTEBOOKS_FOR_KIND: Readonly<Record<DataKind, readonly string[]>> = {
  microblog: ["07-nb-thresholds", "08-elbow-k"],
  posts: ["01-preprocessing", "02-mrlf", "03-ablation", "04-fusion-variants", "05-noisy-images", "06-low-frequency-hashtags"],
};

/** What a manifest describes, from its files' formats. */
export function manifestKind(m: Manifest): DataKind {
  const formats = m.files.map((f) => f.format);
  if (formats.some((f) => (MICROBLOG_FORMATS as readonly string[]).includes(f))) return "microblog";
  if (formats.some((f) => (POSTS_FORMATS as readonly string[]).includes(f))) return "posts";
  throw new ManifestError(
    `${displayPath(m.manifestFile)}: files: no file has a format the notebooks can run on (microblog users: ${MICROBLOG_FORMATS.join(", ")}; Instagram-style posts: ${POSTS_FORMATS.join(", ")}); formats given: ${[...new Set(formats)].join(", ")}`,
  );
}

export interface DataChoice {
  manifest: Manifest;
  kind: DataKind;
  /** How it was chosen, in words ("DATA=mytweets", "data-manifests/microblog-users.json exists"). */
  how: string;
}

/** The manifest DATA names, with its kind; null when DATA is unset. */
export function dataForRun(params: Pick<Params, "data" | "manifestDir">): DataChoice | null {
  if (params.data === null) return null;
  const manifest = loadManifest(dataManifestFile(params));
  return { manifest, kind: manifestKind(manifest), how: `DATA=${params.data}` };
}

/** One line naming the run's data, for run-notebooks and the report. */
export function describeDataForRun(
  params: Pick<Params, "data" | "manifestDir" | "level" | "minUsers">,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const d = dataForRun(params);
  if (!d) {
    const mb = path.join(params.manifestDir, CONVENTIONAL_MICROBLOG_MANIFEST);
    const po = path.join(params.manifestDir, CONVENTIONAL_POSTS_MANIFEST);
    const micro = fs.existsSync(mb) ? `${displayPath(mb)} (it exists)` : "GeoText and the synthetic microblog users";
    const real = defaultRealPostsManifests(params.manifestDir).map(
      (m) => `${m.posts!.label}${absentBecause(m, env) ? " — absent, skipped" : ""}`,
    );
    const posts = `${fs.existsSync(po) ? `${displayPath(po)} (it exists)` : "the synthetic Instagram-style cities"}${real.length ? ` and ${real.join(", ")}` : ""}`;
    const warn =
      envVar(MICROBLOG_ENV, env) && !fs.existsSync(mb)
        ? ` Note: ${MICROBLOG_ENV} is set but no manifest names it, so it is not used (DATA=data-manifests/templates/microblog-users.json would).`
        : "";
    return `DATA unset: ${micro} for 07–08; ${posts} for 01–06.${warn}`;
  }
  const what = d.kind === "microblog" ? "microblog users" : "Instagram-style posts";
  const level =
    d.kind === "microblog" ? `; LEVEL=${params.level?.join(",") ?? "(the labels the records carry)"}, MIN_USERS=${params.minUsers}` : "";
  return `${d.how}: ${d.manifest.name} (${d.manifest.title}; ${what}; ${d.manifest.synthetic ? "SYNTHETIC" : "real data"}; manifest ${displayPath(d.manifest.manifestFile)})${level}; notebooks ${NOTEBOOKS_FOR_KIND[d.kind].join(", ")}.`;
}

/** Notebook files (from `all`) a DATA run executes; all of them without DATA. */
export function notebooksForRun(params: Pick<Params, "data" | "manifestDir">, all: readonly string[]): string[] {
  const d = dataForRun(params);
  if (!d) return all.slice();
  const stems = new Set(NOTEBOOKS_FOR_KIND[d.kind]);
  return all.filter((f) => stems.has(path.basename(f).replace(/\.ipynb$/, "")));
}

// ---------------------------------------------------------------- microblog users (07, 08)

/** The manifest the microblog template is copied to. */
export const CONVENTIONAL_MICROBLOG_MANIFEST = "microblog-users.json";
/** The variable that tells a microblog manifest where its files are (lib/data/manifest.ts). */
export const MICROBLOG_ENV = "GEOREPRO_DATA_MICROBLOG";

/** The microblog manifest a run uses, and how it was chosen; null for the default data. */
export function microblogChoice(params: Pick<Params, "data" | "manifestDir">): DataChoice | null {
  const d = dataForRun(params);
  if (d) {
    if (d.kind !== "microblog")
      throw new ManifestError(
        `${d.how}: ${displayPath(d.manifest.manifestFile)} describes Instagram-style posts; notebooks 07–08 need microblog users (run notebooks ${NOTEBOOKS_FOR_KIND.posts.join(", ")} on it)`,
      );
    return d;
  }
  const conventional = path.join(params.manifestDir, CONVENTIONAL_MICROBLOG_MANIFEST);
  if (fs.existsSync(conventional))
    return { manifest: loadManifest(conventional), kind: "microblog", how: `DATA unset, but ${displayPath(conventional)} exists` };
  return null;
}

// ---------------------------------------------------------------- Instagram-style posts (01–06)

/** The manifest the posts template is copied to. */
export const CONVENTIONAL_POSTS_MANIFEST = "instagram-posts.json";

/** The posts manifest a run uses (DATA, else data-manifests/instagram-posts.json if it exists), or null for the synthetic cities. */
export function postsManifestForRun(params: Pick<Params, "data" | "manifestDir">): string | null {
  const d = dataForRun(params);
  if (d) {
    if (d.kind !== "posts")
      throw new ManifestError(
        `${d.how}: ${displayPath(d.manifest.manifestFile)} describes microblog users; notebooks 01–06 need Instagram-style posts (run notebooks ${NOTEBOOKS_FOR_KIND.microblog.join(", ")} on it)`,
      );
    return d.manifest.manifestFile;
  }
  const conventional = path.join(params.manifestDir, CONVENTIONAL_POSTS_MANIFEST);
  return fs.existsSync(conventional) ? conventional : null;
}

/** City ids of a posts manifest: its converted city (a `posts` block), or the folders holding a posts.jsonl, in manifest order. */
export function manifestCities(m: Manifest): string[] {
  if (m.posts) return [m.posts.city];
  const cities = m.files.map((f) => /^([^/]+)\/posts\.jsonl$/.exec(f.path)?.[1]).filter((c): c is string => !!c);
  if (cities.length === 0) throw new ManifestError(`${displayPath(m.manifestFile)}: files: no CITY/posts.jsonl listed`);
  return cities;
}

/** Real posts manifests that runs without DATA= include wherever their data are present (`posts.inDefaultRun`), in file-name order. */
export function defaultRealPostsManifests(manifestDir: string): Manifest[] {
  if (!fs.existsSync(manifestDir)) return [];
  const out: Manifest[] = [];
  for (const f of fs.readdirSync(manifestDir).sort()) {
    if (!f.endsWith(".json") || f === "schema.json" || f === CONVENTIONAL_POSTS_MANIFEST) continue;
    let m: Manifest;
    try {
      m = loadManifest(path.join(manifestDir, f));
    } catch {
      continue; // not a manifest this run reads (a broken own-data manifest is reported when DATA names it)
    }
    if (m.posts?.inDefaultRun && !m.synthetic) out.push(m);
  }
  return out;
}

/** Whether a manifest's data are on this machine: null when found, else the one-line reason with how to get them. */
export function absentBecause(m: Manifest, env: NodeJS.ProcessEnv = process.env): string | null {
  try {
    resolveManifest(m, { env });
    return null;
  } catch (e) {
    if (e instanceof DatasetMissingError) return e.message;
    throw e;
  }
}

export interface PostsSource {
  city: string;
  /** The posts manifest the city comes from; null for the synthetic generator. */
  manifest: string | null;
  /** How it was chosen, in words. */
  how: string;
}

/**
 * Where each city of notebooks 01–06 comes from: DATA's manifest alone; else
 * data-manifests/instagram-posts.json or the synthetic three, plus every
 * real manifest marked `posts.inDefaultRun` whose data are present.
 */
export function postSourcesForRun(params: Pick<Params, "data" | "manifestDir">, env: NodeJS.ProcessEnv = process.env): PostsSource[] {
  const main = postsManifestForRun(params);
  const how =
    params.data !== null ? `DATA=${params.data}` : main ? `DATA unset, but ${displayPath(main)} exists` : "the default synthetic cities";
  const out: PostsSource[] = main
    ? manifestCities(loadManifest(main)).map((city) => ({ city, manifest: main, how }))
    : SYNTHETIC_CITIES.map((city) => ({ city, manifest: null, how }));
  if (params.data !== null) return out;
  for (const m of defaultRealPostsManifests(params.manifestDir)) {
    if (absentBecause(m, env)) continue;
    for (const city of manifestCities(m)) {
      if (out.some((s) => s.city === city))
        throw new ManifestError(
          `${displayPath(m.manifestFile)}: posts.city: "${city}" is already a city of this run (${out.find((s) => s.city === city)!.how}); give it another id`,
        );
      out.push({ city, manifest: m.manifestFile, how: `${displayPath(m.manifestFile)} (posts.inDefaultRun; its data are present)` });
    }
  }
  return out;
}

/** The cities notebooks 01–06 iterate over (postSourcesForRun). */
export function postCitiesForRun(params: Pick<Params, "data" | "manifestDir">): string[] {
  return postSourcesForRun(params).map((s) => s.city);
}

/** The posts manifest a city of this run comes from; null for a synthetic city (or a city the run does not list). */
export function postsManifestForCity(params: Pick<Params, "data" | "manifestDir">, city: string): string | null {
  return postSourcesForRun(params).find((s) => s.city === city)?.manifest ?? null;
}

/** Markdown lines saying which posts a run uses and why, and which default real data are absent (with how to get them). */
export function postsDataReport(params: Pick<Params, "data" | "manifestDir">, env: NodeJS.ProcessEnv = process.env): string[] {
  const file = postsManifestForRun(params);
  const lines: string[] = [];
  if (!file)
    lines.push(
      `**Data:** the synthetic Instagram-style cities (SYNTHETIC: ${SYNTHETIC_CITIES.join(", ")}), the default; \`make reproduce DATA=NAME\` runs these notebooks on your own posts (data-manifests/posts.md).`,
    );
  else {
    const m = loadManifest(file);
    const how = params.data !== null ? `DATA=${params.data}` : `DATA unset, but ${displayPath(file)} exists`;
    lines.push(
      `**Data:** ${m.name} — ${m.title} (${m.synthetic ? "SYNTHETIC" : "real data"}), chosen by ${how}; cities ${manifestCities(m).join(", ")}. The paper's figures are shown beside a city only when its id is one of the paper's (new-york, melbourne, hong-kong).`,
    );
  }
  if (params.data === null)
    for (const m of defaultRealPostsManifests(params.manifestDir)) {
      const why = absentBecause(m, env);
      lines.push(
        why
          ? `**${m.posts!.label}: absent** — its part of every table is skipped. ${why}`
          : `**Also:** ${m.posts!.label} — ${m.title} (real data; manifest ${displayPath(m.manifestFile)}), in every table beside the synthetic cities; \`make reproduce DATA=${m.name}\` runs it alone.`,
      );
    }
  return lines;
}

/**
 * One line per real dataset a default run reads that is not on this machine
 * (every real manifest with a download: GeoText, its raw text, Flickr Vienna):
 * its name, what is skipped without it, and the one command that fetches it.
 */
export function missingRealData(manifestDir: string, env: NodeJS.ProcessEnv = process.env): string[] {
  if (!fs.existsSync(manifestDir)) return [];
  const out: string[] = [];
  for (const f of fs.readdirSync(manifestDir).sort()) {
    if (!f.endsWith(".json") || f === "schema.json") continue;
    let m: Manifest;
    try {
      m = loadManifest(path.join(manifestDir, f));
    } catch {
      continue;
    }
    if (m.synthetic || !(m.archive || m.files.some((x) => x.url))) continue;
    if (!absentBecause(m, env)) continue;
    const optionalOnly = m.files.filter((x) => x.url && !x.optional).length === 0 && !m.archive;
    if (optionalOnly) continue;
    out.push(
      `${m.name} (${m.title}) is not on this machine, so its part of the results is skipped; fetch it with: node dist/scripts/fetch-data.js ${m.name}   (or \`make data\` for every dataset; ${m.root.env}=/path points at a copy)`,
    );
  }
  return out;
}

/**
 * The dataset line of a table over several cities: "synthetic-instagram" for
 * the generator's cities (the default run's wording), else the name of the
 * manifest(s) the cities came from (a city of manifest M is named "M-CITY").
 */
export function postsTableDataset(
  cities: readonly (Pick<CityDataset, "name" | "city" | "synthetic" | "description" | "checksums"> &
    Pick<Partial<CityDataset>, "intake">)[],
): DatasetRef {
  if (cities.length === 0) throw new Error("postsTableDataset: cities: empty list");
  const generated = cities.every((c) => c.name.startsWith("synthetic-instagram-"));
  // A posts-format manifest names its cities "M-CITY"; a converted city (e.g. flickr-vienna) is named by its manifest alone.
  const names = [
    ...new Set(cities.map((c) => (!c.intake && c.name.endsWith(`-${c.city}`) ? c.name.slice(0, -c.city.length - 1) : c.name))),
  ];
  const mixed = cities.some((c) => c.synthetic) && cities.some((c) => !c.synthetic);
  return {
    name: generated
      ? "synthetic-instagram"
      : names
          .map((n) => (n.startsWith("synthetic-instagram-") ? "synthetic-instagram" : n))
          .filter((n, i, a) => a.indexOf(n) === i)
          .join("+"),
    synthetic: cities.some((c) => c.synthetic),
    ...(mixed ? { mixed: true } : {}),
    description: cities.map((c) => c.description).join(" | "),
    checksums: Object.fromEntries(cities.flatMap((c) => Object.entries(c.checksums).map(([k, v]) => [`${c.city}/${k}`, v]))),
  };
}
