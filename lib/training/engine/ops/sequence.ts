/**
 * DeepGeo's sequence layers (lib/models/layers/sequence.ts) and the clipped
 * ReLU of MobileNetV2 (tf.layers.reLU({maxValue})).
 *
 * TimeShift by s ∈ {+1, −1} over x [T, C] (the left / right context of the RCNN):
 *   forward   y_t = x_{t−s}, and 0 where t − s is outside [0, T)
 *   backward  dx_t = dy_{t+s}, and 0 where t + s is outside [0, T)
 * Per sample the shifted block is (T−1)·C contiguous elements, so each
 * direction is one strided row copy over the batch.
 *
 * AttentionPool over x [T, C] with weights W [C, C], v [C] and an optional
 * 0/1 mask m [T] (Lau et al. 2017's attention, as the layer computes it):
 *   u_t = tanh(x_t W),  s_t = v · u_t
 *   a = softmax(s − ∞·(1 − m)) ⊙ m,   y = Σ_t a_t x_t
 * Pad positions get a large negative score before the softmax and 0 after it,
 * so a sample made only of padding pools to 0. Backward, with g = dy:
 *   da_t = g · x_t,   ds = a ⊙ (da − Σ_t a_t da_t)        (softmax gradient)
 *   dv = Σ_t ds_t u_t,   du_t = ds_t v ⊙ (1 − u_t²)
 *   dW = Σ_t x_tᵀ du_t,  dx_t = a_t g + du_t Wᵀ
 * The masked softmax needs no extra step: a is exactly 0 at pad positions
 * whenever a real position exists, and 0 everywhere for an all-pad sample,
 * so ds vanishes there (the derivative of softmax ⊙ m, as tfjs computes it).
 *
 * ReLU with maxValue M (tf.layers.reLU; MobileNetV2's ReLU6):
 *   y = min(max(x, 0), M),   dx = dy where 0 < x ≤ M, else 0
 * — tfjs's gradient of clipByValue(relu(x), 0, M): relu passes x > 0, the
 * clip passes its inclusive range [0, M]. maxValue null is the plain ReLU.
 */
import { activate, bytes, copyOrAdd, Unsupported, type Builder, type Ctx, type Op, type Param, type Tensor } from "./common";
import { activationOp } from "./shape";

type Cfg = Record<string, unknown>;

export function timeShiftOp(bl: Builder, name: string, cfg: Cfg, x: Tensor): Op {
  const by = Number(cfg.by);
  if (by !== 1 && by !== -1) throw new Unsupported(`${name}: TimeShift by ${String(cfg.by)}`);
  if (x.shape.length !== 2 || x.shape[0] < 1) throw new Unsupported(`${name}: TimeShift of shape [${x.shape}]`);
  const [T, C] = x.shape;
  const y = bl.tensor(x.shape, x.needsGrad);
  const n = (T - 1) * C; // the block that moves, per sample
  // Offsets of the moving block within a sample: forward reads x at `from` and writes y at `to`.
  const from = by === 1 ? 0 : C;
  const to = by === 1 ? C : 0;
  const edge = by === 1 ? 0 : (T - 1) * C; // the row of y with no source
  return {
    kind: "TimeShift",
    name,
    inputs: [x],
    output: y,
    params: [],
    accIn: [false],
    forward(c: Ctx) {
      const { k, f32: f } = c.a;
      if (n > 0) k.copy_rows(bytes(x.off + from), bytes(y.off + to), c.B, n, T * C, T * C, 0);
      for (let b = 0; b < c.B; b++) f.fill(0, y.off + b * T * C + edge, y.off + b * T * C + edge + C);
    },
    backward(this: Op, c: Ctx) {
      if (!x.needsGrad) return;
      const { k, f32: f } = c.a;
      const acc = this.accIn[0];
      if (n > 0) k.copy_rows(bytes(y.goff + to), bytes(x.goff + from), c.B, n, T * C, T * C, acc ? 1 : 0);
      // The row of x no output reads: its gradient is 0 (nothing to add when accumulating).
      const dead = by === 1 ? (T - 1) * C : 0;
      if (!acc) for (let b = 0; b < c.B; b++) f.fill(0, x.goff + b * T * C + dead, x.goff + b * T * C + dead + C);
    },
  };
}

/** AttentionPool: inputs [x] or [x, mask]; weights W [C, C], v [C] (the layer's addWeight order). */
export function attentionPoolOp(bl: Builder, name: string, xs: Tensor[]): Op {
  if (xs.length < 1 || xs.length > 2) throw new Unsupported(`${name}: AttentionPool with ${xs.length} inputs`);
  const [x, m] = xs;
  if (x.shape.length !== 2) throw new Unsupported(`${name}: AttentionPool of shape [${x.shape}]`);
  const [T, C] = x.shape;
  if (m && (m.shape.length !== 1 || m.shape[0] !== T)) throw new Unsupported(`${name}: mask [${m.shape}] for a sequence [${x.shape}]`);
  if (bl.params.length !== 2) throw new Unsupported(`${name}: AttentionPool weights [${bl.params.map((p) => p.name)}]`);
  const [W, v] = bl.params as [Param, Param];
  if (W.shape[0] !== C || W.shape[1] !== C || v.shape[0] !== C)
    throw new Error(`engine: ${name}: AttentionPool weights [${W.shape}], [${v.shape}] for ${C} channels`);
  const M = bl.maxBatch;
  const u = bl.scratch(M * T * C); // tanh(x W)
  const a = bl.scratch(M * T); // scores, then attention weights
  const da = bl.scratch(M * T); // weight gradients, then score gradients
  const du = bl.scratch(M * T * C);
  const wt = x.needsGrad ? bl.scratch(C * C) : 0;
  const y = bl.tensor([C], x.needsGrad || W.trainable || v.trainable);
  return {
    kind: m ? "AttentionPool (masked)" : "AttentionPool",
    name,
    inputs: xs,
    output: y,
    params: bl.params,
    accIn: xs.map(() => false),
    forward(c: Ctx) {
      const { k, f32: f } = c.a;
      const B = c.B;
      k.gemm_nn(bytes(x.off), bytes(W.off), bytes(u), B * T, C, C, C, C, C, 0);
      activate(c.a, u, B * T * C, "tanh");
      k.gemm_nn(bytes(u), bytes(v.off), bytes(a), B * T, C, 1, C, 1, 1, 0);
      if (m) for (let i = 0; i < B * T; i++) if (f[m.off + i] === 0) f[a + i] = -1e30;
      k.softmax_rows(bytes(a), B, T);
      if (m) for (let i = 0; i < B * T; i++) if (f[m.off + i] === 0) f[a + i] = 0;
      // y_b = a_b [1, T] · x_b [T, C]
      for (let b = 0; b < B; b++) k.gemm_nn(bytes(a + b * T), bytes(x.off + b * T * C), bytes(y.off + b * C), 1, T, C, T, C, C, 0);
    },
    backward(this: Op, c: Ctx) {
      const { k, f32: f } = c.a;
      const B = c.B;
      // da_t = g · x_t, then ds = a ⊙ (da − a·da) in place
      for (let b = 0; b < B; b++)
        for (let t = 0; t < T; t++) {
          let s = 0;
          const xo = x.off + (b * T + t) * C;
          const go = y.goff + b * C;
          for (let j = 0; j < C; j++) s += f[go + j] * f[xo + j];
          f[da + b * T + t] = s;
        }
      k.softmax_back_rows(bytes(a), bytes(da), B, T);
      if (v.trainable) k.gemm_tn(bytes(u), bytes(da), bytes(v.goff), B * T, C, 1, C, 1, 1, 0);
      // du_t = ds_t v ⊙ (1 − u_t²)
      for (let i = 0; i < B * T; i++) {
        const s = f[da + i];
        const uo = u + i * C;
        const dout = du + i * C;
        for (let j = 0; j < C; j++) {
          const uv = f[uo + j];
          f[dout + j] = s * f[v.off + j] * (1 - uv * uv);
        }
      }
      if (W.trainable) k.gemm_tn(bytes(x.off), bytes(du), bytes(W.goff), B * T, C, C, C, C, C, 0);
      if (!x.needsGrad) return;
      k.transpose(bytes(W.off), bytes(wt), C, C, C, C);
      k.gemm_nn(bytes(du), bytes(wt), bytes(x.goff), B * T, C, C, C, C, C, this.accIn[0] ? 1 : 0);
      // + a_t g: per sample the outer product a_b [T, 1] · g_b [1, C]
      for (let b = 0; b < B; b++) k.gemm_nn(bytes(a + b * T), bytes(y.goff + b * C), bytes(x.goff + b * T * C), T, 1, C, 1, C, C, 1);
    },
  };
}

/** tf.layers.reLU: the plain ReLU without maxValue, else the ReLU clipped at maxValue. */
export function clippedReluOp(bl: Builder, name: string, cfg: Cfg, x: Tensor): Op {
  if (cfg.maxValue === null || cfg.maxValue === undefined) return activationOp(bl, name, "relu", x);
  const top = Number(cfg.maxValue);
  if (!(Number.isFinite(top) && top > 0)) throw new Unsupported(`${name}: ReLU maxValue ${String(cfg.maxValue)}`);
  const y = bl.tensor(x.shape, x.needsGrad);
  return {
    kind: "ReLU (clipped)",
    name,
    inputs: [x],
    output: y,
    params: [],
    accIn: [false],
    forward(c: Ctx) {
      const f = c.a.f32;
      const n = c.B * x.per;
      for (let i = 0; i < n; i++) {
        const v = f[x.off + i];
        f[y.off + i] = v <= 0 ? 0 : v > top ? top : v;
      }
    },
    backward(this: Op, c: Ctx) {
      if (!x.needsGrad) return;
      const f = c.a.f32;
      const n = c.B * x.per;
      // Zero the output gradient outside (0, M], then write or add it into dx.
      for (let i = 0; i < n; i++) {
        const v = f[x.off + i];
        if (!(v > 0 && v <= top)) f[y.goff + i] = 0;
      }
      copyOrAdd(c.a, x.goff, y.goff, n, this.accIn[0]);
    },
  };
}
