/**
 * Notebook 01's study: the MRLF paper's preprocessing (Sec. IV-A) on each
 * city, and the tables that show it — Table I beside the paper's, the same as
 * shares, what each filter removed, the posts every later notebook splits, and
 * the generator's ground truth about noisy images.
 */
import type { Params } from "../runtime/params";
import { comparedColumns, withPaper, type Cell, type DatasetRef, type ResultTable } from "../results/table";
import { preparedCity, ETA, PAPER_THRESHOLDS, type PreparedCity } from "../data/preprocess-posts";
import { isGeneratedCity, plantedSignal } from "../data/synthetic/instagram";
import { contactSheet } from "../data/synthetic/images";
import { PAPER_TABLE1 } from "../papers/mrlf";
import { CITY_SPECS } from "../data/synthetic/pois";
import { mrlfCities } from "../experiments/cities";
import { datasetOf, cityColumn as cityKey } from "./context";

export interface Preprocessing {
  params: Params;
  cities: PreparedCity[];
  dataset: DatasetRef;
  /** Whether the thresholds are the paper's, said in every table's notes. */
  scaledNote: string;
}

export async function preprocessingStudy(params: Params): Promise<Preprocessing> {
  const cities: PreparedCity[] = [];
  for (const city of mrlfCities(params)) cities.push(await preparedCity(params, city));
  const t = cities[0].thresholds;
  const scaledNote =
    t.minHashtagCount === PAPER_THRESHOLDS.minHashtagCount && t.minPostsPerPoi === PAPER_THRESHOLDS.minPostsPerPoi
      ? `Thresholds are the paper's: hashtags ≥ ${t.minHashtagCount} occurrences, locations ≥ ${t.minPostsPerPoi} posts.`
      : `Scale "${params.scale}": thresholds SCALED DOWN for test-sized data (hashtags ≥ ${t.minHashtagCount}, locations ≥ ${t.minPostsPerPoi}; the paper uses ${PAPER_THRESHOLDS.minHashtagCount} and ${PAPER_THRESHOLDS.minPostsPerPoi}).`;
  return { params, cities, dataset: datasetOf(cities), scaledNote };
}

const cityLabel = (city: string): string => CITY_SPECS[city as keyof typeof CITY_SPECS]?.name ?? city;

/** The notebook header: scale, seed, thresholds and, for synthetic data, what the generator plants. */
export function describePreprocessing(p: Preprocessing): string[] {
  const out = [`Scale **${p.params.scale}**, seed ${p.params.seed}. ${p.scaledNote}`];
  if (p.cities.every(isGeneratedCity))
    out.push(
      [
        "**What the synthetic data plant** (every MRLF notebook repeats it beside its verdicts):",
        ...p.cities.map((c) => `- ${cityLabel(c.city)}: ${plantedSignal(c.city as keyof typeof CITY_SPECS)}`),
      ].join("\n"),
    );
  return out;
}

const paperOf = (city: string) => (PAPER_TABLE1 as Record<string, (typeof PAPER_TABLE1)["new-york"]>)[city] ?? null;

/** Table I: posts, locations and posts per modality after the hashtag and location filters. */
export function table1(p: Preprocessing): ResultTable {
  const rowsSpec: { key: "posts" | "locations" | "images" | "hashtags" | "text"; label: string; ours: (c: PreparedCity) => number }[] = [
    { key: "posts", label: "#Posts", ours: (c) => c.stats.collected.posts },
    { key: "locations", label: "#Locations", ours: (c) => c.stats.collected.locations },
    { key: "images", label: "#Images", ours: (c) => c.stats.collected.postsWithImages },
    { key: "hashtags", label: "#Hashtags", ours: (c) => c.stats.collected.postsWithHashtags },
    { key: "text", label: "#Text", ours: (c) => c.stats.collected.postsWithText },
  ];
  return {
    name: "table1-dataset-statistics",
    title: "Table I: dataset statistics (after the hashtag and location filters)",
    reproduces: "MRLF paper, Table I",
    dataset: p.dataset,
    columns: [
      { key: "category", label: "Category", source: "info" },
      ...p.cities.flatMap((c) => comparedColumns(cityKey(c.city), cityLabel(c.city), 0)),
    ],
    rows: rowsSpec.map((r) =>
      p.cities.reduce<Record<string, Cell>>(
        (row, c) => withPaper({ ...row, [cityKey(c.city)]: r.ours(c) }, cityKey(c.city), paperOf(c.city)?.[r.key] ?? null),
        { category: r.label },
      ),
    ),
    notes: [
      p.scaledNote,
      `Scale "${p.params.scale}": ${p.params.scale === "paper" ? "the generator targets the paper's #Posts and #Locations, and its modality shares (#Images/#Posts, …)" : "counts are deliberately far below the paper's (sized for a 30-minute run on 2 cores); compare shares, not totals. GEOREPRO_SCALE=paper generates the paper's counts"}.`,
      `#Images / #Hashtags / #Text = posts with at least one image / hashtag (after the ${p.cities[0].thresholds.minHashtagCount}-occurrence filter) / non-empty caption.`,
    ],
  };
}

/** Table I as shares: comparable with the paper's although the totals are not. */
export function table1Shares(p: Preprocessing): ResultTable {
  const shareSpec: {
    key: string;
    label: string;
    ours: (c: PreparedCity) => number;
    paper: (p: (typeof PAPER_TABLE1)["new-york"]) => number;
  }[] = [
    {
      key: "images",
      label: "#Images / #Posts",
      ours: (c) => c.stats.collected.postsWithImages / c.stats.collected.posts,
      paper: (p) => p.images / p.posts,
    },
    {
      key: "hashtags",
      label: "#Hashtags / #Posts",
      ours: (c) => c.stats.collected.postsWithHashtags / c.stats.collected.posts,
      paper: (p) => p.hashtags / p.posts,
    },
    {
      key: "text",
      label: "#Text / #Posts",
      ours: (c) => c.stats.collected.postsWithText / c.stats.collected.posts,
      paper: (p) => p.text / p.posts,
    },
    {
      key: "per_location",
      label: "#Posts / #Locations",
      ours: (c) => c.stats.collected.posts / c.stats.collected.locations,
      paper: (p) => p.posts / p.locations,
    },
  ];
  return {
    name: "table1-shares",
    title: "Table I as shares: posts carrying each modality, posts per location",
    reproduces: "MRLF paper, Table I (ratios of its figures)",
    dataset: p.dataset,
    columns: [
      { key: "category", label: "Ratio", source: "info" },
      ...p.cities.flatMap((c) => comparedColumns(cityKey(c.city), cityLabel(c.city), 3)),
    ],
    rows: shareSpec.map((r) =>
      p.cities.reduce<Record<string, Cell>>(
        (row, c) => {
          const paper = paperOf(c.city);
          return withPaper({ ...row, [cityKey(c.city)]: r.ours(c) }, cityKey(c.city), paper ? r.paper(paper) : null);
        },
        { category: r.label },
      ),
    ),
    notes: [
      p.scaledNote,
      p.params.scale === "paper"
        ? "At paper scale the generator draws each modality with the paper's share, so these ratios should match up to sampling noise (and hashtags lost to the 50-occurrence filter)."
        : "At tiny/default scale the generator gives 94–95 % of posts each modality (so the modality filters remove a few posts without emptying the training set); the paper's image shares are much lower for New York and Melbourne.",
    ],
  };
}

/** What each filter removed, per city and step (posts removed + kept = posts generated). */
export function filterReportTable(p: Preprocessing): ResultTable {
  const filterRows: Record<string, Cell>[] = [];
  for (const c of p.cities)
    for (const s of c.report)
      filterRows.push(
        withPaper(
          {
            city: c.city,
            step: s.step,
            rule: s.rule,
            applied: s.applied ? "yes" : "reported only",
            before: s.postsBefore,
            removed: s.removedPosts,
            after: s.postsAfter,
            tags_removed: s.removedHashtagOccurrences ?? null,
            distinct_tags_removed: s.removedDistinctHashtags ?? null,
            detail: [
              s.removedPois?.length ? `dropped ${s.removedPois.map((p) => `${p.id} (${p.posts} posts)`).join(", ")}` : "",
              s.note ?? "",
            ]
              .filter((x) => x)
              .join("; "),
          },
          "removed",
          null,
        ),
      );
  return {
    name: "01-filter-report",
    title: "Preprocessing: posts removed by each filter, per city",
    reproduces: "MRLF paper, Sec. IV-A (Data Preprocessing)",
    dataset: p.dataset,
    columns: [
      { key: "city", label: "city", source: "info" },
      { key: "step", label: "step", source: "info" },
      { key: "rule", label: "rule", source: "info" },
      { key: "applied", label: "applied", source: "info" },
      { key: "before", label: "posts before", digits: 0, source: "ours" },
      ...comparedColumns("removed", "posts removed", 0),
      { key: "after", label: "posts after", digits: 0, source: "ours" },
      { key: "tags_removed", label: "hashtag occurrences removed", digits: 0, source: "ours" },
      { key: "distinct_tags_removed", label: "distinct hashtags removed", digits: 0, source: "ours" },
      { key: "detail", label: "detail", source: "info" },
    ],
    rows: filterRows,
    notes: [p.scaledNote, "Posts removed + posts kept = posts generated, per city: nothing is dropped uncounted."],
  };
}

/** The posts every MRLF notebook splits (all filters but η). */
export function trainingSetTable(p: Preprocessing): ResultTable {
  return {
    name: "01-training-set",
    title: "Posts kept for MRLF (all filters except η, which acts on each split's training and validation parts)",
    reproduces: "MRLF paper, Sec. IV-A (the paper gives no final counts)",
    dataset: p.dataset,
    columns: [
      { key: "city", label: "city", source: "info" },
      { key: "locations", label: "locations", digits: 0, source: "ours" },
      ...comparedColumns("posts", "posts", 0),
      { key: "min_per_poi", label: "fewest posts at a location", digits: 0, source: "ours" },
      { key: "max_per_poi", label: "most posts at a location", digits: 0, source: "ours" },
      { key: "hashtag_vocab", label: "distinct hashtags", digits: 0, source: "ours" },
      { key: "tags_per_post", label: "hashtags per post", digits: 2, source: "ours" },
    ],
    rows: p.cities.map((c) => {
      const per = new Map<string, number>();
      for (const p of c.posts) per.set(p.poiId, (per.get(p.poiId) ?? 0) + 1);
      return withPaper(
        {
          city: c.city,
          locations: c.stats.final.locations,
          posts: c.stats.final.posts,
          min_per_poi: Math.min(...per.values()),
          max_per_poi: Math.max(...per.values()),
          hashtag_vocab: c.stats.final.distinctHashtags,
          tags_per_post: c.stats.final.hashtagOccurrences / Math.max(1, c.stats.final.posts),
        },
        "posts",
        null,
      );
    }),
    notes: [p.scaledNote],
  };
}

const KINDS = ["scene", "selfie", "pet", "food"] as const;

/** Images by what the generator drew, and how many exceed η (empty for real data). */
export function noisyImagesTruthTable(p: Preprocessing): ResultTable {
  return {
    name: "01-noisy-images-truth",
    title: `Images by content and portrait ratio > η = ${ETA} (generator's ground truth)`,
    reproduces: "MRLF paper, Sec. IV-A (η filter; Table III uses it)",
    dataset: p.dataset,
    columns: [
      { key: "city", label: "city", source: "info" },
      { key: "images", label: "images", digits: 0, source: "ours" },
      ...KINDS.map((k) => ({ key: k, label: k, digits: 0, source: "ours" as const })),
      ...comparedColumns("above_eta", `portrait ratio > ${ETA}`, 0),
      { key: "above_eta_pct", label: "% above η", digits: 1, source: "ours" },
    ],
    rows: p.cities.map((c) => {
      const withImg = c.posts.filter((p) => p.images.length > 0 && p.truth);
      const count = (k: string) => withImg.filter((p) => p.truth!.kind === k).length;
      const above = withImg.filter((p) => p.truth!.portraitRatio > ETA).length;
      return withPaper(
        {
          city: c.city,
          images: withImg.length,
          scene: count("scene"),
          selfie: count("selfie"),
          pet: count("pet"),
          food: count("food"),
          above_eta: withImg.length ? above : null,
          above_eta_pct: withImg.length ? (100 * above) / withImg.length : null,
        },
        "above_eta",
        null,
      );
    }),
    notes: [
      "Counts come from the generator's recorded masks (post.truth), not from a detector; empty for real data.",
      "The paper does not report how many images the η filter removed.",
    ],
  };
}

/** Markdown: a contact sheet of four images per kind from the first city, and its first captions. */
export async function dataSample(p: Preprocessing): Promise<string[]> {
  const first = p.cities[0];
  const out: string[] = [];
  const sample = KINDS.flatMap((k) => first.posts.filter((q) => q.truth?.kind === k && q.images.length).slice(0, 4));
  if (sample.length) {
    const png = await contactSheet(
      sample.map((q) => q.images[0]),
      8,
      96,
    );
    out.push(
      `![sample images](data:image/png;base64,${png.toString("base64")})\n\nRow-major: ${sample.map((q) => `${q.truth!.kind} (${q.truth!.portraitRatio.toFixed(2)})`).join(", ")}`,
    );
  }
  out.push(
    [
      "| post | location | caption | hashtags |",
      "|---|---|---|---|",
      ...first.posts
        .slice(0, 6)
        .map((q) => `| ${q.id} | ${q.poiId} | ${q.text.replace(/\|/g, "\\|")} | ${q.hashtags.map((h) => "#" + h).join(" ")} |`),
    ].join("\n"),
  );
  return out;
}
