/**
 * The users notebooks 07 and 08 run on, chosen by lib/data/selection.ts
 * (DATA=…, the conventional manifest, or the defaults): GeoText and the
 * synthetic users as local-words datasets, or the researcher's users at a
 * LEVEL. Here rather than in lib/data because it builds lib/localwords
 * datasets (the data layer does not import the methods).
 */
import type { Params } from "../runtime/params";
import type { DatasetRef } from "../results/table";
import { displayPath, openDataset } from "../data/manifest";
import { readMicroblogFile } from "../data/microblog";
import { CONVENTIONAL_MICROBLOG_MANIFEST, MICROBLOG_ENV, MICROBLOG_FORMATS, microblogChoice } from "../data/selection";
import type { LabelLevel, LocalWordsDataset } from "./datasets";
import { envVar } from "../runtime/env";

export interface MicroblogForRun {
  datasets: LocalWordsDataset[];
  /** GeoText's raw text as loaded (default data only, when present): variants of its preprocessing start from it. */
  geotextRaw?: import("../data/geotext-raw").GeoTextRawCorpus;
  /** Markdown lines the notebook prints: which data, how it was chosen, what each filter removed. */
  report: string[];
}

/** Options for tests: skip GeoText on purpose, or use a custom synthetic size. */
export interface MicroblogDefaultOptions {
  geotext?: boolean;
  syntheticScale?: import("../data/synthetic/microblog").MicroblogScaleSpec;
}

/**
 * The datasets notebooks 07 and 08 iterate over. By default: GeoText's raw
 * text (state, city; official folds 4 → 5 and seeded 80/20 splits), GeoText's
 * bag-of-words files (state, city; official folds) and the synthetic users
 * (state, city; 80/20 splits) — lib/localwords/datasets.ts. With DATA=…: the
 * researcher's users at LEVEL (or at every level their records carry labels
 * for), in seeded 80/20 splits.
 */
export async function microblogDatasetsForRun(
  params: Params,
  env: NodeJS.ProcessEnv = process.env,
  opts: MicroblogDefaultOptions = {},
): Promise<MicroblogForRun> {
  const choice = microblogChoice(params);
  const report: string[] = [];
  if (!choice) {
    const { loadGeoText } = await import("../data/geotext");
    const { loadGeoTextRaw, crossCheckGeoText } = await import("../data/geotext-raw");
    const lw = await import("./datasets");
    report.push(
      "**Data:** GeoText (real; its raw tweets and its bag-of-words files) and the synthetic microblog users (SYNTHETIC), the defaults; `make reproduce DATA=NAME` runs these notebooks on your own users instead (data-manifests/microblog.md).",
    );
    if (envVar(MICROBLOG_ENV, env))
      report.push(
        `**Note:** ${MICROBLOG_ENV}=${envVar(MICROBLOG_ENV, env)} is set, but it only tells a microblog manifest where its files are, and no manifest names it (DATA is unset and there is no data-manifests/${CONVENTIONAL_MICROBLOG_MANIFEST}). To run on that data: \`make reproduce DATA=data-manifests/templates/microblog-users.json\`, or copy that template to data-manifests/${CONVENTIONAL_MICROBLOG_MANIFEST}.`,
      );
    const datasets: LocalWordsDataset[] = [];
    let geotextRaw: MicroblogForRun["geotextRaw"];
    if (opts.geotext !== false) {
      const raw = await loadGeoTextRaw({
        env,
        onMissing: (why) => report.push(`GeoText's raw text is absent (${why}); its rows are not run.`),
      });
      const bow = await loadGeoText({
        env,
        onMissing: (why) => report.push(`GeoText's bag-of-words files are absent (${why}); their rows are not run.`),
      });
      if (raw && bow) crossCheckGeoText(raw, bow);
      if (raw) {
        geotextRaw = raw;
        report.push(
          raw.hasTrainFolds
            ? "**GeoText raw, official setting: train on folds 1–3, test on fold 5** (user_info.train.gz is present), like for like with the published GeoText numbers."
            : "**GeoText raw, official setting: train on fold 4, test on fold 5** (the training folds' user_info.train.gz is not in this copy; `node dist/scripts/fetch-data.js geotext-raw --force` fetches it, and then folds 1–3 → 5 runs).",
        );
        const c = await lw.geotextRawCorpus(raw, params.cacheDir);
        for (const level of ["state", "city"] as const)
          datasets.push(
            lw.labelledGeoDataset(c, level, raw.dataset, `GeoText raw text (${level})`, {
              protocols: [raw.hasTrainFolds ? lw.OFFICIAL_TRAIN_FOLDS : lw.OFFICIAL_FOLDS, lw.PAPER_SPLIT],
            }),
          );
      }
      if (bow) {
        const c = lw.geotextBowCorpus(bow);
        for (const level of ["state", "city"] as const)
          datasets.push(
            lw.labelledGeoDataset(c, level, bow.dataset, `GeoText bag-of-words (${level})`, { protocols: [lw.OFFICIAL_FOLDS] }),
          );
      }
    }
    const syn = await lw.syntheticCorpusAsync(params.seed, opts.syntheticScale ?? params.scale);
    for (const level of ["state", "city"] as const) datasets.push(lw.syntheticDataset(syn, level));
    return { datasets, report, ...(geotextRaw ? { geotextRaw } : {}) };
  }
  const { ownMicroblogDataset, labelledLevels } = await import("./own-data");
  const v = openDataset(choice.manifest.manifestFile);
  const entry = v.manifest.files.find((f) => (MICROBLOG_FORMATS as readonly string[]).includes(f.format))!;
  const file = v.files[entry.path];
  const parse = readMicroblogFile(file);
  const levels: LabelLevel[] = params.level ? params.level.slice() : labelledLevels(parse);
  if (levels.length === 0)
    throw new Error(
      `${displayPath(file)}: the records carry no state, city or country label; set LEVEL=state|city|country to label users from their coordinates (make reproduce ${choice.how.startsWith("DATA=") ? choice.how + " " : ""}LEVEL=country)`,
    );
  report.push(
    `**Data:** ${v.manifest.name} — ${v.manifest.title} (${v.manifest.synthetic ? "SYNTHETIC" : "real data"}), chosen by ${choice.how}; files found by ${v.foundBy}${v.unpinned.length ? `; unpinned (no size/sha256 in the manifest): ${v.unpinned.join(", ")}` : ""}. Levels: ${levels.join(", ")}${params.level ? " (LEVEL)" : " (the labels the records carry; LEVEL=state|city|country labels from coordinates)"}. GeoText and the synthetic users are not run.`,
  );
  const datasets = levels.map((level) => ownMicroblogDataset(v, file, parse, { level, minUsers: params.minUsers }));
  return { datasets, report };
}

/** The dataset line of a table that mixes the run's datasets. */
export function microblogTableDataset(datasets: readonly LocalWordsDataset[]): DatasetRef {
  const own = datasets.filter((d) => d.own);
  if (own.length === 0)
    // The default run's wording, unchanged so that its tables stay byte-identical.
    return {
      name: "geotext+synthetic-microblog",
      synthetic: false,
      description: "GeoText rows are real data; synthetic-microblog rows are SYNTHETIC",
    };
  const names = [...new Set(own.map((d) => d.own!.manifest))];
  const synthetic = own.every((d) => d.dataset.synthetic);
  return {
    name: names.join("+"),
    synthetic,
    description: `${synthetic ? "SYNTHETIC" : "Real data"}: ${own.map((d) => d.dataset.description).join(" | ")}`,
    checksums: Object.assign({}, ...own.map((d) => d.dataset.checksums ?? {})),
  };
}

export interface FigureKind {
  synthetic: boolean;
  /** File-name part. */
  slug: string;
  /** Dataset caption. */
  dataset: string;
  /** Datasets drawn in this figure. */
  includes: (d: LocalWordsDataset) => boolean;
}

/** One figure per data kind: GeoText and the synthetic users by default; the researcher's data otherwise. */
export function microblogFigureKinds(datasets: readonly LocalWordsDataset[]): FigureKind[] {
  const own = [...new Set(datasets.filter((d) => d.own).map((d) => d.own!.manifest))];
  return [
    { synthetic: false, slug: "geotext", dataset: "GeoText (real)", includes: (d: LocalWordsDataset) => !d.dataset.synthetic && !d.own },
    {
      synthetic: true,
      slug: "synthetic",
      dataset: "synthetic-microblog (SYNTHETIC)",
      includes: (d: LocalWordsDataset) => d.dataset.synthetic && !d.own,
    },
    ...own.map((name) => {
      const synthetic = datasets.some((d) => d.own?.manifest === name && d.dataset.synthetic);
      return {
        synthetic,
        slug: name,
        dataset: `${name} (${synthetic ? "SYNTHETIC" : "real"})`,
        includes: (d: LocalWordsDataset) => d.own?.manifest === name,
      };
    }),
  ].filter((k) => datasets.some(k.includes));
}
