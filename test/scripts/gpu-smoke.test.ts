/**
 * bench/gpu-smoke.ts on a machine without a GPU: it must say so in one clear line and exit 2,
 * not run the CPU side and report a meaningless comparison. (On a machine with a GPU the smoke
 * test itself is the check: `make gpu-smoke`, minutes long, not a unit test.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fromRoot } from "../../lib/runtime/paths";
import { probeGpu } from "../../lib/runtime/device";

test(
  "gpu-smoke exits 2 with the probe's reasons when no GPU is found",
  { skip: probeGpu().device ? "this machine has a GPU: run make gpu-smoke" : false },
  () => {
    const r = spawnSync(process.execPath, [fromRoot("dist", "bench", "gpu-smoke.js")], { encoding: "utf8", timeout: 120_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^gpu-smoke: no GPU found — tensorflow-gpu: .*; webgpu: .*README "GPU"/m);
    assert.doesNotMatch(r.stderr, /tensorflow: not installed/, "CPU backends are not GPU reasons");
    const bad = spawnSync(process.execPath, [fromRoot("dist", "bench", "gpu-smoke.js"), "--against=tpu"], { encoding: "utf8" });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /--against: expected gpu or tfjs-cpu \(got tpu\)/);
  },
);
