/**
 * Local words at the papers' size: time and peak memory of every stage of the
 * pipeline on synthetic microblog users (lib/data/synthetic/microblog.ts, the
 * "paper" spec — 50 states × 8 cities, communities scaled with the users) at
 * 1k, 10k, 100k and 235,120 users, one seeded 80/20 split at state level (the
 * label-dependent stages also at city level), and each stage's growth exponent
 * (the slope of log time against log users, least squares over the sizes).
 *
 *   node --expose-gc dist/bench/localwords-scale.js [sizes=1000,10000,100000,235120] [--svg FILE]
 *
 * Peak memory is the process's resident high-water mark during the stage (Linux
 * VmHWM, reset before each stage through /proc/self/clear_refs), printed beside
 * the resident size when the stage started: the difference is what the stage added.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import { stream } from "../lib/runtime/rng";
import { generateMicroblog, MICROBLOG_SCALES, type MicroblogScaleSpec } from "../lib/data/synthetic/microblog";
import * as lw from "../lib/localwords";
import { lineSpec } from "../lib/figures/charts";
import { renderSvg } from "../lib/figures/render";
import { closeFigureBrowser } from "../lib/figures/browser";

interface StageTime {
  stage: string;
  seconds: number;
  /** CPU time of the process (all its threads) during the stage. */
  cpu: number;
  startMb: number;
  peakMb: number;
  note: string;
}

const gc = (globalThis as { gc?: () => void }).gc;

function rssMb(): number {
  return process.memoryUsage().rss / 2 ** 20;
}

function resetPeak(): boolean {
  try {
    fs.writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

function peakMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync("/proc/self/status", "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** The paper spec at `users` users: same states, cities and events; communities in proportion. */
export function scaledSpec(users: number): MicroblogScaleSpec {
  const p = MICROBLOG_SCALES.paper;
  return { ...p, users, communities: Math.max(4, Math.round((p.communities! * users) / p.users)) };
}

export function timeStage<T>(out: StageTime[], stage: string, fn: () => T, note: (r: T) => string = () => ""): T {
  gc?.();
  resetPeak();
  const start = rssMb();
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const r = fn();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  const row = { stage, seconds, cpu: (c.user + c.system) / 1e6, startMb: start, peakMb: peakMb(), note: note(r) };
  out.push(row);
  process.stderr.write(
    `  ${stage.padEnd(24)} ${seconds.toFixed(2).padStart(8)} s (cpu ${row.cpu.toFixed(2)} s)  rss ${start.toFixed(0)} → peak ${row.peakMb.toFixed(0)} MB  ${row.note}\n`,
  );
  return r;
}

async function atSize(users: number, seed: number, levels: readonly ("state" | "city")[]): Promise<StageTime[]> {
  const out: StageTime[] = [];
  const spec = scaledSpec(users);
  process.stderr.write(`\n${users} users (${spec.communities} communities), load ${os.loadavg()[0].toFixed(2)}\n`);
  const g = timeStage(
    out,
    "generate",
    () => generateMicroblog(seed, spec),
    (g) => `${g.users.reduce((s, u) => s + u.tweets.length, 0)} tweets`,
  );
  const pre = timeStage(
    out,
    "text processing",
    () => lw.preprocessTweets(g.users),
    (p) => `${p.report.tokens} tokens`,
  );
  const bags = timeStage(out, "bags", () => pre.users.map((s, i) => ({ ...lw.toBag(s), label: g.users[i].state })));
  const corpus: lw.TextCorpus = {
    id: "synthetic-microblog",
    fingerprint: "bench",
    hasText: true,
    users: bags,
    report: pre.report,
    notes: [],
  };
  const w2v = lw.scaleSettings("paper").w2v;
  const tc = timeStage(
    out,
    "word2vec: ids",
    () => lw.corpusTokens(corpus, seed, 3),
    (t) => `${t.tokens.length} tokens, ${t.words.length} words`,
  );
  let vectors: lw.WordVectors | null = null;
  for (const threads of [1, 2] as const)
    vectors = timeStage(
      out,
      `word2vec (${threads} thread${threads > 1 ? "s" : ""})`,
      () => lw.trainWord2VecTokens(tc, stream(seed, "bench/word2vec"), { ...w2v, threads }),
      (v) => `${v.words.length} words × ${v.dim}, ${((tc.tokens.length * w2v.epochs!) / 1e6).toFixed(1)}M words`,
    );
  for (const level of levels) {
    const labelled = bags.map((b, i) => ({ ...b, label: g.users[i][level] }));
    const sp = lw.splitPerLocation(
      labelled.map((u) => u.label),
      stream(seed, "bench/split"),
      0.2,
    );
    const ix = timeStage(out, `${level}: users index`, () => lw.indexUsers(labelled, { shared: true }));
    const split = timeStage(
      out,
      `${level}: split at N1`,
      () => lw.splitCorpora(ix, Int32Array.from(sp.train), Int32Array.from(sp.test), 3),
      (x) => `${x.train.vocab.length} words, ${x.train.labels.length} labels, ${x.train.docs.length}/${x.test.docs.length} users`,
    );
    const V = split.train.vocab.length;
    const L = split.train.labels.length;
    const docs = split.train.docs;
    const all = Array.from({ length: V }, (_, w) => w);
    const sel = timeStage(
      out,
      `${level}: IGR`,
      () => lw.selectFeatures(docs, L, V, all, { threshold: "largest-drop" }),
      (s) => `N2 = ${s.threshold}, ${s.selected.length} words`,
    );
    const have = new Set(vectors!.words);
    const ids = sel.selected.filter((w) => have.has(split.train.vocab[w]));
    const x = lw.vectorsFor(
      vectors!,
      ids.map((w) => split.train.vocab[w]),
    );
    const km = timeStage(
      out,
      `${level}: k-means + elbow`,
      () => {
        const rng = stream(seed, "bench/kmeans");
        const grid = lw.scaleSettings("paper").kGrid.filter((k) => k <= ids.length);
        const el = lw.elbow(
          grid,
          grid.map((k) => lw.kmeans(x, ids.length, vectors!.dim, k, rng.fork(`k${k}`)).sse),
        );
        return lw.kmeans(x, ids.length, vectors!.dim, el.k, rng.fork(`k${el.k}`));
      },
      (r) => `k = ${r.k}, ${r.iterations} iterations, ${ids.length} words`,
    );
    const clusterOf = new Int32Array(V).fill(-1);
    ids.forEach((w, r) => (clusterOf[w] = km.assignment[r]));
    const fold = lw.stratifiedFolds(docs, 5, stream(seed, "bench/folds"));
    const wr = timeStage(
      out,
      `${level}: wrapper`,
      () =>
        lw.wrapperSelect(docs, L, V, clusterOf, km.k, stream(seed, "bench/wrapper"), { reading: "user-words", fold, progressLabel: null }),
      (r) => `kept ${r.selected.length}/${km.k}, ${r.removed.length} rounds`,
    );
    timeStage(
      out,
      `${level}: CV-tuned N2`,
      () => lw.cvTuneThreshold(docs, L, V, sel.scores, all, lw.DEFAULT_TUNE_GRID, fold, 5, "user-words"),
      (t) => `N2 = ${t.chosen}`,
    );
    const local = all.filter((w) => clusterOf[w] >= 0 && wr.selected.includes(clusterOf[w]));
    timeStage(
      out,
      `${level}: NB fit + predict`,
      () => lw.predictNb(lw.fitNb(docs, L, V, { reading: "user-words", features: lw.maskOf(V, local) }), split.test.docs),
      (p) => `acc ${(p.filter((y, i) => y === split.test.docs[i].y).length / p.length).toFixed(3)}`,
    );
  }
  return out;
}

/** Least-squares slope of log(seconds) against log(users). */
export function growthExponent(users: readonly number[], seconds: readonly number[]): number {
  const xs = users.map(Math.log);
  const ys = seconds.map((s) => Math.log(Math.max(s, 1e-4)));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, i) => ((sxy += (x - mx) * (ys[i] - my)), (sxx += (x - mx) ** 2)));
  return sxy / sxx;
}

async function main(): Promise<void> {
  const sizes = (process.argv[2] ?? "1000,10000,100000,235120").split(",").map(Number);
  const load0 = os.loadavg();
  const results = new Map<number, StageTime[]>();
  const levels = (process.env.LEVELS ?? "state,city").split(",") as ("state" | "city")[];
  for (const n of sizes) results.set(n, await atSize(n, 1, levels));
  const stages = results.get(sizes[0])!.map((s) => s.stage);
  const lines = [
    `| stage | ${sizes.map((n) => `${n.toLocaleString("en")} users`).join(" | ")} | growth exponent |`,
    `| --- | ${sizes.map(() => "---").join(" | ")} | --- |`,
  ];
  for (const st of stages) {
    const row = sizes.map((n) => results.get(n)!.find((s) => s.stage === st)!);
    const exp =
      sizes.length > 1
        ? growthExponent(
            sizes,
            row.map((r) => r.seconds),
          ).toFixed(2)
        : "—";
    lines.push(`| ${st} | ${row.map((r) => `${r.seconds.toFixed(2)} s, ${r.peakMb.toFixed(0)} MB`).join(" | ")} | ${exp} |`);
  }
  console.log(lines.join("\n"));
  const svg = process.argv.includes("--svg") ? process.argv[process.argv.indexOf("--svg") + 1] : null;
  if (svg) {
    // The log-log plot of bench/README.md, through the project's figure export.
    const spec = lineSpec({
      name: "localwords-scale",
      title: "Local words: time per stage against synthetic users (log–log)",
      paperFigure: null,
      synthetic: true,
      dataset: "synthetic microblog users (SYNTHETIC), paper spec scaled",
      series: stages.map((st) => ({
        name: st,
        x: sizes,
        y: sizes.map((n) => Math.max(results.get(n)!.find((s) => s.stage === st)!.seconds, 1e-3)),
      })),
      xLabel: "users",
      yLabel: "seconds (wall)",
      xType: "log",
      yType: "log",
    });
    fs.writeFileSync(svg, await renderSvg(spec));
    await closeFigureBrowser();
    console.log(`wrote ${svg}`);
  }
  console.log(
    `load average at start ${load0.map((x) => x.toFixed(2)).join(" ")}, at end ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}; ${os.cpus().length} cores`,
  );
  if (!gc) console.log("(run with node --expose-gc for clean per-stage memory baselines)");
}

if (require.main === module)
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
