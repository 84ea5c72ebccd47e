/**
 * word2vec vs gensim (Debian python3-gensim at /usr/bin/python3), same corpus,
 * same hyper-parameters, 1 and 2 workers, and a quality check beside the speed.
 *
 *   node dist/bench/word2vec-peer.js [DIM=100]      (env REPEAT=1, KEEP=folder to keep the corpus and vectors)
 *
 * Corpus: GeoText's raw tweets as the local-words pipeline tokenises them for
 * word2vec (lib/localwords/vectors.ts `corpusSentences`: entity merge, stop
 * words out, words seen < 3 times out, one tweet per sentence), written to one
 * file (a sentence per line) that both sides read; both then keep every word
 * of the file (min_count 1, as the pipeline does on these sentences).
 * Hyper-parameters: skip-gram, DIM dimensions (the paper scale's 100), window 5,
 * negative 5, sample 1e-3, 5 epochs, alpha 0.025 → 0.0001.
 *
 * Timed: the training only (gensim's `train`, our trainWord2VecTokens) — both
 * sides' vocabulary passes are printed beside it. gensim runs in its two modes
 * (LineSentence through its producer thread, and corpus_file); the ratio is
 * gensim's faster mode over ours, > 1 meaning ours is faster. Ours runs its two
 * shards on 1 and on 2 threads and must give identical vectors (checked).
 *
 * Quality: nearest neighbours (10, cosine, over the whole vocabulary) of the
 * 1,000 most frequent words, overlap between ours and gensim's vectors, beside
 * gensim against itself with another seed (how much two equally good runs
 * differ); and the proposed method's accuracy on notebook 07's headline
 * setting (GeoText raw text, state, official folds 4 → 5, over the run's 10
 * seeds, k by the elbow on the first seed) with our vectors and with gensim's.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { loadGeoTextRaw } from "../lib/data/geotext-raw";
import { loadParams, splitSeedList } from "../lib/runtime/params";
import { stream } from "../lib/runtime/rng";
import { fromRoot } from "../lib/runtime/paths";
import * as lw from "../lib/localwords";

const PYTHON = "/usr/bin/python3";
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

interface GensimRun {
  mode: string;
  workers: number;
  vocab: number;
  words_per_epoch: number;
  vocab_s: number;
  train_s: number;
  words_per_s: number;
}

function gensim(corpus: string, out: string, workers: number, dim: number, seed: number, mode: string): GensimRun {
  const r = spawnSync(
    PYTHON,
    [
      fromRoot("bench", "word2vec_gensim.py"),
      corpus,
      out,
      "--workers",
      String(workers),
      "--dim",
      String(dim),
      "--min-count",
      "1",
      "--seed",
      String(seed),
      "--mode",
      mode,
    ],
    { encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1" } },
  );
  if (r.status !== 0) throw new Error(`word2vec-peer: gensim failed (install Debian python3-gensim):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
}

/** word2vec text format → WordVectors. */
function readVec(file: string): lw.WordVectors {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const [n, dim] = lines[0].split(" ").map(Number);
  const words: string[] = [];
  const vectors = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const parts = lines[i + 1].split(" ");
    words.push(parts[0]);
    for (let t = 0; t < dim; t++) vectors[i * dim + t] = Number(parts[1 + t]);
  }
  return { words, dim, vectors };
}

/** The `k` nearest words (cosine, whole vocabulary) of each query word. */
function neighbours(v: lw.WordVectors, queries: readonly string[], k = 10): Map<string, string[]> {
  const { dim } = v;
  const V = v.words.length;
  const unit = new Float32Array(v.vectors.length);
  for (let i = 0; i < V; i++) {
    let s = 0;
    for (let t = 0; t < dim; t++) s += v.vectors[i * dim + t] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let t = 0; t < dim; t++) unit[i * dim + t] = v.vectors[i * dim + t] * inv;
  }
  const index = new Map(v.words.map((w, i) => [w, i]));
  const out = new Map<string, string[]>();
  const sims = new Float32Array(V);
  for (const q of queries) {
    const qi = index.get(q);
    if (qi === undefined) continue;
    for (let i = 0; i < V; i++) {
      let s = 0;
      for (let t = 0; t < dim; t++) s += unit[qi * dim + t] * unit[i * dim + t];
      sims[i] = s;
    }
    sims[qi] = -Infinity;
    const top: number[] = [];
    for (let i = 0; i < V; i++) {
      if (top.length < k || sims[i] > sims[top[top.length - 1]]) {
        top.push(i);
        top.sort((a, b) => sims[b] - sims[a] || a - b);
        if (top.length > k) top.pop();
      }
    }
    out.set(
      q,
      top.map((i) => v.words[i]),
    );
  }
  return out;
}

const overlap = (a: Map<string, string[]>, b: Map<string, string[]>): number => {
  let s = 0;
  let n = 0;
  for (const [q, na] of a) {
    const nb = b.get(q);
    if (!nb) continue;
    const set = new Set(nb);
    s += na.filter((w) => set.has(w)).length / na.length;
    n++;
  }
  return s / n;
};

async function main(): Promise<void> {
  const dim = Number(process.argv[2] ?? 100);
  const repeat = Number(process.env.REPEAT ?? 1);
  const params = loadParams();
  const seed = params.seed;
  const raw = await loadGeoTextRaw();
  if (!raw) throw new Error("word2vec-peer: GeoText's raw text is absent (data-manifests/geotext-raw.json)");
  const c = await lw.geotextRawCorpus(raw, params.cacheDir);
  const dir = process.env.KEEP ?? fs.mkdtempSync(path.join(os.tmpdir(), "georepro-w2v-"));
  fs.mkdirSync(dir, { recursive: true });
  const corpusFile = path.join(dir, "geotext-raw-sentences.txt");
  fs.writeFileSync(
    corpusFile,
    lw
      .corpusSentences(c, seed, 3)
      .map((s) => s.join(" "))
      .join("\n") + "\n",
  );
  console.log(
    `corpus: ${corpusFile} (${(fs.statSync(corpusFile).size / 2 ** 20).toFixed(1)} MB); dim ${dim}, window 5, negative 5, sample 1e-3, 5 epochs, min_count 1`,
  );
  console.log(`load average (1/5/15 min) at start: ${load()}; ${os.cpus().length} cores (${os.cpus()[0].model})`);

  // Ours: read the file, index it, train on 1 and 2 threads (identical vectors required).
  const t0 = process.hrtime.bigint();
  const sentences = fs
    .readFileSync(corpusFile, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => l.split(" "));
  const tc = lw.tokenCorpus(sentences, 1);
  const oursVocabS = Number(process.hrtime.bigint() - t0) / 1e9;
  const words = tc.tokens.length;
  const ours: Record<number, number[]> = { 1: [], 2: [] };
  const theirs: Record<number, GensimRun[]> = { 1: [], 2: [] };
  let v1: lw.WordVectors | null = null;
  for (let r = 0; r < repeat; r++)
    for (const w of [1, 2] as const) {
      const s0 = process.hrtime.bigint();
      const v = lw.trainWord2VecTokens(tc, stream(seed, "bench/word2vec-peer"), { dim, epochs: 5, sample: 1e-3, threads: w });
      ours[w].push(Number(process.hrtime.bigint() - s0) / 1e9);
      if (!v1) v1 = v;
      else if (Buffer.compare(Buffer.from(v.vectors.buffer), Buffer.from(v1.vectors.buffer)) !== 0)
        throw new Error("word2vec-peer: our vectors differ between 1 and 2 threads");
      for (const mode of ["sentences", "corpus_file"])
        theirs[w].push(gensim(corpusFile, path.join(dir, `gensim-w${w}-${mode}`), w, dim, seed, mode));
    }
  const best = (xs: number[]) => Math.min(...xs);
  console.log(
    `\nwords per epoch: ours ${words}, gensim ${theirs[1][0].words_per_epoch}; vocabulary: ours ${tc.words.length}, gensim ${theirs[1][0].vocab}`,
  );
  console.log(
    `vocabulary pass: ours ${oursVocabS.toFixed(2)} s (read + index), gensim ${theirs[1][0].vocab_s.toFixed(2)} s (LineSentence)`,
  );
  console.log(
    "| workers | ours train (s) | ours words/s | gensim LineSentence (s) | gensim corpus_file (s) | gensim best words/s | gensim best / ours |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const w of [1, 2] as const) {
    const o = best(ours[w]);
    const g = (mode: string) => best(theirs[w].filter((x) => x.mode === mode).map((x) => x.train_s));
    const gb = Math.min(g("sentences"), g("corpus_file"));
    console.log(
      `| ${w} | ${o.toFixed(2)} | ${((words * 5) / o / 1000).toFixed(0)}k | ${g("sentences").toFixed(2)} | ${g("corpus_file").toFixed(2)} | ${((words * 5) / gb / 1000).toFixed(0)}k | **${(gb / o).toFixed(2)}×** |`,
    );
  }
  console.log(`(best of ${repeat}; our vectors identical on 1 and 2 threads: yes)`);
  console.log(`load average after the timings: ${load()}`);

  // Quality: neighbour overlap and the proposed method's accuracy with each set of vectors.
  const g1 = readVec(path.join(dir, "gensim-w1-sentences.vec"));
  const g1b = (() => {
    gensim(corpusFile, path.join(dir, "gensim-seed2"), 1, dim, seed + 1, "sentences");
    return readVec(path.join(dir, "gensim-seed2.vec"));
  })();
  const ours2 = lw.trainWord2VecTokens(tc, stream(seed + 1, "bench/word2vec-peer"), { dim, epochs: 5, sample: 1e-3, threads: 2 });
  const queries = tc.words.slice(0, 1000);
  const nOurs = neighbours(v1!, queries);
  const nOurs2 = neighbours(ours2, queries);
  const nG = neighbours(g1, queries);
  const nG2 = neighbours(g1b, queries);
  console.log("\nnearest-neighbour overlap (10 neighbours of the 1,000 most frequent words):");
  console.log(`  ours vs gensim            ${overlap(nOurs, nG).toFixed(3)}`);
  console.log(`  gensim vs gensim (seed+1) ${overlap(nG, nG2).toFixed(3)}`);
  console.log(`  ours vs ours (seed+1)     ${overlap(nOurs, nOurs2).toFixed(3)}`);
  console.log(`  ours (seed+1) vs gensim   ${overlap(nOurs2, nG).toFixed(3)}`);

  const d = lw.labelledGeoDataset(c, "state", raw.dataset, "GeoText raw text (state)", { protocols: [lw.OFFICIAL_FOLDS] });
  const seeds = splitSeedList(params);
  const kGrid = lw.scaleSettings("paper").kGrid;
  const accuracy = (vectors: lw.WordVectors): number[] => {
    let k: number | "elbow" = "elbow";
    return seeds.map((s) => {
      const sp = lw.splitUsers(d, lw.OFFICIAL_FOLDS, s);
      const r = lw.runLocalWords(
        sp.train,
        sp.test,
        vectors,
        {
          n1: 3,
          threshold: "largest-drop",
          k,
          kGrid,
          reading: "user-words",
          placeNames: d.placeNames,
          systems: { nbIgr: false, tuned: false, control: false, mnbPart: false, literal: false, floors: false },
          progressLabel: null,
        },
        stream(s, `localwords/${d.id}-official/run`),
      );
      if (k === "elbow") k = r.k;
      const p = r.systems[0].predictions;
      return r.test.docs.filter((doc, i) => doc.y === p[i]).length / p.length;
    });
  };
  const ms = (xs: number[]) => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
    return `${m.toFixed(4)} ± ${sd.toFixed(4)} (sd over ${xs.length} seeds)`;
  };
  console.log("\nproposed method, GeoText raw text, state, folds 4 → 5 (notebook 07's headline), accuracy:");
  console.log(`  with our vectors     ${ms(accuracy(v1!))}`);
  console.log(`  with gensim's        ${ms(accuracy(g1))}`);
  console.log(`load average at the end: ${load()}`);
  if (!process.env.KEEP) fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
