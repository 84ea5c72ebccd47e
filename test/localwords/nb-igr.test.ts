import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCorpus, UserBag } from "../../lib/localwords/corpus";
import { fitNb, jointLogLikelihood, predictNb, maskOf } from "../../lib/localwords/naive-bayes";
import { informationGainRatio, chooseN2 } from "../../lib/localwords/igr";

const bag = (id: string, label: string, words: Record<string, number>): UserBag => ({ id, label, counts: new Map(Object.entries(words)) });
const users = [
  bag("u1", "ny", { bagel: 2, subway: 1, coffee: 1 }),
  bag("u2", "ny", { subway: 2, coffee: 1 }),
  bag("u3", "tx", { howdy: 3, coffee: 1 }),
];

test("multinomial NB matches the hand-computed scikit-learn formula", () => {
  const c = buildCorpus(users);
  assert.deepEqual(c.vocab, ["bagel", "coffee", "howdy", "subway"]);
  assert.deepEqual(c.labels, ["ny", "tx"]);
  const m = fitNb(c.docs, 2, 4, { reading: "multinomial" });
  // ny: counts bagel 2, coffee 2, howdy 0, subway 3 → total 7; +alpha·V = 11
  const d = buildCorpus([bag("t", "ny", { bagel: 1, howdy: 2 })], { vocab: c.vocab, labels: c.labels }).docs[0];
  const j = jointLogLikelihood(m, d);
  const ny = Math.log(2 / 3) + 1 * Math.log(3 / 11) + 2 * Math.log(1 / 11);
  const tx = Math.log(1 / 3) + 1 * Math.log(1 / 8) + 2 * Math.log(4 / 8);
  assert.ok(Math.abs(j[0] - ny) < 1e-12 && Math.abs(j[1] - tx) < 1e-12, `got ${[...j]}`);
  assert.deepEqual([...predictNb(m, [d])], [tx > ny ? 1 : 0]);
});

test("printed NB (Eq. 3-4) normalises over locations and skips words unseen at a location", () => {
  const c = buildCorpus(users);
  const m = fitNb(c.docs, 2, 4, { reading: "printed" });
  const d = buildCorpus([bag("t", "ny", { bagel: 5, howdy: 1 })], { vocab: c.vocab, labels: c.labels }).docs[0];
  const j = jointLogLikelihood(m, d);
  // bagel: f(ny)=2, f(tx)=0, Σ=2 → P(bagel|ny)=(2+1)/(2+2); unseen at tx → skipped. Counts do not multiply (word types).
  // howdy: f(tx)=3 → P(howdy|tx)=(3+1)/(3+2); unseen at ny → skipped.
  assert.ok(Math.abs(j[0] - (Math.log(2 / 3) + Math.log(3 / 4))) < 1e-12);
  assert.ok(Math.abs(j[1] - (Math.log(1 / 3) + Math.log(4 / 5))) < 1e-12);
});

test("a feature mask restricts the multinomial vocabulary and its normaliser", () => {
  const c = buildCorpus(users);
  const m = fitNb(c.docs, 2, 4, { reading: "multinomial", features: maskOf(4, [0, 3]) }); // bagel, subway
  const d = buildCorpus([bag("t", "ny", { bagel: 1, howdy: 9 })], { vocab: c.vocab, labels: c.labels }).docs[0];
  const j = jointLogLikelihood(m, d);
  // ny: bagel 2, subway 3 → total 5 + 2 → P(bagel|ny) = 3/7; howdy ignored.
  assert.ok(Math.abs(j[0] - (Math.log(2 / 3) + Math.log(3 / 7))) < 1e-12);
});

test("NB rejects bad input", () => {
  assert.throws(() => fitNb([], 2, 4, { reading: "printed" }), /no training users/);
  const c = buildCorpus(users);
  assert.throws(() => fitNb(c.docs, 2, 4, { reading: "printed", alpha: 0 }), /alpha/);
  assert.throws(() => buildCorpus([bag("x", "ca", { a: 1 })], { labels: ["ny", "tx"] }), /user x: label: "ca"/);
});

test("IGR: a perfectly local word scores H(C)/IV, an everywhere word 0", () => {
  const us = [bag("1", "a", { local: 1, all: 1 }), bag("2", "a", { local: 1, all: 1 }), bag("3", "b", { all: 1, half: 1 }), bag("4", "b", { all: 1 }), bag("5", "a", { all: 1, half: 1 })];
  const c = buildCorpus(us);
  const igr = informationGainRatio(c.docs, c.labels.length, c.vocab.length);
  const at = (w: string) => igr[c.vocab.indexOf(w)];
  assert.equal(at("all"), 0);
  // local: in 2 of 5 users, all at "a". H(C) = H(3/5), H(C|w)=0, H(C|w̄)= H over {a:1,b:2}/3.
  const h = (ps: number[]) => -ps.reduce((s, p) => s + (p > 0 ? p * Math.log(p) : 0), 0);
  const ig = h([3 / 5, 2 / 5]) - (3 / 5) * h([1 / 3, 2 / 3]);
  assert.ok(Math.abs(at("local") - ig / h([2 / 5, 3 / 5])) < 1e-12);
  assert.ok(at("local") > at("half"));
});

test("N2 rule picks the threshold after the largest drop", () => {
  const igr = [0.01, 0.02, 0.12, 0.13, 0.14, 0.16, 0.17, 0.21, 0.3];
  const s = chooseN2(igr, { from: 0.05, to: 0.3, step: 0.05 });
  assert.deepEqual(s.counts, [7, 7, 4, 2, 1, 1]); // ≥0.05, .10, .15, .20, .25, .30
  assert.equal(s.chosen, 0.15);
  assert.throws(() => chooseN2(igr, { step: 0 }), /step/);
});
