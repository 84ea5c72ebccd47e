/**
 * A geotagged photo → one of the city's POIs, the way a check-in names its
 * location.
 *
 * Rule (notebook 01 prints the evidence for its numbers):
 *   - the nearest POI by haversine distance, if it lies within `radiusM`;
 *   - AMBIGUOUS (removed, counted) when the second-nearest POI is also within
 *     the radius and no more than `ambiguityRatio` × as far as the nearest:
 *     then the geotag cannot say which of the two the photo shows (old-town
 *     POIs lie within 150 m of each other, and a street-level geotag is off by
 *     tens of metres); otherwise the nearest, however close the second one is
 *     in absolute terms.
 * Co-located POIs are merged before (./pois.ts), so two entries at the same
 * point never make a photo ambiguous.
 */
import { haversineKm } from "../../geo/distance";
import type { Poi } from "../posts";

export interface AssignRule {
  /** Farthest a photo may be from its POI, in metres. */
  radiusM: number;
  /** Second-nearest within the radius and ≤ this × the nearest distance → ambiguous. */
  ambiguityRatio: number;
}

export type Assignment =
  | { kind: "assigned"; poi: string; distanceM: number }
  | { kind: "beyond"; nearest: string; distanceM: number }
  | { kind: "ambiguous"; nearest: string; second: string; distanceM: number; secondM: number };

/** The two nearest POIs of a point (ties: file order). */
export function twoNearest(
  p: { lat: number; lon: number },
  pois: readonly Poi[],
): { first: Poi; d1: number; second: Poi | null; d2: number } {
  let first = -1,
    second = -1,
    d1 = Infinity,
    d2 = Infinity;
  pois.forEach((q, i) => {
    const d = haversineKm(p, q) * 1000;
    if (d < d1) {
      second = first;
      d2 = d1;
      first = i;
      d1 = d;
    } else if (d < d2) {
      second = i;
      d2 = d;
    }
  });
  if (first < 0) throw new Error("assignPoi: no POIs");
  return { first: pois[first], d1, second: second >= 0 ? pois[second] : null, d2 };
}

export function assignPoi(p: { lat: number; lon: number }, pois: readonly Poi[], rule: AssignRule): Assignment {
  const { first, d1, second, d2 } = twoNearest(p, pois);
  if (d1 > rule.radiusM) return { kind: "beyond", nearest: first.id, distanceM: d1 };
  if (second && d2 <= rule.radiusM && d2 <= rule.ambiguityRatio * d1)
    return { kind: "ambiguous", nearest: first.id, second: second.id, distanceM: d1, secondM: d2 };
  return { kind: "assigned", poi: first.id, distanceM: d1 };
}

export interface RadiusRow {
  radiusM: number;
  /** Photos assigned (nearest within the radius, not ambiguous). */
  posts: number;
  ambiguous: number;
  /** POIs with at least one photo. */
  poisHit: number;
  /** POIs with ≥ minPosts photos from ≥ minOwners owners, and their photos. */
  poisKept: number;
  postsAtKept: number;
  /** Share of the kept photos at the largest kept POI (the majority-class floor before any other filter). */
  largestShare: number;
  /**
   * The ring between the previous radius and this one: its assigned photos, and the share of them whose
   * caption or tags name their nearest POI (lib/data/name-leakage.ts) — a proxy for "the nearest POI is
   * what the photo shows" (null without names).
   */
  ring: { posts: number; namingShare: number | null };
}

/** The evidence for the radius: what each candidate radius keeps, under the same ambiguity rule and POI minimums. */
export function radiusTable(
  photos: readonly { lat: number; lon: number; owner: string; names?: (poiId: string) => boolean }[],
  pois: readonly Poi[],
  radii: readonly number[],
  o: { ambiguityRatio: number; minPosts: number; minOwners: number },
): RadiusRow[] {
  const near = photos.map((p) => ({ ...twoNearest(p, pois), owner: p.owner, names: p.names }));
  return radii.map((radiusM, k) => {
    const inner = k === 0 ? 0 : radii[k - 1];
    let ringPosts = 0,
      ringNaming = 0;
    const posts = new Map<string, number>();
    const owners = new Map<string, Set<string>>();
    let ambiguous = 0;
    for (const n of near) {
      if (n.d1 > radiusM) continue;
      if (n.second && n.d2 <= radiusM && n.d2 <= o.ambiguityRatio * n.d1) {
        ambiguous++;
        continue;
      }
      posts.set(n.first.id, (posts.get(n.first.id) ?? 0) + 1);
      (owners.get(n.first.id) ?? owners.set(n.first.id, new Set()).get(n.first.id)!).add(n.owner);
      if (n.d1 > inner) {
        ringPosts++;
        if (n.names?.(n.first.id)) ringNaming++;
      }
    }
    const kept = [...posts].filter(([id, c]) => c >= o.minPosts && owners.get(id)!.size >= o.minOwners);
    const postsAtKept = kept.reduce((s, [, c]) => s + c, 0);
    return {
      radiusM,
      posts: [...posts.values()].reduce((s, c) => s + c, 0),
      ambiguous,
      poisHit: posts.size,
      poisKept: kept.length,
      postsAtKept,
      largestShare: postsAtKept ? Math.max(...kept.map(([, c]) => c)) / postsAtKept : 0,
      ring: { posts: ringPosts, namingShare: near.some((n) => n.names) && ringPosts ? ringNaming / ringPosts : null },
    };
  });
}
