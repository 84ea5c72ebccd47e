/**
 * A whole-sequence LSTM as one differentiable op (forward and backward
 * through time in typed-array loops), for DeepGeo's character Bi-LSTM.
 *
 *   z_t = x_t W + h_{t−1} U + b,   [i, f, g, o] = [σ(z_i), σ(z_f), tanh(z_g), σ(z_o)]
 *   c_t = f ⊙ c_{t−1} + i ⊙ g,     h_t = o ⊙ tanh(c_t),   h_0 = c_0 = 0
 *
 * (Keras gate order i, f, c, o; the sigmoid recurrent activation of
 * TensorFlow's BasicLSTMCell, which DeepGeo's code uses; forget bias +1 at
 * initialisation.) `goBackwards` reads the sequence from the end and returns
 * the outputs in input order (h_t is then the state after reading x_T … x_t).
 *
 * Why not tf.layers.lstm: tfjs unrolls it into ≈ 15 kernel calls per step and
 * ≈ 30 more in the gradient, so a 100-character Bi-LSTM costs ≈ 9,000 calls
 * per batch on the wasm backend and DeepGeo trained at ≈ 20 posts/s. Here the
 * input projection x·W (all steps) and the weight gradients are single
 * matMuls; only the recurrence h_{t−1}·U and its gradient run in loops.
 * test/models/lstm.test.ts checks outputs and gradients against the same
 * recurrence written with tfjs ops.
 */
import * as tf from "@tensorflow/tfjs";

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * The recurrence on precomputed input projections xw [B, T, 4U] (= xW + b),
 * with recurrent kernel U [U, 4U]: returns h [B, T, U] and the gradient
 * function for (xw, U).
 */
function recurrence(xw: Float32Array, U32: Float32Array, B: number, T: number, units: number, backwards: boolean) {
  const G = 4 * units;
  // Float64 working buffers: V8 keeps the inner loops in doubles without float32 round trips.
  const Uk = Float64Array.from(U32);
  const h = new Float64Array(B * T * units);
  const c = new Float64Array(B * T * units);
  const gates = new Float64Array(B * T * G); // activated i, f, g, o
  const z = new Float64Array(G);
  const order = (s: number) => (backwards ? T - 1 - s : s);
  for (let b = 0; b < B; b++) {
    for (let s = 0; s < T; s++) {
      const t = order(s);
      const prev = s === 0 ? -1 : order(s - 1);
      const base = (b * T + t) * G;
      for (let k = 0; k < G; k++) z[k] = xw[base + k];
      if (prev >= 0) {
        const hp = (b * T + prev) * units;
        for (let j = 0; j < units; j++) {
          const hj = h[hp + j];
          if (hj === 0) continue;
          const row = j * G;
          for (let k = 0; k < G; k++) z[k] += hj * Uk[row + k];
        }
      }
      const ho = (b * T + t) * units;
      const cp = prev >= 0 ? (b * T + prev) * units : -1;
      for (let u = 0; u < units; u++) {
        const i = sigmoid(z[u]);
        const f = sigmoid(z[units + u]);
        const g = Math.tanh(z[2 * units + u]);
        const o = sigmoid(z[3 * units + u]);
        gates[base + u] = i;
        gates[base + units + u] = f;
        gates[base + 2 * units + u] = g;
        gates[base + 3 * units + u] = o;
        const ct = (cp >= 0 ? f * c[cp + u] : 0) + i * g;
        c[ho + u] = ct;
        h[ho + u] = o * Math.tanh(ct);
      }
    }
  }
  const grad = (dh: Float32Array): { dxw: Float32Array; dU: Float32Array } => {
    const dxw = new Float64Array(B * T * G);
    const dU = new Float64Array(units * G);
    const dhNext = new Float64Array(units);
    const dcNext = new Float64Array(units);
    for (let b = 0; b < B; b++) {
      dhNext.fill(0);
      dcNext.fill(0);
      for (let s = T - 1; s >= 0; s--) {
        const t = order(s);
        const prev = s === 0 ? -1 : order(s - 1);
        const base = (b * T + t) * G;
        const ho = (b * T + t) * units;
        const cp = prev >= 0 ? (b * T + prev) * units : -1;
        for (let u = 0; u < units; u++) {
          const i = gates[base + u],
            f = gates[base + units + u],
            g = gates[base + 2 * units + u],
            o = gates[base + 3 * units + u];
          const tc = Math.tanh(c[ho + u]);
          const dht = dh[ho + u] + dhNext[u];
          const dct = dht * o * (1 - tc * tc) + dcNext[u];
          const cprev = cp >= 0 ? c[cp + u] : 0;
          dxw[base + u] = dct * g * i * (1 - i);
          dxw[base + units + u] = dct * cprev * f * (1 - f);
          dxw[base + 2 * units + u] = dct * i * (1 - g * g);
          dxw[base + 3 * units + u] = dht * tc * o * (1 - o);
          dcNext[u] = dct * f;
        }
        // dh_{t−1} = dz · Uᵀ ;  dU += h_{t−1}ᵀ dz
        dhNext.fill(0);
        if (prev >= 0) {
          const hp = (b * T + prev) * units;
          for (let j = 0; j < units; j++) {
            const row = j * G;
            const hj = h[hp + j];
            let acc = 0;
            for (let k = 0; k < G; k++) {
              const dz = dxw[base + k];
              acc += dz * Uk[row + k];
              dU[row + k] += hj * dz;
            }
            dhNext[j] = acc;
          }
        }
      }
    }
    return { dxw: Float32Array.from(dxw), dU: Float32Array.from(dU) };
  };
  return { h: Float32Array.from(h), grad };
}

/** LSTM over x [B, T, D] with kernel W [D, 4U], recurrent kernel U [U, 4U], bias b [4U] → h [B, T, U]. */
export function lstmSequence(x: tf.Tensor3D, W: tf.Tensor2D, U: tf.Tensor2D, bias: tf.Tensor1D, backwards = false): tf.Tensor3D {
  const [B, T, D] = x.shape;
  const units = U.shape[0];
  const f = tf.customGrad(((xIn: tf.Tensor, wIn: tf.Tensor, uIn: tf.Tensor, bIn: tf.Tensor, save: (ts: tf.Tensor[]) => void) => {
    const xw = tf.tidy(() => tf.add(tf.matMul((xIn as tf.Tensor3D).reshape([B * T, D]), wIn as tf.Tensor2D), bIn));
    const r = recurrence(xw.dataSync() as Float32Array, uIn.dataSync() as Float32Array, B, T, units, backwards);
    xw.dispose();
    save([xIn, wIn]);
    return {
      value: tf.tensor3d(r.h, [B, T, units]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const { dxw, dU } = r.grad(dy.dataSync() as Float32Array);
        const [xs, ws] = saved;
        return tf.tidy(() => {
          const dz = tf.tensor2d(dxw, [B * T, 4 * units]);
          const dx = tf.matMul(dz, ws as tf.Tensor2D, false, true).reshape([B, T, D]);
          const dW = tf.matMul((xs as tf.Tensor3D).reshape([B * T, D]), dz, true, false);
          return [dx, dW, tf.tensor2d(dU, [units, 4 * units]), tf.sum(dz, 0)];
        });
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x, W, U, bias) as tf.Tensor3D;
}

export interface SequenceLstmConfig {
  units: number;
  goBackwards?: boolean;
  seed: number;
  name?: string;
}

/** LSTM layer returning every step's h (returnSequences), outputs in input order. */
export class SequenceLSTM extends tf.layers.Layer {
  static className = "GeoreproSequenceLSTM";
  readonly units: number;
  readonly goBackwards: boolean;
  readonly seed: number;
  private kernel!: tf.LayerVariable;
  private recurrentKernel!: tf.LayerVariable;
  private bias!: tf.LayerVariable;
  constructor(cfg: SequenceLstmConfig) {
    super({ name: cfg.name });
    if (!(Number.isInteger(cfg.units) && cfg.units >= 1))
      throw new Error(`SequenceLSTM: units must be a positive integer, got ${cfg.units}`);
    this.units = cfg.units;
    this.goBackwards = cfg.goBackwards ?? false;
    this.seed = cfg.seed;
  }
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const D = (inputShape as tf.Shape)[2] as number;
    const u = this.units;
    this.kernel = this.addWeight("kernel", [D, 4 * u], "float32", tf.initializers.glorotUniform({ seed: this.seed }));
    this.recurrentKernel = this.addWeight("recurrent_kernel", [u, 4 * u], "float32", tf.initializers.orthogonal({ seed: this.seed + 1 }));
    // Forget-gate bias 1 (Jozefowicz et al. 2015; TF's BasicLSTMCell forget_bias=1.0), others 0.
    const b = new Float32Array(4 * u);
    b.fill(1, u, 2 * u);
    this.bias = this.addWeight("bias", [4 * u], "float32", tf.initializers.zeros());
    this.bias.write(tf.tensor1d(b));
    this.built = true;
  }
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = inputShape as tf.Shape;
    return [s[0], s[1], this.units];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
    return lstmSequence(
      x,
      this.kernel.read() as tf.Tensor2D,
      this.recurrentKernel.read() as tf.Tensor2D,
      this.bias.read() as tf.Tensor1D,
      this.goBackwards,
    );
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, goBackwards: this.goBackwards, seed: this.seed };
  }
}
tf.serialization.registerClass(SequenceLSTM);
