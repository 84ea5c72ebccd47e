import { test } from "node:test";
import { testNeeding } from "../support/requires";
import assert from "node:assert/strict";
import { stream } from "../../lib/runtime/rng";
import { buildCorpus, UserBag } from "../../lib/localwords/corpus";
import { sklearnPeerCheck, peerUnavailable } from "../../lib/localwords/peer";

const missing = peerUnavailable();

testNeeding("multinomial NB agrees with scikit-learn MultinomialNB(alpha=1); IGR with numpy", missing !== null && missing, () => {
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
  const out = sklearnPeerCheck(train, test);
  assert.equal(out.nb_predictions_agree, true, `${out.nb_disagreements} predictions differ`);
  assert.ok(out.nb_max_abs_jll_diff < 1e-9, `max |Δ log-likelihood| = ${out.nb_max_abs_jll_diff}`);
  assert.ok(out.igr_max_abs_diff < 1e-9, `max |Δ IGR| = ${out.igr_max_abs_diff}`);
  assert.equal(out.users_test, 40);
});

test("the peer check refuses to run without its Python, saying what to install", () => {
  assert.match(peerUnavailable("/nonexistent/python3") ?? "", /not installed/);
  const c = buildCorpus([{ id: "a", label: "x", counts: new Map([["w", 1]]) }]);
  assert.throws(
    () => sklearnPeerCheck(c, c, { python: "/nonexistent/python3" }),
    /scikit-learn peer check: \/nonexistent\/python3 is not installed/,
  );
});
