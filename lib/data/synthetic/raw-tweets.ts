/**
 * A small raw tweet file shaped like a researcher's crawl, for the README's
 * worked example and the end-to-end tests of `make ingest` + `make reproduce
 * DATA=…`. It is generated (SYNTHETIC), but in the shape raw geotagged tweets
 * arrive in, with the quirks the ingest and the pipeline must survive:
 *
 * - TSV with a header, one line per tweet: tweet_id, user_id, created_at,
 *   latitude, longitude, text; **coordinates only, no location label**;
 * - users in real cities worldwide (US, UK, Canada, Australia, India, China),
 *   each tweet's coordinates jittered around the user's home, ~20 % of tweets
 *   without coordinates, a few tweets posted while travelling;
 * - English and Chinese text; URLs, @mentions, #hashtags; multi-word place
 *   names both capitalised ("Times Square") and lower-cased ("new york");
 *   ~30 % of users write in lower case only;
 * - a few bad lines a real file has: a non-numeric coordinate, an empty text,
 *   a line with a cell missing (with `badLines`, the default).
 *
 * Local words are real words tied to each city (teams, neighbourhoods, food,
 * slang), so the pipeline has a real-world-like signal to find.
 */
import { Rng, stream } from "../../runtime/rng";

export interface ExampleCity {
  name: string;
  lat: number;
  lon: number;
  /** Words and phrases locals use (some multi-word). */
  local: string[];
  /** "en" or "zh". */
  lang: "en" | "zh";
}

/**
 * Real cities (coordinates of an inland point of each: GeoNames city centres of coastal cities lie at the water) and words tied to them.
 */
export const EXAMPLE_CITIES: readonly ExampleCity[] = [
  {
    name: "New York",
    lat: 40.754,
    lon: -73.984,
    lang: "en",
    local: ["bodega", "subway", "brooklyn", "manhattan", "yankees", "knicks", "bagel", "Times Square", "Central Park", "new york"],
  },
  {
    name: "Los Angeles",
    lat: 34.0522,
    lon: -118.2437,
    lang: "en",
    local: ["dodgers", "lakers", "freeway", "hollywood", "tacos", "Santa Monica", "Venice Beach", "los angeles", "traffic"],
  },
  {
    name: "Chicago",
    lat: 41.8781,
    lon: -87.6298,
    lang: "en",
    local: ["cubs", "bulls", "wrigley", "deep dish", "lakeshore", "Navy Pier", "chicago", "el train"],
  },
  {
    name: "Houston",
    lat: 29.7604,
    lon: -95.3698,
    lang: "en",
    local: ["astros", "rockets", "bayou", "whataburger", "rodeo", "y'all", "houston", "humid"],
  },
  {
    name: "Seattle",
    lat: 47.623,
    lon: -122.31,
    lang: "en",
    local: ["seahawks", "mariners", "ferry", "drizzle", "Pike Place", "seattle", "espresso"],
  },
  {
    name: "Miami",
    lat: 25.766,
    lon: -80.25,
    lang: "en",
    local: ["cafecito", "brickell", "wynwood", "dolphins", "South Beach", "miami", "hurricane"],
  },
  {
    name: "Boston",
    lat: 42.332,
    lon: -71.1,
    lang: "en",
    local: ["wicked", "fenway", "celtics", "chowder", "dunkies", "boston", "Back Bay"],
  },
  {
    name: "Atlanta",
    lat: 33.749,
    lon: -84.388,
    lang: "en",
    local: ["falcons", "braves", "peachtree", "marta", "sweet tea", "atlanta", "hawks"],
  },
  {
    name: "London",
    lat: 51.5074,
    lon: -0.1278,
    lang: "en",
    local: ["tube", "quid", "innit", "arsenal", "brolly", "cheeky", "london", "Oxford Street"],
  },
  { name: "Toronto", lat: 43.6532, lon: -79.3832, lang: "en", local: ["leafs", "raptors", "ttc", "timmies", "toonie", "toronto", "eh"] },
  { name: "Sydney", lat: -33.8688, lon: 151.2093, lang: "en", local: ["arvo", "footy", "servo", "maccas", "bondi", "sydney", "heaps"] },
  {
    name: "Mumbai",
    lat: 19.076,
    lon: 72.8777,
    lang: "en",
    local: ["vada pav", "local train", "monsoon", "bandra", "chai", "mumbai", "Marine Drive"],
  },
  { name: "Beijing", lat: 39.9042, lon: 116.4074, lang: "zh", local: ["北京", "故宫", "胡同", "烤鸭", "长城", "三里屯", "雾霾"] },
  { name: "Shanghai", lat: 31.2304, lon: 121.4737, lang: "zh", local: ["上海", "外滩", "浦东", "小笼包", "陆家嘴", "黄浦江", "弄堂"] },
];

const EN_COMMON = [
  "coffee",
  "weekend",
  "work",
  "music",
  "game",
  "dinner",
  "friends",
  "movie",
  "gym",
  "lunch",
  "phone",
  "sunday",
  "monday",
  "party",
  "school",
  "dog",
  "pizza",
  "sleep",
  "morning",
  "netflix",
  "homework",
  "concert",
  "birthday",
  "burger",
  "brunch",
  "laundry",
  "exam",
  "playlist",
  "nap",
  "gaming",
  "football",
  "basketball",
  "tv",
  "shopping",
  "rain",
  "sunshine",
  "tea",
  "beer",
  "wine",
  "class",
];
const EN_TEMPLATES = [
  "just got back from {l} with the crew",
  "can't believe it's {c} again lol",
  "{l} is the best thing about this place",
  "nothing beats {l} on a {c}",
  "anyone want to grab {c} near {l}?",
  "Stuck in {c} again... {l} vibes",
  "so tired. {c} then {l}",
  "watching the {l} game tonight!!",
  "{c} and {c} all day",
  "Happy Friday everyone! {l} here I come",
];
const ZH_COMMON = ["今天", "天气", "朋友", "周末", "吃饭", "工作", "电影", "咖啡", "地铁", "下班"];
const ZH_TEMPLATES = [
  "今天在{l}吃了{c}，太好吃了！",
  "{l}的{c}真不错",
  "周末和朋友去{l}玩，人好多。",
  "下班后去{l}，{c}",
  "又是{c}的一天，想去{l}",
];
const MENTIONS = ["@amy_lee", "@jdoe", "@mike88", "@sarah_k", "@newsbot"];

export interface ExampleTweetsOptions {
  seed?: number;
  /** Users per city (default 12). */
  usersPerCity?: number;
  /** Tweets per user are drawn from [min, max] (default 8–16). */
  tweets?: [number, number];
  /** Put a few bad lines in (default true). */
  badLines?: boolean;
}

export const EXAMPLE_TSV_HEADER = ["tweet_id", "user_id", "created_at", "latitude", "longitude", "text"];

/**
 * A template's {l} slots take a word of the city with probability `LOCAL_RATE`
 * (a word of another city with `ELSEWHERE_RATE`: news, rivals, travel plans),
 * else a common word; {c} slots a common word. Most tweets say nothing about
 * where their author lives, which keeps the task from being trivial.
 */
const LOCAL_RATE = 0.35;
const ELSEWHERE_RATE = 0.1;
function fill(template: string, rng: Rng, city: ExampleCity, common: readonly string[]): string {
  return template.replace(/\{([lc])\}/g, (_m, k: string) => {
    if (k === "c") return rng.choice(common);
    const x = rng.next();
    if (x < LOCAL_RATE) return rng.choice(city.local);
    if (x < LOCAL_RATE + ELSEWHERE_RATE) return rng.choice(rng.choice(EXAMPLE_CITIES.filter((c) => c.lang === city.lang)).local);
    return rng.choice(common);
  });
}

/** km → degrees of latitude / longitude at a latitude. */
const jitter = (rng: Rng, lat: number, lon: number, km: number): [number, number] => [
  lat + (rng.normal() * km) / 111,
  lon + (rng.normal() * km) / (111 * Math.cos((lat * Math.PI) / 180)),
];

/** The file's lines (header first), without a trailing newline. */
export function exampleRawTweets(opts: ExampleTweetsOptions = {}): string[] {
  const seed = opts.seed ?? 1;
  const perCity = opts.usersPerCity ?? 12;
  const [tMin, tMax] = opts.tweets ?? [8, 16];
  const rng = stream(seed, "example-raw-tweets");
  const lines: string[] = [EXAMPLE_TSV_HEADER.join("\t")];
  let tweetId = 1_000_000;
  let day = 0;
  const stamp = () => {
    day++;
    const d = new Date(Date.UTC(2019, 0, 1) + day * 3_600_000 * 7);
    return d.toISOString().replace(/\.\d{3}Z$/, "Z");
  };
  const users: { id: string; city: ExampleCity; lower: boolean }[] = [];
  EXAMPLE_CITIES.forEach((city, ci) => {
    for (let u = 0; u < perCity; u++) users.push({ id: `u${(ci * 1000 + u * 37 + 101).toString(36)}${u}`, city, lower: rng.next() < 0.3 });
  });
  // Interleave users as a crawl would (tweets arrive by time, not by user).
  const rows: string[][] = [];
  for (const user of rng.shuffle(users)) {
    const urng = rng.fork(user.id);
    // Homes within a few km of the centre (a wider spread puts coastal cities' users in the sea).
    const [hLat, hLon] = jitter(urng, user.city.lat, user.city.lon, 2);
    const n = tMin + urng.int(tMax - tMin + 1);
    for (let t = 0; t < n; t++) {
      const travelling = urng.next() < 0.015;
      const where = travelling ? urng.choice(EXAMPLE_CITIES) : user.city;
      const zh = where.lang === "zh" && user.city.lang === "zh";
      let text = zh ? fill(urng.choice(ZH_TEMPLATES), urng, where, ZH_COMMON) : fill(urng.choice(EN_TEMPLATES), urng, where, EN_COMMON);
      if (urng.next() < 0.2) text += ` ${urng.choice(MENTIONS)}`;
      if (urng.next() < 0.12) text += ` #${urng.choice(where.local).replace(/[\s']/g, "").toLowerCase()}`;
      if (urng.next() < 0.15) text += ` https://t.co/${urng.seedInt().toString(36)}`;
      if (user.lower) text = text.toLowerCase();
      const geo = urng.next() < 0.8;
      const [lat, lon] = travelling ? jitter(urng, where.lat, where.lon, 2) : jitter(urng, hLat, hLon, 1);
      rows.push([String(tweetId++), user.id, "", geo ? lat.toFixed(5) : "", geo ? lon.toFixed(5) : "", text]);
    }
  }
  const order = rng.shuffle(rows.map((_, i) => i));
  const sorted = order.map((i) => rows[i]);
  for (const r of sorted) r[2] = stamp();
  if (opts.badLines ?? true) {
    // What real files contain: a coordinate that is not a number, an empty text, a truncated line.
    const at = (k: number) => Math.floor((sorted.length * k) / 4);
    sorted.splice(at(1), 0, ["9000001", sorted[0][1], stamp(), "40.7N", "-74.0", "coordinates written by hand"]);
    sorted.splice(at(2), 0, ["9000002", sorted[1][1], stamp(), "", "", ""]);
    sorted.splice(at(3), 0, ["9000003", sorted[2][1], stamp(), "51.5"]);
  }
  for (const r of sorted) lines.push(r.join("\t"));
  return lines;
}
