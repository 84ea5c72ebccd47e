import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCorpus, UserBag, indexUsers, relabelUsers, splitCorpora } from "../../lib/localwords/corpus";
import { frequencyFilter } from "../../lib/localwords/preprocess";
import { stream } from "../../lib/runtime/rng";
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

test("literal Eq. 4 (as printed) normalises over locations and skips words unseen at a location", () => {
  const c = buildCorpus(users);
  const m = fitNb(c.docs, 2, 4, { reading: "literal" });
  const d = buildCorpus([bag("t", "ny", { bagel: 5, howdy: 1 })], { vocab: c.vocab, labels: c.labels }).docs[0];
  const j = jointLogLikelihood(m, d);
  // bagel: f(ny)=2, f(tx)=0, Σ=2 → P(bagel|ny)=(2+1)/(2+2); unseen at tx → skipped. Counts do not multiply (word types).
  // howdy: f(tx)=3 → P(howdy|tx)=(3+1)/(3+2); unseen at ny → skipped.
  assert.ok(Math.abs(j[0] - (Math.log(2 / 3) + Math.log(3 / 4))) < 1e-12);
  assert.ok(Math.abs(j[1] - (Math.log(1 / 3) + Math.log(4 / 5))) < 1e-12);
});

// A constructed corpus for the two readings of Eq. 4. "east" and "south" (6 users each) both use
// pizza and coffee; lobster is east's, grits south's; "west" (2 users) has never seen any of them.
const eastWest = [
  ...Array.from({ length: 6 }, (_, i) => bag(`e${i}`, "east", { pizza: 2, coffee: 1, lobster: 1 })),
  ...Array.from({ length: 6 }, (_, i) => bag(`s${i}`, "south", { pizza: 2, coffee: 1, grits: 1 })),
  bag("w0", "west", { surf: 2, desert: 1 }),
  bag("w1", "west", { surf: 1, cactus: 1 }),
];
// f(pizza) = 12 east, 12 south (F = 24); f(coffee) = 6/6 (F = 12); f(lobster) = 6 east (F = 6); |L| = 3, α = 1.
const eastUser = bag("t", "east", { pizza: 1, coffee: 1, lobster: 1 });

test("the literal reading is degenerate: an east user is sent west, where none of their words was ever seen", () => {
  const c = buildCorpus(eastWest);
  const user = buildCorpus([eastUser], { vocab: c.vocab, labels: c.labels }).docs[0];
  const literal = fitNb(c.docs, 3, c.vocab.length, { reading: "literal" });
  const j = jointLogLikelihood(literal, user);
  const [east, south, west] = ["east", "south", "west"].map((l) => c.labels.indexOf(l));
  // West has seen none of the user's words: Eq. 4's product over f(w,west) > 0 is empty (log 1 = 0),
  // so west scores just its prior, which beats east's prior plus three negative log-probabilities.
  assert.ok(Math.abs(j[west] - Math.log(2 / 14)) < 1e-12, `west ${j[west]}`);
  assert.ok(Math.abs(j[east] - (Math.log(6 / 14) + Math.log(13 / 27) + Math.log(7 / 15) + Math.log(7 / 9))) < 1e-12, `east ${j[east]}`);
  assert.ok(Math.abs(j[south] - (Math.log(6 / 14) + Math.log(13 / 27) + Math.log(7 / 15))) < 1e-12, "south skips lobster, unseen there");
  assert.ok(j[west] > j[south] && j[south] > j[east], "the less a location has seen of the user's words, the higher it scores");
  assert.equal(predictNb(literal, [user])[0], west);
  // More evidence, worse score: one east word alone scores east higher than three.
  const one = buildCorpus([bag("t1", "east", { lobster: 1 })], { vocab: c.vocab, labels: c.labels }).docs[0];
  const j1 = jointLogLikelihood(literal, one);
  assert.ok(j[east] < j1[east] && j[west] === j1[west]);
});

test("the user-words reading (the paper's method) runs Eq. 4 over the user's words with Eq. 3's smoothing", () => {
  const c = buildCorpus(eastWest);
  const user = buildCorpus([eastUser], { vocab: c.vocab, labels: c.labels }).docs[0];
  const m = fitNb(c.docs, 3, c.vocab.length, { reading: "user-words" });
  const j = jointLogLikelihood(m, user);
  const [east, south, west] = ["east", "south", "west"].map((l) => c.labels.indexOf(l));
  // Each distinct word of the user once, with (f(w,l) + 1) / (F(w) + 3) at every location, seen or not.
  const expect = (prior: number, fp: number, fc: number, fl: number) =>
    Math.log(prior) + Math.log((fp + 1) / 27) + Math.log((fc + 1) / 15) + Math.log((fl + 1) / 9);
  assert.ok(Math.abs(j[east] - expect(6 / 14, 12, 6, 6)) < 1e-12, `east ${j[east]}`);
  assert.ok(Math.abs(j[south] - expect(6 / 14, 12, 6, 0)) < 1e-12, `south ${j[south]}`);
  assert.ok(Math.abs(j[west] - expect(2 / 14, 0, 0, 0)) < 1e-12, `west ${j[west]}`);
  assert.equal(predictNb(m, [user])[0], east);
  // The smoothing is what scores the unseen words: with a smaller α they cost more.
  const sharper = jointLogLikelihood(fitNb(c.docs, 3, c.vocab.length, { reading: "user-words", alpha: 0.1 }), user);
  assert.ok(Math.abs(sharper[west] - (Math.log(2 / 14) + Math.log(0.1 / 24.3) + Math.log(0.1 / 12.3) + Math.log(0.1 / 6.3))) < 1e-12);
  assert.ok(sharper[west] < j[west]);
  // The two readings differ exactly by the unseen words' smoothed terms.
  const literal = jointLogLikelihood(fitNb(c.docs, 3, c.vocab.length, { reading: "literal" }), user);
  assert.ok(Math.abs(literal[east] - j[east]) < 1e-12, "east saw every word: both readings agree there");
  assert.ok(Math.abs(j[south] - literal[south] - Math.log(1 / 9)) < 1e-12);
  assert.ok(Math.abs(j[west] - literal[west] - (Math.log(1 / 27) + Math.log(1 / 15) + Math.log(1 / 9))) < 1e-12);
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
  assert.throws(() => fitNb([], 2, 4, { reading: "literal" }), /no training users/);
  const c = buildCorpus(users);
  assert.throws(() => fitNb(c.docs, 2, 4, { reading: "literal", alpha: 0 }), /alpha/);
  assert.throws(() => fitNb(c.docs, 2, 4, { reading: "printed" as never }), /reading: "printed" is not one of/);
  assert.throws(() => buildCorpus([bag("x", "ca", { a: 1 })], { labels: ["ny", "tx"] }), /user x: label: "ca"/);
});

test("IGR: a perfectly local word scores H(C)/IV, an everywhere word 0", () => {
  const us = [
    bag("1", "a", { local: 1, all: 1 }),
    bag("2", "a", { local: 1, all: 1 }),
    bag("3", "b", { all: 1, half: 1 }),
    bag("4", "b", { all: 1 }),
    bag("5", "a", { all: 1, half: 1 }),
  ];
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

test("users index: a split's corpora equal frequencyFilter + buildCorpus; relabelled users equal a fresh index", () => {
  const r = stream(8, "index");
  const bags = Array.from({ length: 60 }, (_, u) => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 12; i++) counts.set(`w${Math.floor(40 * r.next() ** 2)}`, 1 + r.int(3));
    return { id: `u${u}`, label: `l${u % 4}`, counts, coord: { lat: u, lon: -u } };
  });
  const ix = indexUsers(bags);
  const train = Int32Array.from({ length: 45 }, (_, i) => i);
  const test = Int32Array.from({ length: 15 }, (_, i) => 45 + i);
  for (const n1 of [1, 3, 6]) {
    const sp = splitCorpora(ix, train, test, n1);
    const ff = frequencyFilter(bags.slice(0, 45), n1);
    const vocab = [...ff.vocab].sort();
    const tr = buildCorpus(bags.slice(0, 45), { vocab });
    assert.deepEqual(sp.train, tr);
    assert.deepEqual(sp.test, buildCorpus(bags.slice(45), { vocab, labels: tr.labels }));
    assert.deepEqual(sp.filter, { totalTypes: ff.totalTypes, removedTypes: ff.removedTypes, removedTokens: ff.removedTokens });
  }
  const other = bags.map((b, u) => ({ ...b, label: `m${u % 3}` }));
  assert.deepEqual(relabelUsers(ix, other), indexUsers(other));
});
