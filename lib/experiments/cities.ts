/**
 * The cities notebooks 01–06 iterate over: one function, so that running the
 * MRLF notebooks on other data changes this list in one place. The three
 * synthetic cities (the paper's New York, Melbourne and Hong Kong) by default,
 * or the cities of the posts manifest the run selects (`DATA=`, or
 * data-manifests/instagram-posts.json; lib/data/selection.ts).
 */
import type { Params } from "../runtime/params";
import { postCitiesForRun } from "../data/selection";

export function mrlfCities(params: Pick<Params, "data" | "manifestDir">): string[] {
  return postCitiesForRun(params);
}
