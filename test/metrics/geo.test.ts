import { test } from "node:test";
import assert from "node:assert/strict";
import { argmaxRows, geoMetrics, median } from "../../lib/metrics";
import { haversineKm } from "../../lib/geo/distance";

const centres = [
  { lat: 40.758, lon: -73.9855 }, // Times Square
  { lat: 40.7829, lon: -73.9654 }, // Central Park
];

test("Acc, Mean km, median and Acc@1km on hand-made predictions", () => {
  const truth = [
    { label: 0, lat: 40.758, lon: -73.9855 }, // exact centre, correct
    { label: 1, lat: 40.7829, lon: -73.9654 }, // predicted 0: error = distance between centres
    { label: 1, lat: 40.79, lon: -73.96 }, // correct but off-centre
  ];
  const m = geoMetrics([0, 0, 1], truth, centres);
  const d01 = haversineKm(centres[0], centres[1]);
  const d2 = haversineKm(centres[1], truth[2]);
  assert.ok(d01 > 3 && d01 < 3.5, `centres ~3.2 km apart, got ${d01}`);
  assert.equal(m.n, 3);
  assert.equal(m.acc, 2 / 3);
  assert.ok(Math.abs(m.meanKm - (0 + d01 + d2) / 3) < 1e-12);
  assert.equal(m.medianKm, d2);
  assert.equal(m.accAt1km, 2 / 3);
});

test("median of even and odd lists", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
});

test("argmaxRows picks each row's best column", () => {
  assert.deepEqual(Array.from(argmaxRows([0.1, 0.7, 0.2, 0.5, 0.3, 0.2], 3)), [1, 0]);
  assert.throws(() => argmaxRows([1, 2, 3], 2), /not a multiple/);
});

test("bad input names the row and field", () => {
  assert.throws(
    () =>
      geoMetrics(
        [0, 5],
        [
          { label: 0, lat: 0, lon: 0 },
          { label: 1, lat: 0, lon: 0 },
        ],
        centres,
      ),
    /row 1: predicted: 5/,
  );
  assert.throws(() => geoMetrics([0], [{ label: 0, lat: 95, lon: 0 }], centres), /row 0: lat\/lon/);
  assert.throws(() => geoMetrics([0], [], centres), /1 predictions for 0 truths/);
});
