/**
 * Headless Chromium for rendering plotly figures — one browser per run.
 *
 * - `make reproduce` (scripts/run-notebooks.ts) calls `startSharedChromium()`
 *   once: Debian's /usr/bin/chromium with a remote-debugging endpoint and a
 *   fresh --user-data-dir; its ws:// address reaches every notebook kernel in
 *   GEOREPRO_CHROMIUM_WS, and figure rendering connects to it over CDP.
 * - A notebook or test run alone (no GEOREPRO_CHROMIUM_WS) launches its own
 *   through playwright-core and closes it after IDLE_MS without a render (or
 *   at `closeFigureBrowser()`), so scripts and tests can exit.
 *
 * Nothing is downloaded: playwright-core never fetches a browser here, and the
 * rendering page aborts every network request (plotly is inlined from
 * node_modules).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { envVar } from "../runtime/env";

export const CHROMIUM = envVar("GEOREPRO_CHROMIUM") ?? "/usr/bin/chromium";
export const WS_ENV = "GEOREPRO_CHROMIUM_WS";

/** Flags measured to work in containers (see shared notes, "plotly.js"). */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-breakpad",
  "--disable-crash-reporter",
  "--hide-scrollbars",
  "--font-render-hinting=none",
  // As playwright's own launch does: sRGB output and no background throttling, so the
  // shared browser (started without playwright) renders exactly like a launched one.
  "--force-color-profile=srgb",
  "--disable-renderer-backgrounding",
  "--disable-background-timer-throttling",
  "--disable-backgrounding-occluded-windows",
];

const IDLE_MS = 15_000;

function checkChromium(): void {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`figures: ${CHROMIUM} not found; run \`make apt\` (installs Debian's chromium) or set GEOREPRO_CHROMIUM`);
}

// ---- the shared browser for a whole run -------------------------------------------------

export interface SharedChromium {
  wsEndpoint: string;
  pid: number;
  /** Kill the browser (its process group) and remove its profile folder. */
  stop(): void;
}

const sleepSync = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/**
 * Start one chromium with a DevTools endpoint on 127.0.0.1 (random port) and wait
 * (synchronously, up to `timeoutMs`) for its ws:// address. Synchronous so that a
 * caller running notebooks with spawnSync can use it.
 */
export function startSharedChromium(timeoutMs = 30_000): SharedChromium {
  checkChromium();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "georepro-chromium-"));
  const child = spawn(
    CHROMIUM,
    [...CHROMIUM_FLAGS, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", `--user-data-dir=${profile}`, "about:blank"],
    {
      detached: true, // own process group, so stop() ends the browser and its helpers together
      stdio: "ignore",
    },
  );
  child.unref();
  const pid = child.pid;
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    if (pid !== undefined) {
      try {
        process.kill(-pid, "SIGTERM");
      } catch {
        /* already gone */
      }
    }
    for (let i = 0; i < 20 && pid !== undefined && alive(pid); i++) sleepSync(100);
    fs.rmSync(profile, { recursive: true, force: true });
  };
  if (pid === undefined) throw new Error(`figures: could not start ${CHROMIUM}`);
  const portFile = path.join(profile, "DevToolsActivePort");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fs.existsSync(portFile)) {
      const [port, wsPath] = fs.readFileSync(portFile, "utf8").split("\n");
      if (port && wsPath) return { wsEndpoint: `ws://127.0.0.1:${port.trim()}${wsPath.trim()}`, pid, stop };
    }
    if (!alive(pid)) break;
    sleepSync(50);
  }
  stop();
  throw new Error(
    `figures: ${CHROMIUM} did not open its DevTools endpoint within ${timeoutMs / 1000}s (is it installed and runnable? try \`${CHROMIUM} --headless --no-sandbox --dump-dom about:blank\`)`,
  );
}

/** Running (a zombie — exited, not yet reaped because we never wait on it — counts as gone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

// ---- the rendering page ------------------------------------------------------------------

/**
 * Plotly draws random ids (trace uids, clip-path ids) with Math.random. The page's
 * Math.random is replaced, before plotly loads, by a seeded mulberry32 that is
 * re-seeded before every render, so a figure's SVG bytes depend only on its spec.
 */
const SEEDED_RANDOM = `(() => {
  let s = 1;
  const next = () => { s = (s + 0x6D2B79F5) | 0; let t = Math.imul(s ^ (s >>> 15), 1 | s); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  Math.random = next;
  window.__georeproSeed = (seed) => { s = seed | 0; };
})();`;

/* Minimal structural types for the parts of playwright-core we use (keeps its types out of tslab's way). */
interface PwPage {
  route(url: string, handler: (route: { abort(): Promise<void> }) => unknown): Promise<void>;
  setContent(html: string): Promise<void>;
  addScriptTag(o: { path?: string; content?: string }): Promise<unknown>;
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
}
interface PwContext {
  newPage(): Promise<PwPage>;
  pages(): PwPage[];
  close(): Promise<void>;
}
interface PwBrowser {
  contexts(): PwContext[];
  newContext(o?: Record<string, unknown>): Promise<PwContext>;
  close(): Promise<void>;
}

interface Session {
  browser: PwBrowser;
  context: PwContext;
  page: PwPage;
  shared: boolean;
}

let session: Promise<Session> | null = null;
let idleTimer: NodeJS.Timeout | null = null;
let queue: Promise<unknown> = Promise.resolve();

function plotlyPath(): string {
  return require.resolve("plotly.js-dist-min/plotly.min.js");
}

/** Load plotly into a fresh page: seeded Math.random first, then plotly inlined from node_modules. */
async function preparePage(page: PwPage): Promise<void> {
  await page.setContent(
    '<!doctype html><html><head><meta charset="utf-8"><title>georepro-figures</title></head><body style="margin:0"></body></html>',
  );
  await page.addScriptTag({ content: SEEDED_RANDOM });
  await page.addScriptTag({ path: plotlyPath() }); // seconds: plotly.js evaluates 3.6 MB at load
}

/** Who holds a shared figure page: notebooks of one run may execute in parallel. */
const OWNER = `pid-${process.pid}-${process.hrtime.bigint()}`;

/**
 * Claim a prepared figure page of the shared browser. The check-and-set runs
 * inside the page (single-threaded JS), so two notebooks executing in parallel
 * never render on the same page; a page held by another notebook is skipped.
 */
const claimFigurePage = (page: PwPage): Promise<boolean> =>
  page
    .evaluate((owner: string) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- page globals (plotly, the DOM) have no types under tslab
      const g = globalThis as any;
      if (typeof g.Plotly !== "object" || typeof g.__georeproSeed !== "function") return false;
      if (g.__georeproOwner && g.__georeproOwner !== owner) return false;
      g.__georeproOwner = owner;
      return true;
    }, OWNER)
    .catch(() => false);

const releaseFigurePage = (page: PwPage): Promise<unknown> =>
  page
    .evaluate((owner: string) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- page globals (plotly, the DOM) have no types under tslab
      const g = globalThis as any;
      if (g.__georeproOwner === owner) g.__georeproOwner = null;
    }, OWNER)
    .catch(() => undefined);

async function openSession(): Promise<Session> {
  const { chromium } = require("playwright-core") as {
    chromium: { launch(o: Record<string, unknown>): Promise<PwBrowser>; connectOverCDP(ws: string): Promise<PwBrowser> };
  };
  const ws = envVar(WS_ENV);
  if (ws) {
    // Shared browser: reuse the page an earlier notebook of this run prepared (it
    // stays in the default context after that notebook disconnected), so plotly
    // loads once per run rather than once per notebook.
    let browser: PwBrowser;
    try {
      browser = await chromium.connectOverCDP(ws);
    } catch (e) {
      throw new Error(
        `figures: cannot connect to the shared chromium at ${WS_ENV}=${ws} (${(e as Error).message.split("\n")[0]}); unset ${WS_ENV} to launch one`,
      );
    }
    const context = browser.contexts()[0] ?? (await browser.newContext());
    let page: PwPage | undefined;
    for (const p of context.pages())
      if (await claimFigurePage(p)) {
        page = p;
        break;
      }
    if (!page) {
      page = await context.newPage();
      await page.route("**/*", (route) => route.abort());
      await preparePage(page);
      await claimFigurePage(page);
    } else await page.route("**/*", (route) => route.abort());
    return { browser, context, page, shared: true };
  }
  checkChromium();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 1024 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.route("**/*", (route) => route.abort()); // offline by construction
  await preparePage(page);
  return { browser, context, page, shared: false };
}

/** Close the page (and the browser, when this process launched it). Safe to call twice. */
export async function closeFigureBrowser(): Promise<void> {
  if (idleTimer) (clearTimeout(idleTimer), (idleTimer = null));
  const s = session;
  session = null;
  if (!s) return;
  try {
    const open = await s;
    if (!open.shared) await open.context.close().catch(() => undefined);
    else await releaseFigurePage(open.page); // the shared page stays for the next notebook
    await open.browser.close().catch(() => undefined); // over CDP this only disconnects
  } catch {
    /* the session never opened; nothing to close */
  }
}

/**
 * Run `fn` with the rendering page, one call at a time (renders must not
 * interleave: they share the seeded Math.random).
 */
export function withPage<T>(fn: (page: PwPage) => Promise<T>): Promise<T> {
  const run = async (): Promise<T> => {
    if (idleTimer) (clearTimeout(idleTimer), (idleTimer = null));
    if (!session) session = openSession();
    let s: Session;
    try {
      s = await session;
    } catch (e) {
      session = null;
      throw e;
    }
    try {
      return await fn(s.page);
    } finally {
      idleTimer = setTimeout(() => void closeFigureBrowser(), IDLE_MS);
    }
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}
