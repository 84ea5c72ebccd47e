/**
 * Checks what `make notebook` promises a reader, in a real browser: a notebook
 * opened in Jupyter Notebook on the project's tslab kernel draws its figures as
 * interactive plotly charts (hover shows values), with plotly.js loaded from
 * the local package and no request leaving 127.0.0.1.
 *
 *   node dist/scripts/check-interactive.js [screenshot.png]
 *
 * It starts `jupyter notebook` with the same environment as `make notebook`
 * (GEOREPRO_INTERACTIVE=1, the project-local kernelspec), writes a two-cell
 * notebook under dist/interactive-check/, runs it in headless Chromium through
 * the notebook's own UI, and prints what it found. Exit 1 on any failure.
 * test/notebooks/interactive.test.ts runs it in `make test`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { projectRoot, fromRoot } from "../lib/runtime/paths";
import { CHROMIUM, CHROMIUM_FLAGS } from "../lib/figures/browser";
import { envVar } from "../lib/runtime/env";

export const JUPYTER = envVar("GEOREPRO_JUPYTER") ?? "/usr/bin/jupyter";

export interface InteractiveCheck {
  /** Interactive plotly charts found in the page. */
  plots: number;
  /** Hovering the first bar showed a hover label. */
  hover: boolean;
  /** Requests to anything but the local notebook server (should be none). */
  external: string[];
  /** How plotly got to the page: true when window.Plotly exists and no <script src> points at a CDN. */
  plotlyLocal: boolean;
  screenshot: string | null;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });

function checkNotebook(): object {
  const cell = (id: string, source: string) => ({ cell_type: "code", id, metadata: {}, execution_count: null, outputs: [], source });
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
    cells: [
      cell("imports", 'import { figures } from "georepro";'),
      cell(
        "figure",
        'await figures.groupedBar({ name: "interactive-check", title: "Interactive check", paperFigure: null, synthetic: true, dataset: "check", categories: ["A", "B"], series: [{ name: "ours", values: [0.4, 0.7] }], yLabel: "accuracy", yRange: [0, 1] });',
      ),
    ],
  };
}

async function waitFor<T>(what: string, ms: number, probe: () => Promise<T | null>): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => null);
    if (v !== null && v !== undefined) return v;
    if (Date.now() > end) throw new Error(`check-interactive: timed out after ${ms / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

export async function checkInteractive(screenshot: string | null = null): Promise<InteractiveCheck> {
  const dir = fromRoot("dist", "interactive-check");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "check.ipynb"), JSON.stringify(checkNotebook(), null, 1));
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "georepro-interactive-"));
  const port = await freePort();
  const token = `check${process.pid}`;
  const jupyterDir = fromRoot(".jupyter");
  const server: ChildProcess = spawn(
    JUPYTER,
    [
      "notebook",
      "--ip=127.0.0.1",
      `--port=${port}`,
      "--no-browser",
      `--NotebookApp.token=${token}`,
      `--NotebookApp.notebook_dir=${projectRoot}`,
      ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
    ],
    {
      env: {
        ...process.env,
        GEOREPRO_INTERACTIVE: "1",
        GEOREPRO_OUT: out,
        GEOREPRO_SCALE: "tiny",
        GEOREPRO_ROOT: projectRoot,
        JUPYTER_PATH: path.join(jupyterDir, "share", "jupyter"),
        JUPYTER_CONFIG_DIR: path.join(jupyterDir, "config"),
        JUPYTER_DATA_DIR: path.join(jupyterDir, "share", "jupyter"),
        JUPYTER_RUNTIME_DIR: path.join(jupyterDir, "runtime"),
      },
      stdio: ["ignore", "ignore", "pipe"],
      detached: true,
    },
  );
  let serverLog = "";
  server.stderr!.on("data", (b: Buffer) => (serverLog += b.toString()));
  const { chromium } = require("playwright-core") as typeof import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitFor("the notebook server", 60_000, async () => (serverLog.includes(`127.0.0.1:${port}`) ? true : null));
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const external: string[] = [];
    page.on("request", (r) => {
      const u = new URL(r.url());
      if (!["127.0.0.1", "localhost"].includes(u.hostname) && !["data:", "blob:", "about:"].includes(u.protocol)) external.push(r.url());
    });
    await page.goto(`${base}/notebooks/dist/interactive-check/check.ipynb?token=${token}`);
    await waitFor("the tslab kernel", 90_000, () =>
      page.evaluate(() => {
        const J = (globalThis as any).Jupyter;
        return J?.notebook?.kernel?.is_connected?.() ? true : null;
      }),
    );
    await page.evaluate(() => (globalThis as any).Jupyter.notebook.execute_all_cells());
    await waitFor("an interactive plotly chart", 120_000, () =>
      page.evaluate(() => ((globalThis as any).document.querySelectorAll(".georepro-figure .main-svg").length ? true : null)),
    );
    const plots = await page.evaluate(
      () => (globalThis as any).document.querySelectorAll(".georepro-figure.js-plotly-plot").length as number,
    );
    const plotlyLocal = await page.evaluate(() => {
      const w = globalThis as any;
      return (
        typeof w.Plotly?.newPlot === "function" &&
        ![...w.document.querySelectorAll("script[src]")].some((s: any) => /plot\.ly|cdn/i.test(s.src))
      );
    });
    // Move the mouse over the first bar (plotly's drag layer sits on top, so hover by position).
    const box = await page.locator(".georepro-figure .bars path").first().boundingBox();
    if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
    const hover = await waitFor("a hover label", 10_000, () =>
      page.evaluate(() => ((globalThis as any).document.querySelector(".georepro-figure .hoverlayer .hovertext") ? true : null)),
    ).catch(() => false);
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: false });
    return { plots, hover, external, plotlyLocal, screenshot };
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- jupyter notebook log (last lines) ---\n${serverLog.split("\n").slice(-15).join("\n")}`);
  } finally {
    await browser.close();
    try {
      process.kill(-server.pid!, "SIGTERM");
    } catch {
      /* already gone */
    }
    fs.rmSync(out, { recursive: true, force: true });
  }
}

if (require.main === module) {
  checkInteractive(process.argv[2] ?? null).then(
    (r) => {
      process.stderr.write(
        `check-interactive: ${r.plots} interactive chart(s); hover label ${r.hover ? "shown" : "missing"}; plotly from the local package: ${r.plotlyLocal}; external requests: ${r.external.length ? r.external.join(", ") : "none"}${r.screenshot ? `; screenshot ${r.screenshot}` : ""}\n`,
      );
      process.exit(r.plots >= 1 && r.hover && r.plotlyLocal && r.external.length === 0 ? 0 : 1);
    },
    (e) => {
      process.stderr.write(`${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
