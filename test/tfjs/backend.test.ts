import { test } from "node:test";
import assert from "node:assert/strict";
import { selectBackend } from "../../lib/tfjs/backend";
import { computePlan } from "../../lib/runtime/device";
import { recordedBackend } from "../../lib/runtime/provenance";

test("the plan's backend is chosen, recorded, and says why faster ones were skipped", async () => {
  const { tf, name, device, skipped } = await selectBackend();
  const plan = computePlan();
  assert.equal(name, plan.backend);
  assert.equal(device, plan.device);
  assert.equal(recordedBackend(), name);
  assert.equal(tf.getBackend(), name === "tensorflow-gpu" ? "tensorflow" : name);
  // Every backend ahead of the chosen one in the order has a recorded reason (a GPU one included).
  const order = ["tensorflow-gpu", "webgpu", "tensorflow", "wasm", "cpu"];
  for (const faster of order.slice(0, order.indexOf(name))) assert.ok(skipped[faster], `no reason recorded for skipping ${faster}`);
  const y = tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]]));
  assert.deepEqual(Array.from(await y.data()), [11]);
});

test("a forced backend is honoured and an unknown one is refused", async () => {
  const cpu = await selectBackend("cpu");
  assert.equal(cpu.name, "cpu");
  assert.equal(cpu.tf.getBackend(), "cpu");
  await assert.rejects(selectBackend("tpu" as never), /unknown backend "tpu"/);
});
