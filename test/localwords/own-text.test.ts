/**
 * Own raw tweets in any language: sentences for word2vec, the English-only
 * entity merge, the gazetteer merge that works in lower case, jieba for
 * Chinese, and a report that counts each step.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { describeOwnText, segmentOwnUsers, tweetLanguage } from "../../lib/localwords/own-text";
import { GazetteerMerger, placeGazetteer, worldPlaceNames } from "../../lib/localwords/gazetteer";

test("tweetLanguage by script, and by function words for Latin script", () => {
  assert.equal(tweetLanguage("Just landed at the airport, what a day"), "en");
  assert.equal(tweetLanguage("今天天气真好"), "zh");
  assert.equal(tweetLanguage("東京タワーに行きました"), "ja");
  assert.equal(tweetLanguage("hoy es un día de la semana que no me gusta para nada"), "other-latin");
});

test("gazetteer merge finds multi-word place names in any case, longest first", () => {
  const g = new GazetteerMerger(placeGazetteer());
  assert.deepEqual(g.merge(["i", "love", "new", "york", "city", "and", "los", "angeles"]), [
    "i",
    "love",
    "new_york_city",
    "and",
    "los_angeles",
  ]);
  assert.deepEqual(g.merge(["district", "of", "columbia", "rio", "de", "janeiro"]), ["district_of_columbia", "rio_de_janeiro"]);
  assert.equal(g.merged, 4);
  assert.equal(g.names.size, 4);
  const names = worldPlaceNames();
  for (const n of ["london", "beijing", "united_kingdom", "new_york_city", "texas", "sao_paulo", "são_paulo"]) assert.ok(names.has(n), n);
});

test("capitalised English: the entity merge; lower-cased: only the gazetteer merge; Chinese: jieba, no entity merge; counts reported", () => {
  const users = [
    { id: "cap", label: "NY", tweets: ["Walking through Times Square with Amy. We love New York pizza! https://t.co/x back home"] },
    { id: "low", label: "NY", tweets: ["walking through times square with amy. we love new york pizza!"] },
    { id: "zh", label: "Beijing", tweets: ["我来到北京清华大学，今天天气真好！#北京#"] },
  ];
  const { users: seg, report } = segmentOwnUsers(users);
  const cap = seg[0].sentences.flat();
  assert.ok(cap.includes("times_square"), cap.join(" "));
  assert.ok(cap.includes("new_york"));
  assert.equal(seg[0].sentences.length, 3, "sentences: an end of sentence and a URL");
  const low = seg[1].sentences.flat();
  assert.ok(!low.includes("times_square"), "no capitals, no entity");
  assert.ok(low.includes("new_york"), "the gazetteer merge needs no capitals");
  const zh = seg[2].sentences.flat();
  assert.deepEqual(zh, ["来到", "北京", "清华大学", "今天天气", "真", "好", "#北京"], "jieba words, Chinese stop words (我) removed");
  assert.deepEqual(report.languages, { en: 2, zh: 1 });
  assert.equal(report.ner.tweets, 2);
  assert.equal(report.ner.skippedTweets, 1);
  assert.equal(report.ner.mergedTokens, 2, "Times Square, New York in the capitalised tweet");
  assert.equal(report.gazetteer.mergedTokens, 1, "new york in the lower-cased tweet");
  assert.equal(report.urls, 1);
  const notes = describeOwnText(report).join("\n");
  assert.match(notes, /not applied to 1 tweets in other languages/);
  assert.match(notes, /Gazetteer merge .*: 1 tokens merged/);
});

test("a lower-cased corpus is recognised and the report says the entity merge cannot work on it", () => {
  const { report } = segmentOwnUsers([{ id: "a", label: "x", tweets: ["all lower case text from los angeles", "more text here"] }]);
  assert.equal(report.lowerCased, true);
  assert.equal(report.ner.mergedTokens, 0);
  assert.match(describeOwnText(report).join("\n"), /lower-cased .* cannot find entities/);
});
