/**
 * Words in any script: jieba on real Chinese sentences whose segmentation is
 * published, ICU for Japanese and Thai, hashtags/mentions/URLs, sentences.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  chineseStopwords,
  dominantScript,
  multilingualStopwords,
  segmentChinese,
  segmentWords,
  splitSentences,
} from "../../lib/text/segment";

test("jieba segments real Chinese sentences as jieba's README and jieba-rs's tests document", () => {
  // jieba README (fxsjy/jieba), accurate mode: "我/ 来到/ 北京/ 清华大学".
  assert.deepEqual(segmentChinese("我来到北京清华大学"), ["我", "来到", "北京", "清华大学"]);
  // jieba README: "他, 来到, 了, 网易, 杭研, 大厦" — 杭研 is not in the dictionary; the HMM finds it.
  assert.deepEqual(segmentChinese("他来到了网易杭研大厦"), ["他", "来到", "了", "网易", "杭研", "大厦"]);
  // jieba-rs's test of cut with HMM: ["我们", "中出", "了", "一个", "叛徒"].
  assert.deepEqual(segmentChinese("我们中出了一个叛徒"), ["我们", "中出", "了", "一个", "叛徒"]);
  // The classic ambiguity: 南京市/长江大桥, not 南京/市长/江大桥.
  assert.deepEqual(segmentChinese("南京市长江大桥"), ["南京市", "长江大桥"]);
  // Punctuation is not a word: jieba returns "，" and we drop it.
  assert.deepEqual(segmentChinese("小明硕士毕业于中国科学院计算所，后在日本京都大学深造"), [
    "小明",
    "硕士",
    "毕业",
    "于",
    "中国科学院",
    "计算所",
    "后",
    "在",
    "日本京都大学",
    "深造",
  ]);
});

test("segmentWords: Chinese runs go to jieba, Latin words at letter boundaries, hashtags and mentions stay whole, URLs go", () => {
  assert.deepEqual(segmentWords("我爱北京天安门 #北京# @小明 http://t.co/abc"), ["我", "爱", "北京", "天安门", "#北京", "@小明"]);
  assert.deepEqual(segmentWords("At Times Square with @amy! #NYC https://t.co/x rocks"), [
    "at",
    "times",
    "square",
    "with",
    "@amy",
    "#nyc",
    "rocks",
  ]);
  // Mixed script in one sentence: an English word inside Chinese text.
  assert.deepEqual(segmentWords("今天去Starbucks喝咖啡"), ["今天", "去", "starbucks", "喝咖啡"]);
  // Scripts with spaces (Cyrillic, Greek, Hangul) split at spaces and punctuation; apostrophes stay inside words.
  assert.deepEqual(segmentWords("Привет, как дела? Καλημέρα 안녕하세요 don't"), [
    "привет",
    "как",
    "дела",
    "καλημέρα",
    "안녕하세요",
    "don't",
  ]);
});

test("segmentWords: Japanese and Thai, written without spaces, go to ICU's dictionary segmenter", () => {
  assert.deepEqual(segmentWords("東京タワーに行きました"), ["東京タワー", "に", "行き", "ま", "した"]);
  assert.deepEqual(segmentWords("ฉันรักกรุงเทพมหานคร"), ["ฉัน", "รัก", "กรุงเทพมหานคร"]);
});

test("splitSentences: sentence ends (also 。！？), line breaks and URLs end a sentence", () => {
  assert.deepEqual(splitSentences("I love New York. It is great!\nSecond line http://x.y/z more text"), [
    "I love New York.",
    "It is great!",
    "Second line",
    "more text",
  ]);
  assert.deepEqual(splitSentences("我爱北京。你呢？好的"), ["我爱北京。", "你呢？", "好的"]);
  assert.deepEqual(splitSentences("   \n  "), []);
});

test("dominantScript and the stop-word lists", () => {
  assert.equal(dominantScript("我来到北京 ok"), "han");
  assert.equal(dominantScript("東京タワーに行きました"), "kana");
  assert.equal(dominantScript("hello 北京"), "latin");
  const zh = chineseStopwords();
  for (const w of ["的", "和", "我", "你"]) assert.ok(zh.has(w), w);
  const all = multilingualStopwords();
  for (const w of ["the", "的", "の"]) assert.ok(all.has(w), w);
  assert.ok(!all.has("北京"));
});
