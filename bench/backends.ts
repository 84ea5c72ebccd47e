/**
 * Training speed of a small text CNN on every TensorFlow.js backend that loads
 * here (issue 2): embedding 5000×100 → conv1d k=3,4,5 × 100 filters → max over
 * time → dense softmax over 40 classes; batch 64, length 100, RMSprop.
 * Run: node dist/bench/backends.js [steps=3] [backends=wasm,cpu]
 */
import * as tf from "@tensorflow/tfjs";
import { selectBackend, type BackendName } from "../lib/tfjs/backend";
import { MaxOverTime } from "../lib/models/layers";
import { stream } from "../lib/runtime/rng";

function textCnn(seed: number): tf.LayersModel {
  const r = stream(seed, "bench/textcnn");
  const ids = tf.input({ shape: [100], dtype: "int32", name: "ids" });
  const emb = tf.layers
    .embedding({
      inputDim: 5000,
      outputDim: 100,
      embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: r.seedInt() }),
    })
    .apply(ids) as tf.SymbolicTensor;
  const maps = [3, 4, 5].map((k) => {
    const c = tf.layers
      .conv1d({
        filters: 100,
        kernelSize: k,
        padding: "same",
        activation: "relu",
        kernelInitializer: tf.initializers.glorotUniform({ seed: r.seedInt() }),
      })
      .apply(emb) as tf.SymbolicTensor;
    return new MaxOverTime({}).apply(c) as tf.SymbolicTensor;
  });
  const cat = tf.layers.concatenate().apply(maps) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ units: 40, kernelInitializer: tf.initializers.glorotUniform({ seed: r.seedInt() }) })
    .apply(cat) as tf.SymbolicTensor;
  return tf.model({ inputs: ids, outputs: out });
}

async function main() {
  const steps = Number(process.argv[2] ?? 3);
  const r = stream(1, "bench/backends");
  const backends = (process.argv[3] ?? "wasm,cpu").split(",") as BackendName[];
  for (const name of backends) {
    try {
      await selectBackend(name);
    } catch (e) {
      console.log(`${name}: does not load (${(e as Error).message})`);
      continue;
    }
    const model = textCnn(1);
    const x = tf.tensor2d(
      Int32Array.from({ length: 64 * 100 }, () => 2 + r.int(4998)),
      [64, 100],
      "int32",
    );
    const y = tf.oneHot(
      tf.tensor1d(
        Int32Array.from({ length: 64 }, () => r.int(40)),
        "int32",
      ),
      40,
    );
    const opt = tf.train.rmsprop(0.001);
    const step = () => {
      const c = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
      c.dataSync();
      c.dispose();
    };
    step();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < steps; i++) step();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6 / steps;
    console.log(`text CNN on ${name}: ${((64 / ms) * 1000).toFixed(1)} samples/s (${ms.toFixed(0)} ms/step, batch 64)`);
    tf.dispose([x, y]);
    model.dispose();
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
