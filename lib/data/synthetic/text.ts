/**
 * Synthetic Instagram captions and hashtags.
 *
 * A caption mixes generic chatter (shared by every place: "best day with my
 * friends"), city-level words (say the city, not the place) and — when the
 * post's text carries its location signal — the place's landmark and local
 * words, or a *confuser* place's words when the signal is misleading. Noise
 * as on Instagram: misspellings (dropped, doubled, swapped letters),
 * elongations ("soooo"), random capitals and emoji. Non-English captions use
 * short templates in Spanish, Portuguese, Italian, Indonesian, Chinese,
 * Japanese and Korean, keeping place names in their English form as people do.
 *
 * Hashtags mix generic tags (#love, #instagood; Zipf-distributed), city tags
 * (#nyc), place tags from the place the hashtags show (the post's own POI when
 * the hashtag modality carries the signal, a confuser when it misleads, none
 * otherwise), and a long tail of personal tags (#sarahs30th, #centralpark2019)
 * that occur a handful of times each: the tail the ≥ 50-occurrence filter
 * removes. Tail tags that borrow a place word borrow it from the same place as
 * the other tags, never from the true POI behind the modality's back.
 */
import type { Rng } from "../../runtime/rng";
import type { CitySpec, PoiSpec } from "./pois";

const GENERIC_WORDS = (
  "love beautiful day amazing friends weekend happy fun best time great good night morning sunday " +
  "saturday view life today vibes family trip holiday summer winter spring autumn walk coffee lunch " +
  "dinner brunch favorite place finally back again always never missed perfect lovely nice cool " +
  "awesome crazy little big first last memories moments mood feeling blessed grateful tired chill " +
  "sunshine rain cold hot weather sky light city photo pic shot selfie squad girls boys babe bestie " +
  "birthday celebrate party drinks food yummy delicious sweet dream explore adventure wanderlust"
).split(" ");

const FUNCTION_WORDS = "the a with my at in on to and for of this is so what such it was we our".split(" ");

const OPENERS = ["", "", "finally", "just", "another", "first time", "back", "can't believe", "so", "omg", "when", "love"];
const EMOJI = ["😍", "❤️", "✨", "🔥", "😊", "🙌", "🌇", "🌃", "📸", "💕", "😎", "🥰", "🎉", "☀️", "🍕", "🌆", "🌊"];

/** Non-English templates: `{p}` is replaced by a place phrase (or dropped). */
const FOREIGN: Record<string, string[]> = {
  es: [
    "qué día tan bonito en {p} con mis amigos",
    "me encanta mucho esta ciudad {p}",
    "por fin estamos de vacaciones en {p}, increíble",
    "la mejor vista de la ciudad desde {p}",
  ],
  pt: [
    "que dia lindo em {p} com os amigos",
    "amei demais essa cidade, {p} é lindo",
    "finalmente estamos de férias em {p}, que maravilhoso",
  ],
  it: ["che bella giornata a {p} con gli amici", "la città più bella del mondo è {p}", "finalmente siamo in vacanza a {p}, che stupendo"],
  id: ["jalan jalan ke {p} bersama teman", "akhirnya liburan di {p} seru banget", "pemandangan yang indah sekali di {p}"],
  zh: ["今天去了{p}，好開心", "和朋友一起在{p}拍照", "終於來到{p}了，風景很美", "週末好去處 {p} 推薦"],
  ja: ["{p}に行ってきました、最高でした", "友達と{p}で写真を撮った", "やっと{p}に来られた、景色がきれい"],
  ko: ["{p}에서 친구들과 즐거운 하루", "드디어 {p} 왔다 너무 좋아", "{p} 여행 최고의 날"],
};

const GENERIC_TAGS = (
  "love instagood photooftheday travel beautiful happy picoftheday fashion instadaily friends nature " +
  "photography instagram follow like4like food smile summer style fun art sunset selfie tbt " +
  "travelgram weekend vacation wanderlust foodie life architecture cityscape streetphotography " +
  "igdaily goodvibes explore holiday night nofilter"
).split(" ");

/** Zipf weights 1/(k+1)^s over a list. */
const zipf = (n: number, s = 1): number[] => Array.from({ length: n }, (_, k) => 1 / Math.pow(k + 1, s));
const GENERIC_TAG_W = zipf(GENERIC_TAGS.length, 0.9);
const GENERIC_WORD_W = zipf(GENERIC_WORDS.length, 0.8);

const SYLLABLES = "ka ri mo la sa to ne vi da lu be jo mi ra ke na po si te ya zu".split(" ");

/**
 * A personal, rarely repeated tag: #jess30th, #ourtrip2019, #centralpark2019.
 * The "place word + year" kind borrows a word of `from` — the place the post's
 * hashtags draw from (its own POI only when the hashtag modality carries the
 * signal, a confuser when it misleads) — or, when the hashtags show no place,
 * a city word. So a tail tag is drawn like every other tag of the post and
 * never leaks the true POI when the hashtag modality is off.
 */
export function tailTag(rng: Rng, from: PoiSpec | null, city: CitySpec): { tag: string; informative: boolean } {
  const kind = rng.int(4);
  const name = Array.from({ length: 2 + rng.int(2) }, () => rng.choice(SYLLABLES)).join("");
  if (kind === 0) return { tag: `${name}${20 + rng.int(20)}th`, informative: false };
  if (kind === 1)
    return { tag: `${rng.choice(["our", "my", "team", "the"])}${name}${rng.choice(["trip", "day", "crew", "life"])}`, informative: false };
  if (kind === 2) return { tag: `${rng.choice(from ? from.words : city.cityWords)}${2015 + rng.int(6)}`, informative: from !== null }; // informative but rare
  return { tag: `${name}${rng.choice(["photo", "eats", "style", "gram", "diary"])}`, informative: false };
}

/** Misspell one word: drop, double or swap a letter (only words of ≥ 4 letters). */
export function misspell(word: string, rng: Rng): string {
  if (word.length < 4 || !/^[a-z]+$/.test(word)) return word;
  const i = 1 + rng.int(word.length - 2);
  switch (rng.int(3)) {
    case 0:
      return word.slice(0, i) + word.slice(i + 1);
    case 1:
      return word.slice(0, i) + word[i] + word.slice(i);
    default:
      return word.slice(0, i - 1) + word[i] + word[i - 1] + word.slice(i + 1);
  }
}

/** "so" → "sooooo": repeat the last vowel 2–5 times. */
export function elongate(word: string, rng: Rng): string {
  const m = /([aeiouy])([^aeiouy]*)$/.exec(word);
  if (!m) return word;
  return word.slice(0, m.index) + m[1].repeat(2 + rng.int(4)) + m[2];
}

export interface CaptionInput {
  city: CitySpec;
  /** The place whose words the caption uses, or null for a generic caption. */
  wordsFrom: PoiSpec | null;
  lang: string;
  /**
   * Correlated mode: the caption names the place with these words (the post's
   * own location hashtags, written as words: "at centralpark") instead of
   * picking from `wordsFrom.words`, so text and hashtags share location words.
   */
  sharedWords?: readonly string[];
}

/** A caption in `lang`, noisy as on Instagram. */
export function caption(inp: CaptionInput, rng: Rng): string {
  const picked = inp.wordsFrom ? pickSome(inp.wordsFrom.words, 1 + rng.int(3), rng) : [];
  // Shared words replace the picked ones after the pick, so a caption draws the same random numbers either way.
  const placeWords = inp.sharedWords && inp.sharedWords.length > 0 ? [...inp.sharedWords] : picked;
  const cityWord = rng.next() < 0.4 ? [rng.choice(inp.city.cityWords)] : [];
  if (inp.lang !== "en") {
    const t = rng.choice(FOREIGN[inp.lang] ?? FOREIGN.es);
    const phrase = [...placeWords, ...cityWord].join(" ");
    return (t.replace("{p}", phrase).replace(/\s+/g, " ").trim() + (rng.next() < 0.5 ? " " + rng.choice(EMOJI) : "")).trim();
  }
  const words: string[] = [];
  const opener = rng.choice(OPENERS);
  if (opener) words.push(opener);
  const nGeneric = 2 + rng.int(6);
  const body: string[] = [];
  for (let i = 0; i < nGeneric; i++) body.push(GENERIC_WORDS[rng.weighted(GENERIC_WORD_W)]);
  for (let i = 0; i < 1 + rng.int(3); i++) body.splice(rng.int(body.length + 1), 0, rng.choice(FUNCTION_WORDS));
  const mention = [...(placeWords.length ? [rng.choice(["at", "in", "@", "near", ""])] : []), ...placeWords, ...cityWord].filter((w) => w);
  body.splice(rng.int(body.length + 1), 0, ...mention);
  words.push(...body);
  const noisy = words.map((w) => {
    let x = w;
    if (rng.next() < 0.08) x = misspell(x, rng);
    if (rng.next() < 0.05) x = elongate(x, rng);
    if (rng.next() < 0.06) x = x.toUpperCase();
    return x;
  });
  let text = noisy.join(" ").replace(/\s+/g, " ").trim();
  if (rng.next() < 0.3) text = text[0].toUpperCase() + text.slice(1);
  const nEmoji = rng.weighted([4, 3, 2, 1]);
  for (let i = 0; i < nEmoji; i++) text += (rng.next() < 0.5 ? " " : "") + rng.choice(EMOJI);
  if (rng.next() < 0.2) text += rng.choice(["!", "!!!", "...", " :)", " lol"]);
  return text;
}

function pickSome<T>(xs: readonly T[], n: number, rng: Rng): T[] {
  return rng.shuffle(xs).slice(0, Math.min(n, xs.length));
}

export interface HashtagInput {
  city: CitySpec;
  /** The place whose tags are used (own POI, a confuser, or null for none); tail tags borrow its words too. */
  tagsFrom: PoiSpec | null;
}

export interface GeneratedHashtags {
  /** The post's hashtags (without '#', lower case, distinct), shuffled. */
  tags: string[];
  /** The place tags among them (from `tagsFrom.tags` or its words), in the order drawn. */
  locationTags: string[];
  /** Tail tags made from a place's word ("bethesda2017"): they carry `tagsFrom`'s signal. */
  informativeTail: string[];
}

/**
 * A post's hashtags: place tags when `tagsFrom` is set, then generic tags
 * (#love), city tags (#nyc) and a long tail of personal tags, all drawn from
 * the same source: nothing here looks at the post's true POI.
 */
export function hashtags(inp: HashtagInput, rng: Rng): GeneratedHashtags {
  const out = new Set<string>();
  const locationTags: string[] = [];
  const informativeTail: string[] = [];
  const n = 1 + rng.weighted([3, 4, 4, 3, 3, 2, 2, 1, 1, 1, 1]);
  if (inp.tagsFrom) {
    // main tag usually, a secondary one sometimes (secondary tags are rarer and may fall under the cut)
    const tags = inp.tagsFrom.tags;
    locationTags.push(tags.length > 1 && rng.next() < 0.3 ? tags[1 + rng.int(tags.length - 1)] : tags[0]);
    if (rng.next() < 0.25) locationTags.push(inp.tagsFrom.words[0] + inp.tagsFrom.words[1]);
    for (const t of locationTags) out.add(t);
  }
  while (out.size < n) {
    const x = rng.next();
    if (x < 0.45) out.add(GENERIC_TAGS[rng.weighted(GENERIC_TAG_W)]);
    else if (x < 0.75) out.add(rng.choice(inp.city.cityTags));
    else {
      const t = tailTag(rng, inp.tagsFrom, inp.city);
      if (t.informative && !out.has(t.tag)) informativeTail.push(t.tag);
      out.add(t.tag);
    }
  }
  return { tags: rng.shuffle([...out]), locationTags, informativeTail };
}

/** The post's language: English, or one of the city's other languages. */
export function postLanguage(city: CitySpec, rng: Rng): string {
  if (rng.next() >= city.nonEnglishShare) return "en";
  return city.otherLangs[rng.weighted(zipf(city.otherLangs.length, 1))];
}

export { GENERIC_TAGS };
