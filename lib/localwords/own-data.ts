/**
 * A researcher's own microblog users (a manifest of kind "microblog users",
 * data-manifests/microblog.md) as the datasets notebooks 07 and 08 iterate
 * over, one per label level. Every step that removes users says how many and
 * why in the dataset's notes:
 *
 *   records the loader rejected (file:line: field: problem)
 *   → labels at the level (from the record, else from coordinates; users in no region removed)
 *   → locations with < minUsers users removed
 *   → text preprocessing (own-text.ts)
 *
 * The split and the runs' seeded streams are keyed on the content (a hash of
 * the kept users' ids and labels), not on the dataset's name, so renaming a
 * manifest leaves the split as it was.
 */
import * as path from "node:path";
import type { VerifiedManifest } from "../data/manifest";
import type { DatasetRef, ResultTable } from "../results/table";
import type { MicroblogParse } from "../data/microblog";
import { describeLevelLabels, labelAtLevel, LevelLabelOptions } from "../geo/assign";
import { keyOf } from "../runtime/hash";
import type { UserBag } from "./corpus";
import { PAPER_SPLIT, type LabelLevel, type LocalWordsDataset, type TextReport } from "./datasets";
import { worldPlaceNames } from "./gazetteer";
import { describeOwnText, segmentOwnUsers } from "./own-text";
import { toBag } from "./preprocess";
import { minUsersPerLocation } from "./split";

/** One filter a dataset went through: how many users it removed and why. */
export interface OwnFilterStep {
  step: string;
  rule: string;
  before: number;
  removed: number;
  after: number;
}

export interface OwnDataInfo {
  manifest: string;
  manifestFile: string;
  filters: OwnFilterStep[];
}

export interface OwnMicroblogOptions {
  level: LabelLevel;
  /** Locations with fewer users are removed (counted). */
  minUsers: number;
  cityMinPopulation?: number;
  cityMaxKm?: number;
}

/** How many of a parse's issues are quoted in the notes (all are counted). */
const QUOTED_ISSUES = 5;

/** The levels a file's records carry labels for (state, city, country), in that order. */
export function labelledLevels(parse: Pick<MicroblogParse, "users">): LabelLevel[] {
  return (["state", "city", "country"] as const).filter((l) => parse.users.some((u) => u[l] !== undefined));
}

export function ownMicroblogDataset(
  manifest: VerifiedManifest,
  file: string,
  parse: MicroblogParse,
  opts: OwnMicroblogOptions,
): LocalWordsDataset {
  const m = manifest.manifest;
  const level = opts.level;
  const notes: string[] = [];
  const shown = path.basename(file);
  notes.push(
    parse.rejected
      ? `${shown}: ${parse.lines} records read, ${parse.rejected} rejected by the loader (${parse.issues.length} problems; first: ${parse.issues.slice(0, QUOTED_ISSUES).join(" | ")}).`
      : `${shown}: ${parse.lines} records read, none rejected.`,
  );
  const filters: OwnFilterStep[] = [];
  let n = parse.users.length + parse.rejected;
  const step = (s: string, rule: string, removed: number) => {
    filters.push({ step: s, rule, before: n, removed, after: n - removed });
    n -= removed;
  };
  step("loader", `records of ${shown} with a problem (file:line: field: problem)`, parse.rejected);
  const labelOpts: LevelLabelOptions = { level, cityMinPopulation: opts.cityMinPopulation, cityMaxKm: opts.cityMaxKm };
  const { labels, report } = labelAtLevel(parse.users, labelOpts);
  notes.push(...describeLevelLabels(report));
  for (const o of report.outside) step(`no ${level}: ${o.reason}`, `${o.explanation} (${report.rule})`, o.users);
  if (report.noLabelNoCoordinates)
    step(`no ${level}: no label, no coordinates`, `no ${level} in the file and no lat/lon to label from`, report.noLabelNoCoordinates);
  const labelled = parse.users
    .map((u, i) => ({ u, label: labels[i] }))
    .filter((x): x is { u: (typeof parse.users)[number]; label: string } => x.label !== null);
  const f = minUsersPerLocation(labelled, (x) => x.label, opts.minUsers);
  step("users per location", `locations with < ${opts.minUsers} users removed (MIN_USERS)`, f.removedUsers);
  notes.push(
    f.removedUsers
      ? `${f.removedUsers} users in ${f.removedLocations.length} locations with < ${opts.minUsers} users removed (MIN_USERS=${opts.minUsers}; the paper drops cities with < 100 users); ${new Set(f.kept.map((x) => x.label)).size} locations left.`
      : `Every location has ≥ ${opts.minUsers} users (MIN_USERS=${opts.minUsers}); ${new Set(f.kept.map((x) => x.label)).size} locations.`,
  );
  if (f.kept.length === 0) throw new Error(`${m.name}: no user is left at level ${level} after the filters above: ${notes.join(" ")}`);
  const seg = segmentOwnUsers(f.kept.map((x) => ({ id: x.u.id, label: x.label, tweets: x.u.tweets, coord: x.u.coord })));
  notes.push(...describeOwnText(seg.report));
  const users: UserBag[] = seg.users.map((u) => toBag(u));
  const placeNames = worldPlaceNames();
  notes.push(
    `MNB-PART place names: ${placeNames.size} names of cities ≥ 50,000 inhabitants worldwide, the US states and the countries (not only US places).`,
  );
  const streamKey = `own-${keyOf(users.map((u) => [u.id, u.label])).slice(0, 16)}`;
  notes.push(
    `Split and seeded streams are keyed on the content (${streamKey}: a hash of the users and their labels), not on the dataset's name: renaming the manifest keeps the split.`,
  );
  const locations = new Set(users.map((u) => u.label)).size;
  const r = seg.report;
  const textReport: TextReport = {
    users: r.users,
    tweets: r.tweets,
    tokens: r.tokens,
    typesBeforeMerge: null,
    entities: { distinct: r.ner.distinct + r.gazetteer.distinct, occurrences: r.ner.mergedTokens + r.gazetteer.mergedTokens, top: [] },
    typesAfterMerge: r.types,
    stopTokens: r.stopTokens,
    stopList: "the union of the English, Chinese, Japanese, Korean and Thai lists (lib/text/segment.ts)",
    typesAfterStopwords: r.types,
  };
  return {
    id: `${m.name}-${level}`,
    corpus: {
      id: `${m.name}-${level}`,
      fingerprint: keyOf({ own: "own-data-v1", checksums: manifest.checksums, streamKey, users: users.length }),
      hasText: true,
      users,
      report: textReport,
      notes: [],
    },
    protocols: [PAPER_SPLIT],
    title: `${m.name} (${level})`,
    dataset: {
      name: `${m.name}-${level}`,
      synthetic: m.synthetic,
      description: `${m.title} — ${users.length} users in ${locations} locations, labels = ${level} (${report.rule}); manifest ${path.basename(m.manifestFile)}, found by ${manifest.foundBy}`,
      checksums: manifest.checksums,
    },
    level,
    users,
    placeNames,
    notes,
    streamKey,
    own: { manifest: m.name, manifestFile: m.manifestFile, filters },
  };
}

/**
 * The filters each own dataset went through, as a table (one row per dataset
 * and step); null when no dataset is own data (the default run's tables stay as they were).
 */
export function ownDataFilterTable(datasets: readonly LocalWordsDataset[], dataset: DatasetRef): ResultTable | null {
  const own = datasets.filter((d) => d.own);
  if (own.length === 0) return null;
  return {
    name: "localwords-own-data-filters",
    title: "Users removed by each filter before the pipeline (own data)",
    reproduces: "local-words paper, Sect. 4.1 (data preparation; the paper drops cities with < 100 users)",
    dataset,
    columns: [
      { key: "dataset", label: "Dataset", source: "info" },
      { key: "step", label: "Filter", source: "info" },
      { key: "before", label: "Users before", digits: 0 },
      { key: "removed", label: "Removed", digits: 0 },
      { key: "after", label: "Users after", digits: 0 },
      { key: "rule", label: "Rule", source: "info" },
    ],
    rows: own.flatMap((d) =>
      d.own!.filters.map((f) => ({ dataset: d.title, step: f.step, before: f.before, removed: f.removed, after: f.after, rule: f.rule })),
    ),
    notes: [
      "Nothing is dropped silently: every removed user is counted in one row. Text preprocessing removes words, not users (see the notebook's data notes).",
    ],
  };
}
