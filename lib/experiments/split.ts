/**
 * The train / validation / test split every Table II model shares, per city.
 *
 * Stratified by location (POI): each POI's posts (sorted by id) are shuffled
 * with the stream `split/<city>/<poiId>` and cut 70 / 10 / 20 %, so every
 * location appears in every part and the split depends only on (seed, data).
 * The paper does not state its split; this is a common choice, said in the
 * notebook.
 */
import type { LatLon } from "../geo/distance";
import { keyOf } from "../runtime/hash";
import { stream } from "../runtime/rng";

export interface SplitPost {
  id: string;
  poiId: string;
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
  ds: { name: string; city: string; pois: readonly SplitPoi[]; posts: readonly P[]; checksums: Record<string, string> },
  seed: number,
): CitySplit<P> {
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
