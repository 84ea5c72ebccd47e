#!/usr/bin/python3
"""Execute one notebook headlessly with the real Jupyter client (nbclient).

usage: execute_notebook.py IN.ipynb OUT.ipynb [--timeout SECONDS] [--kernel tslab]
                           [--label NAME] [--state FILE] [--quiet-interrupt]

Prints one progress line per cell to stderr. On a failing cell the partially
executed notebook is still written to OUT, and the last stderr line names the
notebook, the cell number and id, and the error; exit status 1.

On SIGINT or SIGTERM it stops the kernel (SIGTERM to its process group, SIGKILL
after a few seconds), writes the partially executed notebook, and exits with
128 + the signal's number and one line (none with --quiet-interrupt, when the
runner says it for the whole run) instead of nbclient's chained tracebacks.
--state FILE holds {"kernel_pid", "cell", "cells"} while it runs, so the
runner can remove what the stopped kernel left half-written
(lib/runtime/interrupt.ts) and say where it stopped.
"""
import signal
import sys

# Until main() takes over, a signal is only remembered: imports take a while, and a
# KeyboardInterrupt raised inside one would print a traceback.
EARLY_SIGNALS = []
signal.signal(signal.SIGINT, lambda sig, _frame: EARLY_SIGNALS.append(sig))
signal.signal(signal.SIGTERM, lambda sig, _frame: EARLY_SIGNALS.append(sig))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import atexit  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import socket  # noqa: E402
import time  # noqa: E402
from contextlib import asynccontextmanager  # noqa: E402

import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from nbclient.exceptions import CellExecutionError, CellTimeoutError  # noqa: E402


NOTEBOOK_STEM = ""  # set in main(); prefixes echoed lines (two notebooks may run at once)


PROGRESS_PREFIX = "[progress] "  # lib/runtime/progress.ts: progress bars are displays that start with it
PROGRESS_ECHO_SECONDS = 5.0  # a bar updates twice a second in the notebook; the terminal gets one line per 5 s


INTERRUPTED = None  # the signal number, once SIGINT/SIGTERM arrived
KERNEL_STOP_GRACE_S = 3.0


def ignore_after_first(sig, _frame):
    """Outside nbclient's loop: the first signal interrupts, later ones are ignored."""
    global INTERRUPTED
    if INTERRUPTED is None:
        INTERRUPTED = sig
        raise KeyboardInterrupt


def kernel_pid(client):
    """The kernel's pid (jupyter_client 7+: the provisioner's process), or None."""
    km = getattr(client, "km", None)
    for obj, attr in ((getattr(km, "provisioner", None), "pid"), (getattr(getattr(km, "provisioner", None), "process", None), "pid"), (getattr(km, "kernel", None), "pid")):
        pid = getattr(obj, attr, None) if obj is not None else None
        if isinstance(pid, int) and pid > 0:
            return pid
    return None


def stop_process_group(pid):
    """SIGTERM to the kernel's process group (it runs in a session of its own), SIGKILL if it lingers."""
    if pid is None:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        except PermissionError:
            os.kill(pid, sig)
        deadline = time.time() + KERNEL_STOP_GRACE_S
        while time.time() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            try:  # reap it if it is our child (it is: jupyter_client started it)
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
            time.sleep(0.05)


class EchoingClient(NotebookClient):
    """Echoes what a long cell reports while it runs, so a headless run shows
    progress inside cells, not only between them: the kernel's stdout lines
    "[tag] …" information lines and stderr lines (warnings, errors), and the progress bars,
    which are display entries updated in place (lib/runtime/progress.ts) —
    throttled here to one line per bar every few seconds, plus its final line."""

    last_echo = {}

    @asynccontextmanager
    async def async_setup_kernel(self, **kwargs):
        # nbclient answers SIGINT/SIGTERM by shutting the kernel down while a cell still waits
        # for it, which ends in three chained tracebacks. Its loop handlers are replaced by ours:
        # remember the signal and stop the kernel; the waiting cell then ends and main() reports.
        # When nbclient removes its handlers, the signals are ignored rather than reset to their
        # defaults: a second SIGTERM (the runner passing one on) must not kill us mid-write.
        loop = asyncio.get_event_loop()
        add, remove = loop.add_signal_handler, loop.remove_signal_handler

        def add_ours(sig, _callback, *_args):
            add(sig, self.on_interrupt, sig)

        def remove_ours(sig):
            removed = remove(sig)
            signal.signal(sig, ignore_after_first)
            return removed

        loop.add_signal_handler, loop.remove_signal_handler = add_ours, remove_ours
        try:
            async with super().async_setup_kernel(**kwargs):
                yield
        finally:
            loop.add_signal_handler, loop.remove_signal_handler = add, remove

    def on_interrupt(self, sig):
        global INTERRUPTED
        if INTERRUPTED is not None:
            return
        INTERRUPTED = sig
        stop_process_group(kernel_pid(self))

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
    ap.add_argument("--state", default=None, help="JSON file: kernel pid and current cell, while running")
    ap.add_argument("--quiet-interrupt", action="store_true", help="print nothing when interrupted (the runner does)")
    a = ap.parse_args()

    # A signal before the kernel runs (nbclient installs its handlers later) stops us just as quietly.
    global INTERRUPTED
    signal.signal(signal.SIGINT, ignore_after_first)
    signal.signal(signal.SIGTERM, ignore_after_first)
    if EARLY_SIGNALS:
        INTERRUPTED = EARLY_SIGNALS[0]
        if not a.quiet_interrupt:
            sys.stderr.write(f"INTERRUPTED: {a.label or a.inp}: {signal.Signals(INTERRUPTED).name} before its kernel started\n")
        return 128 + INTERRUPTED

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

    def write_state(cell_number):
        if not a.state:
            return
        tmp = f"{a.state}.tmp-{os.getpid()}@{socket.gethostname().split('.')[0]}"
        with open(tmp, "w") as f:
            json.dump({"kernel_pid": kernel_pid(client), "cell": cell_number, "cells": len(code_cells)}, f)
        os.replace(tmp, a.state)

    current = {"cell": 0}

    def on_start(cell, cell_index):
        started[cell_index] = time.time()
        current["cell"] = index.get(id(cell), 0)
        write_state(current["cell"])

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
    except BaseException as e:  # noqa: B902 — after a signal, whatever nbclient raised is its echo
        if INTERRUPTED is None:
            raise
    finally:
        if INTERRUPTED is not None:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            stop_process_group(kernel_pid(client))
            # Interrupted while the kernel started, nbclient's exit hook would clean up a kernel
            # manager it no longer has (an AssertionError traceback at exit): the kernel is gone.
            atexit.unregister(client._cleanup_kernel)
        os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
        tmp = f"{a.out}.tmp-{os.getpid()}@{socket.gethostname().split('.')[0]}"
        nbformat.write(nb, tmp)
        os.replace(tmp, a.out)
    if INTERRUPTED is not None:
        if not a.quiet_interrupt:
            name_of = signal.Signals(INTERRUPTED).name
            where = f"in cell {current['cell']}/{len(code_cells)}" if current["cell"] else "while its kernel started"
            sys.stderr.write(f"INTERRUPTED: {label}: {name_of} {where}; partial notebook in {a.out}\n")
        return 128 + INTERRUPTED
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
