#!/usr/bin/python3
"""Execute one notebook headlessly with the real Jupyter client (nbclient).

usage: execute_notebook.py IN.ipynb OUT.ipynb [--timeout SECONDS] [--kernel tslab]

Prints one progress line per cell to stderr. On a failing cell the partially
executed notebook is still written to OUT, and the last stderr line names the
notebook, the cell number and id, and the error; exit status 1.
"""
import argparse
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("inp")
    ap.add_argument("out")
    ap.add_argument("--timeout", type=int, default=1800, help="per-cell timeout in seconds")
    ap.add_argument("--kernel", default="tslab")
    a = ap.parse_args()

    nb = nbformat.read(a.inp, as_version=4)
    name = os.path.basename(a.inp)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    index = {id(c): i + 1 for i, c in enumerate(code_cells)}
    started = {}
    t0 = time.time()

    def on_start(cell, cell_index):
        started[cell_index] = time.time()

    def on_executed(cell, cell_index, execute_reply):
        dt = time.time() - started.get(cell_index, time.time())
        sys.stderr.write(f"  [{name}] cell {index.get(id(cell), '?')}/{len(code_cells)} ({cell.get('id', '-')}) {dt:.1f}s, total {time.time() - t0:.1f}s\n")
        sys.stderr.flush()

    client = NotebookClient(
        nb,
        timeout=a.timeout,
        kernel_name=a.kernel,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(a.inp))}},
        on_cell_start=on_start,
        on_cell_executed=on_executed,
    )
    failed = None
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError) as e:
        failed = e
    finally:
        os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
        tmp = a.out + ".tmp"
        nbformat.write(nb, tmp)
        os.replace(tmp, a.out)
    if failed is not None:
        # Find the failing cell: the first code cell whose outputs hold an error.
        where = "unknown cell"
        for c in code_cells:
            if any(o.get("output_type") == "error" for o in c.get("outputs", [])):
                where = f"cell {index[id(c)]} (id {c.get('id', '-')})"
                break
        else:
            if isinstance(failed, CellTimeoutError):
                where = "a cell that timed out"
        lines = [l for l in str(failed).splitlines() if l.strip()]
        summary = lines[-1] if lines else type(failed).__name__
        sys.stderr.write("\n".join(lines[-15:]) + "\n")
        sys.stderr.write(f"FAILED: notebooks/{name}: {where}: {summary}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
