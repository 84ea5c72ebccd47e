/**
 * Synthetic microblog users for the local-words paper (issue 3, item 2).
 *
 * Each user lives in a city (inside a state), has coordinates near the city
 * and writes several tweets. The generator plants exactly the structure the
 * paper's pipeline is meant to find, so each step has an effect:
 * - local words with skewed geography: city names (some multi-word, "Port
 *   Kelvor"), landmarks ("Kelvor Square", "Statue of Mirel"), teams ("Kelvor
 *   Rangers"), local food and slang; state-wide dialect words and a state team;
 * - words that are *mildly* regional (weather words skewed by latitude) and
 *   plain common topic words (food, phones, health, music…) used everywhere,
 *   which co-occur within topics so word2vec groups them into clusters the
 *   wrapper can drop;
 * - "travel" tweets that mention another city's landmarks (noise for IGR);
 * - English stop words in every tweet and one-off typos and @mentions, which
 *   stop-word removal and the N1 frequency filter remove;
 * - multi-word capitalised entities, which the NER merging step joins.
 * Seeded (`stream(seed, "synthetic/microblog/…")`); `scale` picks the size.
 */
import type { LatLon } from "../../geo/distance";
import { Rng, stream } from "../../runtime/rng";
import type { Scale } from "../../runtime/params";

export interface MicroblogUser {
  id: string;
  tweets: string[];
  city: string;
  state: string;
  coord: LatLon;
}

export interface MicroblogScaleSpec {
  states: number;
  citiesPerState: number;
  users: number;
  minTweets: number;
  maxTweets: number;
}

/** "paper" ≈ the paper's Twitter(City) size (235,120 users in 378 cities; Table 4 is missing from our text). */
export const MICROBLOG_SCALES: Record<Scale, MicroblogScaleSpec> = {
  tiny: { states: 4, citiesPerState: 2, users: 240, minTweets: 6, maxTweets: 12 },
  default: { states: 10, citiesPerState: 3, users: 3000, minTweets: 10, maxTweets: 20 },
  paper: { states: 50, citiesPerState: 8, users: 235_120, minTweets: 5, maxTweets: 15 },
};

export interface SyntheticMicroblog {
  users: MicroblogUser[];
  cities: { name: string; state: string; centre: LatLon; users: number }[];
  states: { name: string; centre: LatLon }[];
  /** The planted local words (lower-cased tokens as the preprocessing produces them), by kind. */
  planted: { cityLocal: string[]; stateLocal: string[]; regional: string[]; common: string[] };
  spec: MicroblogScaleSpec;
  seed: number;
}

const ONSETS = ["b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "gr", "kr", "st", "tr", "th", "sh", "ch", "qu"];
const VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "y"];
const CODAS = ["", "", "n", "r", "l", "s", "th", "x", "m", "nd", "rk", "st"];

function pseudoWord(rng: Rng, syllables: number): string {
  let w = "";
  for (let i = 0; i < syllables; i++) w += rng.choice(ONSETS) + rng.choice(VOWELS) + (i === syllables - 1 ? rng.choice(CODAS) : "");
  return w;
}
const cap = (w: string) => w[0].toUpperCase() + w.slice(1);

/** Unique pseudo-words (never a real stop word or topic word). */
class Namer {
  private used = new Set<string>();
  constructor(private rng: Rng, reserved: Iterable<string>) {
    for (const r of reserved) this.used.add(r);
  }
  next(syllables = 2): string {
    for (;;) {
      const w = pseudoWord(this.rng, syllables);
      if (!this.used.has(w) && w.length >= 4) {
        this.used.add(w);
        return w;
      }
    }
  }
}

const COMMON_TOPICS: Record<string, string[]> = {
  food: ["pizza", "burger", "coffee", "tacos", "breakfast", "lunch", "dinner", "snack", "hungry", "delicious", "cheese", "fries"],
  phone: ["phone", "battery", "charger", "iphone", "android", "app", "update", "screen", "wifi", "texting", "laptop", "signal"],
  health: ["headache", "tired", "sick", "gym", "workout", "sleep", "doctor", "flu", "coughing", "stretch", "vitamins", "nap"],
  music: ["song", "album", "playlist", "concert", "guitar", "lyrics", "singing", "radio", "dance", "beat", "remix", "band"],
  school: ["homework", "exam", "class", "teacher", "essay", "library", "campus", "grades", "study", "lecture", "quiz", "notes"],
  feelings: ["happy", "bored", "excited", "annoyed", "lol", "omg", "haha", "love", "hate", "crazy", "awesome", "ugh"],
};
const REGIONAL_WEATHER = { cold: ["snow", "freezing", "shovel", "icy", "blizzard", "sleet"], warm: ["humid", "sunburn", "beach", "heatwave", "sunscreen", "pool"] };
const STOP_FILLERS = ["i", "the", "a", "to", "and", "is", "it", "my", "at", "in", "this", "so", "with", "for", "of", "on", "just", "we", "you", "me"];
const LANDMARK_KINDS = ["Square", "Park", "Bridge", "Tower", "Market", "Beach", "Stadium", "Museum", "Pier", "Zoo"];
const TEAM_KINDS = ["Rangers", "Hawks", "Bears", "Comets", "Pilots", "Giants", "Wolves", "Sharks"];

interface CityPlan {
  name: string;
  state: number;
  centre: LatLon;
  /** Tweet-ready local phrases (entities capitalised) and their tokens. */
  phrases: string[];
  tokens: string[];
}

export function generateMicroblog(seed: number, scale: Scale | MicroblogScaleSpec = "default"): SyntheticMicroblog {
  const spec = typeof scale === "string" ? MICROBLOG_SCALES[scale] : scale;
  if (!spec) throw new Error(`synthetic/microblog: unknown scale "${String(scale)}" (use tiny, default or paper)`);
  const reserved = [...Object.values(COMMON_TOPICS).flat(), ...Object.values(REGIONAL_WEATHER).flat(), ...STOP_FILLERS];
  const namer = new Namer(stream(seed, "synthetic/microblog/names"), reserved);
  const geo = stream(seed, "synthetic/microblog/geo");
  const cols = Math.ceil(Math.sqrt(spec.states * 2));
  const states = Array.from({ length: spec.states }, (_, s) => {
    const row = Math.floor(s / cols);
    const col = s % cols;
    const rows = Math.ceil(spec.states / cols);
    return {
      name: cap(namer.next(3)),
      centre: { lat: 30 + (17 * (row + 0.5)) / rows, lon: -120 + (45 * (col + 0.5)) / cols },
      dialect: Array.from({ length: 4 }, () => namer.next(2)),
      team: `${cap(namer.next(2))} ${geo.choice(TEAM_KINDS)}`,
    };
  });
  const cities: CityPlan[] = [];
  states.forEach((st, s) => {
    for (let c = 0; c < spec.citiesPerState; c++) {
      const base = cap(namer.next(2));
      const name = geo.next() < 0.35 ? `${geo.choice(["Port", "New", "East", "Lake", "Fort"])} ${base}` : base;
      const l1 = `${base} ${geo.choice(LANDMARK_KINDS)}`;
      const l2 = geo.next() < 0.5 ? `Statue of ${cap(namer.next(2))}` : `${cap(namer.next(2))} ${geo.choice(LANDMARK_KINDS)}`;
      const team = `${base} ${geo.choice(TEAM_KINDS)}`;
      const food = [namer.next(2), namer.next(2)];
      const slang = namer.next(2);
      const phrases = [name, l1, l2, team, ...food, slang, `#${base.toLowerCase()}`];
      const tokens = phrases.map((p) => p.toLowerCase().replace(/ /g, "_"));
      const lat = st.centre.lat + (geo.next() - 0.5) * 2.5;
      const lon = st.centre.lon + (geo.next() - 0.5) * 3.5;
      cities.push({ name, state: s, centre: { lat, lon }, phrases, tokens });
    }
  });
  const cityWeights = cities.map((_, i) => 1 / Math.pow(1 + (i * 7919) % cities.length, 0.6));
  const userRng = stream(seed, "synthetic/microblog/users");
  const typo = new Namer(stream(seed, "synthetic/microblog/typos"), reserved);
  // Besides the readable topics, many pseudo-word topics with Zipf-skewed word use:
  // their rare words reach a high IGR by chance (few users, few places), survive
  // the IGR filter as noise and cluster together by topic — what the wrapper removes.
  const extraNamer = new Namer(stream(seed, "synthetic/microblog/topics"), reserved);
  const extraTopics = Array.from({ length: 24 }, () => Array.from({ length: 30 }, () => extraNamer.next(2)));
  const topics = [...Object.values(COMMON_TOPICS), ...extraTopics];
  const zipf = (list: string[]) => list[Math.min(list.length - 1, Math.floor(list.length * Math.pow(userRng.next(), 2.5)))];
  const users: MicroblogUser[] = [];
  const cityUsers = new Array(cities.length).fill(0);
  for (let u = 0; u < spec.users; u++) {
    // Every city gets users first (round robin), then by Zipf-like weights.
    const ci = u < cities.length * 5 ? u % cities.length : userRng.weighted(cityWeights);
    cityUsers[ci]++;
    const city = cities[ci];
    const st = states[city.state];
    const localness = userRng.next() * 0.5; // some users never tweet local things
    const nTweets = spec.minTweets + userRng.int(spec.maxTweets - spec.minTweets + 1);
    const favTopics = [userRng.choice(topics), userRng.choice(topics)];
    const tweets: string[] = [];
    for (let t = 0; t < nTweets; t++) {
      const words: string[] = [];
      const nStop = 2 + userRng.int(4);
      for (let i = 0; i < nStop; i++) words.push(userRng.choice(STOP_FILLERS));
      const r = userRng.next();
      if (r < localness) {
        const pick = userRng.next();
        if (pick < 0.6) for (let i = 0; i < 2; i++) words.push(userRng.choice(city.phrases));
        else words.push(userRng.choice(st.dialect), userRng.next() < 0.4 ? st.team : userRng.choice(st.dialect));
      } else if (r < localness + 0.04) {
        // A trip: another city's landmarks.
        const other = cities[userRng.int(cities.length)];
        words.push(userRng.choice(other.phrases));
      } else if (r < localness + 0.14) {
        const cold = st.centre.lat > 38.5 ? userRng.next() < 0.75 : userRng.next() < 0.25;
        const list = cold ? REGIONAL_WEATHER.cold : REGIONAL_WEATHER.warm;
        words.push(userRng.choice(list), userRng.choice(list));
      }
      const topic = userRng.next() < 0.7 ? userRng.choice(favTopics) : userRng.choice(topics);
      const nTopic = 2 + userRng.int(3);
      for (let i = 0; i < nTopic; i++) words.push(zipf(topic));
      if (userRng.next() < 0.15) words.push(typo.next(3));
      if (userRng.next() < 0.1) words.push(`@user${userRng.int(100000)}`);
      const order = userRng.shuffle(words);
      let text = order.join(" ");
      text = text[0].toUpperCase() + text.slice(1);
      tweets.push(text + userRng.choice([".", "!", "", " lol"]));
    }
    users.push({
      id: `syn-u${String(u).padStart(6, "0")}`,
      tweets,
      city: city.name,
      state: st.name,
      coord: { lat: city.centre.lat + userRng.normal() * 0.15, lon: city.centre.lon + userRng.normal() * 0.15 },
    });
  }
  return {
    users,
    cities: cities.map((c, i) => ({ name: c.name, state: states[c.state].name, centre: c.centre, users: cityUsers[i] })),
    states: states.map((s) => ({ name: s.name, centre: s.centre })),
    planted: {
      cityLocal: cities.flatMap((c) => c.tokens),
      stateLocal: states.flatMap((s) => [...s.dialect, s.team.toLowerCase().replace(/ /g, "_")]),
      regional: Object.values(REGIONAL_WEATHER).flat(),
      common: topics.flat(),
    },
    spec,
    seed,
  };
}
