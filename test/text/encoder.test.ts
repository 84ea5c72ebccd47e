import { test } from "node:test";
import assert from "node:assert/strict";
import { encodePosts, fitTextEncoder, OOV_ID, PAD_ID, buildVocab, wordTokens } from "../../lib/text";

const train = [
  { text: "Sunset at the Brooklyn Bridge", hashtags: ["#nyc", "#bridge", "#rare1"] },
  { text: "Brooklyn pizza!", hashtags: ["#nyc", "#pizza", "#bridge"] },
  { text: "Central park walk", hashtags: ["#nyc", "#pizza"] },
];

test("vocabulary ids: pad 0, OOV 1, then by frequency with code-point ties", () => {
  const v = buildVocab([
    ["b", "a", "b"],
    ["c", "a", "b"],
  ]);
  assert.deepEqual(v.tokens, ["<pad>", "<oov>", "b", "a", "c"]);
  assert.equal(v.size, 5);
});

test("word tokens are lower-cased Unicode words", () => {
  assert.deepEqual(wordTokens("Café  MÜNCHEN, it's 5pm!"), ["café", "münchen", "it's", "5pm"]);
});

test("encoding pads, truncates and maps unseen tokens to OOV", () => {
  const enc = fitTextEncoder(train, { maxTextChars: 10, maxTextWords: 3, maxTags: 4, maxTagChars: 12 });
  const e = encodePosts(enc, [{ text: "Brooklyn quay", hashtags: ["#NYC", "#unseen"] }]);
  assert.equal(e.textChars.length, 10);
  // "brooklyn q" is 10 characters: truncated, and 'q' was never seen in training → OOV
  assert.equal(e.textChars[9], OOV_ID);
  assert.notEqual(e.textChars[0], OOV_ID);
  // words of the truncated text: "brooklyn", "q" → known, OOV, then padding
  assert.deepEqual(Array.from(e.textWords), [enc.words.ids.get("brooklyn"), OOV_ID, PAD_ID]);
  assert.deepEqual(Array.from(e.tagWords), [enc.tags.ids.get("nyc"), OOV_ID, PAD_ID, PAD_ID]);
});

test("training-rare hashtags are removed and counted", () => {
  const enc = fitTextEncoder(train, { minTagCount: 2 });
  assert.ok(!enc.tags.ids.has("rare1") && enc.tags.dropped.get("rare1") === 1);
  const e = encodePosts(enc, [
    { text: "x", hashtags: ["#rare1"] },
    { text: "y", hashtags: ["#rare1", "#nyc"] },
  ]);
  assert.equal(e.removed.rareTagOccurrences, 2);
  assert.equal(e.removed.postsLeftWithoutTags, 1);
  assert.equal(e.tagWords[0], PAD_ID);
  assert.equal(e.tagWords[100], enc.tags.ids.get("nyc"));
});

test("bad input names the post and field", () => {
  assert.throws(() => fitTextEncoder([]), /no training posts/);
  assert.throws(() => fitTextEncoder([{ id: "p7", text: 3 as unknown as string, hashtags: [] }]), /post p7: text/);
  assert.throws(() => fitTextEncoder(train, { maxTags: 0 }), /config.maxTags/);
});
