/**
 * `make notebook` shows interactive figures: Jupyter Notebook on the project's
 * tslab kernel, a figure cell run through the notebook's UI in headless
 * Chromium, a plotly chart that answers a hover, plotly from the local package,
 * nothing fetched from outside 127.0.0.1 (scripts/check-interactive.ts).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { testNeeding } from "../support/requires";
import { checkInteractive, JUPYTER } from "../../scripts/check-interactive";
import { JUPYTER_PATH } from "../../scripts/run-notebooks";

const missing =
  !fs.existsSync(JUPYTER) || spawnSync(JUPYTER, ["notebook", "--version"]).status !== 0
    ? "Jupyter Notebook (Debian jupyter-notebook) is not installed"
    : !fs.existsSync(path.join(JUPYTER_PATH, "kernels", "tslab", "kernel.json"))
      ? "project-local tslab kernel missing (run make setup)"
      : false;

testNeeding(
  "make notebook: a figure is an interactive plotly chart from the local bundle, with hover, and no request leaves 127.0.0.1",
  missing,
  async () => {
    const r = await checkInteractive(null);
    assert.equal(r.plots, 1, "one interactive chart");
    assert.ok(r.hover, "hovering a bar shows its value");
    assert.ok(r.plotlyLocal, "plotly comes from the local package");
    assert.deepEqual(r.external, [], "no request leaves the machine");
  },
);
