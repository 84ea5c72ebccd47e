#!/usr/bin/python3
"""Execute one notebook headlessly with the real Jupyter client (nbclient).

usage: execute_notebook.py IN.ipynb OUT.ipynb [--timeout SECONDS] [--kernel tslab]

Prints one progress line per cell to stderr. On a failing cell the partially
executed notebook is still written to OUT, and the last stderr line names the
notebook, the cell number and id, and the error; exit status 1.
"""
import argparse
import os
import re
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError


NOTEBOOK_STEM = ""  # set in main(); prefixes echoed lines (two notebooks may run at once)


PROGRESS_PREFIX = "[progress] "  # lib/runtime/progress.ts: progress bars are displays that start with it
PROGRESS_ECHO_SECONDS = 5.0  # a bar updates twice a second in the notebook; the terminal gets one line per 5 s


class EchoingClient(NotebookClient):
    """Echoes what a long cell reports while it runs, so a headless run shows
    progress inside cells, not only between them: the kernel's stdout lines
    "[tag] …" information lines and stderr lines (warnings, errors), and the progress bars,
    which are display entries updated in place (lib/runtime/progress.ts) —
    throttled here to one line per bar every few seconds, plus its final line."""

    last_echo = {}

    def echo(self, line):
        sys.stderr.write(f"    {NOTEBOOK_STEM} | {line}\n")
        sys.stderr.flush()

    def process_message(self, msg, cell, cell_index):
        # Every iopub message passes here (output() never sees update_display_data).
        content = msg.get("content", {})
        kind = msg.get("msg_type")
        if kind == "stream":
            # stderr: warnings and errors, all of them; stdout: georepro's "[tag] …" information
            # lines only (not the values that cells print).
            everything = content.get("name") == "stderr"
            for line in content.get("text", "").splitlines():
                if line.strip() and (everything or line.startswith("[")):
                    self.echo(line)
        elif kind in ("display_data", "update_display_data"):
            self.echo_progress(content)
        return super().process_message(msg, cell, cell_index)

    def echo_progress(self, content):
        text = (content.get("data") or {}).get("text/plain", "")
        if isinstance(text, list):
            text = "".join(text)
        if not text.startswith(PROGRESS_PREFIX):
            return
        key = (content.get("transient") or {}).get("display_id")
        text = text[len(PROGRESS_PREFIX):]
        now = time.time()
        final = text.startswith("✓")
        if final or now - self.last_echo.get(key, 0.0) >= PROGRESS_ECHO_SECONDS:
            self.last_echo[key] = now
            self.echo(text)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("inp")
    ap.add_argument("out")
    ap.add_argument("--timeout", type=int, default=1800, help="per-cell timeout in seconds")
    ap.add_argument("--kernel", default="tslab")
    ap.add_argument("--label", default=None, help="how to name the notebook in messages")
    a = ap.parse_args()

    nb = nbformat.read(a.inp, as_version=4)
    name = os.path.basename(a.inp)
    label = a.label or a.inp
    global NOTEBOOK_STEM
    NOTEBOOK_STEM = os.path.splitext(name)[0]
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    index = {id(c): i + 1 for i, c in enumerate(code_cells)}
    started = {}
    failing = []  # (cell, reply content) of cells whose execute_reply says "error"
    t0 = time.time()

    def on_start(cell, cell_index):
        started[cell_index] = time.time()

    def on_executed(cell, cell_index, execute_reply):
        content = (execute_reply or {}).get("content", {})
        if content.get("status") == "error":
            failing.append((cell, content))
        dt = time.time() - started.get(cell_index, time.time())
        sys.stderr.write(f"  [{name}] cell {index.get(id(cell), '?')}/{len(code_cells)} ({cell.get('id', '-')}) {dt:.1f}s, total {time.time() - t0:.1f}s\n")
        sys.stderr.flush()

    client = EchoingClient(
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
        where, message, detail = "a cell", type(failed).__name__, str(failed)
        if isinstance(failed, CellTimeoutError):
            where, message = "a cell", f"timed out after {a.timeout}s"
        if failing:
            cell, content = failing[0]
            where = f"cell {index.get(id(cell), '?')} (id {cell.get('id', '-')})"
            # tslab reports errors on stderr (runtime errors and TypeScript
            # diagnostics alike); ename/evalue are often empty.
            err = "".join(
                "".join(o.get("text", "")) for o in cell.get("outputs", [])
                if o.get("output_type") == "stream" and o.get("name") == "stderr"
            )
            err += "".join("\n".join(o.get("traceback", [])) for o in cell.get("outputs", []) if o.get("output_type") == "error")
            lines = [l for l in err.splitlines() if l.strip()]
            pick = next((l for l in lines if re.match(r"^[\w.]*(Error|Exception)\b.*:", l)), None)
            message = pick or (lines[0] if lines else f"{content.get('ename', '')}: {content.get('evalue', '')}")
            detail = "\n".join(lines[:30])
        sys.stderr.write(detail.rstrip() + "\n")
        sys.stderr.write(f"FAILED: {label}: {where}: {message.strip()}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
