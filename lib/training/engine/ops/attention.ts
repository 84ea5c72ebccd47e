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
 * Pad rows skipped (`padRowsUnused`, self-attention only): when the model says
 * nothing reads the output at pad positions, only the real query rows are
 * computed, run by run of consecutive real positions; pad rows of the output
 * and of dQ are 0. Every value anyone reads keeps its bits: each product and
 * each softmax row is computed as before (row by row; sums over k in order,
 * gemm.ts), and the rows left out only ever added exact zeros to dK and dV
 * (their incoming gradient is 0 because nothing read them), which the
 * accumulating products (acc = 1, same order) reproduce.
 */
import { addBias } from "./linear";
import { keyMaskReader } from "./mask";
import { bytes, Unsupported, type Builder, type Ctx, type Op, type Param, type Tensor } from "./common";

type Cfg = Record<string, unknown>;

/** Runs [start, length) of the positions 0..T−1 not in `pads` (ascending). */
function runsOutside(pads: readonly number[], T: number): [number, number][] {
  const runs: [number, number][] = [];
  let start = 0;
  for (const j of [...pads, T]) {
    if (j > start) runs.push([start, j - start]);
    start = j + 1;
  }
  return runs;
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
  const y = bl.tensor([Tq, d], true);
  const scale = Math.fround(1 / Math.sqrt(dh));
  const padKeys = masked ? keyMaskReader(inputs[inputs.length - 1], Tk) : null;
  const skipPadRows = Boolean(cfg.padRowsUnused) && masked && data.length === 1;
  const allRows: [number, number][] = [[0, Tq]];
  /**
   * Per sample of the current batch (set in forward, read in backward): the runs [start, length)
   * of query rows computed — every row as one run, or the real positions' runs when pad rows are
   * skipped — and the rows left at 0.
   */
  const rowRuns: [number, number][][] = new Array(M).fill(allRows);
  const zeroedRows: number[][] = new Array(M).fill([]);
  /** Pad key columns of the rows in `runs` at `pa` (row stride Tk): `fill` before the softmax, 0 after it. */
  const maskColumns = (f: Float32Array, pa: number, pads: number[], fill: number, runs: [number, number][]) => {
    for (const [s0, n] of runs) for (let i = s0; i < s0 + n; i++) for (const j of pads) f[pa + i * Tk + j] = fill;
  };
  /** Zero rows `pads` of the [T × d] block at `at`. */
  const zeroRows = (f: Float32Array, at: number, pads: number[]) => {
    for (const j of pads) f.fill(0, at + j * d, at + (j + 1) * d);
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
        const pads = padKeys ? padKeys(c, b) : [];
        const skip = skipPadRows && pads.length > 0;
        const runs = skip ? runsOutside(pads, Tk) : allRows;
        rowRuns[b] = runs;
        zeroedRows[b] = skip ? pads : [];
        for (let h = 0; h < heads; h++) {
          const bh = b * heads + h;
          const qa = q + b * Tq * d + h * dh;
          const kta = kt + bh * dh * Tk;
          const pa = p + bh * Tq * Tk;
          k.transpose(bytes(kx + b * Tk * d + h * dh), bytes(kta), Tk, dh, d, Tk);
          for (const [s0, n] of runs) k.gemm_nn(bytes(qa + s0 * d), bytes(kta), bytes(pa + s0 * Tk), n, dh, Tk, d, Tk, Tk, 0);
          if (pads.length) maskColumns(c.a.f32, pa, pads, -1e30, runs);
          for (const [s0, n] of runs) k.softmax_rows(bytes(pa + s0 * Tk), n, Tk);
          if (pads.length) maskColumns(c.a.f32, pa, pads, 0, runs);
          for (const [s0, n] of runs) k.gemm_nn(bytes(pa + s0 * Tk), bytes(v + b * Tk * d + h * dh), bytes(y.off + b * Tq * d + s0 * d + h * dh), n, Tk, dh, Tk, d, d, 0);
        }
        zeroRows(c.a.f32, y.off + b * Tq * d, zeroedRows[b]);
      }
    },
    backward(c: Ctx) {
      const { k } = c.a;
      const B = c.B;
      for (let b = 0; b < B; b++) {
        const runs = rowRuns[b];
        if (runs.length === 0) {
          // No real position (pad rows skipped): the output was 0, nothing flows back.
          const f = c.a.f32;
          f.fill(0, dqb + b * Tq * d, dqb + (b + 1) * Tq * d);
          f.fill(0, dkb + b * Tk * d, dkb + (b + 1) * Tk * d);
          f.fill(0, dvb + b * Tk * d, dvb + (b + 1) * Tk * d);
          continue;
        }
        for (let h = 0; h < heads; h++) {
          const bh = b * heads + h;
          const col = h * dh;
          const go = y.goff + b * Tq * d + col;
          const qa = q + b * Tq * d + col;
          const ka = kx + b * Tk * d + col;
          const vta = kt + bh * dh * Tk;
          const pa = p + bh * Tq * Tk;
          const dpa = dp + bh * Tq * Tk;
          k.transpose(bytes(v + b * Tk * d + col), bytes(vta), Tk, dh, d, Tk);
          // Run by run; dV and dK accumulate over the runs (acc = 1 after the first) in row order.
          runs.forEach(([s0, n], r) => {
            k.gemm_nn(bytes(go + s0 * d), bytes(vta), bytes(dpa + s0 * Tk), n, dh, Tk, d, Tk, Tk, 0);
            k.gemm_tn(bytes(pa + s0 * Tk), bytes(go + s0 * d), bytes(dvb + b * Tk * d + col), n, Tk, dh, Tk, d, d, r > 0 ? 1 : 0);
            k.softmax_back_rows(bytes(pa + s0 * Tk), bytes(dpa + s0 * Tk), n, Tk);
            k.gemm_nn(bytes(dpa + s0 * Tk), bytes(ka), bytes(dqb + b * Tq * d + s0 * d + col), n, Tk, dh, Tk, d, d, 0);
            k.gemm_tn(bytes(dpa + s0 * Tk), bytes(qa + s0 * d), bytes(dkb + b * Tk * d + col), n, Tk, dh, Tk, d, d, r > 0 ? 1 : 0);
          });
        }
        zeroRows(c.a.f32, dqb + b * Tq * d, zeroedRows[b]);
      }
      k.vscale(bytes(dqb), B * Tq * d, scale);
      projectBack(c, hq, wq, bq, dqb, Tq, dq, this.accIn[0]);
      // Self-attention: K's input gradient adds to what Q's just wrote into the same tensor.
      projectBack(c, hkv, wk, bk, dkb, Tk, dkv, self || this.accIn[data.length - 1]);
      projectBack(c, hkv, wv, bv, dvb, Tk, dkv, true);
    },
  };
}
