import { test } from "node:test";
import { testNeeding } from "../support/requires";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import { fromRoot } from "../../lib/runtime/paths";
import { stream } from "../../lib/runtime/rng";
import { buildCorpus, UserBag, SparseDoc } from "../../lib/localwords/corpus";
import { fitNb, predictNb, jointLogLikelihood } from "../../lib/localwords/naive-bayes";
import { informationGainRatio } from "../../lib/localwords/igr";

const PY = "/usr/bin/python3";
const haveSklearn = fs.existsSync(PY) && spawnSync(PY, ["-c", "import sklearn, scipy, numpy"]).status === 0;

function sparse(docs: readonly SparseDoc[]) {
  const rows: number[] = [], cols: number[] = [], vals: number[] = [], y: number[] = [];
  docs.forEach((d, i) => {
    y.push(d.y);
    for (let t = 0; t < d.terms.length; t++) rows.push(i), cols.push(d.terms[t]), vals.push(d.counts[t]);
  });
  return { n: docs.length, rows, cols, vals, y };
}

testNeeding("multinomial NB agrees with scikit-learn MultinomialNB(alpha=1); IGR with numpy", !haveSklearn && `${PY} with scikit-learn, scipy and numpy is not available (Debian python3-sklearn python3-scipy python3-numpy)`, () => {
  const r = stream(11, "peer");
  const places = ["austin", "boston", "chicago", "denver"];
  const users: UserBag[] = Array.from({ length: 160 }, (_, i) => {
    const label = places[i % 4];
    const counts = new Map<string, number>();
    for (let k = 0; k < 25; k++) {
      const w = r.next() < 0.3 ? `${label}_w${r.int(8)}` : `common${r.int(60)}`;
      counts.set(w, (counts.get(w) ?? 0) + 1);
    }
    return { id: `u${i}`, label, counts };
  });
  const train = buildCorpus(users.slice(0, 120));
  const test = buildCorpus(users.slice(120), { vocab: train.vocab, labels: train.labels });
  const V = train.vocab.length, L = train.labels.length;
  const m = fitNb(train.docs, L, V, { reading: "multinomial" });
  const pred = predictNb(m, test.docs);
  const jll = test.docs.flatMap((d) => [...jointLogLikelihood(m, d)]);
  const igr = informationGainRatio(train.docs, L, V);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lw-peer-test-"));
  const input = path.join(dir, "input.json");
  fs.writeFileSync(input, JSON.stringify({ nWords: V, nLabels: L, train: sparse(train.docs), test: sparse(test.docs), jll, pred: [...pred], igr: [...igr] }));
  const out = JSON.parse(execFileSync(PY, [fromRoot("bench", "localwords_peer.py"), input], { encoding: "utf8" }));
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(out.nb_predictions_agree, true, `${out.nb_disagreements} predictions differ`);
  assert.ok(out.nb_max_abs_jll_diff < 1e-9, `max |Δ log-likelihood| = ${out.nb_max_abs_jll_diff}`);
  assert.ok(out.igr_max_abs_diff < 1e-9, `max |Δ IGR| = ${out.igr_max_abs_diff}`);
  assert.ok(new Set(pred).size > 1, "the test must not pass on a constant classifier");
});
