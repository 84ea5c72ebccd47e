/**
 * Synthetic microblog users for the local-words paper (issue 3, item 2).
 *
 * Each user lives in a city (inside a state), has coordinates near the city
 * and writes several tweets. The generator plants the structure the paper's
 * pipeline is meant to find *and* the kinds of words real corpora have that
 * each step exists to remove, so that every step has an effect:
 *
 * Words that indicate a location (what the method should keep):
 * - city-local words with skewed geography: city names (some multi-word, "Port
 *   Kelvor"), landmarks ("Kelvor Square", "Statue of Mirel"), teams ("Kelvor
 *   Rangers"), local food and slang, a city hashtag; state-wide dialect words
 *   and a state team;
 * - words that are *mildly* regional (weather words skewed by latitude).
 *
 * Words that do not (what each step should remove):
 * - English stop words in every tweet → stop-word removal;
 * - one-off typos and @mentions → the N1 frequency filter;
 * - common topic words (food, phones, health, music…, plus pseudo-word topics
 *   with Zipf-skewed word use) used everywhere → mostly the IGR filter; their
 *   rarest words reach a high IGR by chance (few users, few places);
 * - trending event words: a handful of events, each discussed in a burst by a
 *   random few percent of all users, wherever they live → IGR (location-free,
 *   spread over many users);
 * - fandom / hobby vocabulary (a celebrity's fans, a game's players, a brand's
 *   devotees): each community has only a few members, chosen at random among
 *   all users (so *independent of location*), who are heavy users and tweet
 *   about it a lot. Because the members are few, the community's words sit in
 *   the few places those members happen to live: their IGR is as high as a
 *   local word's, and IGR cannot tell them apart. They are what the wrapper is
 *   for: the words co-occur only with each other, so word2vec puts them in
 *   clusters of their own, and a user held out in cross-validation is pulled
 *   towards the training members' locations, which a location-free community
 *   predicts no better than chance: removing the cluster lowers the CV error;
 * - personal vocabulary: ~2% of users are prolific (twice the tweets) and put
 *   one of two words of their own (a pet's name, a catch-phrase) in a third of
 *   their tweets, usually often enough to pass N1; used by one user, their
 *   IGR is high, they carry no location information, and they cluster together
 *   (their contexts are that user's tweets).
 * - "travel" tweets that mention another city's landmarks (noise in the local
 *   words themselves);
 * - multi-word capitalised entities, which the NER merging step joins.
 *
 * None of these rates is fitted to a model's result: they are set from what the
 * kinds of words are (few members per community, a few percent of users per
 * trending event, heavy users tweeting about their hobby in a third to a half
 * of their tweets). Seeded (`stream(seed, "synthetic/microblog/…")`); `scale`
 * picks the size.
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
  /** Location-free communities (fandoms, games, brands) and their member count range. */
  communities?: number;
  membersPerCommunity?: [number, number];
  /** Trending events (each discussed by ~3% of all users). */
  events?: number;
}

/** "paper" ≈ the paper's Twitter(City) size (235,120 users in 378 cities; Table 4 is missing from our text). */
export const MICROBLOG_SCALES: Record<Scale, MicroblogScaleSpec> = {
  tiny: { states: 4, citiesPerState: 2, users: 240, minTweets: 6, maxTweets: 12, communities: 4, membersPerCommunity: [2, 5], events: 2 },
  default: {
    states: 10,
    citiesPerState: 3,
    users: 3000,
    minTweets: 10,
    maxTweets: 20,
    communities: 40,
    membersPerCommunity: [2, 8],
    events: 6,
  },
  paper: {
    states: 50,
    citiesPerState: 8,
    users: 235_120,
    minTweets: 5,
    maxTweets: 15,
    communities: 2000,
    membersPerCommunity: [2, 12],
    events: 40,
  },
};

export interface SyntheticMicroblog {
  users: MicroblogUser[];
  cities: { name: string; state: string; centre: LatLon; users: number }[];
  states: { name: string; centre: LatLon }[];
  /** The planted local words (lower-cased tokens as the preprocessing produces them), by kind. */
  planted: {
    cityLocal: string[];
    stateLocal: string[];
    regional: string[];
    common: string[];
    /** Location-free community vocabulary (lower-cased tokens), per community. */
    community: string[][];
    /** Trending event words, per event. */
    trending: string[][];
    /** Personal words of prolific users. */
    personal: string[];
  };
  /** Members of each community (user ids). */
  communityMembers: string[][];
  spec: MicroblogScaleSpec;
  seed: number;
}

const ONSETS = [
  "b",
  "d",
  "f",
  "g",
  "h",
  "k",
  "l",
  "m",
  "n",
  "p",
  "r",
  "s",
  "t",
  "v",
  "z",
  "br",
  "dr",
  "gr",
  "kr",
  "st",
  "tr",
  "th",
  "sh",
  "ch",
  "qu",
];
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
  readonly used = new Set<string>();
  constructor(
    private rng: Rng,
    reserved: Iterable<string>,
  ) {
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
const REGIONAL_WEATHER = {
  cold: ["snow", "freezing", "shovel", "icy", "blizzard", "sleet"],
  warm: ["humid", "sunburn", "beach", "heatwave", "sunscreen", "pool"],
};
const STOP_FILLERS = [
  "i",
  "the",
  "a",
  "to",
  "and",
  "is",
  "it",
  "my",
  "at",
  "in",
  "this",
  "so",
  "with",
  "for",
  "of",
  "on",
  "just",
  "we",
  "you",
  "me",
];
const LANDMARK_KINDS = ["Square", "Park", "Bridge", "Tower", "Market", "Beach", "Stadium", "Museum", "Pier", "Zoo"];
const TEAM_KINDS = ["Rangers", "Hawks", "Bears", "Comets", "Pilots", "Giants", "Wolves", "Sharks"];

/** Shuffle the words, capitalise the first, add end punctuation. */
function finishTweet(words: string[], rng: Rng): string {
  const text = rng.shuffle(words).join(" ");
  return text[0].toUpperCase() + text.slice(1) + rng.choice([".", "!", "", " lol"]);
}

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
  const cityWeights = cities.map((_, i) => 1 / Math.pow(1 + ((i * 7919) % cities.length), 0.6));
  const userRng = stream(seed, "synthetic/microblog/users");
  const typo = new Namer(stream(seed, "synthetic/microblog/typos"), reserved);
  // Besides the readable topics, many pseudo-word topics with Zipf-skewed word use:
  // their rare words reach a high IGR by chance (few users, few places), survive
  // the IGR filter as noise and cluster together by topic — what the wrapper removes.
  const extraNamer = new Namer(stream(seed, "synthetic/microblog/topics"), reserved);
  const extraTopics = Array.from({ length: 24 }, () => Array.from({ length: 30 }, () => extraNamer.next(2)));
  const topics = [...Object.values(COMMON_TOPICS), ...extraTopics];
  const zipf = (list: string[]) => list[Math.min(list.length - 1, Math.floor(list.length * Math.pow(userRng.next(), 2.5)))];

  // Location-free communities, trending events and personal words (see the module doc).
  // Their members are drawn from user *indices* before any user has a city, so
  // membership is independent of location by construction.
  const extraWords = new Namer(stream(seed, "synthetic/microblog/communities"), [...reserved, ...namer.used, ...extraNamer.used]);
  const nCommunities = spec.communities ?? 0;
  const [minMembers, maxMembers] = spec.membersPerCommunity ?? [2, 8];
  const communities = Array.from({ length: nCommunities }, () => {
    const name = extraWords.next(2);
    return [name, `#${name}fans`, ...Array.from({ length: 10 }, () => extraWords.next(2))];
  });
  const events = Array.from({ length: spec.events ?? 0 }, () => Array.from({ length: 8 }, () => extraWords.next(2)));
  const social = stream(seed, "synthetic/microblog/social");
  const communityOf = new Int32Array(spec.users).fill(-1);
  const communityMembers: number[][] = communities.map(() => []);
  communities.forEach((_, c) => {
    const want = minMembers + social.int(maxMembers - minMembers + 1);
    for (let tries = 0; communityMembers[c].length < want && tries < 50 * want; tries++) {
      const u = social.int(spec.users);
      if (communityOf[u] >= 0) continue; // one community per user
      communityOf[u] = c;
      communityMembers[c].push(u);
    }
  });
  // ~2% of users are prolific with words of their own.
  const personalOf: string[][] = Array.from({ length: spec.users }, () =>
    social.next() < 0.02 ? [extraWords.next(3), extraWords.next(3)] : [],
  );
  // Each user joins each trending event with probability 3% (1–2 tweets about it).
  const eventTweetsOf: number[][] = Array.from({ length: spec.users }, () =>
    events.flatMap((_, e) => (social.next() < 0.03 ? Array(1 + social.int(2)).fill(e) : [])),
  );

  const users: MicroblogUser[] = [];
  const cityUsers = new Array(cities.length).fill(0);
  for (let u = 0; u < spec.users; u++) {
    // Every city gets users first (round robin), then by Zipf-like weights.
    const ci = u < cities.length * 5 ? u % cities.length : userRng.weighted(cityWeights);
    cityUsers[ci]++;
    const city = cities[ci];
    const st = states[city.state];
    const localness = userRng.next() * 0.5; // some users never tweet local things
    const community = communityOf[u] >= 0 ? communities[communityOf[u]] : null;
    const personal = personalOf[u];
    // Community members and users with personal words are heavy users (twice the
    // tweets); members tweet about their community in a third to a half of them.
    const nTweets = (spec.minTweets + userRng.int(spec.maxTweets - spec.minTweets + 1)) * (community || personal.length ? 2 : 1);
    const devotion = community ? 0.33 + userRng.next() * 0.17 : 0;
    const favTopics = [userRng.choice(topics), userRng.choice(topics)];
    const tweets: string[] = [];
    const events_ = eventTweetsOf[u];
    for (let t = 0; t < nTweets + events_.length; t++) {
      const words: string[] = [];
      const nStop = 2 + userRng.int(4);
      for (let i = 0; i < nStop; i++) words.push(userRng.choice(STOP_FILLERS));
      if (t >= nTweets) {
        // A trending event's burst: its words, wherever the user lives.
        const ev = events[events_[t - nTweets]];
        for (let i = 0, m = 2 + userRng.int(2); i < m; i++) words.push(zipf(ev));
        tweets.push(finishTweet(words, userRng));
        continue;
      }
      if (community && userRng.next() < devotion) {
        for (let i = 0, m = 2 + userRng.int(3); i < m; i++) words.push(zipf(community));
        tweets.push(finishTweet(words, userRng));
        continue;
      }
      if (personal.length && userRng.next() < 0.35) words.push(userRng.choice(personal));
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
      tweets.push(finishTweet(words, userRng));
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
      community: communities,
      trending: events,
      personal: personalOf.flat(),
    },
    communityMembers: communityMembers.map((m) => m.map((u) => users[u].id)),
    spec,
    seed,
  };
}
