/** Chart builders: the plotly spec they produce, and the errors bad input gets. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { elbowSpec, groupedBarSpec, lineSpec, predictionMapSpec, trainingCurvesSpec } from "../../lib/figures/charts";
import { PAPER_COLOR, wrapText } from "../../lib/figures/style";
import type { FigureSpec } from "../../lib/figures/spec";
import { figureJson } from "../../lib/figures/output";
import { haversineKm } from "../../lib/geo/distance";

/** The title block is the first annotation (see style.ts: plotly's own title mis-anchors wrapped titles). */
const titleOf = (spec: FigureSpec): string => (spec.layout.annotations as { text: string }[])[0].text;

const meta = { name: "t-fig", title: "A title", paperFigure: "MRLF paper, Fig. 2", synthetic: true, dataset: "synthetic-instagram" };

test("groupedBarSpec: one bar trace per series, paper series grey and hatched, title names the paper figure and synthetic data", () => {
  const spec = groupedBarSpec({
    ...meta,
    categories: ["New York", "Melbourne"],
    series: [
      { name: "MRLF", values: [0.8, 0.7], errors: [0.01, null] },
      { name: "MRLF (paper)", values: [0.828, null], kind: "paper" },
    ],
    yLabel: "Accuracy",
  });
  assert.equal(spec.data.length, 2);
  assert.deepEqual(spec.data[0].x, ["New York", "Melbourne"]);
  assert.deepEqual(spec.data[1].y, [0.828, null]);
  assert.deepEqual((spec.data[0].error_y as { array: number[] }).array, [0.01, 0]);
  const paperMarker = spec.data[1].marker as { color: string; pattern?: unknown };
  assert.equal(paperMarker.color, PAPER_COLOR);
  assert.ok(paperMarker.pattern, "paper bars are hatched");
  assert.notEqual((spec.data[0].marker as { color: string }).color, PAPER_COLOR);
  const title = titleOf(spec);
  assert.match(title, /A title/);
  assert.match(title, /Reproduces MRLF paper, Fig\. 2/);
  assert.match(title, /synthetic data/);
  assert.equal(spec.layout.barmode, "group");
});

test("groupedBarSpec: a real-data figure does not say synthetic; a figure without a paper counterpart says so", () => {
  const spec = groupedBarSpec({
    ...meta,
    synthetic: false,
    paperFigure: null,
    categories: ["a"],
    series: [{ name: "s", values: [1] }],
    yLabel: "y",
  });
  const title = titleOf(spec);
  assert.doesNotMatch(title, /synthetic data/);
  assert.match(title, /No paper counterpart/);
});

test("groupedBarSpec: bad input names the figure and the field", () => {
  const ok = { ...meta, categories: ["a", "b"], series: [{ name: "s", values: [1, 2] }], yLabel: "y" };
  assert.throws(
    () => groupedBarSpec({ ...ok, series: [{ name: "s", values: [1] }] }),
    /figure "t-fig": series\[0\] \(s\)\.values: has 1 values, expected 2/,
  );
  assert.throws(
    () => groupedBarSpec({ ...ok, series: [{ name: "s", values: [1, NaN] }] }),
    /series\[0\] \(s\)\.values\[1\]: expected a finite number/,
  );
  assert.throws(() => groupedBarSpec({ ...ok, categories: [] }), /categories: must be a non-empty array/);
  assert.throws(() => groupedBarSpec({ ...ok, name: "Bad Name" }), /name: must match/);
  assert.throws(() => groupedBarSpec({ ...ok, title: " " }), /title: required/);
  assert.throws(() => groupedBarSpec({ ...ok, synthetic: undefined as unknown as boolean }), /synthetic: required/);
  assert.throws(() => groupedBarSpec({ ...ok, width: 50 }), /width: expected an integer in 100\.\.4000/);
});

test("titles wrap to the figure width and the top margin grows with them", () => {
  assert.deepEqual(wrapText("aa bb cc dd", 5), ["aa bb", "cc dd"]);
  assert.deepEqual(wrapText("averyveryverylongword x", 5), ["averyveryverylongword", "x"]);
  const long = "A very long title that certainly does not fit on one line of a narrow figure, so it must wrap";
  const narrow = groupedBarSpec({ ...meta, title: long, width: 400, categories: ["a"], series: [{ name: "s", values: [1] }], yLabel: "y" });
  const wide = groupedBarSpec({ ...meta, title: long, width: 2000, categories: ["a"], series: [{ name: "s", values: [1] }], yLabel: "y" });
  assert.ok(titleOf(narrow).split("<br>").length > titleOf(wide).split("<br>").length);
  assert.ok((narrow.layout.margin as { t: number }).t > (wide.layout.margin as { t: number }).t);
});

test("lineSpec: dashed grey paper series, integer ticks for integer thresholds, threshold markers", () => {
  const spec = lineSpec({
    ...meta,
    series: [
      { name: "Twitter(State)", x: [3, 4, 5], y: [0.5, 0.49, 0.47] },
      { name: "paper", x: [3, 4, 5], y: [0.55, 0.54, null], kind: "paper" },
    ],
    xLabel: "N1",
    yLabel: "accuracy",
    markers: [{ x: 3, label: "N1 = 3" }],
  });
  assert.equal((spec.data[1].line as { dash: string }).dash, "dash");
  assert.equal((spec.data[0].line as { dash: string }).dash, "solid");
  assert.equal((spec.layout.xaxis as { dtick?: number }).dtick, 1);
  assert.equal((spec.layout.shapes as unknown[]).length, 1);
  assert.equal((spec.layout.annotations as { text: string }[])[1].text, "N1 = 3", "marker label after the title");
  const thresholds = lineSpec({ ...meta, series: [{ name: "s", x: [0.11, 0.2], y: [1, 2] }], xLabel: "N2", yLabel: "acc" });
  assert.equal((thresholds.layout.xaxis as { dtick?: number }).dtick, undefined);
  assert.throws(
    () => lineSpec({ ...meta, series: [{ name: "s", x: [1, 2], y: [1] }], xLabel: "x", yLabel: "y" }),
    /series\[0\] \(s\)\.y: has 1 values, expected 2/,
  );
});

test("elbowSpec: SSE against k with the chosen k marked; rejects mismatched lengths", () => {
  const spec = elbowSpec({ ...meta, k: [2, 4, 6], sse: [10, 5, 4], chosenK: 4 });
  assert.deepEqual(spec.data[0].x, [2, 4, 6]);
  assert.deepEqual(spec.data[0].y, [10, 5, 4]);
  assert.equal((spec.layout.shapes as { x0: number }[])[0].x0, 4);
  assert.throws(() => elbowSpec({ ...meta, k: [2, 4], sse: [10] }), /sse: has 1 values, expected 2/);
  assert.throws(
    () => elbowSpec({ ...meta, k: [2, 4], sse: [10, null as unknown as number] }),
    /sse\[1\]: expected a finite number \(got null\)/,
  );
});

test("trainingCurvesSpec: loss and accuracy in two panels, one legend entry per curve name", () => {
  const spec = trainingCurvesSpec({
    ...meta,
    curves: [
      { name: "train", metric: "loss", values: [2, 1, 0.5] },
      { name: "train", metric: "accuracy", values: [0.2, 0.5, 0.7] },
      { name: "val", metric: "loss", values: [2.1, 1.4, 1.2] },
    ],
  });
  assert.deepEqual(
    spec.data.map((d) => [d.xaxis, d.showlegend]),
    [
      ["x", true],
      ["x2", false],
      ["x", true],
    ],
  );
  assert.deepEqual(spec.data[0].x, [1, 2, 3]);
  assert.ok(spec.layout.xaxis2, "second panel");
  const lossOnly = trainingCurvesSpec({ ...meta, curves: [{ name: "train", metric: "loss", values: [1, 0.5] }] });
  assert.equal(lossOnly.layout.xaxis2, undefined);
  assert.throws(
    () => trainingCurvesSpec({ ...meta, curves: [{ name: "t", metric: "acc" as "loss", values: [1] }] }),
    /curves\[0\]\.metric: expected "loss" or "accuracy"/,
  );
});

test("predictionMapSpec: error segments from truth to prediction, panel axes locally equirectangular, median error in the panel title", () => {
  const pairs = [
    { truth: { lat: 40.7, lon: -74.0 }, predicted: { lat: 40.7, lon: -74.0 } },
    { truth: { lat: 40.75, lon: -73.99 }, predicted: { lat: 40.76, lon: -73.97 } },
  ];
  const spec = predictionMapSpec({
    ...meta,
    panels: [
      { title: "New York", pairs },
      { title: "Hong Kong", pairs: [{ truth: { lat: 22.3, lon: 114.17 }, predicted: { lat: 22.28, lon: 114.15 } }] },
    ],
  });
  assert.equal(spec.data.length, 6, "3 traces per panel");
  assert.deepEqual(spec.data[0].x, [-74.0, -74.0, null, -73.99, -73.97, null]);
  assert.equal(spec.data[3].xaxis, "x2");
  const ratio = (spec.layout.yaxis as { scaleratio: number }).scaleratio;
  assert.ok(Math.abs(ratio - 1 / Math.cos((40.7275 * Math.PI) / 180)) < 1e-9);
  const label = (spec.layout.annotations as { text: string }[])[1].text; // [0] is the figure title
  const median = haversineKm(pairs[1].truth, pairs[1].predicted) / 2; // errors 0 and d: median d/2
  assert.ok(label.includes(`<b>New York</b>: 2 posts, 1 exact, median error ${median.toFixed(2)} km`), label);
  assert.throws(
    () => predictionMapSpec({ ...meta, panels: [{ title: "X", pairs: [{ truth: { lat: 95, lon: 0 }, predicted: { lat: 0, lon: 0 } }] }] }),
    /panels\[0\]\.pairs\[0\]\.truth\.lat: expected a latitude in \[-90, 90\] \(got 95\)/,
  );
  assert.throws(
    () => predictionMapSpec({ ...meta, panels: [{ title: "X", pairs: [] }] }),
    /panels\[0\] \(X\)\.pairs: must be a non-empty array/,
  );
});

test("figureJson: metadata with the size filled in, deterministic", () => {
  const spec = groupedBarSpec({ ...meta, categories: ["a"], series: [{ name: "s", values: [1] }], yLabel: "y" });
  const j = JSON.parse(figureJson(spec));
  assert.equal(j.width, 900);
  assert.equal(j.height, 500);
  assert.equal(j.paperFigure, "MRLF paper, Fig. 2");
  assert.equal(figureJson(spec), figureJson(spec));
});
