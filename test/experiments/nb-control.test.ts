/**
 * The NB control (lib/experiments/nb-control.ts): a post as caption words and
 * "#"-tags, the project's multinomial NB with α, probabilities that sum to 1,
 * a POI without training posts never predicted; and against scikit-learn's
 * MultinomialNB(alpha) on a split of the Flickr-shaped dataset the tests write.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fitNbControl, nbCorpora, nbProbs, nbValidationScore, postBag } from "../../lib/experiments/nb-control";
import { convertFlickr } from "../../lib/data/flickr";
import { splitCity } from "../../lib/experiments/split";
import { peerUnavailable, sklearnPeerCheck } from "../../lib/localwords/peer";
import { testNeeding } from "../support/requires";
import { writeFlickrDataset } from "../support/flickr-dataset";

function viennaShapedSplit(seed = 1) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "georepro-nb-"));
  const { dataDir } = writeFlickrDataset(dir);
  const { dataset } = convertFlickr({
    name: "t",
    city: "c",
    label: "C",
    photosFile: path.join(dataDir, "photos.csv"),
    poisFile: path.join(dataDir, "pois.csv"),
    checksums: {},
    description: "",
  });
  return splitCity(dataset, seed);
}

test("NB control: words and #tags are separate features; posteriors sum to 1; a POI without training posts is never predicted", () => {
  const bag = postBag({ id: "1", poiId: "p", text: "Wien, Wien! Oper", hashtags: ["#Wien", "oper"] });
  assert.deepEqual([...bag.counts].sort(), [
    ["#oper", 1],
    ["#wien", 1],
    ["oper", 1],
    ["wien", 2],
  ]);
  const split = viennaShapedSplit();
  const c = nbCorpora(split);
  const m = fitNbControl(c.train, 0.3);
  const p = nbProbs(m, c.test);
  const L = split.pois.length;
  for (let i = 0; i < c.test.docs.length; i++) {
    const row = p.subarray(i * L, (i + 1) * L);
    assert.ok(Math.abs(row.reduce((s, x) => s + x, 0) - 1) < 1e-5);
  }
  // Drop one POI from training: its prior is 0 and it is never predicted.
  const gone = split.pois[0].id;
  const reduced = { ...split, train: split.train.filter((q) => q.poiId !== gone) };
  const r = nbCorpora(reduced);
  const m2 = fitNbControl(r.train, 1);
  assert.equal(m2.logPrior[0], -Infinity);
  const p2 = nbProbs(m2, r.test);
  for (let i = 0; i < r.test.docs.length; i++) assert.equal(p2[i * L], 0);
  const v = nbValidationScore(split, 1);
  assert.ok(v.valAcc >= 0 && v.valAcc <= 1 && v.valLoss > 0);
});

testNeeding("NB control = scikit-learn MultinomialNB(alpha) on an owner-grouped split of Flickr-shaped posts", peerUnavailable(), () => {
  const split = viennaShapedSplit(2);
  const c = nbCorpora(split);
  for (const alpha of [0.1, 1]) {
    const r = sklearnPeerCheck(c.train, c.test, { alpha });
    assert.equal(r.nb_predictions_agree, true, `alpha ${alpha}: ${r.nb_disagreements} predictions differ`);
    assert.ok(r.nb_max_abs_jll_diff < 1e-9, `alpha ${alpha}: joint log-likelihoods differ by ${r.nb_max_abs_jll_diff}`);
  }
});
