/**
 * The synthetic Instagram generator: byte-identical for a seed, cached, real
 * coordinates, filters have something to remove, and — the paper's claim the
 * data must support — no single modality solves the task while their
 * combination does better than each (checked with Naive Bayes baselines).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import sharp from "sharp";
import { syntheticCity, syntheticCityDir, generateCity, SYNTHETIC_CITIES } from "../../lib/data/synthetic/instagram";
import { CITY_SPECS } from "../../lib/data/synthetic/pois";
import { preprocessPosts, defaultThresholds } from "../../lib/data/preprocess-posts";
import { readPostsJsonl, Post } from "../../lib/data/posts";
import { haversineKm } from "../../lib/geo/distance";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "georepro-synth-"));
const listFiles = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name]))
    .sort();

test("same seed → byte-identical posts.jsonl, pois.json and images; another seed differs", async () => {
  const a = await syntheticCityDir({ seed: 7, scale: "tiny", cacheDir: tmp() }, "melbourne", { verbose: false });
  const b = await syntheticCityDir({ seed: 7, scale: "tiny", cacheDir: tmp() }, "melbourne", { verbose: false });
  const files = listFiles(a);
  assert.deepEqual(files, listFiles(b));
  assert.ok(files.filter((f) => f.endsWith(".jpg")).length > 50, "images were written");
  for (const f of files) assert.ok(fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))), `${f} differs`);
  const c = await syntheticCityDir({ seed: 8, scale: "tiny", cacheDir: tmp() }, "melbourne", { verbose: false });
  assert.notEqual(fs.readFileSync(path.join(a, "posts.jsonl"), "utf8"), fs.readFileSync(path.join(c, "posts.jsonl"), "utf8"));
});

test("generation is cached: a second call reuses the folder; a corrupted entry is regenerated", async () => {
  const cacheDir = tmp();
  const p = { seed: 3, scale: "tiny" as const, cacheDir };
  const dir = await syntheticCityDir(p, "hong-kong", { verbose: false });
  const marker = path.join(dir, "images", "marker");
  fs.writeFileSync(marker, "x");
  assert.equal(await syntheticCityDir(p, "hong-kong", { verbose: false }), dir);
  assert.ok(fs.existsSync(marker), "not regenerated when present and valid");
  const good = fs.readFileSync(path.join(dir, "posts.jsonl"));
  fs.appendFileSync(path.join(dir, "posts.jsonl"), "garbage\n");
  await syntheticCityDir(p, "hong-kong", { verbose: false });
  assert.ok(fs.readFileSync(path.join(dir, "posts.jsonl")).equals(good), "regenerated identically");
  assert.ok(!fs.existsSync(marker));
});

test("unknown city fails naming the known ones", async () => {
  await assert.rejects(
    syntheticCityDir({ seed: 1, scale: "tiny", cacheDir: tmp() }, "paris" as never),
    /unknown city "paris" \(known: new-york, melbourne, hong-kong\)/,
  );
});

test("POIs have real coordinates inside their city; posts sit at their POI", async () => {
  const centre = {
    "new-york": { lat: 40.75, lon: -73.98 },
    melbourne: { lat: -37.81, lon: 144.96 },
    "hong-kong": { lat: 22.3, lon: 114.17 },
  };
  for (const c of SYNTHETIC_CITIES)
    for (const p of CITY_SPECS[c].pois)
      assert.ok(haversineKm(p, centre[c]) < 40, `${p.id} is ${haversineKm(p, centre[c]).toFixed(1)} km from ${c}`);
  const ds = await syntheticCity({ seed: 1, scale: "tiny", cacheDir: tmp() }, "new-york", { verbose: false });
  const byId = new Map(ds.pois.map((p) => [p.id, p]));
  for (const post of ds.posts) assert.deepEqual([post.lat, post.lon], [byId.get(post.poiId)!.lat, byId.get(post.poiId)!.lon]);
  assert.ok(ds.synthetic);
});

test("tiny data gives every filter something to remove, and selfies above η exist", async () => {
  const ds = await syntheticCity({ seed: 1, scale: "tiny", cacheDir: tmp() }, "hong-kong", { verbose: false });
  const r = preprocessPosts(ds, defaultThresholds("tiny"));
  for (const s of r.report.filter((x) => x.applied && x.step !== "rare hashtags"))
    assert.ok(s.removedPosts > 0, `${s.step} removed nothing`);
  assert.ok(r.report[0].removedHashtagOccurrences! > 0);
  const selfies = ds.posts.filter((p) => p.truth?.kind === "selfie");
  assert.ok(selfies.some((p) => p.truth!.portraitRatio > 0.5) && selfies.some((p) => p.truth!.portraitRatio < 0.5));
  assert.ok(
    ds.posts.filter((p) => p.truth?.kind === "pet").every((p) => p.truth!.portraitRatio === 0),
    "pets are not people",
  );
});

// ---------------------------------------------------------------- modality baselines

const tokens = (s: string): string[] => s.toLowerCase().match(/\p{L}+/gu) ?? [];

/** Multinomial Naive Bayes over bags of tokens: per-class log-likelihoods. */
function multinomialNb(train: { x: string[]; y: string }[], classes: string[]) {
  const counts = new Map(classes.map((c) => [c, new Map<string, number>()]));
  const totals = new Map(classes.map((c) => [c, 0]));
  const vocab = new Set<string>();
  for (const { x, y } of train)
    for (const t of x) {
      vocab.add(t);
      counts.get(y)!.set(t, (counts.get(y)!.get(t) ?? 0) + 1);
      totals.set(y, totals.get(y)! + 1);
    }
  return (x: string[]) =>
    classes.map((c) =>
      x.filter((t) => vocab.has(t)).reduce((a, t) => a + Math.log(((counts.get(c)!.get(t) ?? 0) + 1) / (totals.get(c)! + vocab.size)), 0),
    );
}

const argmax = (xs: number[]): number => xs.reduce((b, v, i) => (v > xs[b] ? i : b), 0);

/**
 * Turn a model's per-class log-scores into calibrated log-posteriors: the
 * temperature T maximising the calibration set's log-likelihood of
 * softmax(score / T). Naive Bayes is overconfident (it multiplies many
 * dependent features); without this the most overconfident modality decides.
 */
function calibrate(cal: { s: number[]; y: number }[]): (s: number[]) => number[] {
  const logSoftmax = (v: number[], t: number) => {
    const w = v.map((x) => x / t);
    const mx = Math.max(...w);
    const lse = mx + Math.log(w.reduce((a, x) => a + Math.exp(x - mx), 0));
    return w.map((x) => x - lse);
  };
  let best = 1,
    bestLl = -Infinity;
  for (let e = -2; e <= 3; e += 0.1) {
    const t = Math.pow(10, e);
    const ll = cal.reduce((a, c) => a + logSoftmax(c.s, t)[c.y], 0);
    if (ll > bestLl) [best, bestLl] = [t, ll];
  }
  return (v) => logSoftmax(v, best);
}

/** Colour "words" of an image: each pixel of a 24×24 thumbnail quantised to 4 levels per channel. */
async function colourWords(file: string): Promise<string[]> {
  const px = await sharp(file).resize(24, 24).removeAlpha().raw().toBuffer();
  const out: string[] = [];
  for (let i = 0; i < px.length; i += 3) out.push(`${px[i] >> 6}${px[i + 1] >> 6}${px[i + 2] >> 6}`);
  return out;
}

test("no single modality solves the task; each adds to the combination (Naive Bayes baselines)", async () => {
  const dir = tmp();
  // 6 POIs × 120 posts, every modality present, no sparse POIs: the signal design alone is measured.
  await generateCity(dir, "new-york", 11, "tiny", false, {
    popular: 6,
    sparse: 0,
    postsPerPopular: [120, 120],
    presence: { text: 1, hashtags: 1, image: 1 },
  });
  const posts = readPostsJsonl(path.join(dir, "posts.jsonl"), { city: "new-york", imagesDir: path.join(dir, "images") }).filter(
    (p) => p.truth?.signal?.lang === "en",
  );
  const pixels = await Promise.all(posts.map((p: Post) => colourWords(p.images[0])));
  const classes = [...new Set(posts.map((p) => p.poiId))].sort();
  // Split by position: half train, a quarter to calibrate the combination, a quarter to test.
  const part = (i: number) => (i % 4 < 2 ? "train" : i % 4 === 2 ? "cal" : "test");
  const ids = (k: string) => posts.map((_, i) => i).filter((i) => part(i) === k);
  const models = {
    text: { f: (i: number) => tokens(posts[i].text) },
    hashtags: { f: (i: number) => posts[i].hashtags },
    image: { f: (i: number) => pixels[i] },
  };
  const mods = ["text", "hashtags", "image"] as const;
  const nb = Object.fromEntries(
    mods.map((m) => [
      m,
      multinomialNb(
        ids("train").map((i) => ({ x: models[m].f(i), y: posts[i].poiId })),
        classes,
      ),
    ]),
  ) as Record<(typeof mods)[number], (x: string[]) => number[]>;
  const y = (i: number) => classes.indexOf(posts[i].poiId);
  const cal = Object.fromEntries(mods.map((m) => [m, calibrate(ids("cal").map((i) => ({ s: nb[m](models[m].f(i)), y: y(i) })))])) as Record<
    (typeof mods)[number],
    (s: number[]) => number[]
  >;
  const test = ids("test").map((i) => ({
    y: y(i),
    lp: Object.fromEntries(mods.map((m) => [m, cal[m](nb[m](models[m].f(i)))])) as Record<(typeof mods)[number], number[]>,
  }));
  const add = (vs: number[][]) => vs[0].map((_, k) => vs.reduce((a, v) => a + v[k], 0));
  const acc = (use: readonly (typeof mods)[number][]) =>
    test.filter((t) => argmax(add(use.map((m) => t.lp[m]))) === t.y).length / test.length;
  const a = {
    text: acc(["text"]),
    hashtags: acc(["hashtags"]),
    image: acc(["image"]),
    textTags: acc(["text", "hashtags"]),
    textImage: acc(["text", "image"]),
    tagsImage: acc(["hashtags", "image"]),
    all: acc(mods),
  };
  const chance = 1 / classes.length;
  process.stderr.write(
    `[synthetic baseline] n_test=${test.length} chance=${chance.toFixed(3)} ${JSON.stringify(Object.fromEntries(Object.entries(a).map(([k, v]) => [k, +v.toFixed(3)])))}\n`,
  );
  for (const m of mods) {
    assert.ok(a[m] > chance + 0.15, `${m} carries signal: ${a[m].toFixed(3)} vs chance ${chance.toFixed(3)}`);
    assert.ok(a[m] < 0.8, `${m} alone does not solve the task: ${a[m].toFixed(3)}`);
    assert.ok(a.all > a[m] + 0.1, `combination ${a.all.toFixed(3)} clearly above ${m} ${a[m].toFixed(3)}`);
  }
  for (const pair of ["textTags", "textImage", "tagsImage"] as const)
    assert.ok(a.all > a[pair], `the third modality adds to ${pair}: ${a.all.toFixed(3)} vs ${a[pair].toFixed(3)}`);
});

// ---------------------------------------------------------------- what the generator plants, and what it must not

import { hashtags, GENERIC_TAGS } from "../../lib/data/synthetic/text";
import { CORRELATED, INDEPENDENT, plantedSignal, syntheticName, validateGeneratorSettings } from "../../lib/data/synthetic/instagram";
import { stream } from "../../lib/runtime/rng";

/** Place-word tail tags ("bethesda2017") whose word belongs to `poi` and to no other place or city word list. */
function leaksOf(tags: readonly string[], trueWords: readonly string[], allowed: ReadonlySet<string>): string[] {
  return tags.filter((t) => {
    const m = /^(.*?)(\d{4})$/.exec(t);
    return m !== null && trueWords.includes(m[1]) && !allowed.has(m[1]);
  });
}

test("tail tags come from the place the hashtags show: none names the true POI when the hashtag modality is off", () => {
  const city = CITY_SPECS["new-york"];
  const poi = city.pois[0];
  const other = city.pois[1];
  let informativeFromOther = 0;
  for (let i = 0; i < 400; i++) {
    for (const tagsFrom of [null, other]) {
      const g = hashtags({ city, tagsFrom }, stream(i, `tail-test/${tagsFrom?.id ?? "none"}`));
      const allowed = new Set([...(tagsFrom?.words ?? []), ...city.cityWords]);
      assert.deepEqual(
        leaksOf(g.tags, poi.words, allowed),
        [],
        `draw ${i}: a tag names ${poi.id} although the hashtags show ${tagsFrom?.id ?? "no place"}`,
      );
      for (const t of poi.tags)
        if (!tagsFrom?.tags.includes(t)) assert.ok(!g.tags.includes(t), `draw ${i}: ${poi.id}'s own tag #${t} appears`);
      if (tagsFrom === null) assert.deepEqual(g.informativeTail, [], "no place, no informative tail tag");
      else informativeFromOther += g.informativeTail.length;
      for (const t of g.informativeTail) assert.ok(g.tags.includes(t), "recorded tail tags are the post's own");
    }
  }
  assert.ok(informativeFromOther > 10, `tail tags still borrow the shown place's words (${informativeFromOther})`);
});

test("generated posts: with the hashtag modality off, no hashtag names the true POI; sources and tail tags are recorded", async () => {
  const ds = await syntheticCity({ seed: 5, scale: "tiny", cacheDir: tmp() }, "new-york", { verbose: false });
  const spec = new Map(CITY_SPECS["new-york"].pois.map((p) => [p.id, p]));
  let off = 0;
  for (const post of ds.posts) {
    const sig = post.truth!.signal!;
    assert.ok(sig.sources, `${post.id}: sources recorded`);
    for (const t of sig.informativeTailTags ?? [])
      assert.ok(post.hashtags.includes(t), `${post.id}: recorded tail tag #${t} is one of its hashtags`);
    assert.equal(sig.hashtags, post.hashtags.length > 0 && sig.sources!.hashtags === post.poiId);
    if (sig.hashtags || post.hashtags.length === 0) continue;
    off++;
    const own = spec.get(post.poiId)!;
    const shown = sig.sources!.hashtags ? spec.get(sig.sources!.hashtags)! : null;
    const allowed = new Set([...(shown?.words ?? []), ...CITY_SPECS["new-york"].cityWords]);
    assert.deepEqual(leaksOf(post.hashtags, own.words, allowed), [], `${post.id}: hashtags off, yet a tail tag names ${own.id}`);
    for (const t of own.tags) if (!shown?.tags.includes(t)) assert.ok(!post.hashtags.includes(t), `${post.id}: #${t} names the true POI`);
  }
  assert.ok(off > 30, `enough posts with the hashtag modality off (${off})`);
});

test("correlated mode: captions name the post's location hashtags at the set rate; images are those of the independent mode", async () => {
  const cacheDir = tmp();
  const p = { seed: 6, scale: "tiny" as const, cacheDir };
  const ind = await syntheticCity(p, "melbourne", { verbose: false });
  const cor = await syntheticCity(p, "melbourne", { verbose: false, settings: CORRELATED });
  assert.equal(ind.name, "synthetic-instagram-melbourne");
  assert.equal(cor.name, syntheticName("melbourne", CORRELATED));
  assert.notEqual(cor.name, ind.name);
  assert.deepEqual(
    cor.posts.map((q) => q.id),
    ind.posts.map((q) => q.id),
  );
  cor.posts.forEach((q, i) => {
    assert.equal(q.images.length, ind.posts[i].images.length);
    q.images.forEach((f, j) =>
      assert.ok(fs.readFileSync(f).equals(fs.readFileSync(ind.posts[i].images[j])), `${q.id}: image differs between modes`),
    );
  });
  const both = cor.posts.filter((q) => q.text !== "" && q.hashtags.length > 0);
  const shared = both.filter((q) => q.truth!.signal!.sharedWords);
  const rate = shared.length / both.length;
  assert.ok(
    Math.abs(rate - CORRELATED.shareRate) < 0.12,
    `share of captions naming the hashtags ${rate.toFixed(2)} vs ${CORRELATED.shareRate}`,
  );
  assert.ok(
    ind.posts.every((q) => !q.truth!.signal!.sharedWords),
    "independent mode shares nothing",
  );
  const spec = new Map(CITY_SPECS.melbourne.pois.map((x) => [x.id, x]));
  let named = 0;
  let inCaption = 0;
  let english = 0;
  for (const q of shared) {
    const sig = q.truth!.signal!;
    assert.equal(sig.sources!.text, sig.sources!.hashtags, `${q.id}: caption and hashtags show the same place`);
    assert.equal(sig.text, sig.hashtags, `${q.id}: both carry the POI's signal or neither`);
    const place = sig.sources!.hashtags ? spec.get(sig.sources!.hashtags)! : null;
    const loc = q.hashtags.filter((t) => place !== null && (place.tags.includes(t) || t === place.words[0] + place.words[1]));
    if (place) assert.ok(loc.length > 0, `${q.id}: a location hashtag of ${place.id}`);
    if (loc.length) named++;
    if (loc.length && sig.lang === "en") {
      english++;
      // Captions are noisy (misspellings, capitals), so most — not all — carry the tag verbatim.
      if (loc.every((t) => q.text.toLowerCase().includes(t))) inCaption++;
    }
  }
  assert.ok(named > 10, `captions that name a location hashtag (${named})`);
  assert.ok(inCaption >= 0.75 * english, `English captions naming their location tags verbatim: ${inCaption} of ${english}`);
});

test("generator settings: bad values fail naming the field; planted says what decides the claims", () => {
  assert.throws(
    () => validateGeneratorSettings({ mode: "correlated", shareRate: 1.5 }),
    /settings\.shareRate: expected a share in \[0, 1\], got 1\.5/,
  );
  assert.throws(() => validateGeneratorSettings({ mode: "independent", shareRate: 0.5 }), /no effect in "independent" mode/);
  assert.throws(() => validateGeneratorSettings({ mode: "other" as never, shareRate: 0 }), /settings\.mode/);
  assert.throws(
    () => validateGeneratorSettings({ ...INDEPENDENT, signal: { text: 0.5, hashtags: -0.1, image: 0.5 } }),
    /settings\.signal\.hashtags/,
  );
  assert.match(plantedSignal("hong-kong"), /35 % \/ 40 % \/ 65 %.*independent given the POI/);
  assert.match(plantedSignal("new-york", CORRELATED), /share location words .* in 50 % of posts/);
  assert.ok(!GENERIC_TAGS.includes(""), "sanity");
});
