/** The Instagram-style post format: round trip, and bad records fail with file:line: field: problem. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readPostsJsonl, postsToJsonl, readPois, writePoisJson, datasetStats, Post, realCity } from "../../lib/data/posts";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "georepro-posts-"));

const POSTS: Post[] = [
  {
    id: "a1",
    city: "x",
    text: "Love #CentralPark",
    hashtags: ["centralpark", "nyc"],
    images: [],
    poiId: "p1",
    lat: 40.77,
    lon: -73.97,
    lang: "en",
  },
  { id: "a2", city: "x", text: "", hashtags: [], images: [], poiId: "p2", lat: 40.7, lon: -74.0 },
];

test("posts: JSONL round trip keeps every field and makes image paths absolute", () => {
  const dir = tmp();
  const images = path.join(dir, "images");
  const posts = POSTS.map((p, i) => ({ ...p, images: [path.join(images, `im${i}.jpg`)] }));
  const file = path.join(dir, "posts.jsonl");
  fs.writeFileSync(file, postsToJsonl(posts, images));
  assert.match(fs.readFileSync(file, "utf8"), /"images":\["im0\.jpg"\]/, "paths are stored relative to the images folder");
  const back = readPostsJsonl(file, { city: "x", imagesDir: images, poiIds: new Set(["p1", "p2"]) });
  assert.deepEqual(back, posts);
});

test("posts: hashtags are normalised (# and case)", () => {
  const dir = tmp();
  const file = path.join(dir, "p.jsonl");
  fs.writeFileSync(
    file,
    JSON.stringify({ id: "z", text: "t", hashtags: ["#NYC", "Love", "#"], images: [], poiId: "p", lat: 1, lon: 2 }) + "\n",
  );
  assert.deepEqual(readPostsJsonl(file, { city: "c", imagesDir: null })[0].hashtags, ["nyc", "love"]);
});

const badCases: [string, string, RegExp][] = [
  ["not json", "{oops", /p\.jsonl:2: \(json\): not valid JSON/],
  ["missing id", JSON.stringify({ text: "t", poiId: "p", lat: 1, lon: 2 }), /p\.jsonl:2: id: expected a non-empty string/],
  ["lat out of range", JSON.stringify({ id: "b", poiId: "p", lat: 91, lon: 2 }), /p\.jsonl:2: lat: expected a latitude/],
  ["lon missing", JSON.stringify({ id: "b", poiId: "p", lat: 1 }), /p\.jsonl:2: lon: expected a longitude/],
  [
    "hashtags not a list",
    JSON.stringify({ id: "b", poiId: "p", lat: 1, lon: 2, hashtags: "nyc" }),
    /p\.jsonl:2: hashtags: expected an array/,
  ],
  [
    "images not strings",
    JSON.stringify({ id: "b", poiId: "p", lat: 1, lon: 2, images: [3] }),
    /p\.jsonl:2: images: expected an array of image paths/,
  ],
  ["duplicate id", JSON.stringify({ id: "ok", poiId: "p", lat: 1, lon: 2 }), /p\.jsonl:2: id: duplicate id "ok" \(first on line 1\)/],
  ["unknown POI", JSON.stringify({ id: "b", poiId: "nowhere", lat: 1, lon: 2 }), /p\.jsonl:2: poiId: "nowhere" is not in the POI list/],
];
for (const [name, line, re] of badCases)
  test(`posts: bad record (${name}) names file:line: field`, () => {
    const dir = tmp();
    const file = path.join(dir, "p.jsonl");
    fs.writeFileSync(
      file,
      JSON.stringify({ id: "ok", text: "fine", hashtags: [], images: [], poiId: "p", lat: 1, lon: 2 }) + "\n" + line + "\n",
    );
    assert.throws(() => readPostsJsonl(file, { city: "c", imagesDir: null, poiIds: new Set(["p"]) }), re);
  });

test("posts: a missing image file is reported when images are checked", () => {
  const dir = tmp();
  const file = path.join(dir, "p.jsonl");
  fs.writeFileSync(file, JSON.stringify({ id: "b", poiId: "p", lat: 1, lon: 2, images: ["gone.jpg"] }) + "\n");
  assert.throws(() => readPostsJsonl(file, { city: "c", imagesDir: dir, checkImages: true }), /p\.jsonl:1: images\[0\]: file not found/);
  assert.equal(readPostsJsonl(file, { city: "c", imagesDir: dir }).length, 1);
});

test("pois: JSON and CSV read the same; bad rows name file:line: field", () => {
  const dir = tmp();
  const pois = [
    { id: "p1", name: "Central Park", city: "new-york", lat: 40.774, lon: -73.9708 },
    { id: "p2", name: 'Pier, "17"', city: "new-york", lat: 40.7, lon: -74 },
  ];
  writePoisJson(path.join(dir, "pois.json"), pois);
  fs.writeFileSync(path.join(dir, "pois.csv"), 'id,name,lat,lon\np1,Central Park,40.774,-73.9708\np2,"Pier, ""17""",40.7,-74\n');
  assert.deepEqual(readPois(path.join(dir, "pois.json"), "new-york"), pois);
  assert.deepEqual(readPois(path.join(dir, "pois.csv"), "new-york"), pois);
  fs.writeFileSync(path.join(dir, "bad.csv"), "id,name,lat,lon\np1,A,40,-73\np2,B,abc,-73\n");
  assert.throws(() => readPois(path.join(dir, "bad.csv"), "c"), /bad\.csv:3: lat: expected a latitude/);
  fs.writeFileSync(path.join(dir, "nocol.csv"), "id,name,lat\np1,A,40\n");
  assert.throws(() => readPois(path.join(dir, "nocol.csv"), "c"), /nocol\.csv:1: lon: missing column/);
  fs.writeFileSync(
    path.join(dir, "dup.json"),
    '[\n {"id": "a", "name": "A", "lat": 1, "lon": 2},\n {"id": "a", "name": "B", "lat": 1, "lon": 2}\n]',
  );
  assert.throws(() => readPois(path.join(dir, "dup.json"), "c"), /dup\.json:3: id: duplicate POI id "a"/);
});

test("datasetStats counts posts with each modality", () => {
  const s = datasetStats({ posts: [...POSTS, { ...POSTS[0], id: "a3", images: ["/x.jpg", "/y.jpg"] }] });
  assert.deepEqual(s, {
    posts: 3,
    locations: 2,
    postsWithImages: 1,
    images: 2,
    postsWithHashtags: 2,
    hashtagOccurrences: 4,
    distinctHashtags: 2,
    postsWithText: 2,
  });
});

test("realCity: the manifest template's layout loads and validates real data", () => {
  const dir = tmp();
  const root = path.join(dir, "data");
  fs.mkdirSync(path.join(root, "new-york", "images"), { recursive: true });
  fs.writeFileSync(path.join(root, "new-york", "images", "a.jpg"), "jpeg bytes");
  fs.writeFileSync(path.join(root, "new-york", "pois.csv"), "id,name,lat,lon\np1,Central Park,40.774,-73.9708\n");
  fs.writeFileSync(
    path.join(root, "new-york", "posts.jsonl"),
    JSON.stringify({ id: "1", text: "hi", hashtags: ["nyc"], images: ["a.jpg"], poiId: "p1", lat: 40.774, lon: -73.9708 }) + "\n",
  );
  const template = JSON.parse(fs.readFileSync(path.join(__dirname, "../../../data-manifests/templates/instagram-posts.json"), "utf8"));
  template.root = { searchPaths: [root], env: "GEOREPRO_DATA_INSTAGRAM_TEST" };
  template.files = template.files
    .filter((f: { path: string }) => f.path.startsWith("new-york/"))
    .map((f: { path: string }) => ({ ...f, path: f.path.replace("pois.json", "pois.csv") }));
  const manifest = path.join(dir, "instagram-posts.json");
  fs.writeFileSync(manifest, JSON.stringify(template));
  const ds = realCity({ manifestDir: dir }, "new-york");
  assert.equal(ds.posts.length, 1);
  assert.equal(ds.posts[0].images[0], path.join(root, "new-york", "images", "a.jpg"));
  assert.equal(ds.synthetic, false);
  assert.ok(ds.checksums["new-york/posts.jsonl"]?.length === 64);
  fs.rmSync(path.join(root, "new-york", "images", "a.jpg"));
  assert.throws(() => realCity({ manifestDir: dir }, "new-york"), /posts\.jsonl:1: images\[0\]: file not found/);
});
