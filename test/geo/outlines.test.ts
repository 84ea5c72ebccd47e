import { test } from "node:test";
import assert from "node:assert/strict";
import { clipPolylines, outlinesWithin } from "../../lib/geo/outlines";
import { predictionMapSpec, panelBox } from "../../lib/figures/charts";

test("clipPolylines keeps the runs inside a box, one vertex past each edge, separated by null", () => {
  const line = [
    [-2, 0],
    [0.5, 0.5],
    [0.6, 0.6],
    [3, 3],
    [4, 4],
    [5, 5],
    [0.2, 0.2],
  ];
  const o = clipPolylines([line], [0, 0, 1, 1]);
  assert.deepEqual(o.lon, [-2, 0.5, 0.6, 3, null, 5, 0.2, null]);
  assert.deepEqual(o.lat, [0, 0.5, 0.6, 3, null, 5, 0.2, null]);
  assert.deepEqual(
    clipPolylines(
      [
        [
          [5, 5],
          [6, 6],
        ],
      ],
      [0, 0, 1, 1],
    ),
    { lon: [], lat: [] },
  );
});

test("Natural Earth 1:10m outlines from world-atlas: Manhattan's shore is inside a New York box, the open ocean has none", () => {
  const ny = outlinesWithin([-74.05, 40.68, -73.9, 40.82]);
  assert.ok(ny.coast.lon.filter((x) => x !== null).length > 10, "New York has coastline vertices");
  const ocean = outlinesWithin([-40, 30, -39, 31]);
  assert.equal(ocean.coast.lon.length, 0);
  assert.throws(() => outlinesWithin([1, 1, 0, 2]), /is empty/);
});

test("a prediction map draws the outlines under the points and fixes its view to the points", () => {
  const pairs = [{ truth: { lat: 40.75, lon: -73.99 }, predicted: { lat: 40.7, lon: -74.0 } }];
  const outlines = { coast: { lon: [-74.1, -73.9, null], lat: [40.6, 40.9, null] }, borders: { lon: [], lat: [] } };
  const spec = predictionMapSpec({ name: "m", title: "m", paperFigure: null, synthetic: true, panels: [{ title: "NY", pairs, outlines }] });
  assert.equal((spec.data[0] as { name: string }).name, "coastline (Natural Earth 1:10m)");
  const box = panelBox(pairs);
  assert.deepEqual((spec.layout.xaxis as { range: number[] }).range, [box[0], box[2]]);
});
