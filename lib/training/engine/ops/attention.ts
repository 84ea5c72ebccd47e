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
 * Pads left out, bit for bit (whenever a sample has pad keys; `padKeySkipping`
 * turns it off, which gives the plain computation the tests compare with):
 * the real keys' rows of K and V are copied into compact blocks (run by run,
 * in key order) and every product runs over them. The softmax still runs on
 * the full row of Tk scores — the compact scores are spread back over it, pad
 * columns at −1e30 as the mask puts them — so its four SIMD lanes, and so its
 * rounding, are the full row's (pad groups skip the exp: softmax_rows). After
 * it, pad columns of P are exactly +0; the products over keys (P V, dS K) add
 * the same nonzero terms in the same order and leave out only ±0 terms; dP is
 * 0 in pad columns, where it only meets P's zeros; dK and dV are +0 in pad
 * rows, as the full sums of ±0 terms from +0 were. At most the sign of an
 * intermediate zero can differ, which no later sum sees (x + ±0 = x, x ≠ 0).
 *
 * Pad rows too (`padRowsUnused`, self-attention only): when the model says
 * nothing reads the output at pad positions, the real query rows are gathered
 * the same way and only they are computed; pad rows of the output and of dQ
 * are 0. Each product row and softmax row is computed as before, and the rows
 * left out only ever added exact zeros to the sums over rows (in order) that
 * make dK and dV: their incoming gradient is 0 because nothing read them.
 */
import { addBias } from "./linear";
import { keyMaskReader } from "./mask";
import { bytes, Unsupported, type Builder, type Ctx, type Op, type Param, type Tensor } from "./common";

type Cfg = Record<string, unknown>;

/** Whether pads are left out (see the module doc); only the bit-identity tests turn it off. */
export const padKeySkipping = { enabled: true };

/** [start, length) of consecutive positions. */
type Run = [number, number];

/** Runs of the positions 0..T−1 not in `pads` (ascending). */
function runsOutside(pads: readonly number[], T: number): Run[] {
  const runs: Run[] = [];
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
  const skipPadRows = Boolean(cfg.padRowsUnused) && masked && data.length === 1;
  // With a mask: compact (real keys only) K, V and P per sample, kept for backward; a temporary
  // score block; dK, dV of one sample's real keys. With pad rows skipped: Q's real rows (kept for
  // backward), and one sample's output / its gradient, and dQ, over those rows.
  const kc = masked ? bl.scratch(M * Tk * d) : 0;
  const vc = masked ? bl.scratch(M * Tk * d) : 0;
  const pc = masked ? bl.scratch(M * heads * Tq * Tk) : 0;
  const tmp = masked ? bl.scratch(Tq * Tk) : 0;
  const dkc = masked ? bl.scratch(Tk * d) : 0;
  const dvc = masked ? bl.scratch(Tk * d) : 0;
  const qc = skipPadRows ? bl.scratch(M * Tq * d) : 0;
  const tmpRows = skipPadRows ? bl.scratch(Tq * d) : 0;
  const dqc = skipPadRows ? bl.scratch(Tq * d) : 0;
  const y = bl.tensor([Tq, d], true);
  const scale = Math.fround(1 / Math.sqrt(dh));
  const padKeys = masked ? keyMaskReader(inputs[inputs.length - 1], Tk) : null;
  const allKeys: Run[] = [[0, Tk]];
  /**
   * Per sample of the current batch (set in forward, read in backward): the keys the products use
   * (every key, or the real keys' runs: `compact`), L of them, and whether the rows are the real
   * rows gathered (`rowsCompact`, then L of them too; otherwise all Tq).
   */
  interface SamplePlan {
    keys: Run[];
    L: number;
    compact: boolean;
    rowsCompact: boolean;
  }
  const plans: SamplePlan[] = new Array(M);
  /** Pad key columns of rows [0, n) at `pa` (row stride Tk) set to `fill` (the plain computation). */
  const maskColumns = (f: Float32Array, pa: number, pads: number[], fill: number, n: number) => {
    for (let i = 0; i < n; i++) for (const j of pads) f[pa + i * Tk + j] = fill;
  };
  /**
   * Compact ↔ full key positions for rows [0, n): `spread` writes the compact block `src`
   * (row stride L) into the full rows at `dst` (row stride Tk), every other column `fill`;
   * `gather` copies the keys' columns back out. Rows of a [T × d] block move the same way with
   * row stride d (`spreadRows`, whose other rows are 0, and `gatherRows`; one copy per run).
   */
  const spread = (c: Ctx, src: number, dst: number, n: number, keys: Run[], L: number, fill: number) => {
    c.a.f32.fill(fill, dst, dst + n * Tk);
    let at = 0;
    for (const [k0, m] of keys) (c.a.k.copy_rows(bytes(src + at), bytes(dst + k0), n, m, L, Tk, 0), (at += m));
  };
  const gather = (c: Ctx, src: number, dst: number, n: number, keys: Run[], L: number) => {
    let at = 0;
    for (const [k0, m] of keys) (c.a.k.copy_rows(bytes(src + k0), bytes(dst + at), n, m, Tk, L, 0), (at += m));
  };
  const gatherRows = (c: Ctx, src: number, dst: number, keys: Run[]) => {
    let at = 0;
    for (const [k0, m] of keys) (c.a.k.copy_rows(bytes(src + k0 * d), bytes(dst + at * d), m, d, d, d, 0), (at += m));
  };
  const spreadRows = (c: Ctx, src: number, dst: number, T: number, keys: Run[]) => {
    c.a.f32.fill(0, dst, dst + T * d);
    let at = 0;
    for (const [k0, m] of keys) (c.a.k.copy_rows(bytes(src + at * d), bytes(dst + k0 * d), m, d, d, d, 0), (at += m));
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
        const compact = pads.length > 0 && padKeySkipping.enabled;
        const keys = compact ? runsOutside(pads, Tk) : allKeys;
        const L = keys.reduce((sum, [, m]) => sum + m, 0);
        // Self-attention with pad rows unused: the real rows are the real keys, gathered alike.
        const rowsCompact = compact && skipPadRows;
        const n = rowsCompact ? L : Tq;
        plans[b] = { keys, L, compact, rowsCompact };
        // K and V of the keys the products use: the compact copies, or the sample's own rows.
        const kb = compact ? kc + b * Tk * d : kx + b * Tk * d;
        const vb = compact ? vc + b * Tk * d : v + b * Tk * d;
        if (compact) {
          gatherRows(c, kx + b * Tk * d, kb, keys);
          gatherRows(c, v + b * Tk * d, vb, keys);
        }
        const qb = rowsCompact ? qc + b * Tq * d : q + b * Tq * d;
        const yb = rowsCompact ? tmpRows : y.off + b * Tq * d;
        if (rowsCompact) gatherRows(c, q + b * Tq * d, qb, keys);
        for (let h = 0; h < heads; h++) {
          const bh = b * heads + h;
          const kta = kt + bh * dh * Tk;
          const pa = p + bh * Tq * Tk;
          const pk = compact ? pc + bh * Tq * Tk : pa; // P over the keys used (row stride L)
          const sk = compact ? tmp : pa; // scores over the keys used
          k.transpose(bytes(kb + h * dh), bytes(kta), L, dh, d, L);
          k.gemm_nn(bytes(qb + h * dh), bytes(kta), bytes(sk), n, dh, L, d, L, L, 0);
          if (compact) spread(c, sk, pa, n, keys, L, -1e30);
          else if (pads.length) maskColumns(c.a.f32, pa, pads, -1e30, n);
          k.softmax_rows(bytes(pa), n, Tk);
          // Pad columns: exactly +0 after the softmax when a row has a real key (e^(−1e30 − max) is
          // below the cut); the plain computation zeroes them, which also makes a row of pads 0.
          if (compact) gather(c, pa, pk, n, keys, L);
          else if (pads.length) maskColumns(c.a.f32, pa, pads, 0, n);
          k.gemm_nn(bytes(pk), bytes(vb + h * dh), bytes(yb + h * dh), n, L, dh, L, d, d, 0);
        }
        if (rowsCompact) spreadRows(c, yb, y.off + b * Tq * d, Tq, keys);
      }
    },
    backward(c: Ctx) {
      const { k } = c.a;
      const B = c.B;
      for (let b = 0; b < B; b++) {
        const { keys, L, compact, rowsCompact } = plans[b];
        const n = rowsCompact ? L : Tq;
        if (n === 0) {
          // No real position (pad rows skipped): the output was 0, nothing flows back.
          const f = c.a.f32;
          f.fill(0, dqb + b * Tq * d, dqb + (b + 1) * Tq * d);
          f.fill(0, dkb + b * Tk * d, dkb + (b + 1) * Tk * d);
          f.fill(0, dvb + b * Tk * d, dvb + (b + 1) * Tk * d);
          continue;
        }
        const kb = compact ? kc + b * Tk * d : kx + b * Tk * d;
        const vb = compact ? vc + b * Tk * d : v + b * Tk * d;
        const dkk = compact ? dkc : dkb + b * Tk * d; // dK, dV of the keys used
        const dvk = compact ? dvc : dvb + b * Tk * d;
        const qb = rowsCompact ? qc + b * Tq * d : q + b * Tq * d;
        const gb = rowsCompact ? tmpRows : y.goff + b * Tq * d; // dY of the rows used
        const dqk = rowsCompact ? dqc : dqb + b * Tq * d; // dQ of the rows used
        if (rowsCompact) gatherRows(c, y.goff + b * Tq * d, gb, keys);
        for (let h = 0; h < heads; h++) {
          const bh = b * heads + h;
          const col = h * dh;
          const vta = kt + bh * dh * Tk;
          const pa = p + bh * Tq * Tk;
          const dpa = dp + bh * Tq * Tk;
          const pk = compact ? pc + bh * Tq * Tk : pa;
          const dsk = compact ? tmp : dpa; // dP, then dS, over the keys used
          k.transpose(bytes(vb + col), bytes(vta), L, dh, d, L);
          k.gemm_nn(bytes(gb + col), bytes(vta), bytes(dsk), n, dh, L, d, L, L, 0);
          if (compact) spread(c, dsk, dpa, n, keys, L, 0);
          k.gemm_tn(bytes(pk), bytes(gb + col), bytes(dvk + col), n, L, dh, L, d, d, 0);
          k.softmax_back_rows(bytes(pa), bytes(dpa), n, Tk);
          if (compact) gather(c, dpa, dsk, n, keys, L);
          k.gemm_nn(bytes(dsk), bytes(kb + col), bytes(dqk + col), n, L, dh, L, d, d, 0);
          k.gemm_tn(bytes(dsk), bytes(qb + col), bytes(dkk + col), n, L, dh, L, d, d, 0);
        }
        if (compact) {
          spreadRows(c, dkc, dkb + b * Tk * d, Tk, keys);
          spreadRows(c, dvc, dvb + b * Tk * d, Tk, keys);
        }
        if (rowsCompact) spreadRows(c, dqc, dqb + b * Tq * d, Tq, keys);
      }
      k.vscale(bytes(dqb), B * Tq * d, scale);
      projectBack(c, hq, wq, bq, dqb, Tq, dq, this.accIn[0]);
      // Self-attention: K's input gradient adds to what Q's just wrote into the same tensor.
      projectBack(c, hkv, wk, bk, dkb, Tk, dkv, self || this.accIn[data.length - 1]);
      projectBack(c, hkv, wv, bv, dvb, Tk, dkv, true);
    },
  };
}
