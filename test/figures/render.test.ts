/**
 * Rendering in headless chromium: a real PNG of the requested size with real
 * content, SVG bytes identical across renders and across the two browser
 * modes (launched by the process / shared through GEOREPRO_CHROMIUM_WS).
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import sharp from "sharp";
import { groupedBarSpec, lineSpec } from "../../lib/figures/charts";
import { canonicalSvg, renderPng, renderSvg } from "../../lib/figures/render";
import { writeFigure } from "../../lib/figures/output";
import { closeFigureBrowser, startSharedChromium, WS_ENV } from "../../lib/figures/browser";

after(() => closeFigureBrowser());

/** Equality of long strings with a short message (the SVG is tens of kB): the first differing offset and its context. */
function sameText(a: string, b: string, what: string): void {
  if (a === b) return;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  assert.fail(
    `${what}: differ at offset ${i} of ${a.length}/${b.length}: …${JSON.stringify(a.slice(Math.max(0, i - 60), i + 60))} vs …${JSON.stringify(b.slice(Math.max(0, i - 60), i + 60))}`,
  );
}

const BLUE = [0x00, 0x72, 0xb2]; // first palette colour: the "ours" bars
const bars = () =>
  groupedBarSpec({
    name: "t-render",
    title: "Ablation: accuracy per city",
    paperFigure: "MRLF paper, Fig. 2",
    synthetic: true,
    width: 640,
    height: 360,
    categories: ["New York", "Melbourne", "Hong Kong"],
    series: [
      { name: "MRLF", values: [0.8, 0.85, 0.83], errors: [0.02, 0.01, 0.03] },
      { name: "MRLF (paper)", values: [0.828, 0.86, 0.847], kind: "paper" },
    ],
    yLabel: "Accuracy",
    yRange: [0, 1],
  });

test("renderPng: a valid PNG of the requested size, not blank, with the bars drawn in the palette colour", async () => {
  const png = await renderPng(bars());
  const img = sharp(png);
  const m = await img.metadata();
  assert.equal(m.format, "png");
  assert.equal(m.width, 640);
  assert.equal(m.height, 360);
  const stats = await img.stats();
  assert.ok(
    stats.channels.slice(0, 3).every((c) => c.stdev > 20),
    `pixel variance too low: ${stats.channels.map((c) => c.stdev.toFixed(1))}`,
  );
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let blue = 0;
  for (let i = 0; i < data.length; i += info.channels)
    if (Math.abs(data[i] - BLUE[0]) + Math.abs(data[i + 1] - BLUE[1]) + Math.abs(data[i + 2] - BLUE[2]) < 12) blue++;
  const share = blue / (info.width * info.height);
  assert.ok(share > 0.05 && share < 0.5, `bar colour covers ${(share * 100).toFixed(1)}% of the image`);
});

test("renderSvg: same spec → same bytes (plotly's random ids are seeded); different spec → different bytes", async () => {
  const a = await renderSvg(bars());
  await renderSvg(
    lineSpec({
      name: "t-other",
      title: "Other",
      paperFigure: null,
      synthetic: false,
      series: [{ name: "s", x: [1, 2], y: [3, 4] }],
      xLabel: "x",
      yLabel: "y",
    }),
  );
  const b = await renderSvg(bars());
  assert.match(a, /^<svg/);
  assert.match(a, /Ablation: accuracy per city/);
  assert.match(a, /synthetic data/);
  sameText(a, b, "two renders of one spec");
  const c = await renderSvg(
    groupedBarSpec({ ...bars().meta, categories: ["New York"], series: [{ name: "MRLF", values: [0.5] }], yLabel: "Accuracy" }),
  );
  assert.ok(a !== c, "a different spec must give a different SVG");
});

test("the shared browser (GEOREPRO_CHROMIUM_WS) renders the same SVG bytes as a launched one, and writeFigure writes svg/png/json", async () => {
  const launched = await renderSvg(bars());
  const launchedPng = await renderPng(bars());
  await closeFigureBrowser();
  const shared = startSharedChromium();
  process.env[WS_ENV] = shared.wsEndpoint;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "georepro-fig-test-"));
  try {
    sameText(await renderSvg(bars()), launched, "shared vs launched browser");
    const files = await writeFigure(bars(), { outDir: out, display: false });
    sameText(fs.readFileSync(files.svg, "utf8"), launched, "written SVG vs launched render");
    assert.equal((await sharp(files.png).metadata()).width, 640);
    assert.ok(fs.readFileSync(files.png).equals(launchedPng), "PNG bytes differ between the shared and the launched browser");
    assert.equal(JSON.parse(fs.readFileSync(files.json, "utf8")).name, "t-render");
  } finally {
    await closeFigureBrowser();
    delete process.env[WS_ENV];
    shared.stop();
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test("a bad shared endpoint fails with a message naming the variable", async () => {
  process.env[WS_ENV] = "ws://127.0.0.1:9/devtools/browser/none";
  try {
    await assert.rejects(renderSvg(bars()), /GEOREPRO_CHROMIUM_WS=ws:\/\/127\.0\.0\.1:9/);
  } finally {
    delete process.env[WS_ENV];
    await closeFigureBrowser();
  }
});

test("canonicalSvg: sorts attributes within each tag, keeps text and self-closing tags", () => {
  assert.equal(
    canonicalSvg('<svg width="2" class="main"><rect y="1" x="0"/><text style="a" x="1">a &lt; b</text></svg>'),
    '<svg class="main" width="2"><rect x="0" y="1"/><text style="a" x="1">a &lt; b</text></svg>',
  );
  assert.equal(canonicalSvg('<g class="a" id="b">'), canonicalSvg('<g id="b" class="a">'));
});
