"""gensim's word2vec on the corpus bench/word2vec-peer.ts wrote (one sentence per line, tokens separated by spaces).

    /usr/bin/python3 bench/word2vec_gensim.py CORPUS OUT_PREFIX --workers 1 --dim 100 --min-count 3 --seed 1 [--mode sentences|corpus_file]

Skip-gram with negative sampling and the hyper-parameters of lib/localwords/word2vec.ts: window 5, negative 5,
sample 1e-3, 5 epochs, alpha 0.025 → 0.0001, hs=0. `sentences` mode streams the file through LineSentence (gensim's
usual API, a Python producer thread feeding the workers); `corpus_file` mode lets each worker read its own part of the
file in C (gensim's fastest path for several workers). Prints one JSON line: vocabulary size, words per epoch, the
time of build_vocab and of train, and words/s; writes OUT_PREFIX.vec (word2vec text format) for the quality check.
"""
import argparse
import json
import os
import time

import gensim
from gensim.models import Word2Vec
from gensim.models.word2vec import LineSentence
from gensim.models.word2vec_inner import FAST_VERSION


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--mode", choices=["sentences", "corpus_file"], default="sentences")
    a = ap.parse_args()
    if FAST_VERSION < 0:
        raise SystemExit("gensim's compiled word2vec routines are missing (FAST_VERSION < 0): the timing would be of pure Python")
    model = Word2Vec(
        vector_size=a.dim,
        window=5,
        negative=5,
        hs=0,
        sg=1,
        sample=1e-3,
        alpha=0.025,
        min_alpha=0.0001,
        min_count=a.min_count,
        workers=a.workers,
        seed=a.seed,
        epochs=a.epochs,
    )
    t0 = time.perf_counter()
    if a.mode == "corpus_file":
        model.build_vocab(corpus_file=a.corpus)
    else:
        model.build_vocab(LineSentence(a.corpus))
    t1 = time.perf_counter()
    if a.mode == "corpus_file":
        model.train(corpus_file=a.corpus, total_examples=model.corpus_count, total_words=model.corpus_total_words, epochs=a.epochs)
    else:
        model.train(LineSentence(a.corpus), total_examples=model.corpus_count, epochs=a.epochs)
    t2 = time.perf_counter()
    model.wv.save_word2vec_format(a.out + ".vec")
    words = int(model.corpus_total_words)
    print(
        json.dumps(
            {
                "gensim": gensim.__version__,
                "mode": a.mode,
                "workers": a.workers,
                "vocab": len(model.wv),
                "words_per_epoch": words,
                "vocab_s": t1 - t0,
                "train_s": t2 - t1,
                "words_per_s": words * a.epochs / (t2 - t1),
                "cpu_count": os.cpu_count(),
            }
        )
    )


if __name__ == "__main__":
    main()
