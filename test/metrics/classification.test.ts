import { test } from "node:test";
import assert from "node:assert/strict";
import { classificationMetrics, distanceMetrics, labelCentres, median } from "../../lib/metrics";

test("accuracy and macro P/R/F1 match a hand computation (scikit-learn conventions)", () => {
  // y: 0 0 1 1 2 ; ŷ: 0 1 1 1 0
  const m = classificationMetrics([0, 0, 1, 1, 2], [0, 1, 1, 1, 0]);
  assert.equal(m.accuracy, 3 / 5);
  // class 0: P 1/2 R 1/2; class 1: P 2/3 R 1; class 2: P 0 (no predictions) R 0
  const f = (p: number, r: number) => (p + r ? (2 * p * r) / (p + r) : 0);
  assert.ok(Math.abs(m.macroPrecision - (1 / 2 + 2 / 3 + 0) / 3) < 1e-12);
  assert.ok(Math.abs(m.macroRecall - (1 / 2 + 1 + 0) / 3) < 1e-12);
  assert.ok(Math.abs(m.macroF1 - (f(1 / 2, 1 / 2) + f(2 / 3, 1) + 0) / 3) < 1e-12);
  assert.equal(m.classes, 3);
  // a predicted-only class enters the average (label set = union)
  assert.equal(classificationMetrics([0, 0], [0, 3]).classes, 2);
  assert.throws(() => classificationMetrics([0], [0, 1]), /y_true has 1 labels, y_pred has 2/);
  assert.throws(() => classificationMetrics([0, -1], [0, 1]), /item 1: labels must be non-negative integers/);
});

test("Acc@161 and km errors from label centres", () => {
  const centres = labelCentres([{ lat: 40, lon: -74 }, { lat: 40.2, lon: -74 }, { lat: 30, lon: -97 }, undefined], [0, 0, 1, 1], 3);
  assert.deepEqual(centres[0], { lat: 40.1, lon: -74 });
  assert.equal(centres[2], null);
  const d = distanceMetrics(
    [
      { lat: 40.1, lon: -74 },
      { lat: 40.1, lon: -74 },
    ],
    [0, 1],
    centres,
  );
  assert.equal(d.accAt161, 0.5);
  assert.ok(d.medianKm > 1000 / 2 && d.meanKm === d.medianKm);
  assert.throws(() => distanceMetrics([{ lat: 0, lon: 0 }], [2], centres), /item 0: predicted label 2 has no centre/);
  assert.equal(median([3, 1, 2, 10]), 2.5);
});

test("one median: numpy's on odd and even lists, an error on an empty list", () => {
  assert.equal(median([5]), 5);
  assert.equal(median(new Float64Array([4, 1, 3, 2])), 2.5);
  assert.throws(() => median([]), /median: an empty list has no median/);
});

test("distanceMetrics: Acc@1km and Acc@161 from the same errors", () => {
  const d = distanceMetrics(
    [
      { lat: 0, lon: 0 },
      { lat: 0, lon: 1 },
    ],
    [0, 0],
    [{ lat: 0, lon: 0.005 }],
  );
  assert.equal(d.accAt1km, 0.5); // 0.56 km, then ~110 km
  assert.equal(d.accAt161, 1);
});
