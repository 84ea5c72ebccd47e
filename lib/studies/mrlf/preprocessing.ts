/**
 * Notebook 01's study: the MRLF paper's preprocessing (Sec. IV-A) on each
 * city, and the tables that show it — Table I beside the paper's, the same as
 * shares, what each filter removed, the posts every later notebook splits, and
 * the generator's ground truth about noisy images. A city converted from
 * other files (Flickr Vienna: lib/data/flickr) adds the evidence for its
 * conversion: the POI radius table, what caption cleaning touched, and the
 * tag-frequency distribution its hashtag threshold is chosen from.
 */
import type { Params } from "../../runtime/params";
import { comparedColumns, withPaper, type Cell, type DatasetRef, type ResultTable } from "../../results/table";
import { preparedCity, ETA, PAPER_THRESHOLDS, type PreparedCity, type Thresholds } from "../../data/preprocess-posts";
import { modalitiesOf } from "../../data/posts";
import { isGeneratedCity, plantedSignal } from "../../data/synthetic/instagram";
import { contactSheet } from "../../data/synthetic/images";
import { PAPER_TABLE1 } from "../../papers/mrlf";
import { CITY_SPECS } from "../../data/synthetic/pois";
import { mrlfCities } from "../../experiments/cities";
import { datasetOf, cityColumn as cityKey } from "./context";

export interface Preprocessing {
  params: Params;
  cities: PreparedCity[];
  dataset: DatasetRef;
  /** Whether the thresholds are the paper's, said in every table's notes (one line per threshold set). */
  scaledNote: string;
  /** Per converted city: its posts before the paper's filters (all tags), for the tag-frequency evidence. */
  collected: Map<string, PreparedCity>;
}

/** How a city's thresholds relate to the paper's, in one sentence. */
export function thresholdNote(t: Thresholds, scale: string, label?: string): string {
  if (t.why) return `${label ? `${label}: ` : ""}${t.why}.`;
  return t.minHashtagCount === PAPER_THRESHOLDS.minHashtagCount && t.minPostsPerPoi === PAPER_THRESHOLDS.minPostsPerPoi
    ? `${label ? `${label}: thresholds` : "Thresholds"} are the paper's: hashtags ≥ ${t.minHashtagCount} occurrences, locations ≥ ${t.minPostsPerPoi} posts.`
    : `${label ? `${label}: ` : ""}Scale "${scale}": thresholds SCALED DOWN for test-sized data (hashtags ≥ ${t.minHashtagCount}, locations ≥ ${t.minPostsPerPoi}; the paper uses ${PAPER_THRESHOLDS.minHashtagCount} and ${PAPER_THRESHOLDS.minPostsPerPoi}).`;
}

/** Every threshold setting nothing filtered out (the posts a converter assigned, with all their tags). */
const COLLECT_ALL: Thresholds = {
  minHashtagCount: 0,
  minPostsPerPoi: 0,
  requireEnglish: false,
  requireText: false,
  requireHashtags: false,
  requireImages: false,
};

export async function preprocessingStudy(params: Params): Promise<Preprocessing> {
  const cities: PreparedCity[] = [];
  for (const city of mrlfCities(params)) cities.push(await preparedCity(params, city));
  const notes = [...new Set(cities.map((c) => thresholdNote(c.thresholds, params.scale, c.thresholds.why ? cityLabel(c) : undefined)))];
  const collected = new Map<string, PreparedCity>();
  for (const c of cities) if (c.intake) collected.set(c.city, await preparedCity(params, c.city, COLLECT_ALL));
  return { params, cities, dataset: datasetOf(cities), scaledNote: notes.join(" "), collected };
}

const cityLabel = (c: string | Pick<PreparedCity, "city" | "label">): string =>
  typeof c === "string"
    ? (CITY_SPECS[c as keyof typeof CITY_SPECS]?.name ?? c)
    : (c.label ?? CITY_SPECS[c.city as keyof typeof CITY_SPECS]?.name ?? c.city);

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
      ...p.cities.flatMap((c) => comparedColumns(cityKey(c.city), cityLabel(c), 0)),
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
      ...p.cities.flatMap((c) => comparedColumns(cityKey(c.city), cityLabel(c), 3)),
    ],
    rows: shareSpec.map((r) =>
      p.cities.reduce<Record<string, Cell>>(
        (row, c) => {
          const paper = paperOf(c.city);
          const stats = c.stats.collected;
          // A share with a zero denominator (no locations kept) is not a number: left empty.
          const value = stats.posts === 0 || stats.locations === 0 ? null : r.ours(c);
          return withPaper({ ...row, [cityKey(c.city)]: value }, cityKey(c.city), paper ? r.paper(paper) : null);
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
            stage: s.stage === "intake" ? "conversion" : "paper (Sec. IV-A)",
            step: s.step,
            rule: s.rule,
            applied: s.applied ? "yes" : s.note?.startsWith("not applied") ? "not applied" : "reported only",
            before: s.postsBefore,
            removed: s.removedPosts,
            after: s.postsAfter,
            tags_removed: s.removedHashtagOccurrences ?? null,
            distinct_tags_removed: s.removedDistinctHashtags ?? null,
            detail: [
              s.removedPois?.length
                ? `dropped ${s.removedPois.map((p) => `${p.id} (${p.posts} posts${p.owners !== undefined ? `, ${p.owners} owners` : ""})`).join(", ")}`
                : "",
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
      { key: "stage", label: "stage", source: "info" },
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
    notes: [
      p.scaledNote,
      "Posts removed + posts kept = posts generated (or, for a converted city, rows read), per city: nothing is dropped uncounted.",
      'stage: "conversion" = the steps that turn another layout into posts (Flickr Vienna: unreadable rows, duplicates, POI assignment), before the paper\'s filters; "not applied" = a paper filter that does not fit this data, with the reason.',
    ],
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
export function noisyImagesTruthTable(p: Preprocessing): ResultTable | null {
  const cities = p.cities.filter((c) => modalitiesOf(c).images);
  if (cities.length === 0) return null;
  return {
    name: "01-noisy-images-truth",
    title: `Images by content and portrait ratio > η = ${ETA} (generator's ground truth)`,
    reproduces: "MRLF paper, Sec. IV-A (η filter; Table III uses it)",
    dataset: cities.length ? datasetOf(cities) : p.dataset,
    columns: [
      { key: "city", label: "city", source: "info" },
      { key: "images", label: "images", digits: 0, source: "ours" },
      ...KINDS.map((k) => ({ key: k, label: k, digits: 0, source: "ours" as const })),
      ...comparedColumns("above_eta", `portrait ratio > ${ETA}`, 0),
      { key: "above_eta_pct", label: "% above η", digits: 1, source: "ours" },
    ],
    rows: cities.map((c) => {
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

/** Markdown: a contact sheet of four images per kind from the first city, its first captions, and a few posts of every converted city. */
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
  const esc = (t: string) => t.replace(/\|/g, "\\|").replace(/\n/g, " ⏎ ");
  const postTable = (posts: readonly PreparedCity["posts"][number][]) =>
    [
      "| post | location | caption | hashtags |",
      "|---|---|---|---|",
      ...posts.map(
        (q) =>
          `| ${q.id} | ${q.poiId} | ${esc(q.text.length > 160 ? q.text.slice(0, 157) + "…" : q.text)} | ${q.hashtags.map((h) => "#" + h).join(" ")} |`,
      ),
    ].join("\n");
  out.push(postTable(first.posts.slice(0, 6)));
  for (const c of p.cities.filter((c) => c !== first && c.intake)) {
    // One post per location, from different owners, so the sample is not one owner's series.
    const seen = new Set<string>();
    const owners = new Set<string>();
    const picks = c.posts.filter((q) => {
      if (seen.has(q.poiId) || (q.owner && owners.has(q.owner))) return false;
      seen.add(q.poiId);
      if (q.owner) owners.add(q.owner);
      return true;
    });
    out.push(
      `**${cityLabel(c)}** — a post per location (captions as converted: title, then the description's text):\n\n${postTable(picks.slice(0, 8))}`,
    );
  }
  return out;
}

// ---- the conversion's evidence (cities converted from other files, e.g. Flickr Vienna) ------------------

/** Radius → posts assigned / ambiguous / POIs hit / POIs kept, the evidence the POI radius is chosen from. */
export function poiRadiusTable(p: Preprocessing): ResultTable | null {
  const cities = p.cities.filter((c) => c.intake);
  if (!cities.length) return null;
  const rows: Record<string, Cell>[] = [];
  for (const c of cities) {
    const r = c.intake!.radius;
    for (const row of r.candidates)
      rows.push({
        city: cityLabel(c),
        radius: row.radiusM,
        posts: row.posts,
        ambiguous: row.ambiguous,
        pois_hit: row.poisHit,
        pois_kept: row.poisKept,
        posts_kept: row.postsAtKept,
        largest: row.largestShare,
        ring: row.ring.posts,
        ring_naming: row.ring.namingShare,
        chosen: row.radiusM === r.rule.radiusM ? "◀" : "",
      });
  }
  const r0 = cities[0].intake!.radius;
  return {
    name: "01-poi-radius",
    title: "Assigning photos to official POIs: what each radius keeps (same ambiguity rule and POI minimums)",
    reproduces: "not in the paper (its posts carry a location tag): the evidence for the POI radius of a geotagged dataset",
    dataset: datasetOf(cities),
    columns: [
      { key: "city", label: "City", source: "info" },
      { key: "radius", label: "Radius (m)", digits: 0, source: "info" },
      { key: "posts", label: "Posts assigned", digits: 0, source: "ours" },
      { key: "ambiguous", label: "Ambiguous (removed)", digits: 0, source: "ours" },
      { key: "pois_hit", label: "POIs hit", digits: 0, source: "ours" },
      { key: "pois_kept", label: `POIs with ≥ ${r0.minPosts} posts from ≥ ${r0.minOwners} owners`, digits: 0, source: "ours" },
      { key: "posts_kept", label: "Posts at those POIs", digits: 0, source: "ours" },
      { key: "largest", label: "Largest POI's share (majority floor)", digits: 3, source: "ours" },
      { key: "ring", label: "Photos in the ring (previous radius, this one]", digits: 0, source: "ours" },
      { key: "ring_naming", label: "Share of the ring naming its nearest POI", digits: 3, source: "ours" },
      { key: "chosen", label: "Chosen", source: "info" },
    ],
    rows,
    notes: [
      `Rule: the nearest official POI within the radius; a photo whose second-nearest POI is also within the radius and no more than ${r0.rule.ambiguityRatio} × as far is ambiguous and removed (counted); official entries at the same coordinates are one location (merged first). Distances are haversine.`,
      `Chosen: ${r0.rule.radiusM} m (lib/data/flickr/index.ts FLICKR_RULE). The last columns are the evidence: the share of each ring's photos whose caption or tags name their nearest POI (notebook 02's name rule) — a proxy for "the nearest POI is what the photo shows". Where it drops, a larger radius adds photos near a POI rather than of it; a ring that rises again beyond is a few large sites (a zoo, palace gardens) photographed in series by a few owners.`,
      `POIs kept: ≥ ${r0.minPosts} posts and ≥ ${r0.minOwners} distinct owners (splits are grouped by owner, so a POI of one owner could never be on both sides of a split); the last columns count POIs and posts before the text and hashtag filters.`,
    ],
  };
}

/** What the caption cleaning touched (lib/data/flickr/description.ts). */
export function captionCleaningTable(p: Preprocessing): ResultTable | null {
  const cities = p.cities.filter((c) => c.intake);
  if (!cities.length) return null;
  return {
    name: "01-caption-cleaning",
    title: "Captions from Flickr titles and descriptions: what the cleaning changed",
    reproduces: "not in the paper: turning Flickr's description field (a Python dict literal with HTML) into caption text",
    dataset: datasetOf(cities),
    columns: [
      { key: "city", label: "City", source: "info" },
      { key: "mojibake", label: "Texts with double-encoded UTF-8 repaired", digits: 0, source: "ours" },
      { key: "links", label: "Links removed (URL dropped, anchor text kept)", digits: 0, source: "ours" },
      { key: "tags", label: "Texts with HTML tags stripped", digits: 0, source: "ours" },
      { key: "entities", label: "Texts with HTML entities decoded", digits: 0, source: "ours" },
      { key: "problems", label: "Unreadable rows", digits: 0, source: "ours" },
    ],
    rows: cities.map((c) => ({
      city: cityLabel(c),
      mojibake: c.intake!.cleaning.mojibakeRepaired,
      links: c.intake!.cleaning.linksRemoved,
      tags: c.intake!.cleaning.tagsStripped,
      entities: c.intake!.cleaning.entitiesDecoded,
      problems: c.intake!.problems.count,
    })),
    notes: [
      "Caption = the title, then the description's text (a description equal to the title is not repeated). The description cell is a Python dict literal {'_content': '…'} read by a literal parser (quotes, backslash escapes, newlines), not by a regular expression.",
      "Links: an <a> element keeps its anchor text and loses its URL; bare URLs (http…, www.…) are REMOVED, not replaced by a token — a URL names a host, not a place. Other tags become spaces; entities (&amp;, &quot;, &#233;, …) are decoded after the tags are stripped.",
      "Counted over titles and descriptions of every assigned photo (before the paper's filters). Unreadable rows are reported as file:line: field: problem in the filter report.",
    ],
  };
}

/**
 * The tag-frequency distribution a converted city's hashtag threshold is chosen from, and what each cut would keep (the paper's 50 among
 * them).
 */
export function tagFrequencyTable(p: Preprocessing): ResultTable | null {
  const cities = p.cities.filter((c) => p.collected.has(c.city));
  if (!cities.length) return null;
  const rows: Record<string, Cell>[] = [];
  for (const c of cities) {
    const posts = p.collected.get(c.city)!.posts;
    const count = new Map<string, number>();
    for (const q of posts) for (const h of q.hashtags) count.set(h, (count.get(h) ?? 0) + 1);
    const cuts = [...new Set([1, 2, 3, 5, 10, 20, c.thresholds.minHashtagCount, PAPER_THRESHOLDS.minHashtagCount])].sort((a, b) => a - b);
    for (const t of cuts) {
      const kept = new Set([...count].filter(([, n]) => n >= t).map(([h]) => h));
      rows.push({
        city: cityLabel(c),
        cut: t,
        distinct: kept.size,
        distinct_share: count.size ? kept.size / count.size : null,
        occurrences: [...kept].reduce((s, h) => s + count.get(h)!, 0),
        posts_with_tag: posts.filter((q) => q.hashtags.some((h) => kept.has(h))).length,
        which:
          t === c.thresholds.minHashtagCount ? "this dataset's cut ◀" : t === PAPER_THRESHOLDS.minHashtagCount ? "the paper's cut" : "",
      });
    }
  }
  return {
    name: "01-tag-frequency",
    title: "Hashtag (Flickr tag) frequencies over the assigned posts: what each cut-off would keep",
    reproduces: 'MRLF paper, Sec. IV-A ("remove the hashtags that appear less than 50 times"), sized for a dataset of this size',
    dataset: datasetOf(cities),
    columns: [
      { key: "city", label: "City", source: "info" },
      { key: "cut", label: "Keep tags seen ≥ n times", digits: 0, source: "info" },
      { key: "distinct", label: "Distinct tags kept", digits: 0, source: "ours" },
      { key: "distinct_share", label: "Share of distinct tags kept", digits: 3, source: "ours" },
      { key: "occurrences", label: "Tag occurrences kept", digits: 0, source: "ours" },
      { key: "posts_with_tag", label: "Posts left with a tag", digits: 0, source: "ours" },
      { key: "which", label: "", source: "info" },
    ],
    rows,
    notes: [
      "Counted over every post assigned to a POI (before the POI and modality filters), as the paper counts a hashtag's occurrences over its city's posts.",
      "The paper's 50 is 0.04–0.1 % of its cities' 43k–138k posts; on a city of a few hundred posts that share is below one occurrence. A tag seen once cannot be in both a training and a test post, so 2 is the smallest cut that removes only tags no model can use across posts; notebook 06 runs no cut, this cut and the paper's 50 side by side.",
    ],
  };
}

/** The dataset's own preprocessing settings, one line per converted city (for the notebook). */
export function conversionSummary(p: Preprocessing): string[] {
  return p.cities
    .filter((c) => c.intake)
    .map((c) => {
      const i = c.intake!;
      const kept = c.stats.final;
      return `**${cityLabel(c)}.** ${i.steps.map((s) => `${s.step}: ${s.removedPosts} removed`).join("; ")}. POI list: ${i.poiList.entries} official entries → ${i.poiList.locations} locations. After the paper's filters (with this dataset's thresholds): ${kept.posts} posts at ${kept.locations} POIs, ${kept.distinctHashtags} distinct tags, no images.`;
    });
}
