/**
 * Name leakage: how often a post names its own location, and the same posts
 * with every location name removed (the control run of notebook 02).
 *
 * POIs are official names ("Wiener Staatsoper", "Stephansdom") and tags and
 * titles often name the place (`stephansdom`, `wienerstaatsoper`), so part of
 * any text model's accuracy may be plain name matching. The rule:
 *
 *   normalise   NFKD, combining marks removed, ß → ss, lower case
 *               ("Schönbrunn" → "schonbrunn", "Straße" → "strasse")
 *   name tokens the runs of letters and digits of a POI's official name with
 *               ≥ 4 characters that occur in the names of at most 2 of the
 *               city's official locations (co-located entries are one
 *               location; merged POIs contribute every member's name): so
 *               "albertina" (Albertina, Würstelstand Albertina) is a name
 *               token of both, while "wien", "wiener", "museum", "cafe",
 *               shared by many, are not
 *   mentions    a caption word or a tag CONTAINS a name token (substring, so
 *               glued tags such as `wienerstaatsoper` and compounds such as
 *               `staatsopernball` match "staatsoper")
 *   removal     every caption word and tag that contains a name token of ANY
 *               POI of the city is removed, from training, validation and test
 *               posts alike (removing only the true POI's name would tell the
 *               model the answer by what is missing)
 */
import type { Poi } from "./posts";

/** NFKD without combining marks, ß → ss, lower case. */
export const normaliseName = (s: string): string => s.normalize("NFKD").replace(/\p{M}/gu, "").replace(/ß/g, "ss").toLowerCase();

export const MIN_NAME_TOKEN = 4;

const runs = (s: string): string[] => normaliseName(s).match(/[\p{L}\p{N}]+/gu) ?? [];

/** A token shared by more official locations than this is a generic word of the list, not a name. */
export const MAX_LOCATIONS_PER_NAME_TOKEN = 2;

/**
 * Name tokens per POI id (the module comment's rule). `officialLocations` is
 * the city's full official list, one name per location (members joined by
 * " / "); default: the POIs' own names.
 */
export function nameTokensOf(
  pois: readonly Pick<Poi, "id" | "name">[],
  officialLocations: readonly string[] = pois.map((p) => p.name),
): Map<string, string[]> {
  const holders = new Map<string, number>();
  for (const name of officialLocations) for (const t of new Set(runs(name))) holders.set(t, (holders.get(t) ?? 0) + 1);
  const out = new Map<string, string[]>();
  for (const p of pois) {
    const tokens = [...new Set(runs(p.name))].filter(
      (t) => t.length >= MIN_NAME_TOKEN && (holders.get(t) ?? 1) <= MAX_LOCATIONS_PER_NAME_TOKEN,
    );
    out.set(p.id, tokens.sort());
  }
  return out;
}

/** Does `text` or one of `tags` contain one of `tokens` (as a substring of a normalised word or tag)? */
export function mentionsAny(text: string, tags: readonly string[], tokens: readonly string[]): boolean {
  if (tokens.length === 0) return false;
  const hit = (w: string) => tokens.some((t) => w.includes(t));
  return runs(text).some(hit) || tags.some((t) => hit(normaliseName(t)));
}

export interface StripResult<P> {
  post: P;
  wordsRemoved: number;
  tagsRemoved: number;
}

/** The post without any caption word or tag containing one of `tokens` (the rest of the caption is kept as written). */
export function stripNames<P extends { text: string; hashtags: string[] }>(post: P, tokens: readonly string[]): StripResult<P> {
  let wordsRemoved = 0;
  const hit = (w: string) => tokens.some((t) => normaliseName(w).includes(t));
  const text = post.text
    .replace(/[\p{L}\p{N}]+/gu, (w) => {
      if (!hit(w)) return w;
      wordsRemoved++;
      return "";
    })
    .replace(/[ \t]+/g, " ")
    .trim();
  const hashtags = post.hashtags.filter((t) => !hit(t));
  return { post: { ...post, text, hashtags }, wordsRemoved, tagsRemoved: post.hashtags.length - hashtags.length };
}
