import { test } from "node:test";
import assert from "node:assert/strict";
import { EntityMerger, segmentUsers, frequencyFilter, toBag, englishStopwords } from "../../lib/localwords/preprocess";
import { generateMicroblog, MICROBLOG_SCALES } from "../../lib/data/synthetic/microblog";
import { preprocessTweets, preprocessTweetsAsync } from "../../lib/localwords/datasets";
import { parseMicroblogJsonl, parseMicroblogTsv, microblogRawUsers } from "../../lib/data/microblog";
import { trainWord2Vec, cosine, bagSentences } from "../../lib/localwords/word2vec";
import { splitPerLocation } from "../../lib/localwords/split";
import { stream } from "../../lib/runtime/rng";

test("multi-word named entities become one token; hashtags, mentions stay whole; URLs and punctuation go", () => {
  const m = new EntityMerger();
  assert.deepEqual(m.tokenize("Love the Statue of Liberty and Times Square, @Bob #NYC http://t.co/x!"), [
    "love",
    "the",
    "statue_of_liberty",
    "and",
    "times_square",
    "@bob",
    "#nyc",
  ]);
  assert.deepEqual(m.tokenize("Happy Friday from New York City."), ["happy", "friday", "from", "new_york_city"]);
  assert.deepEqual(m.tokenize("The Kelvor Square is busy"), ["the", "kelvor_square", "is", "busy"]);
});

test("stop words and the N1 filter remove what they say, and count it", () => {
  const seg = segmentUsers([
    { id: "a", label: "x", tweets: ["I am at Kelvor Square", "the howdy howdy"] },
    { id: "b", label: "y", tweets: ["howdy and rare"] },
  ]);
  assert.ok(englishStopwords().has("the"));
  assert.ok(seg.stopTokens >= 3, `stop tokens ${seg.stopTokens}`);
  const bags = seg.users.map((u) => toBag(u));
  assert.equal(bags[0].counts.get("kelvor_square"), 1);
  assert.equal(bags[0].counts.get("the"), undefined);
  const ff = frequencyFilter(bags, 3);
  assert.deepEqual([...ff.vocab], ["howdy"]);
  assert.equal(ff.removedTypes, ff.totalTypes - 1);
  assert.throws(() => frequencyFilter(bags, 0), /N1 must be a positive integer/);
});

test("synthetic microblog users: seeded, labelled, with local words that survive preprocessing", () => {
  const a = generateMicroblog(7, "tiny");
  const b = generateMicroblog(7, "tiny");
  assert.deepEqual(a.users.slice(0, 5), b.users.slice(0, 5));
  assert.notDeepEqual(generateMicroblog(8, "tiny").users[0].tweets, a.users[0].tweets);
  assert.equal(a.users.length, 240);
  assert.equal(new Set(a.users.map((u) => u.state)).size, 4);
  assert.equal(new Set(a.users.map((u) => u.city)).size, 8);
  const seg = segmentUsers(a.users.map((u) => ({ id: u.id, label: u.state, tweets: u.tweets })));
  const seen = new Set(seg.users.flatMap((u) => u.sentences.flat()));
  const multi = a.planted.cityLocal.filter((w) => w.includes("_"));
  const found = multi.filter((w) => seen.has(w));
  assert.ok(found.length >= multi.length * 0.7, `merged entities found ${found.length}/${multi.length}`);
  assert.throws(() => generateMicroblog(1, "huge" as never), /unknown scale "huge"/);
});

test("split is 80/20 per location and seeded", () => {
  const labels = [...Array(50).fill("a"), ...Array(10).fill("b"), "c"];
  const s = splitPerLocation(labels, stream(1, "s"));
  assert.equal(s.test.filter((i) => labels[i] === "a").length, 10);
  assert.equal(s.test.filter((i) => labels[i] === "b").length, 2);
  assert.equal(s.test.filter((i) => labels[i] === "c").length, 0);
  assert.deepEqual(splitPerLocation(labels, stream(1, "s")), s);
});

test("word2vec: seeded, and words sharing contexts end up closer than words that never co-occur", () => {
  const r = stream(2, "corpus");
  const sents: string[][] = [];
  for (let i = 0; i < 400; i++) {
    const topic = i % 2 ? ["snow", "ice", "cold", "sled"] : ["sun", "beach", "heat", "surf"];
    sents.push(Array.from({ length: 8 }, () => r.choice(topic)));
  }
  const v = trainWord2Vec(sents, stream(1, "w2v"), { dim: 16, epochs: 5, sample: 0 });
  const v2 = trainWord2Vec(sents, stream(1, "w2v"), { dim: 16, epochs: 5, sample: 0 });
  assert.deepEqual(v.vectors, v2.vectors);
  assert.ok(
    cosine(v, "snow", "ice") > cosine(v, "snow", "beach") + 0.2,
    `snow~ice ${cosine(v, "snow", "ice")} snow~beach ${cosine(v, "snow", "beach")}`,
  );
  assert.throws(() => trainWord2Vec(sents, stream(1, "w2v"), { dim: 0 }), /dim must be a positive integer/);
  const bs = bagSentences(
    [
      new Map([
        ["a", 2],
        ["b", 1],
      ]),
    ],
    stream(1, "b"),
  );
  assert.deepEqual([...bs[0]].sort(), ["a", "a", "b"]);
});

test("microblog JSONL/TSV loaders: good records parse, bad ones are reported as file:line: field: problem", () => {
  const jsonl = [
    JSON.stringify({ user: "u1", tweets: ["hi Times Square"], city: "New York", state: "NY", lat: 40.7, lon: -74 }),
    "{not json",
    JSON.stringify({ user: "u2", tweets: [], state: "TX" }),
    JSON.stringify({ user: "u3", tweets: ["y'all"], state: "TX", lat: 30 }),
    JSON.stringify({ user: "u1", tweets: ["again"], state: "NY" }),
    JSON.stringify({ user: "u4", tweets: ["ok"] }),
    JSON.stringify({ user: "u5", tweets: ["howdy"], state: "TX" }),
  ].join("\n");
  const p = parseMicroblogJsonl(jsonl, "users.jsonl");
  assert.deepEqual(
    p.users.map((u) => u.id),
    ["u1", "u5"],
  );
  assert.equal(p.rejected, 5);
  assert.match(p.issues[0], /^users\.jsonl:2: \(record\): not valid JSON/);
  assert.match(p.issues[1], /^users\.jsonl:3: tweets: expected a non-empty array/);
  assert.match(p.issues[2], /^users\.jsonl:4: lon: missing while lat is given/);
  assert.match(p.issues[3], /^users\.jsonl:5: user: "u1" appears twice/);
  assert.match(p.issues[4], /^users\.jsonl:6: city: neither a city, state or country label nor lat\/lon/);
  assert.throws(() => parseMicroblogJsonl(jsonl, "users.jsonl", { strict: true }), /users\.jsonl:2:/);
  const lv = microblogRawUsers(p.users, "city");
  assert.equal(lv.users.length, 1);
  assert.equal(lv.withoutLabel, 1);

  const tsv = [
    "user\tcity\tstate\tlat\tlon\ttweet",
    "a\tAustin\tTX\t30.2\t-97.7\thowdy",
    "a\tAustin\tTX\t30.2\t-97.7\ttacos",
    "b\tDallas\tTX\t\t\tcowboys",
    "b\tHouston\tTX\t\t\trockets",
    "c\tX\tTX\t99\t0\tbad lat",
  ].join("\n");
  const t = parseMicroblogTsv(tsv, "users.tsv");
  assert.deepEqual(
    t.users.map((u) => [u.id, u.tweets.length]),
    [["a", 2]],
  );
  assert.match(t.issues[0], /^users\.tsv:5: city: "Houston" disagrees with "Dallas" on line 4/);
  assert.match(t.issues[1], /^users\.tsv:6: lat: not a latitude/);
  assert.equal(t.rejected, 3);
  assert.throws(() => parseMicroblogTsv("user\ttweet\n", "x.tsv"), /x\.tsv:1: \(header\)/);
});

test("the text steps on two threads give the users and report of one", async () => {
  const g = generateMicroblog(3, { ...MICROBLOG_SCALES.default, users: 1800 });
  assert.ok(g.users.reduce((s, u) => s + u.tweets.length, 0) >= 20_000, "large enough for the two-thread path");
  const before = process.env.GEOREPRO_TRAIN_WORKERS;
  process.env.GEOREPRO_TRAIN_WORKERS = "on";
  try {
    const two = await preprocessTweetsAsync(g.users);
    const one = preprocessTweets(g.users);
    assert.deepEqual(two.report, one.report);
    assert.deepEqual(two.users, one.users);
  } finally {
    if (before === undefined) delete process.env.GEOREPRO_TRAIN_WORKERS;
    else process.env.GEOREPRO_TRAIN_WORKERS = before;
  }
});
