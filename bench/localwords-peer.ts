/**
 * Peer check of the local-words pipeline against scikit-learn / numpy on the
 * same GeoText split (state labels, seeded 80/20 per state, N1 = 3):
 *  - multinomial NB vs MultinomialNB(alpha=1): identical predicted labels, joint
 *    log-likelihoods within 1e-9, fit + predict time;
 *  - IGR vs a direct numpy computation;
 *  - k-means from the same farthest-point centres vs sklearn KMeans (lloyd, elkan):
 *    same assignment, time per iteration.
 * Both sides run in this one process run on the same data; the machine is shared,
 * so run it several times and report the median (the load average is printed).
 * Run: node dist/bench/localwords-peer.js   (needs GeoText and /usr/bin/python3 with sklearn)
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { loadGeoText } from "../lib/data/geotext";
import { loadParams } from "../lib/runtime/params";
import { fromRoot } from "../lib/runtime/paths";
import * as lw from "../lib/localwords";

function sparse(docs: readonly lw.SparseDoc[]) {
  const rows: number[] = [], cols: number[] = [], vals: number[] = [], y: number[] = [];
  docs.forEach((d, i) => {
    y.push(d.y);
    for (let t = 0; t < d.terms.length; t++) rows.push(i), cols.push(d.terms[t]), vals.push(d.counts[t]);
  });
  return { n: docs.length, rows, cols, vals, y };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function main() {
  const loadStart = os.loadavg();
  const params = loadParams();
  const repeat = Number(process.env.REPEAT ?? 7);
  const corpus = await loadGeoText();
  if (!corpus) throw new Error("localwords-peer: GeoText is absent (see data-manifests/geotext.json)");
  const d = lw.geotextDataset(corpus, "state");
  const settings = lw.scaleSettings("default");
  const sp = await lw.prepareSplit(d, params.seed, params.cacheDir, settings.w2v);
  const vocab = [...lw.frequencyFilter(sp.train, 3).vocab].sort();
  const train = lw.buildCorpus(sp.train, { vocab });
  const test = lw.buildCorpus(sp.test, { vocab, labels: train.labels });
  const V = vocab.length, L = train.labels.length;

  // NB fit + predict, timed (median of `repeat`, after one warm-up).
  let model = lw.fitNb(train.docs, L, V, { reading: "multinomial" });
  let pred = lw.predictNb(model, test.docs);
  const nbTimes: number[] = [];
  for (let r = 0; r < repeat; r++) {
    const t0 = process.hrtime.bigint();
    model = lw.fitNb(train.docs, L, V, { reading: "multinomial" });
    pred = lw.predictNb(model, test.docs);
    nbTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const jll: number[] = [];
  for (const doc of test.docs) jll.push(...lw.jointLogLikelihood(model, doc));
  const igr = lw.informationGainRatio(train.docs, L, V);

  // k-means on the IGR-filtered words' vectors, k = 32, from farthest-point centres.
  const n2 = lw.chooseN2(igr).chosen;
  const words = vocab.filter((_, w) => igr[w] >= n2);
  const x = lw.vectorsFor(sp.vectors, words);
  const dim = sp.vectors.dim, k = 32;
  const rng = lw.seededRng(params.seed, "bench/kmeans");
  const init = new Float64Array(k * dim);
  lw.farthestPointInit(x, words.length, dim, k, rng.fork("init")).forEach((row, j) => init.set(x.subarray(row * dim, row * dim + dim), j * dim));
  let km = lw.kmeans(x, words.length, dim, k, rng, { initialCentres: init });
  const kmTimes: number[] = [];
  for (let r = 0; r < repeat; r++) {
    const t0 = process.hrtime.bigint();
    km = lw.kmeans(x, words.length, dim, k, rng, { initialCentres: init });
    kmTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lw-peer-"));
  const input = path.join(tmp, "input.json");
  fs.writeFileSync(input, JSON.stringify({ nWords: V, nLabels: L, train: sparse(train.docs), test: sparse(test.docs), jll, pred: [...pred], igr: [...igr], km: { n: words.length, dim, k, x: [...x], init: [...init], assignment: [...km.assignment] } }));
  const py = JSON.parse(execFileSync("/usr/bin/python3", [fromRoot("bench", "localwords_peer.py"), input, "--repeat", String(repeat)], { encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: process.env.OMP_NUM_THREADS ?? "2" } }));
  fs.rmSync(tmp, { recursive: true, force: true });
  const ours = { nbMs: median(nbTimes), kmMsTotal: Math.min(...kmTimes), kmIterations: km.iterations, kmMsPerIter: Math.min(...kmTimes) / km.iterations, kmSse: km.sse, kmEvalsPerIter: km.distanceEvaluations / km.iterations };
  console.log(JSON.stringify({ ours, sklearn: py }, null, 2));
  console.log(`load average (1/5/15 min) at start ${loadStart.map((v) => v.toFixed(2)).join(" ")}, at end ${os.loadavg().map((v) => v.toFixed(2)).join(" ")}; ${os.cpus().length} cores`);
  console.log(`NB fit+predict: ours ${ours.nbMs.toFixed(1)} ms vs sklearn ${py.nb_fit_predict_ms_median.toFixed(1)} ms → sklearn/ours = ${(py.nb_fit_predict_ms_median / ours.nbMs).toFixed(2)}×; labels agree: ${py.nb_predictions_agree}; max |Δ jll| = ${py.nb_max_abs_jll_diff.toExponential(2)}`);
  console.log(`IGR max |Δ| vs numpy: ${py.igr_max_abs_diff.toExponential(2)}`);
  for (const a of ["lloyd", "elkan"]) console.log(`k-means (n=${words.length}, d=${dim}, k=${k}): ours ${ours.kmMsPerIter.toFixed(2)} ms/iter (${ours.kmIterations} iters, ${ours.kmEvalsPerIter.toFixed(0)} distances/iter) vs sklearn ${a} ${py[`km_${a}_ms_per_iter`].toFixed(2)} ms/iter (${py[`km_${a}_iterations`]} iters) → ratio ${(py[`km_${a}_ms_per_iter`] / ours.kmMsPerIter).toFixed(2)}×; same assignment: ${py[`km_${a}_same_assignment`]}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
