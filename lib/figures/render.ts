/**
 * FigureSpec → SVG text / PNG bytes, drawn by plotly.js inside headless Chromium
 * (see browser.ts). Deterministic: the page's Math.random is re-seeded before
 * each render, so the same spec gives the same SVG bytes.
 */
import { withPage } from "./browser";
import { FigureSpec, figureSize, validateMeta } from "./spec";

/** Fixed seed for plotly's ids; any constant works, it only has to be the same every time. */
const RENDER_SEED = 20240601;

export interface RenderOptions {
  /** PNG pixel ratio (default 1: the PNG is exactly width × height). */
  scale?: number;
}

async function toImage(spec: FigureSpec, format: "svg" | "png", scale: number): Promise<string> {
  validateMeta(spec.meta);
  const { width, height } = figureSize(spec.meta);
  const arg = { data: spec.data, layout: { ...spec.layout, width, height }, width, height, format, scale, seed: RENDER_SEED };
  return withPage((page) =>
    page.evaluate(async (a: typeof arg) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- page globals (plotly, the DOM) have no types under tslab
      const g = globalThis as any; // tslab has no DOM types
      g.__georeproSeed(a.seed);
      const fig = { data: a.data, layout: a.layout, config: { staticPlot: true, displayModeBar: false } };
      return (await g.Plotly.toImage(fig, { format: a.format, width: a.width, height: a.height, scale: a.scale })) as string;
    }, arg),
  ).catch((e: Error) => {
    throw new Error(`figure "${spec.meta.name}": rendering ${format} failed: ${e.message.split("\n")[0]}`);
  });
}

const TAG_RE = /<([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"]*")+)\s*(\/?)>/g;
const ATTR_RE = /([\w:.-]+)="([^"]*)"/g;

/**
 * Sort each element's attributes by name. Plotly sets some attributes in a
 * different order on a page's first render than on later ones (same values);
 * attribute order means nothing in XML, so sorting makes the bytes depend on
 * the content only.
 */
export function canonicalSvg(svg: string): string {
  return svg.replace(TAG_RE, (_m, tag: string, attrs: string, selfClose: string) => {
    const pairs = [...attrs.matchAll(ATTR_RE)].map((a) => [a[1], a[2]] as const);
    pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return `<${tag}${pairs.map(([k, v]) => ` ${k}="${v}"`).join("")}${selfClose ? "/" : ""}>`;
  });
}

export async function renderSvg(spec: FigureSpec): Promise<string> {
  const url = await toImage(spec, "svg", 1);
  const comma = url.indexOf(",");
  if (!url.startsWith("data:image/svg+xml") || comma < 0) throw new Error(`figure "${spec.meta.name}": plotly returned no SVG data URL`);
  return canonicalSvg(decodeURIComponent(url.slice(comma + 1)));
}

export async function renderPng(spec: FigureSpec, opts: RenderOptions = {}): Promise<Buffer> {
  const url = await toImage(spec, "png", opts.scale ?? 1);
  const prefix = "data:image/png;base64,";
  if (!url.startsWith(prefix)) throw new Error(`figure "${spec.meta.name}": plotly returned no PNG data URL`);
  return Buffer.from(url.slice(prefix.length), "base64");
}
