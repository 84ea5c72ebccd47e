#!/usr/bin/env python3
"""Peer check for the local-words pipeline (bench/localwords-peer.ts writes the input).

Reads a JSON file with our sparse train/test matrices, labels, our multinomial-NB
joint log-likelihoods and predictions, our IGR values, and (optionally) word
vectors with our k-means run. Compares with scikit-learn's MultinomialNB(alpha) (alpha from the input, default 1),
a direct numpy IGR, and scikit-learn's KMeans from the same initial centres.
Prints one JSON object. Usage: localwords_peer.py INPUT.json [--repeat N]
"""
import json
import sys
import time

import numpy as np
import scipy.sparse as sp
from sklearn.naive_bayes import MultinomialNB


def csr(part, n_words):
    return sp.csr_matrix((np.asarray(part["vals"], dtype=np.float64), (np.asarray(part["rows"]), np.asarray(part["cols"]))), shape=(part["n"], n_words))


def igr_numpy(X, y, n_labels):
    """IGR with presence per user (as lib/localwords/igr.ts)."""
    P = (X > 0).astype(np.float64).tocsc()
    N = X.shape[0]
    Y = np.zeros((N, n_labels))
    Y[np.arange(N), y] = 1
    nl = Y.sum(0)
    df = np.asarray((P.T @ Y))  # words × labels
    dfw = df.sum(1)
    def ent(counts, tot):
        with np.errstate(divide="ignore", invalid="ignore"):
            p = np.where(tot[:, None] > 0, counts / tot[:, None], 0)
            return -np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0).sum(1)
    pc = nl / N
    hc = -(pc[pc > 0] * np.log(pc[pc > 0])).sum()
    h1 = ent(df, dfw)
    h0 = ent(nl[None, :] - df, N - dfw)
    pw = dfw / N
    ig = hc - pw * h1 - (1 - pw) * h0
    with np.errstate(divide="ignore", invalid="ignore"):
        iv = -np.where(pw > 0, pw * np.log(np.where(pw > 0, pw, 1)), 0) - np.where(pw < 1, (1 - pw) * np.log(np.where(pw < 1, 1 - pw, 1)), 0)
        out = np.where((dfw > 0) & (dfw < N), ig / iv, 0.0)
    return out


def main():
    data = json.load(open(sys.argv[1]))
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 1
    V, L = data["nWords"], data["nLabels"]
    Xtr, Xte = csr(data["train"], V), csr(data["test"], V)
    ytr = np.asarray(data["train"]["y"])
    alpha = float(data.get("alpha", 1.0))
    clf = MultinomialNB(alpha=alpha)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        clf = MultinomialNB(alpha=alpha)
        clf.fit(Xtr, ytr)
        pred = clf.predict(Xte)
        times.append(time.perf_counter() - t0)
    # classes_ are the sorted label ids 0..L-1 present in training
    jll = np.full((Xte.shape[0], L), -np.inf)
    jll[:, clf.classes_] = clf._joint_log_likelihood(Xte)
    ours_jll = np.asarray(data["jll"]).reshape(Xte.shape[0], L)
    ours_pred = np.asarray(data["pred"])
    finite = np.isfinite(jll)
    out = {
        "users_train": int(Xtr.shape[0]), "users_test": int(Xte.shape[0]), "words": V, "labels": L, "nnz_train": int(Xtr.nnz),
        "nb_predictions_agree": bool((ours_pred == pred).all()),
        "nb_disagreements": int((ours_pred != pred).sum()),
        "nb_max_abs_jll_diff": float(np.abs(ours_jll[finite] - jll[finite]).max()),
        "nb_fit_predict_ms_median": 1000 * float(np.median(times)),
    }
    if "igr" in data:
        ig = igr_numpy(Xtr, ytr, L)
        out["igr_max_abs_diff"] = float(np.abs(ig - np.asarray(data["igr"])).max())
    if "km" in data:
        from sklearn.cluster import KMeans
        km = data["km"]
        x = np.asarray(km["x"], dtype=np.float64).reshape(km["n"], km["dim"])
        init = np.asarray(km["init"], dtype=np.float64).reshape(km["k"], km["dim"])
        for algo in ("lloyd", "elkan"):
            best = None
            for _ in range(repeat):
                t0 = time.perf_counter()
                m = KMeans(n_clusters=km["k"], init=init, n_init=1, algorithm=algo, tol=0.0, max_iter=km.get("maxIter", 300)).fit(x)
                dt = time.perf_counter() - t0
                best = dt if best is None else min(best, dt)
            out[f"km_{algo}_iterations"] = int(m.n_iter_)
            out[f"km_{algo}_ms_total"] = 1000 * best
            out[f"km_{algo}_ms_per_iter"] = 1000 * best / max(1, m.n_iter_)
            out[f"km_{algo}_same_assignment"] = bool((m.labels_ == np.asarray(km["assignment"])).all())
            out[f"km_{algo}_sse"] = float(m.inertia_)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
