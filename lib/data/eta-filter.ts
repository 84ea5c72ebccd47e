/**
 * The η filter on posts (MRLF Sec. IV-A / IV-E): posts whose image has a
 * portrait ratio above η are noise for location inference and are removed,
 * with a report of what was removed and why.
 */

export interface EtaFilterReport {
  step: string;
  rule: string;
  postsBefore: number;
  postsAfter: number;
  removedPosts: number;
  /** Post ids removed, with the portrait ratio that removed them. */
  removed: { id: string; ratio: number }[];
}

/**
 * Drop posts whose image has a portrait ratio > η (MRLF §IV-E). A post with
 * several images is removed when any of them is noisy (the paper filters
 * images; a post here carries its images' mean feature, so a noisy image
 * would stay in it). Posts without images are kept.
 */
export function etaFilter<P extends { id: string; images: readonly string[] }>(
  posts: readonly P[],
  ratioOf: (file: string) => number,
  eta: number,
): { kept: P[]; report: EtaFilterReport } {
  if (!(eta > 0 && eta <= 1)) throw new Error(`etaFilter: eta must be in (0, 1], got ${eta}`);
  const kept: P[] = [];
  const removed: { id: string; ratio: number }[] = [];
  for (const p of posts) {
    const worst = p.images.reduce((a, f) => Math.max(a, ratioOf(f)), 0);
    if (worst > eta) removed.push({ id: p.id, ratio: worst });
    else kept.push(p);
  }
  return {
    kept,
    report: {
      step: "noisy images (η)",
      rule: `portrait ratio > η = ${eta}`,
      postsBefore: posts.length,
      postsAfter: kept.length,
      removedPosts: removed.length,
      removed,
    },
  };
}
