/**
 * Peer check of the local-words pipeline against scikit-learn / numpy on the
 * same GeoText split (bag-of-words, state labels, official folds: train on fold 4, test on fold 5, N1 = 3):
 *  - multinomial NB vs MultinomialNB(alpha=1): identical predicted labels, joint
 *    log-likelihoods within 1e-9, fit + predict time;
 *  - IGR vs a direct numpy computation;
 *  - k-means from the same farthest-point centres vs sklearn KMeans (lloyd, elkan):
 *    same assignment, time per iteration.
 * Both sides run in this one process run on the same data; the machine is shared,
 * so run it several times and report the median (the load average is printed).
 * Run: node dist/bench/localwords-peer.js   (needs GeoText and /usr/bin/python3 with sklearn; tools/localwords_peer.py)
 */
import * as os from "node:os";
import { loadGeoText } from "../lib/data/geotext";
import { loadParams } from "../lib/runtime/params";
import { stream } from "../lib/runtime/rng";
import * as lw from "../lib/localwords";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function main() {
  const loadStart = os.loadavg();
  const params = loadParams();
  const repeat = Number(process.env.REPEAT ?? 7);
  const corpus = await loadGeoText();
  if (!corpus) throw new Error("localwords-peer: GeoText is absent (see data-manifests/geotext.json)");
  const c = lw.geotextBowCorpus(corpus);
  const d = lw.labelledGeoDataset(c, "state", corpus.dataset, "GeoText bag-of-words (state)", { protocols: [lw.OFFICIAL_FOLDS] });
  const settings = lw.scaleSettings("default");
  const sp = lw.splitUsers(d, lw.OFFICIAL_FOLDS, params.seed);
  const vectors = await lw.corpusWordVectors(c, params.seed, settings.w2v, params.cacheDir);
  const vocab = [...lw.frequencyFilter(sp.train, 3).vocab].sort();
  const train = lw.buildCorpus(sp.train, { vocab });
  const test = lw.buildCorpus(sp.test, { vocab, labels: train.labels });
  const V = vocab.length,
    L = train.labels.length;

  // NB fit + predict, timed (median of `repeat`, after one warm-up).
  lw.predictNb(lw.fitNb(train.docs, L, V, { reading: "multinomial" }), test.docs);
  const nbTimes: number[] = [];
  for (let r = 0; r < repeat; r++) {
    const t0 = process.hrtime.bigint();
    lw.predictNb(lw.fitNb(train.docs, L, V, { reading: "multinomial" }), test.docs);
    nbTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const igr = lw.informationGainRatio(train.docs, L, V);

  // k-means on the IGR-filtered words' vectors (word2vec on all fold-4/5 users' bags), k = 32, from farthest-point centres.
  const n2 = lw.chooseN2(igr).chosen;
  const words = vocab.filter((_, w) => igr[w] >= n2);
  const x = lw.vectorsFor(vectors, words);
  const dim = vectors.dim,
    k = 32;
  const rng = stream(params.seed, "localwords/bench/kmeans");
  const init = new Float64Array(k * dim);
  lw.farthestPointInit(x, words.length, dim, k, rng.fork("init")).forEach((row, j) =>
    init.set(x.subarray(row * dim, row * dim + dim), j * dim),
  );
  let km = lw.kmeans(x, words.length, dim, k, rng, { initialCentres: init });
  const kmTimes: number[] = [];
  for (let r = 0; r < repeat; r++) {
    const t0 = process.hrtime.bigint();
    km = lw.kmeans(x, words.length, dim, k, rng, { initialCentres: init });
    kmTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  process.env.OMP_NUM_THREADS ??= "2";
  // The peer refits our NB and IGR on the same matrices and compares with scikit-learn / numpy.
  const py = lw.sklearnPeerCheck(train, test, {
    repeat,
    extra: { km: { n: words.length, dim, k, x: [...x], init: [...init], assignment: [...km.assignment] } },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the Python peer's JSON report
  }) as Record<string, any>;
  const ours = {
    nbMs: median(nbTimes),
    kmMsTotal: Math.min(...kmTimes),
    kmIterations: km.iterations,
    kmMsPerIter: Math.min(...kmTimes) / km.iterations,
    kmSse: km.sse,
    kmEvalsPerIter: km.distanceEvaluations / km.iterations,
  };
  console.log(JSON.stringify({ ours, sklearn: py }, null, 2));
  console.log(
    `load average (1/5/15 min) at start ${loadStart.map((v) => v.toFixed(2)).join(" ")}, at end ${os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(" ")}; ${os.cpus().length} cores`,
  );
  console.log(
    `NB fit+predict: ours ${ours.nbMs.toFixed(1)} ms vs sklearn ${py.nb_fit_predict_ms_median.toFixed(1)} ms → sklearn/ours = ${(py.nb_fit_predict_ms_median / ours.nbMs).toFixed(2)}×; labels agree: ${py.nb_predictions_agree}; max |Δ jll| = ${py.nb_max_abs_jll_diff.toExponential(2)}`,
  );
  console.log(`IGR max |Δ| vs numpy: ${py.igr_max_abs_diff.toExponential(2)}`);
  for (const a of ["lloyd", "elkan"])
    console.log(
      `k-means (n=${words.length}, d=${dim}, k=${k}): ours ${ours.kmMsPerIter.toFixed(2)} ms/iter (${ours.kmIterations} iters, ${ours.kmEvalsPerIter.toFixed(0)} distances/iter) vs sklearn ${a} ${py[`km_${a}_ms_per_iter`].toFixed(2)} ms/iter (${py[`km_${a}_iterations`]} iters) → ratio ${(py[`km_${a}_ms_per_iter`] / ours.kmMsPerIter).toFixed(2)}×; same assignment: ${py[`km_${a}_same_assignment`]}`,
    );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
