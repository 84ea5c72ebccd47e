/**
 * Live peer check against scikit-learn: our multinomial Naive Bayes and IGR on
 * the same sparse matrices as `sklearn.naive_bayes.MultinomialNB(alpha=1)` and
 * a direct numpy IGR (tools/localwords_peer.py). Needs /usr/bin/python3 with
 * Debian's python3-sklearn, python3-scipy and python3-numpy; fails loudly,
 * saying so, when they are missing.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import { fromRoot } from "../runtime/paths";
import type { Corpus, SparseDoc } from "./corpus";
import { fitNb, jointLogLikelihood, predictNb } from "./naive-bayes";
import { informationGainRatio } from "./igr";

export const PEER_PYTHON = "/usr/bin/python3";
export const PEER_SCRIPT = fromRoot("tools", "localwords_peer.py");

export interface PeerResult {
  users_train: number;
  users_test: number;
  words: number;
  labels: number;
  nb_predictions_agree: boolean;
  nb_disagreements: number;
  nb_max_abs_jll_diff: number;
  nb_fit_predict_ms_median: number;
  igr_max_abs_diff: number;
  [k: string]: unknown;
}

/** Why the peer cannot run here, or null when it can. */
export function peerUnavailable(python = PEER_PYTHON): string | null {
  if (!fs.existsSync(python)) return `${python} is not installed`;
  const r = spawnSync(python, ["-c", "import sklearn, scipy, numpy"], { encoding: "utf8" });
  return r.status === 0
    ? null
    : `${python} cannot import scikit-learn, scipy and numpy (install Debian python3-sklearn python3-scipy python3-numpy; make reproduce and make test install them)`;
}

export function sparseOf(docs: readonly SparseDoc[]): { n: number; rows: number[]; cols: number[]; vals: number[]; y: number[] } {
  const rows: number[] = [],
    cols: number[] = [],
    vals: number[] = [],
    y: number[] = [];
  docs.forEach((d, i) => {
    y.push(d.y);
    for (let t = 0; t < d.terms.length; t++) (rows.push(i), cols.push(d.terms[t]), vals.push(d.counts[t]));
  });
  return { n: docs.length, rows, cols, vals, y };
}

/** Fit our multinomial NB and IGR on `train`, predict `test`, and compare with scikit-learn / numpy. */
export function sklearnPeerCheck(
  train: Corpus,
  test: Corpus,
  opts: { repeat?: number; extra?: Record<string, unknown>; python?: string; alpha?: number } = {},
): PeerResult {
  const python = opts.python ?? PEER_PYTHON;
  const why = peerUnavailable(python);
  if (why) throw new Error(`scikit-learn peer check: ${why}`);
  const V = train.vocab.length;
  const L = train.labels.length;
  const alpha = opts.alpha ?? 1;
  const m = fitNb(train.docs, L, V, { reading: "multinomial", alpha });
  const pred = predictNb(m, test.docs);
  const jll: number[] = [];
  for (const d of test.docs) jll.push(...jointLogLikelihood(m, d));
  const igr = informationGainRatio(train.docs, L, V);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lw-peer-"));
  try {
    const input = path.join(dir, "input.json");
    fs.writeFileSync(
      input,
      JSON.stringify({
        nWords: V,
        nLabels: L,
        train: sparseOf(train.docs),
        test: sparseOf(test.docs),
        jll,
        pred: [...pred],
        igr: [...igr],
        alpha,
        ...opts.extra,
      }),
    );
    return JSON.parse(
      execFileSync(python, [PEER_SCRIPT, input, "--repeat", String(opts.repeat ?? 1)], {
        encoding: "utf8",
        maxBuffer: 64 << 20,
        env: { ...process.env, OMP_NUM_THREADS: process.env.OMP_NUM_THREADS ?? "1" },
      }),
    ) as PeerResult;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
