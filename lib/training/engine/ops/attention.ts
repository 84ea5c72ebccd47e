/**
 * Our MultiHeadAttention layer (lib/models/layers/attention.ts), self- or
 * cross-attention, without moving heads around: Q, K, V stay [B, T, h·dh]
 * and each head's products read its columns through the kernels' leading
 * dimensions.
 *
 *   Q = (Hq Wq + bq)/√dh,  K = Hkv Wk + bk,  V = Hkv Wv + bv
 *   per sample b and head i:  P = softmax(Q_bi K_biᵀ),  O_bi = P V_bi
 * Backward, per (b, i), with G = dO_bi:
 *   dP = G V_biᵀ,  dV_bi = Pᵀ G,  dS = P ⊙ (dP − rowsum(dP ⊙ P)),
 *   dQ_bi = dS K_bi,  dK_bi = dSᵀ Q_bi
 * then the projections' weight, bias and input gradients as in a dense layer.
 *
 * With a key padding mask (the layer's `masked`, mask as the last input), as
 * the layer computes it: P = softmax(S − ∞·(1 − m)) ⊙ m. Pad columns get a
 * large negative score before the softmax and are zeroed after it, so a row
 * whose keys are all pads is 0. The backward pass is unchanged: P's zero
 * columns give zero score gradients, which is the masked softmax's gradient.
 *
 * Pads cost nothing: for a sample with pad keys, the real keys' rows of K and
 * V are gathered into contiguous blocks and every product, softmax and
 * gradient runs over those n_k columns only (the pad columns' exact zeros are
 * never computed); the key gradients are scattered back, pads getting 0. MRLF's
 * H^max is about half pads at the default scale, so this halves the attention's
 * work. It is the same function; only the rounding of the softmax's sum and
 * of the products can differ from summing the zeros too.
 */
import { addBias } from "./linear";
import { keyMaskReader } from "./mask";
import { bytes, Unsupported, type Builder, type Ctx, type Op, type Param, type Tensor } from "./common";

type Cfg = Record<string, unknown>;

/** The keys 0..T−1 that are not in `pads` (ascending; `pads` ascending). */
function realOf(pads: readonly number[], T: number): number[] {
  const out: number[] = [];
  let i = 0;
  for (let j = 0; j < T; j++) {
    if (i < pads.length && pads[i] === j) i++;
    else out.push(j);
  }
  return out;
}

export function attentionOp(bl: Builder, name: string, cfg: Cfg, inputs: Tensor[]): Op {
  const masked = Boolean(cfg.masked);
  const data = masked ? inputs.slice(0, -1) : inputs;
  if (data.length < 1 || data.length > 2) throw new Unsupported(`${name}: attention with ${inputs.length} inputs`);
  const hq = data[0];
  const hkv = data[data.length - 1];
  const heads = Number(cfg.heads);
  const dh = Number(cfg.headDim);
  const d = heads * dh;
  const [wq, wk, wv, bq, bk, bv] = bl.params; // addWeight order in attention.ts
  if (bl.params.length !== 6) throw new Unsupported(`${name}: attention with ${bl.params.length} weights`);
  const [Tq, dq] = hq.shape;
  const [Tk, dkv] = hkv.shape;
  const self = hq === hkv;
  const M = bl.maxBatch;
  const q = bl.scratch(M * Tq * d);
  const kx = bl.scratch(M * Tk * d);
  const v = bl.scratch(M * Tk * d);
  const kt = bl.scratch(M * heads * dh * Tk); // Kᵀ per (b, head); reused for Vᵀ in backward
  const p = bl.scratch(M * heads * Tq * Tk);
  const dp = bl.scratch(M * heads * Tq * Tk);
  const dqb = bl.scratch(M * Tq * d);
  const dkb = bl.scratch(M * Tk * d);
  const dvb = bl.scratch(M * Tk * d);
  const wt = bl.scratch(d * Math.max(dq, dkv));
  // The real keys' rows of K and V per sample (compact), and their gradients before the scatter.
  const kc = masked ? bl.scratch(M * Tk * d) : 0;
  const vc = masked ? bl.scratch(M * Tk * d) : 0;
  const dkc = masked ? bl.scratch(M * Tk * d) : 0;
  const dvc = masked ? bl.scratch(M * Tk * d) : 0;
  /** Per sample of the current batch: its real keys when some keys are pads, else null (every key is real). */
  const realKeys: (number[] | null)[] = new Array(M).fill(null);
  const y = bl.tensor([Tq, d], true);
  const scale = Math.fround(1 / Math.sqrt(dh));
  const padKeys = masked ? keyMaskReader(inputs[inputs.length - 1], Tk) : null;
  /** Copy rows `rows` of the [T × d] block at `from` to consecutive rows at `to` (element offsets). */
  const gatherRows = (f: Float32Array, from: number, to: number, rows: readonly number[]) => {
    rows.forEach((j, r) => f.copyWithin(to + r * d, from + j * d, from + (j + 1) * d));
  };
  /** The inverse: consecutive rows at `from` to rows `rows` of the [T × d] block at `to`, the other rows 0. */
  const scatterRows = (f: Float32Array, from: number, to: number, rows: readonly number[], T: number) => {
    f.fill(0, to, to + T * d);
    rows.forEach((j, r) => f.copyWithin(to + j * d, from + r * d, from + (r + 1) * d));
  };

  const project = (c: Ctx, x: Tensor, w: Param, b: Param, out: number, T: number, din: number) => {
    const rows = c.B * T;
    c.a.k.gemm_nn(bytes(x.off), bytes(w.off), bytes(out), rows, din, d, din, d, d, 0);
    addBias(c.a, out, b.off, rows, d);
  };
  /** Weight/bias gradients of a projection and its input gradient (added or written). */
  const projectBack = (c: Ctx, x: Tensor, w: Param, b: Param, g: number, T: number, din: number, acc: boolean) => {
    const { k } = c.a;
    const rows = c.B * T;
    if (w.trainable) k.gemm_tn(bytes(x.off), bytes(g), bytes(w.goff), rows, din, d, din, d, d, 0);
    if (b.trainable) k.col_sums(bytes(g), bytes(b.goff), rows, d, 0);
    if (!x.needsGrad) return;
    k.transpose(bytes(w.off), bytes(wt), din, d, d, din);
    k.gemm_nn(bytes(g), bytes(wt), bytes(x.goff), rows, d, din, d, din, din, acc ? 1 : 0);
  };

  return {
    kind: "MultiHeadAttention",
    name,
    inputs,
    output: y,
    params: bl.params,
    accIn: inputs.map(() => false),
    forward(c: Ctx) {
      const { k } = c.a;
      const B = c.B;
      project(c, hq, wq, bq, q, Tq, dq);
      k.vscale(bytes(q), B * Tq * d, scale);
      project(c, hkv, wk, bk, kx, Tk, dkv);
      project(c, hkv, wv, bv, v, Tk, dkv);
      for (let b = 0; b < B; b++) {
        const pads = padKeys ? padKeys(c, b) : null;
        const real = pads?.length ? realOf(pads, Tk) : null;
        realKeys[b] = real;
        // Keys of this sample: all of them in place, or the real ones gathered (n_k of them).
        const nk = real ? real.length : Tk;
        if (nk === 0) {
          c.a.f32.fill(0, y.off + b * Tq * d, y.off + (b + 1) * Tq * d); // no real key: the output is 0
          continue;
        }
        if (real) {
          gatherRows(c.a.f32, kx + b * Tk * d, kc + b * Tk * d, real);
          gatherRows(c.a.f32, v + b * Tk * d, vc + b * Tk * d, real);
        }
        const kb = real ? kc : kx;
        const vb = real ? vc : v;
        for (let h = 0; h < heads; h++) {
          const bh = b * heads + h;
          const qa = q + b * Tq * d + h * dh;
          const ka = kb + b * Tk * d + h * dh;
          const va = vb + b * Tk * d + h * dh;
          const kta = kt + bh * dh * Tk;
          const pa = p + bh * Tq * Tk;
          k.transpose(bytes(ka), bytes(kta), nk, dh, d, nk);
          k.gemm_nn(bytes(qa), bytes(kta), bytes(pa), Tq, dh, nk, d, nk, nk, 0);
          k.softmax_rows(bytes(pa), Tq, nk);
          k.gemm_nn(bytes(pa), bytes(va), bytes(y.off + b * Tq * d + h * dh), Tq, nk, dh, nk, d, d, 0);
        }
      }
    },
    backward(c: Ctx) {
      const { k } = c.a;
      const B = c.B;
      for (let b = 0; b < B; b++) {
        const real = realKeys[b];
        const nk = real ? real.length : Tk;
        if (nk === 0) {
          const f = c.a.f32;
          f.fill(0, dqb + b * Tq * d, dqb + (b + 1) * Tq * d);
          f.fill(0, dkb + b * Tk * d, dkb + (b + 1) * Tk * d);
          f.fill(0, dvb + b * Tk * d, dvb + (b + 1) * Tk * d);
          continue;
        }
        const kb = real ? kc : kx;
        const vb = real ? vc : v;
        // Key and value gradients of the n_k keys: in place, or compact and scattered below.
        const dkOut = real ? dkc : dkb;
        const dvOut = real ? dvc : dvb;
        for (let h = 0; h < heads; h++) {
          const bh = b * heads + h;
          const col = h * dh;
          const go = y.goff + b * Tq * d + col;
          const qa = q + b * Tq * d + col;
          const ka = kb + b * Tk * d + col;
          const va = vb + b * Tk * d + col;
          const vta = kt + bh * dh * Tk;
          const pa = p + bh * Tq * Tk;
          const dpa = dp + bh * Tq * Tk;
          k.transpose(bytes(va), bytes(vta), nk, dh, d, nk);
          k.gemm_nn(bytes(go), bytes(vta), bytes(dpa), Tq, dh, nk, d, nk, nk, 0);
          k.gemm_tn(bytes(pa), bytes(go), bytes(dvOut + b * Tk * d + col), Tq, nk, dh, nk, d, d, 0);
          k.softmax_back_rows(bytes(pa), bytes(dpa), Tq, nk);
          k.gemm_nn(bytes(dpa), bytes(ka), bytes(dqb + b * Tq * d + col), Tq, nk, dh, nk, d, d, 0);
          k.gemm_tn(bytes(dpa), bytes(qa), bytes(dkOut + b * Tk * d + col), Tq, nk, dh, nk, d, d, 0);
        }
        if (real) {
          scatterRows(c.a.f32, dkc + b * Tk * d, dkb + b * Tk * d, real, Tk);
          scatterRows(c.a.f32, dvc + b * Tk * d, dvb + b * Tk * d, real, Tk);
        }
      }
      k.vscale(bytes(dqb), B * Tq * d, scale);
      projectBack(c, hq, wq, bq, dqb, Tq, dq, this.accIn[0]);
      // Self-attention: K's input gradient adds to what Q's just wrote into the same tensor.
      projectBack(c, hkv, wk, bk, dkb, Tk, dkv, self || this.accIn[data.length - 1]);
      projectBack(c, hkv, wv, bv, dvb, Tk, dkv, true);
    },
  };
}
