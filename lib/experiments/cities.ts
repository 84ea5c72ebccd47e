/**
 * The cities notebooks 01–06 iterate over: one function, so that running the
 * MRLF notebooks on other data (a researcher's posts dataset, issue 13) changes
 * this list in one place. Today: the three synthetic cities (the paper's New
 * York, Melbourne and Hong Kong), or the cities a real posts manifest lists.
 */
import type { Params } from "../runtime/params";
import { SYNTHETIC_CITIES } from "../data/synthetic/pois";

export function mrlfCities(params: Pick<Params, "manifestDir">): string[] {
  void params;
  return [...SYNTHETIC_CITIES];
}
