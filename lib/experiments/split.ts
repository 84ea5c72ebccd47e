/**
 * The train / validation / test split every Table II model shares, per city.
 *
 * Stratified by location (POI): each POI's posts (sorted by id) are shuffled
 * with the stream `split/<city>/<poiId>` and cut 70 / 10 / 20 %, so every
 * location appears in every part and the split depends only on (seed, data).
 * The paper does not state its split; this is a common choice, said in the
 * notebook.
 *
 * Grouped by owner (datasets with `splitBy: "owner"`, e.g. Flickr Vienna):
 * one owner's photos share coordinates, tags and wording, so a stratified
 * split would put near-copies on both sides. Owners (sorted by id) are
 * shuffled with the stream `split/<city>/owners` and dealt to test until it
 * holds 20 % of the posts, then to validation until 10 %, the rest to
 * training: no owner is on two sides, and every seed draws a new grouping. A
 * POI may then have no training post: its test posts stay (they count as
 * errors for every model that cannot predict an unseen location; the
 * majority floor and every model are scored on the same test posts), and
 * `grouping` says how many there are.
 */
import type { LatLon } from "../geo/distance";
import { keyOf } from "../runtime/hash";
import { stream } from "../runtime/rng";

export interface SplitPost {
  id: string;
  poiId: string;
  owner?: string;
  lat: number;
  lon: number;
  text: string;
  hashtags: string[];
  images: string[];
}

export interface SplitPoi {
  id: string;
  name: string;
  lat: number;
  lon: number;
}

export interface CitySplit<P extends SplitPost = SplitPost> {
  city: string;
  /** Locations in label order (sorted by id); label i ↔ pois[i]. */
  pois: SplitPoi[];
  centres: LatLon[];
  train: P[];
  val: P[];
  test: P[];
  labelOf(p: P): number;
  /** Identifies the data + split in cache keys; a derived split (cleaned images, re-cut hashtags) adds what it changed. */
  key: SplitKey;
  /** Set for owner-grouped splits: sizes per part and the test posts whose POI has no training post. */
  grouping?: OwnerGrouping;
}

export interface OwnerGrouping {
  by: "owner";
  owners: { train: number; val: number; test: number };
  pois: { train: number; val: number; test: number };
  /** Test posts whose POI has no post in the training part (kept; every model is scored on them). */
  testPostsAtUnseenPois: number;
  /** POIs with test posts but no training post. */
  unseenPois: number;
}

export interface SplitKey {
  dataset: string;
  checksums: string;
  seed: number;
  fractions: number[];
  [derived: string]: unknown;
}

export const SPLIT_FRACTIONS = [0.7, 0.1, 0.2] as const;

export function splitCity<P extends SplitPost>(
  ds: { name: string; city: string; pois: readonly SplitPoi[]; posts: readonly P[]; checksums: Record<string, string>; splitBy?: "owner" },
  seed: number,
): CitySplit<P> {
  if (ds.splitBy === "owner") return splitByOwner(ds, seed);
  const withPosts = new Set(ds.posts.map((p) => p.poiId));
  const pois = ds.pois
    .filter((p) => withPosts.has(p.id))
    .slice()
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const index = new Map(pois.map((p, i) => [p.id, i]));
  for (const p of ds.posts)
    if (!index.has(p.poiId)) throw new Error(`${ds.name}: post ${p.id}: poiId: "${p.poiId}" is not one of the dataset's POIs`);
  if (pois.length < 2) throw new Error(`${ds.name}: need at least 2 locations with posts to classify, got ${pois.length}`);
  const byPoi = new Map<string, P[]>();
  for (const p of ds.posts) (byPoi.get(p.poiId) ?? byPoi.set(p.poiId, []).get(p.poiId)!).push(p);
  const train: P[] = [];
  const val: P[] = [];
  const test: P[] = [];
  for (const poi of pois) {
    const posts = byPoi
      .get(poi.id)!
      .slice()
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const order = stream(seed, `split/${ds.city}/${poi.id}`).shuffle(posts);
    const n = order.length;
    const nTest = Math.max(1, Math.round(n * SPLIT_FRACTIONS[2]));
    const nVal = Math.max(1, Math.round(n * SPLIT_FRACTIONS[1]));
    if (n < 3) throw new Error(`${ds.name}: location ${poi.id} has ${n} posts; need ≥ 3 to put one in each of train/val/test`);
    test.push(...order.slice(0, nTest));
    val.push(...order.slice(nTest, nTest + nVal));
    train.push(...order.slice(nTest + nVal));
  }
  return {
    city: ds.city,
    pois: pois.map((p) => ({ id: p.id, name: p.name, lat: p.lat, lon: p.lon })),
    centres: pois.map((p) => ({ lat: p.lat, lon: p.lon })),
    train,
    val,
    test,
    labelOf: (p: P) => index.get(p.poiId)!,
    key: { dataset: ds.name, checksums: keyOf(ds.checksums), seed, fractions: [...SPLIT_FRACTIONS] },
  };
}

export const labelsOf = <P extends SplitPost>(split: CitySplit<P>, posts: readonly P[]): Int32Array =>
  Int32Array.from(posts, (p) => split.labelOf(p));

const byId = <T extends { id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The owner-grouped split (module comment): no owner on two sides. */
export function splitByOwner<P extends SplitPost>(
  ds: { name: string; city: string; pois: readonly SplitPoi[]; posts: readonly P[]; checksums: Record<string, string> },
  seed: number,
): CitySplit<P> {
  const withPosts = new Set(ds.posts.map((p) => p.poiId));
  const pois = ds.pois
    .filter((p) => withPosts.has(p.id))
    .slice()
    .sort(byId);
  const index = new Map(pois.map((p, i) => [p.id, i]));
  for (const p of ds.posts) {
    if (!index.has(p.poiId)) throw new Error(`${ds.name}: post ${p.id}: poiId: "${p.poiId}" is not one of the dataset's POIs`);
    if (!p.owner) throw new Error(`${ds.name}: post ${p.id}: owner: missing, but the dataset's splits are grouped by owner`);
  }
  if (pois.length < 2) throw new Error(`${ds.name}: need at least 2 locations with posts to classify, got ${pois.length}`);
  const byOwner = new Map<string, P[]>();
  for (const p of ds.posts) (byOwner.get(p.owner!) ?? byOwner.set(p.owner!, []).get(p.owner!)!).push(p);
  const owners = [...byOwner.keys()].sort();
  if (owners.length < 3) throw new Error(`${ds.name}: ${owners.length} owner(s); an owner-grouped split needs at least 3 (one per part)`);
  const order = stream(seed, `split/${ds.city}/owners`).shuffle(owners);
  const n = ds.posts.length;
  const want = { test: n * SPLIT_FRACTIONS[2], val: n * SPLIT_FRACTIONS[1] };
  const parts = { train: [] as P[], val: [] as P[], test: [] as P[] };
  const ownerCount = { train: 0, val: 0, test: 0 };
  for (const o of order) {
    const posts = byOwner.get(o)!.slice().sort(byId);
    // Test first, then validation, each until its share is reached (every part gets at least one owner).
    const part =
      parts.test.length < want.test || ownerCount.test === 0
        ? "test"
        : parts.val.length < want.val || ownerCount.val === 0
          ? "val"
          : "train";
    parts[part].push(...posts);
    ownerCount[part]++;
  }
  if (ownerCount.train === 0)
    throw new Error(`${ds.name}: seed ${seed}: no owner left for training (the largest owners hold more than 70 % of the posts)`);
  const poiSet = (ps: readonly P[]) => new Set(ps.map((p) => p.poiId));
  const trainPois = poiSet(parts.train);
  const unseen = parts.test.filter((p) => !trainPois.has(p.poiId));
  return {
    city: ds.city,
    pois: pois.map((p) => ({ id: p.id, name: p.name, lat: p.lat, lon: p.lon })),
    centres: pois.map((p) => ({ lat: p.lat, lon: p.lon })),
    train: parts.train,
    val: parts.val,
    test: parts.test,
    labelOf: (p: P) => index.get(p.poiId)!,
    key: { dataset: ds.name, checksums: keyOf(ds.checksums), seed, fractions: [...SPLIT_FRACTIONS], groupedBy: "owner" },
    grouping: {
      by: "owner",
      owners: ownerCount,
      pois: { train: trainPois.size, val: poiSet(parts.val).size, test: poiSet(parts.test).size },
      testPostsAtUnseenPois: unseen.length,
      unseenPois: new Set(unseen.map((p) => p.poiId)).size,
    },
  };
}
