/**
 * LSTM (tf.layers.lstm, alone or in tf.layers.bidirectional) and the Dot
 * layer of DeepGeo's attention pooling.
 *
 * LSTM (Keras cell, gates in the order i, f, c, o; σ = recurrentActivation,
 * hardSigmoid by default: clip(0.2z + 0.5, 0, 1)):
 *   z_t = x_t W + h_{t−1} U + b
 *   i = σ(z_i), f = σ(z_f), g = tanh(z_c), o = σ(z_o)
 *   c_t = f ⊙ c_{t−1} + i ⊙ g,   h_t = o ⊙ tanh(c_t),   h_{−1} = c_{−1} = 0
 * x·W for all steps is one product; each step adds h_{t−1}·U into its rows.
 * The forward pass keeps the activated gates and tanh c_t for the backward pass.
 * Backward through time, with dh_t = dy_t + dz_{t+1} Uᵀ and
 * dc_t = dh_t ⊙ o ⊙ (1 − tanh² c_t) + dc_{t+1} ⊙ f_{t+1}:
 *   dz_o = dh_t ⊙ tanh c_t ⊙ σ'(z_o),  dz_i = dc_t ⊙ g ⊙ σ'(z_i),
 *   dz_f = dc_t ⊙ c_{t−1} ⊙ σ'(z_f),   dz_c = dc_t ⊙ i ⊙ (1 − g²)
 *   dW = Xᵀ dZ,  dU = H_{prev}ᵀ dZ,  db = Σ dZ,  dX = dZ Wᵀ
 * hardSigmoid' is 0.2 where 0 ≤ 0.2z + 0.5 ≤ 1 (tfjs clips with inclusive bounds).
 * A backward-running LSTM (goBackwards, or the second half of Bidirectional)
 * walks t = T−1 … 0 and writes h_t at position t, which is what Bidirectional
 * produces after reversing its backward layer's outputs, and what our
 * GeoreproSequenceLSTM (lib/models/layers/lstm.ts) returns with goBackwards.
 */
import { addBias } from "./linear";
import { bytes, Unsupported, type Builder, type Ctx, type Op, type Param, type Tensor } from "./common";

type Cfg = Record<string, unknown>;

interface Direction {
  W: Param;
  U: Param;
  b: Param | undefined;
  backwards: boolean;
  z: number; // [B, T, 4u] pre-activations
  gate: number; // [B, T, 4u] activated gates i, f, g, o (saved for backward)
  tc: number; // [B, T, u] tanh(c_t)
  c: number; // [B, T, u] cell states
  h: number; // [B, T, u] hidden states
  dz: number; // [B, T, 4u]
  hprev: number; // [B, T, u] h shifted by one step (for dU)
  wt: number; // [4u, D] and [4u, u] transposes
  ut: number;
  dh: number; // [B, u] carried gradients
  dc: number;
}

function lstmConfig(name: string, cfg: Cfg): { units: number; act: string; rec: string } {
  for (const k of ["returnState", "stateful", "unroll"]) if (cfg[k]) throw new Unsupported(`${name}: LSTM with ${k}`);
  if (Number(cfg.dropout ?? 0) > 0 || Number(cfg.recurrentDropout ?? 0) > 0) throw new Unsupported(`${name}: LSTM with dropout`);
  const act = String(cfg.activation ?? "tanh");
  const rec = String(cfg.recurrentActivation ?? "hardSigmoid");
  if (act !== "tanh") throw new Unsupported(`${name}: LSTM activation ${act}`);
  if (rec !== "hardSigmoid" && rec !== "sigmoid") throw new Unsupported(`${name}: LSTM recurrent activation ${rec}`);
  if (cfg.useBias === false) throw new Unsupported(`${name}: LSTM without bias`);
  return { units: Number(cfg.units), act, rec };
}

/** An LSTM layer, or a Bidirectional wrapper of one (mergeMode "concat"). */
export function lstmOp(bl: Builder, name: string, cfg: Cfg, x: Tensor, bidirectional: boolean): Op {
  const inner = bidirectional ? ((cfg.layer as { config: Cfg }).config ?? {}) : cfg;
  if (bidirectional && cfg.mergeMode !== "concat") throw new Unsupported(`${name}: Bidirectional mergeMode ${String(cfg.mergeMode)}`);
  const { units: u, rec } = lstmConfig(name, inner);
  const seq = Boolean(inner.returnSequences);
  const [T, D] = x.shape;
  const M = bl.maxBatch;
  const nDir = bidirectional ? 2 : 1;
  if (bl.params.length !== 3 * nDir) throw new Unsupported(`${name}: LSTM weights [${bl.params.map((p) => p.name)}]`);
  const dirs: Direction[] = Array.from({ length: nDir }, (_, d) => ({
    W: bl.params[3 * d],
    U: bl.params[3 * d + 1],
    b: bl.params[3 * d + 2],
    backwards: bidirectional ? d === 1 : Boolean(inner.goBackwards),
    z: bl.scratch(M * T * 4 * u),
    gate: bl.scratch(M * T * 4 * u),
    tc: bl.scratch(M * T * u),
    c: bl.scratch(M * T * u),
    h: bl.scratch(M * T * u),
    dz: bl.scratch(M * T * 4 * u),
    hprev: bl.scratch(M * T * u),
    wt: bl.scratch(4 * u * D),
    ut: bl.scratch(4 * u * u),
    dh: bl.scratch(M * u),
    dc: bl.scratch(M * u),
  }));
  if (dirs.some((d) => d.W.shape[0] !== D || d.W.shape[1] !== 4 * u || d.U.shape[0] !== u))
    throw new Error(`engine: ${name}: LSTM weight shapes`);
  const width = nDir * u;
  const y = bl.tensor(seq ? [T, width] : [width], true);
  const hardSigmoid = rec === "hardSigmoid";
  const sig = hardSigmoid ? (z: number) => Math.min(1, Math.max(0, 0.2 * z + 0.5)) : (z: number) => 1 / (1 + Math.exp(-z));
  /** σ'(z) given z and σ(z). */
  const dsig = hardSigmoid ? (z: number) => (0.2 * z + 0.5 >= 0 && 0.2 * z + 0.5 <= 1 ? 0.2 : 0) : (_z: number, s: number) => s * (1 - s);
  const u4 = 4 * u;

  const forwardDir = (c: Ctx, d: Direction) => {
    const { k, f32: f } = c.a;
    const B = c.B;
    k.gemm_nn(bytes(x.off), bytes(d.W.off), bytes(d.z), B * T, D, u4, D, u4, u4, 0);
    if (d.b) addBias(c.a, d.z, d.b.off, B * T, u4);
    for (let s = 0; s < T; s++) {
      const t = d.backwards ? T - 1 - s : s;
      const tp = d.backwards ? t + 1 : t - 1;
      if (s > 0) k.gemm_nn(bytes(d.h + tp * u), bytes(d.U.off), bytes(d.z + t * u4), B, u, u4, T * u, u4, T * u4, 1);
      for (let b = 0; b < B; b++) {
        const zo = d.z + (b * T + t) * u4;
        const go = d.gate + (b * T + t) * u4;
        const co = d.c + (b * T + t) * u;
        const ho = d.h + (b * T + t) * u;
        const to = d.tc + (b * T + t) * u;
        const cp = s > 0 ? d.c + (b * T + tp) * u : -1;
        for (let j = 0; j < u; j++) {
          const ig = (f[go + j] = sig(f[zo + j]));
          const fg = (f[go + u + j] = sig(f[zo + u + j]));
          const g = (f[go + 2 * u + j] = Math.tanh(f[zo + 2 * u + j]));
          const og = (f[go + 3 * u + j] = sig(f[zo + 3 * u + j]));
          const cv = (cp >= 0 ? fg * f[cp + j] : 0) + ig * g;
          f[co + j] = cv;
          const tc = (f[to + j] = Math.tanh(f[co + j]));
          f[ho + j] = og * tc;
        }
      }
    }
  };

  const backwardDir = (c: Ctx, d: Direction, col: number, dxAcc: boolean) => {
    const { k, f32: f } = c.a;
    const B = c.B;
    f.fill(0, d.dc, d.dc + B * u);
    f.fill(0, d.dh, d.dh + B * u);
    k.transpose(bytes(d.U.off), bytes(d.ut), u, u4, u4, u);
    for (let s = T - 1; s >= 0; s--) {
      const t = d.backwards ? T - 1 - s : s;
      const tp = d.backwards ? t + 1 : t - 1;
      for (let b = 0; b < B; b++) {
        const zo = d.z + (b * T + t) * u4;
        const go = d.gate + (b * T + t) * u4;
        const to = d.tc + (b * T + t) * u;
        const cp = s > 0 ? d.c + (b * T + tp) * u : -1;
        const dzo = d.dz + (b * T + t) * u4;
        // The output's gradient at this step: every step when returning sequences, else only the last.
        const gy = seq ? y.goff + (b * T + t) * width + col : s === T - 1 ? y.goff + b * width + col : -1;
        for (let j = 0; j < u; j++) {
          const zi = f[zo + j];
          const zf = f[zo + u + j];
          const zz = f[zo + 3 * u + j];
          const ig = f[go + j];
          const fg = f[go + u + j];
          const g = f[go + 2 * u + j];
          const og = f[go + 3 * u + j];
          const tc = f[to + j];
          const dh = (gy >= 0 ? f[gy + j] : 0) + f[d.dh + b * u + j];
          const dc = dh * og * (1 - tc * tc) + f[d.dc + b * u + j];
          f[dzo + j] = dc * g * dsig(zi, ig);
          f[dzo + u + j] = (cp >= 0 ? dc * f[cp + j] : 0) * dsig(zf, fg);
          f[dzo + 2 * u + j] = dc * ig * (1 - g * g);
          f[dzo + 3 * u + j] = dh * tc * dsig(zz, og);
          f[d.dc + b * u + j] = dc * fg;
        }
      }
      // dh for the step processed before this one: dz_t Uᵀ
      if (s > 0) k.gemm_nn(bytes(d.dz + t * u4), bytes(d.ut), bytes(d.dh), B, u4, u, T * u4, u, u, 0);
    }
    // h shifted one step against the direction of processing (zeros where the walk starts), for dU.
    for (let b = 0; b < B; b++)
      for (let s = 0; s < T; s++) {
        const t = d.backwards ? T - 1 - s : s;
        const dst = d.hprev + (b * T + t) * u;
        if (s === 0) f.fill(0, dst, dst + u);
        else {
          const src = d.h + (b * T + (d.backwards ? t + 1 : t - 1)) * u;
          f.copyWithin(dst, src, src + u);
        }
      }
    if (d.W.trainable) k.gemm_tn(bytes(x.off), bytes(d.dz), bytes(d.W.goff), B * T, D, u4, D, u4, u4, 0);
    if (d.U.trainable) k.gemm_tn(bytes(d.hprev), bytes(d.dz), bytes(d.U.goff), B * T, u, u4, u, u4, u4, 0);
    if (d.b?.trainable) k.col_sums(bytes(d.dz), bytes(d.b.goff), B * T, u4, 0);
    if (x.needsGrad) {
      k.transpose(bytes(d.W.off), bytes(d.wt), D, u4, u4, D);
      k.gemm_nn(bytes(d.dz), bytes(d.wt), bytes(x.goff), B * T, u4, D, u4, D, D, dxAcc ? 1 : 0);
    }
  };

  return {
    kind: bidirectional ? "Bidirectional" : "LSTM",
    name,
    inputs: [x],
    output: y,
    params: bl.params,
    accIn: [false],
    forward(c: Ctx) {
      const { k } = c.a;
      const B = c.B;
      dirs.forEach((d, i) => {
        forwardDir(c, d);
        if (seq) k.copy_rows(bytes(d.h), bytes(y.off + i * u), B * T, u, u, width, 0);
        else {
          // the final step of the walk: position T−1 going forwards, 0 going backwards
          const t = d.backwards ? 0 : T - 1;
          k.copy_rows(bytes(d.h + t * u), bytes(y.off + i * u), B, u, T * u, width, 0);
        }
      });
    },
    backward(c: Ctx) {
      dirs.forEach((d, i) => backwardDir(c, d, i * u, i === 0 ? this.accIn[0] : true));
    },
  };
}

/** Dot with axes 1 of [B, T] weights and [B, T, F] values: y[b, :] = Σ_t w[b, t] · v[b, t, :]. */
export function dotOp(bl: Builder, name: string, cfg: Cfg, xs: Tensor[]): Op {
  const axes = Array.isArray(cfg.axes) ? (cfg.axes as number[]) : [Number(cfg.axes), Number(cfg.axes)];
  if (cfg.normalize) throw new Unsupported(`${name}: Dot with normalize`);
  const [w, v] = xs;
  if (xs.length !== 2 || axes[0] !== 1 || axes[1] !== 1 || w.shape.length !== 1 || v.shape.length !== 2 || w.shape[0] !== v.shape[0])
    throw new Unsupported(`${name}: Dot of [${w?.shape}] and [${v?.shape}] over axes ${axes}`);
  const [T, F] = v.shape;
  const y = bl.tensor([F], w.needsGrad || v.needsGrad);
  return {
    kind: "Dot",
    name,
    inputs: xs,
    output: y,
    params: [],
    accIn: [false, false],
    forward(c: Ctx) {
      // one [1, T]·[T, F] product per sample
      for (let b = 0; b < c.B; b++)
        c.a.k.gemm_nn(bytes(w.off + b * T), bytes(v.off + b * T * F), bytes(y.off + b * F), 1, T, F, T, F, F, 0);
    },
    backward(c: Ctx) {
      const { k, f32: f } = c.a;
      // dw[b, t] = Σ_f dy[b, f] v[b, t, f]
      if (w.needsGrad)
        for (let b = 0; b < c.B; b++)
          for (let t = 0; t < T; t++) {
            let s = 0;
            for (let j = 0; j < F; j++) s += f[y.goff + b * F + j] * f[v.off + (b * T + t) * F + j];
            if (this.accIn[0]) f[w.goff + b * T + t] += s;
            else f[w.goff + b * T + t] = s;
          }
      // dv[b, t, :] = w[b, t] · dy[b, :]  →  [T, 1]·[1, F]
      if (v.needsGrad)
        for (let b = 0; b < c.B; b++)
          k.gemm_nn(bytes(w.off + b * T), bytes(y.goff + b * F), bytes(v.goff + b * T * F), T, 1, F, 1, F, F, this.accIn[1] ? 1 : 0);
    },
  };
}
