/** The MRLF preprocessing filters: each removes exactly what its rule says and reports it. */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  preprocessPosts,
  filterRareHashtags,
  filterSparsePois,
  isEnglish,
  defaultThresholds,
  PAPER_THRESHOLDS,
  portraitReport,
} from "../../lib/data/preprocess-posts";
import type { CityDataset, Post } from "../../lib/data/posts";

const post = (id: string, poiId: string, o: Partial<Post> = {}): Post => ({
  id,
  city: "c",
  text: "a lovely day at the park",
  hashtags: ["common"],
  images: ["/img.jpg"],
  poiId,
  lat: 0,
  lon: 0,
  ...o,
});

test("rare hashtags: tags under the threshold are removed from posts, posts stay, counts reported", () => {
  const posts = [post("1", "a", { hashtags: ["x", "y"] }), post("2", "a", { hashtags: ["x", "z"] }), post("3", "a", { hashtags: ["x"] })];
  const r = filterRareHashtags(posts, 2);
  assert.deepEqual(
    r.posts.map((p) => p.hashtags),
    [["x"], ["x"], ["x"]],
  );
  assert.equal(r.report.removedPosts, 0);
  assert.equal(r.report.removedHashtagOccurrences, 2);
  assert.equal(r.report.removedDistinctHashtags, 2);
  assert.deepEqual([...r.kept], ["x"]);
  assert.deepEqual(posts[0].hashtags, ["x", "y"], "input posts are not mutated");
});

test("sparse POIs: POIs under the threshold are dropped with their posts, and named", () => {
  const posts = [post("1", "a"), post("2", "a"), post("3", "a"), post("4", "b"), post("5", "c"), post("6", "c")];
  const r = filterSparsePois(posts, 2);
  assert.deepEqual(
    r.posts.map((p) => p.id),
    ["1", "2", "3", "5", "6"],
  );
  assert.deepEqual(r.report.removedPois, [{ id: "b", posts: 1 }]);
  assert.equal(r.report.removedPosts, 1);
});

test("language detector: English captions stay, other languages and scripts go, empty text is undecided", () => {
  for (const en of ["a lovely day at the park with my friends", "love nyc 😍", "so happy today", "Finally back in Melbourne!!!"])
    assert.equal(isEnglish(en), true, en);
  for (const other of [
    "qué día tan bonito en el parque con mis amigos",
    "che bella giornata con gli amici",
    "今天去了中環，好開心",
    "친구들과 즐거운 하루",
    "jalan jalan ke pantai bersama teman",
  ])
    assert.equal(isEnglish(other), false, other);
  assert.equal(isEnglish("😍🔥"), null);
  assert.equal(isEnglish(""), null);
});

test("preprocessPosts: the paper's order, every removal counted, counts add up", () => {
  const posts: Post[] = [];
  for (let i = 0; i < 6; i++) posts.push(post(`a${i}`, "a", { hashtags: ["common", i === 0 ? "rare" : "common2"] }));
  posts.push(post("b0", "b")); // sparse POI
  posts.push(post("a-es", "a", { text: "qué día tan bonito con mis amigos" }));
  posts.push(post("a-lang", "a", { text: "a lovely day", lang: "fr" })); // `lang` wins over the detector
  posts.push(post("a-notext", "a", { text: "" }));
  posts.push(post("a-notags", "a", { hashtags: ["rare2"] })); // loses its only tag at step 1
  posts.push(post("a-noimg", "a", { images: [] }));
  const ds: CityDataset = {
    name: "t",
    synthetic: true,
    city: "c",
    pois: [
      { id: "a", name: "A", city: "c", lat: 0, lon: 0 },
      { id: "b", name: "B", city: "c", lat: 0, lon: 0 },
    ],
    posts,
    checksums: {},
    description: "test",
  };
  const r = preprocessPosts(ds, { ...PAPER_THRESHOLDS, minHashtagCount: 2, minPostsPerPoi: 2 });
  const removed = Object.fromEntries(r.report.map((s) => [s.step, s.removedPosts]));
  assert.deepEqual(removed, {
    "rare hashtags": 0,
    "sparse POIs": 1,
    "non-English": 2,
    "no text": 1,
    "no hashtags": 1,
    "no image": 1,
    "noisy images (η)": 0,
  });
  assert.deepEqual(
    r.dataset.posts.map((p) => p.id),
    ["a0", "a1", "a2", "a3", "a4", "a5"],
  );
  assert.deepEqual(r.dataset.posts[0].hashtags, ["common"], "rare tag removed");
  assert.deepEqual(
    r.dataset.pois.map((p) => p.id),
    ["a"],
  );
  const total = r.report.reduce((a, s) => a + s.removedPosts, 0);
  assert.equal(total + r.dataset.posts.length, posts.length, "nothing dropped uncounted");
  for (const s of r.report) assert.equal(s.postsBefore - s.removedPosts, s.postsAfter, s.step);
  assert.equal(r.stats.collected.posts, posts.length - 1, "Table I stage: after the hashtag and POI steps");
  assert.equal(r.stats.final.posts, 6);
});

test("preprocessPosts: bad thresholds fail naming the field", () => {
  const ds: CityDataset = { name: "t", synthetic: true, city: "c", pois: [], posts: [], checksums: {}, description: "" };
  assert.throws(() => preprocessPosts(ds, { ...PAPER_THRESHOLDS, minPostsPerPoi: -1 }), /thresholds\.minPostsPerPoi/);
});

test("thresholds: the paper's at default and paper scale, scaled down only for tiny", () => {
  assert.deepEqual(defaultThresholds("default"), PAPER_THRESHOLDS);
  assert.deepEqual(defaultThresholds("paper"), PAPER_THRESHOLDS);
  assert.equal(PAPER_THRESHOLDS.minHashtagCount, 50);
  assert.equal(PAPER_THRESHOLDS.minPostsPerPoi, 100);
  assert.ok(defaultThresholds("tiny").minPostsPerPoi < 100);
});

test("portrait report counts recorded ratios above η without removing anything", () => {
  const posts = [0.1, 0.6, 0.7, 0.5].map((r, i) => post(`${i}`, "a", { truth: { portraitRatio: r, kind: "selfie" } }));
  const rep = portraitReport(posts, 0.5);
  assert.equal(rep.applied, false);
  assert.equal(rep.removedPosts, 0);
  assert.match(rep.note ?? "", /^2 of 4 images/);
});
