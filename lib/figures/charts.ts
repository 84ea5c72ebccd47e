/**
 * Chart builders: plain data in, a FigureSpec (plotly traces + layout) out.
 * Pure and deterministic; nothing here touches a browser or the disk.
 *
 * One builder per kind of paper figure:
 *  - groupedBarSpec   MRLF Fig. 2/3 (Acc or Mean per city and variant), local-words Fig. 5 (P/R/F1 per method)
 *  - lineSpec         MRLF Fig. 4 (with/without low-frequency hashtags), local-words Fig. 6 (accuracy vs N1, vs N2)
 *  - elbowSpec        SSE against k for the word2vec k-means (choice of k)
 *  - trainingCurvesSpec  loss / accuracy per epoch
 *  - predictionMapSpec   predicted vs true POIs with the error drawn as a line (MRLF notebook 02)
 */
import { haversineKm, type LatLon } from "../geo/distance";
import { median as medianOf } from "../metrics/weighted";
import type { Outline } from "../geo/outlines";
import { FigureMeta, FigureSpec, PlotlyObject, validateMeta } from "./spec";
import { axis, baseLayout, colorAt, integerTicks, PAPER_COLOR } from "./style";

/** One series; `kind: "paper"` marks published values (drawn grey / hatched / dashed). */
export interface BarSeries {
  name: string;
  values: (number | null)[];
  /** Half-width of an error bar per category (e.g. sd over seeds); null for none. */
  errors?: (number | null)[];
  kind?: "ours" | "paper";
}

export interface GroupedBarOptions extends FigureMeta {
  categories: string[];
  series: BarSeries[];
  yLabel: string;
  xLabel?: string;
  /** Fixed y range, e.g. [0, 1] for accuracies. */
  yRange?: [number, number];
  /** Print each bar's value on it with this many decimals (omit for none). */
  valueDigits?: number;
}

export interface LineSeries {
  name: string;
  x: (number | string)[];
  y: (number | null)[];
  errors?: (number | null)[];
  kind?: "ours" | "paper";
}

export interface LineOptions extends FigureMeta {
  series: LineSeries[];
  xLabel: string;
  yLabel: string;
  xType?: "linear" | "log" | "category";
  /** A log y axis (growth over orders of magnitude, e.g. bench/localwords-scale.ts). */
  yType?: "linear" | "log";
  yRange?: [number, number];
  /** Vertical dashed markers, e.g. the paper's chosen threshold. */
  markers?: { x: number | string; label: string }[];
}

export interface ElbowOptions extends FigureMeta {
  k: number[];
  sse: number[];
  /** The k that was chosen (drawn as a marker). */
  chosenK?: number;
  xLabel?: string;
}

export interface Curve {
  /** e.g. "train", "validation", "MRLF seed 1". */
  name: string;
  metric: "loss" | "accuracy";
  /** One value per epoch (epoch 1 first). */
  values: number[];
}

export interface TrainingCurvesOptions extends FigureMeta {
  curves: Curve[];
}

export interface PredictionPair {
  truth: LatLon;
  predicted: LatLon;
}

export interface MapPanel {
  /** e.g. "New York". */
  title: string;
  pairs: PredictionPair[];
  /** Coastlines and land borders to draw under the points (lib/geo/outlines.ts); figures.predictionMap fills them in. */
  outlines?: { coast: Outline; borders: Outline };
}

export interface PredictionMapOptions extends FigureMeta {
  panels: MapPanel[];
}

// ---- validation helpers (errors name the figure, the field and the index) --------------

const where = (m: FigureMeta, field: string): string => `figure "${m.name}": ${field}`;

function checkNumbers(m: FigureMeta, field: string, xs: readonly (number | null)[], length?: number, allowNull = true): void {
  if (!Array.isArray(xs)) throw new Error(`${where(m, field)}: expected an array`);
  if (length !== undefined && xs.length !== length)
    throw new Error(`${where(m, field)}: has ${xs.length} values, expected ${length} (one per category/x)`);
  xs.forEach((v, i) => {
    if (v === null && allowNull) return;
    if (typeof v !== "number" || !Number.isFinite(v))
      throw new Error(`${where(m, `${field}[${i}]`)}: expected a finite number${allowNull ? " or null" : ""} (got ${v})`);
  });
}

function checkNonEmpty(m: FigureMeta, field: string, xs: readonly unknown[]): void {
  if (!Array.isArray(xs) || xs.length === 0) throw new Error(`${where(m, field)}: must be a non-empty array`);
}

const errorBar = (errors: (number | null)[] | undefined): PlotlyObject | undefined =>
  errors ? { type: "data", array: errors.map((e) => e ?? 0), visible: true, thickness: 1.2, width: 4, color: "#333" } : undefined;

const metaOf = <T extends FigureMeta>(o: T): FigureMeta => ({
  name: o.name,
  title: o.title,
  paperFigure: o.paperFigure,
  synthetic: o.synthetic,
  ...(o.mixed ? { mixed: true } : {}),
  dataset: o.dataset,
  notes: o.notes,
  width: o.width,
  height: o.height,
});

// ---- builders ----------------------------------------------------------------------------

export function groupedBarSpec(o: GroupedBarOptions): FigureSpec {
  const meta = metaOf(o);
  validateMeta(meta);
  checkNonEmpty(meta, "categories", o.categories);
  checkNonEmpty(meta, "series", o.series);
  let ours = 0;
  const data = o.series.map((s, i) => {
    checkNumbers(meta, `series[${i}] (${s.name}).values`, s.values, o.categories.length);
    if (s.errors) checkNumbers(meta, `series[${i}] (${s.name}).errors`, s.errors, o.categories.length);
    const paper = s.kind === "paper";
    const color = paper ? PAPER_COLOR : colorAt(ours++);
    const trace: PlotlyObject = {
      type: "bar",
      name: s.name,
      x: o.categories,
      y: s.values,
      marker: {
        color,
        line: { color: "#333", width: 0.6 },
        ...(paper ? { pattern: { shape: "/", fillmode: "overlay", fgcolor: "#ffffff", size: 7, solidity: 0.25 } } : {}),
      },
    };
    const eb = errorBar(s.errors);
    if (eb) trace.error_y = eb;
    if (o.valueDigits !== undefined) {
      trace.text = s.values.map((v) => (v === null ? "" : v.toFixed(o.valueDigits)));
      trace.textposition = "outside";
      trace.cliponaxis = false;
      trace.textfont = { size: 10 };
    }
    return trace;
  });
  const layout = baseLayout(meta, {
    barmode: "group",
    bargap: 0.22,
    bargroupgap: 0.05,
    xaxis: axis(o.xLabel ?? ""),
    yaxis: axis(o.yLabel, o.yRange ? { range: o.yRange } : { rangemode: "tozero" }),
  });
  return { meta, data, layout };
}

export function lineSpec(o: LineOptions): FigureSpec {
  const meta = metaOf(o);
  validateMeta(meta);
  checkNonEmpty(meta, "series", o.series);
  let ours = 0;
  const data = o.series.map((s, i) => {
    checkNonEmpty(meta, `series[${i}] (${s.name}).x`, s.x);
    checkNumbers(meta, `series[${i}] (${s.name}).y`, s.y, s.x.length);
    if (s.errors) checkNumbers(meta, `series[${i}] (${s.name}).errors`, s.errors, s.x.length);
    const paper = s.kind === "paper";
    const color = paper ? PAPER_COLOR : colorAt(ours++);
    const trace: PlotlyObject = {
      type: "scatter",
      mode: "lines+markers",
      name: s.name,
      x: s.x,
      y: s.y,
      line: { color, width: 2, dash: paper ? "dash" : "solid" },
      marker: { color, size: 7, symbol: paper ? "square-open" : "circle" },
    };
    const eb = errorBar(s.errors);
    if (eb) trace.error_y = eb;
    return trace;
  });
  const shapes = (o.markers ?? []).map((mk) => ({
    type: "line",
    xref: "x",
    yref: "paper",
    x0: mk.x,
    x1: mk.x,
    y0: 0,
    y1: 1,
    line: { color: "#555", width: 1, dash: "dot" },
  }));
  const annotations = (o.markers ?? []).map((mk) => ({
    x: mk.x,
    y: 1,
    xref: "x",
    yref: "paper",
    text: mk.label,
    showarrow: false,
    yanchor: "bottom",
    font: { size: 11, color: "#555" },
  }));
  const layout = baseLayout(meta, {
    xaxis: axis(o.xLabel, o.xType ? { type: o.xType } : integerTicks(o.series.flatMap((s) => s.x))),
    yaxis: axis(o.yLabel, { ...(o.yRange ? { range: o.yRange } : {}), ...(o.yType ? { type: o.yType } : {}) }),
    shapes,
    annotations,
  });
  return { meta, data, layout };
}

/** SSE against k; the chosen k gets a dotted marker. */
export function elbowSpec(o: ElbowOptions): FigureSpec {
  const meta = metaOf(o);
  validateMeta(meta);
  checkNonEmpty(meta, "k", o.k);
  checkNumbers(meta, "k", o.k, undefined, false);
  checkNumbers(meta, "sse", o.sse, o.k.length, false);
  return lineSpec({
    ...meta,
    series: [{ name: "SSE", x: o.k, y: o.sse }],
    xLabel: o.xLabel ?? "number of clusters k",
    yLabel: "sum of squared errors (SSE)",
    markers: o.chosenK !== undefined ? [{ x: o.chosenK, label: `chosen k = ${o.chosenK}` }] : [],
  });
}

/** Loss (left) and accuracy (right) per epoch; a panel is dropped when no curve has that metric. */
export function trainingCurvesSpec(o: TrainingCurvesOptions): FigureSpec {
  const meta = metaOf(o);
  validateMeta(meta);
  checkNonEmpty(meta, "curves", o.curves);
  o.curves.forEach((c, i) => {
    if (c.metric !== "loss" && c.metric !== "accuracy")
      throw new Error(`${where(meta, `curves[${i}].metric`)}: expected "loss" or "accuracy" (got ${JSON.stringify(c.metric)})`);
    checkNonEmpty(meta, `curves[${i}] (${c.name}).values`, c.values);
    checkNumbers(meta, `curves[${i}] (${c.name}).values`, c.values, undefined, false);
  });
  const metrics = (["loss", "accuracy"] as const).filter((m) => o.curves.some((c) => c.metric === m));
  const names = [...new Set(o.curves.map((c) => c.name))];
  const shown = new Set<string>();
  const data = o.curves.map((c) => {
    const panel = metrics.indexOf(c.metric);
    const showlegend = !shown.has(c.name); // colour = curve name, panel = metric: one legend entry per name
    shown.add(c.name);
    const color = colorAt(names.indexOf(c.name));
    return {
      type: "scatter",
      mode: c.values.length > 30 ? "lines" : "lines+markers",
      name: c.name,
      legendgroup: c.name,
      showlegend,
      x: c.values.map((_, e) => e + 1),
      y: c.values,
      xaxis: panel === 0 ? "x" : "x2",
      yaxis: panel === 0 ? "y" : "y2",
      line: { color, width: 2 },
      marker: { color, size: 5 },
    };
  });
  const two = metrics.length === 2;
  const epochTicks = integerTicks(o.curves.flatMap((c) => c.values.map((_, e) => e + 1)));
  const layout = baseLayout(meta, {
    xaxis: axis("epoch", { domain: two ? [0, 0.45] : [0, 1], anchor: "y", ...epochTicks }),
    yaxis: axis(metrics[0], { anchor: "x" }),
    ...(two
      ? { xaxis2: axis("epoch", { domain: [0.55, 1], anchor: "y2", ...epochTicks }), yaxis2: axis(metrics[1], { anchor: "x2" }) }
      : {}),
  });
  return { meta, data, layout };
}

/** [minLon, minLat, maxLon, maxLat] of a panel's points, padded by 15 % (at least 0.01°) on each side. */
export function panelBox(pairs: readonly PredictionPair[]): [number, number, number, number] {
  const lons = pairs.flatMap((q) => [q.truth.lon, q.predicted.lon]);
  const lats = pairs.flatMap((q) => [q.truth.lat, q.predicted.lat]);
  const [a, b, c, d] = [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
  const px = Math.max(0.01, 0.15 * (c - a));
  const py = Math.max(0.01, 0.15 * (d - b));
  return [a - px, b - py, c + px, d + py];
}

/**
 * Predicted vs true POIs, one panel per city, each error drawn as a line from the
 * true location to the predicted one. Panels are plain lon/lat axes with the
 * latitude axis scaled by 1/cos(mean latitude) (a local equirectangular
 * projection): at city scale that is accurate to well under 1 %, and it needs
 * no map tiles or plotly geo topojson (which would be fetched from a CDN).
 */
export function predictionMapSpec(o: PredictionMapOptions): FigureSpec {
  const meta = metaOf(o);
  validateMeta(meta);
  checkNonEmpty(meta, "panels", o.panels);
  const n = o.panels.length;
  const gap = 0.06;
  const w = (1 - gap * (n - 1)) / n;
  const data: PlotlyObject[] = [];
  const layoutExtra: PlotlyObject = {};
  const annotations: PlotlyObject[] = [];
  o.panels.forEach((p, i) => {
    checkNonEmpty(meta, `panels[${i}] (${p.title}).pairs`, p.pairs);
    p.pairs.forEach((pair, j) => {
      for (const side of ["truth", "predicted"] as const) {
        const ll = pair?.[side];
        const f = `panels[${i}].pairs[${j}].${side}`;
        if (!ll || typeof ll.lat !== "number" || !Number.isFinite(ll.lat) || Math.abs(ll.lat) > 90)
          throw new Error(`${where(meta, `${f}.lat`)}: expected a latitude in [-90, 90] (got ${ll?.lat})`);
        if (typeof ll.lon !== "number" || !Number.isFinite(ll.lon) || Math.abs(ll.lon) > 180)
          throw new Error(`${where(meta, `${f}.lon`)}: expected a longitude in [-180, 180] (got ${ll.lon})`);
      }
    });
    const sfx = i === 0 ? "" : String(i + 1);
    const xa = `x${sfx}`;
    const ya = `y${sfx}`;
    const errorsKm = p.pairs.map((q) => haversineKm(q.truth, q.predicted));
    const median = errorsKm.length ? medianOf(errorsKm) : NaN;
    const exact = errorsKm.filter((d) => d < 1e-9).length;
    const lineX: (number | null)[] = [];
    const lineY: (number | null)[] = [];
    for (const q of p.pairs) (lineX.push(q.truth.lon, q.predicted.lon, null), lineY.push(q.truth.lat, q.predicted.lat, null));
    const first = i === 0;
    if (p.outlines)
      data.push(
        {
          type: "scatter",
          mode: "lines",
          name: "coastline (Natural Earth 1:10m)",
          legendgroup: "coast",
          showlegend: first,
          x: p.outlines.coast.lon,
          y: p.outlines.coast.lat,
          xaxis: xa,
          yaxis: ya,
          line: { color: "#7a9cc6", width: 1.2 },
          hoverinfo: "skip",
        },
        {
          type: "scatter",
          mode: "lines",
          name: "land border",
          legendgroup: "border",
          showlegend: first && p.outlines.borders.lon.length > 0,
          x: p.outlines.borders.lon,
          y: p.outlines.borders.lat,
          xaxis: xa,
          yaxis: ya,
          line: { color: "#999999", width: 1, dash: "dot" },
          hoverinfo: "skip",
        },
      );
    data.push(
      {
        type: "scatter",
        mode: "lines",
        name: "error (true → predicted)",
        legendgroup: "err",
        showlegend: first,
        x: lineX,
        y: lineY,
        xaxis: xa,
        yaxis: ya,
        line: { color: "#D55E00", width: 1 },
        opacity: 0.7,
        hoverinfo: "skip",
      },
      {
        type: "scatter",
        mode: "markers",
        name: "true POI",
        legendgroup: "truth",
        showlegend: first,
        x: p.pairs.map((q) => q.truth.lon),
        y: p.pairs.map((q) => q.truth.lat),
        xaxis: xa,
        yaxis: ya,
        marker: { color: "#0072B2", size: 7, symbol: "circle" },
      },
      {
        type: "scatter",
        mode: "markers",
        name: "predicted POI",
        legendgroup: "pred",
        showlegend: first,
        x: p.pairs.map((q) => q.predicted.lon),
        y: p.pairs.map((q) => q.predicted.lat),
        xaxis: xa,
        yaxis: ya,
        marker: { color: "#E69F00", size: 8, symbol: "x-thin", line: { width: 2, color: "#E69F00" } },
      },
    );
    const meanLat = p.pairs.reduce((a, q) => a + q.truth.lat + q.predicted.lat, 0) / (2 * p.pairs.length);
    const x0 = i * (w + gap);
    // With outlines drawn, fix the view to the points (outline segments run past it).
    const box = panelBox(p.pairs);
    const ranges = p.outlines ? { x: { range: [box[0], box[2]] }, y: { range: [box[1], box[3]] } } : { x: {}, y: {} };
    layoutExtra[`xaxis${sfx}`] = axis("longitude", { domain: [x0, x0 + w], anchor: ya, gridcolor: "#eeeeee", ...ranges.x });
    layoutExtra[`yaxis${sfx}`] = axis(first ? "latitude" : "", {
      anchor: xa,
      scaleanchor: xa,
      scaleratio: 1 / Math.cos((meanLat * Math.PI) / 180),
      gridcolor: "#eeeeee",
      ...ranges.y,
    });
    annotations.push({
      text: `<b>${p.title}</b>: ${p.pairs.length} post${p.pairs.length === 1 ? "" : "s"}, ${exact} exact, median error ${median.toFixed(2)} km`,
      x: x0 + w / 2,
      y: 1.0,
      xref: "paper",
      yref: "paper",
      xanchor: "center",
      yanchor: "bottom",
      showarrow: false,
      font: { size: 12 },
    });
  });
  const layout = baseLayout(meta, { ...layoutExtra, annotations }, 34); // title padded above the panel titles
  return { meta, data, layout };
}

// ---- forest plot -------------------------------------------------------------------------

export interface ForestRow {
  /** Row label, e.g. "MRLF beats every baseline (Acc) · New York". */
  label: string;
  /** Effect and its CI, in the panel's units. */
  estimate: number;
  lo: number;
  hi: number;
  /** Colour group, e.g. the verdict. */
  group: string;
  /** The paper's own effect, drawn as a hollow diamond (null: none printed). */
  paper?: number | null;
}

export interface ForestPanel {
  /** Axis title, e.g. "difference in accuracy points (positive = the paper's direction)". */
  xLabel: string;
  rows: ForestRow[];
}

export interface ForestOptions extends FigureMeta {
  /** Panels stacked top to bottom (e.g. one per unit); empty panels are dropped. */
  panels: ForestPanel[];
  /** Colour per group (e.g. per verdict), in legend order. */
  groups: { name: string; color: string }[];
}

/**
 * A forest plot: one row per effect with its CI as a horizontal bar, a zero
 * line, the paper's own effect as a hollow diamond, a colour per group.
 * Panels share the width and stack vertically with heights proportional to
 * their rows.
 */
export function forestSpec(o: ForestOptions): FigureSpec {
  const meta = metaOf(o);
  validateMeta(meta);
  const panels = o.panels.filter((p) => p.rows.length > 0);
  checkNonEmpty(meta, "panels (with rows)", panels);
  const color = new Map(o.groups.map((g) => [g.name, g.color]));
  panels.forEach((p, i) =>
    p.rows.forEach((r, j) => {
      const f = `panels[${i}].rows[${j}] (${r.label})`;
      checkNumbers(meta, f, [r.estimate, r.lo, r.hi], 3, false);
      if (!(r.lo <= r.estimate && r.estimate <= r.hi))
        throw new Error(`${where(meta, f)}: estimate ${r.estimate} is outside its interval [${r.lo}, ${r.hi}]`);
      if (!color.has(r.group))
        throw new Error(`${where(meta, `${f}.group`)}: "${r.group}" is not one of the groups ${[...color.keys()].join(", ")}`);
    }),
  );
  const total = panels.reduce((s, p) => s + p.rows.length, 0);
  const gap = 0.08;
  const usable = 1 - gap * (panels.length - 1);
  const data: PlotlyObject[] = [];
  const layoutExtra: PlotlyObject = {};
  const shapes: PlotlyObject[] = [];
  const shown = new Set<string>();
  let top = 1;
  panels.forEach((p, i) => {
    const sfx = i === 0 ? "" : String(i + 1);
    const h = (usable * p.rows.length) / total;
    const domain = [Math.max(0, top - h), top];
    top -= h + gap;
    for (const g of o.groups) {
      const rows = p.rows.filter((r) => r.group === g.name);
      if (!rows.length) continue;
      data.push({
        type: "scatter",
        mode: "markers",
        name: g.name,
        legendgroup: g.name,
        showlegend: !shown.has(g.name),
        x: rows.map((r) => r.estimate),
        y: rows.map((r) => r.label),
        xaxis: `x${sfx}`,
        yaxis: `y${sfx}`,
        marker: { color: g.color, size: 8, symbol: "square" },
        error_x: {
          type: "data",
          symmetric: false,
          array: rows.map((r) => r.hi - r.estimate),
          arrayminus: rows.map((r) => r.estimate - r.lo),
          color: g.color,
          thickness: 2,
          width: 3,
        },
      });
      shown.add(g.name);
    }
    const withPaper = p.rows.filter((r) => typeof r.paper === "number");
    if (withPaper.length) {
      data.push({
        type: "scatter",
        mode: "markers",
        name: "paper's own Δ",
        legendgroup: "paper",
        showlegend: !shown.has("paper"),
        x: withPaper.map((r) => r.paper),
        y: withPaper.map((r) => r.label),
        xaxis: `x${sfx}`,
        yaxis: `y${sfx}`,
        marker: { color: PAPER_COLOR, size: 9, symbol: "diamond-open", line: { width: 2 } },
      });
      shown.add("paper");
    }
    layoutExtra[`xaxis${sfx}`] = axis(p.xLabel, { anchor: `y${sfx}`, zeroline: true, zerolinecolor: "#222", zerolinewidth: 1.5 });
    layoutExtra[`yaxis${sfx}`] = axis("", {
      anchor: `x${sfx}`,
      domain,
      type: "category",
      autorange: "reversed",
      categoryorder: "array",
      categoryarray: p.rows.map((r) => r.label),
      showgrid: true,
      tickfont: { size: 11 },
    });
  });
  const layout = baseLayout(meta, { ...layoutExtra, shapes });
  layout.margin = { ...(layout.margin as PlotlyObject), l: 430 }; // room for the row labels
  return { meta, data, layout };
}
