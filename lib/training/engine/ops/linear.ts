/**
 * Dense and convolution layers (tf.layers.dense / conv1d / conv2d, NHWC).
 *
 * Dense on [rows, din] (rows = batch × any middle axes, as Keras applies a
 * dense layer to the last axis):
 *   forward   Y = f(X·W + b)
 *   backward  G = dY ⊙ f'(Y);  dW = Xᵀ·G;  db = Σ_rows G;  dX = G·Wᵀ
 * Convolution as im2col + the same products: Col[B·oH·oW, kh·kw·C] holds each
 * output position's receptive field (zeros in the padding), W is read as
 * [kh·kw·C, F] (its tfjs layout), so Y = Col·W, dW = Colᵀ·G, dCol = G·Wᵀ and
 * dX is dCol scattered back (col2im). A 1×1 stride-1 convolution skips Col.
 * Padding follows TensorFlow: "same" gives ceil(in/stride) outputs with the
 * odd pixel of padding after (tf.backend_util.computeConv2DInfo).
 */
import {
  activate,
  activationGrad,
  bytes,
  checkActivation,
  Unsupported,
  type Builder,
  type Ctx,
  type Op,
  type Param,
  type Tensor,
} from "./common";

type Cfg = Record<string, unknown>;

export function denseOp(bl: Builder, name: string, cfg: Cfg, x: Tensor): Op {
  let act = checkActivation(name, cfg.activation);
  const [W, bias] = bl.params as [Param, Param | undefined];
  const din = W.shape[0];
  const N = W.shape[1];
  if (x.shape[x.shape.length - 1] !== din) throw new Error(`engine: ${name}: input width ${x.shape} vs kernel ${W.shape}`);
  const needs = x.needsGrad || W.trainable;
  const y = bl.tensor([...x.shape.slice(0, -1), N], needs);
  const wt = x.needsGrad ? bl.scratch(din * N) : 0;
  const rowsPer = x.per / din;
  return {
    kind: "Dense",
    name,
    inputs: [x],
    output: y,
    params: bl.params,
    accIn: [false],
    fuseRelu: () => act === "linear" && ((act = "relu"), true),
    forward(c: Ctx) {
      const { k } = c.a;
      const rows = c.B * rowsPer;
      k.gemm_nn(bytes(x.off), bytes(W.off), bytes(y.off), rows, din, N, din, N, N, 0);
      if (bias) addBias(c.a, y.off, bias.off, rows, N);
      activate(c.a, y.off, rows * N, act);
    },
    backward(c: Ctx) {
      const { k } = c.a;
      const rows = c.B * rowsPer;
      activationGrad(c.a, y.goff, y.off, rows * N, act);
      if (W.trainable) k.gemm_tn(bytes(x.off), bytes(y.goff), bytes(W.goff), rows, din, N, din, N, N, 0);
      if (bias?.trainable) k.col_sums(bytes(y.goff), bytes(bias.goff), rows, N, 0);
      if (x.needsGrad) {
        k.transpose(bytes(W.off), bytes(wt), din, N, N, din);
        k.gemm_nn(bytes(y.goff), bytes(wt), bytes(x.goff), rows, N, din, N, din, din, this.accIn[0] ? 1 : 0);
      }
    },
  };
}

export const addBias = (a: Ctx["a"], yoff: number, boff: number, rows: number, n: number): void =>
  a.k.add_rows(bytes(yoff), bytes(boff), rows, n);

interface ConvGeom {
  H: number;
  W: number;
  C: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  pt: number;
  pl: number;
  oH: number;
  oW: number;
}

/** Output size and leading padding of one axis, TensorFlow's rule. */
export function padAxis(size: number, k: number, stride: number, padding: string): { out: number; before: number } {
  if (padding === "valid") return { out: Math.floor((size - k) / stride) + 1, before: 0 };
  if (padding === "same") {
    const out = Math.ceil(size / stride);
    const total = Math.max((out - 1) * stride + k - size, 0);
    return { out, before: Math.floor(total / 2) };
  }
  throw new Unsupported(`padding "${padding}"`);
}

/**
 * A 1-D convolution whose input is an embedding lookup, computed from the ids: with W_r the
 * filter's tap r ([C, F]), the conv output is Σ_r (E·W_r)[id_{t−pl+r}], so per-tap tables
 * P_r = E·W_r ([V, F]) turn the product into row gathers — V·C·F multiplies per tap instead of
 * B·T·C·F, a 16–80× cut for characters (V ≈ 80 vs 6,400 positions). Backward: the output
 * gradient is summed per id and tap into S_r ([V, F]), then dW_r = Eᵀ·S_r and dE += S_r·W_rᵀ.
 * Padding positions contribute 0 (the convolution pads the embedded sequence with zeros).
 */
export interface EmbeddedInput {
  ids: Tensor;
  E: Param;
  /** Whether this conv adds to dE (false for the first of the embedding's convs in backward order). */
  accE: boolean;
}

export function convOp(bl: Builder, name: string, cfg: Cfg, x: Tensor, rank: 1 | 2, embedded?: EmbeddedInput): Op {
  let act = checkActivation(name, cfg.activation);
  if (cfg.dataFormat !== undefined && cfg.dataFormat !== "channelsLast")
    throw new Unsupported(`${name}: dataFormat ${String(cfg.dataFormat)}`);
  const dil = (cfg.dilationRate as number[] | number | undefined) ?? 1;
  if ((Array.isArray(dil) ? dil : [dil]).some((d) => d !== 1)) throw new Unsupported(`${name}: dilation ${String(dil)}`);
  const [Wp, bias] = bl.params as [Param, Param | undefined];
  const strides = cfg.strides as number[];
  const padding = String(cfg.padding);
  const [H, Wd, C] = rank === 2 ? x.shape : [1, x.shape[0], x.shape[1]];
  const [kh, kw] = rank === 2 ? Wp.shape : [1, Wp.shape[0]];
  const [sh, sw] = rank === 2 ? strides : [1, strides[0]];
  const F = Wp.shape[Wp.shape.length - 1];
  if (Wp.shape[Wp.shape.length - 2] !== C) throw new Error(`engine: ${name}: input channels ${C} vs kernel ${Wp.shape}`);
  const ph = rank === 2 ? padAxis(H, kh, sh, padding) : { out: 1, before: 0 };
  const pw = padAxis(Wd, kw, sw, padding);
  const g: ConvGeom = { H, W: Wd, C, kh, kw, sh, sw, pt: ph.before, pl: pw.before, oH: ph.out, oW: pw.out };
  const kk = kh * kw * C;
  const direct = kh === 1 && kw === 1 && sh === 1 && sw === 1;
  const needs = x.needsGrad || Wp.trainable;
  const y = bl.tensor(rank === 2 ? [g.oH, g.oW, F] : [g.oW, F], needs);
  const posPer = g.oH * g.oW;
  if (embedded)
    return embeddedConvOp(
      bl,
      name,
      embedded,
      Wp,
      bias,
      y,
      g,
      F,
      () => act,
      (a) => (act = a),
    );
  const col = direct ? 0 : bl.scratch(bl.maxBatch * posPer * kk);
  // dX: stride 1 → a convolution of dY with the flipped filter (im2col of dY, one product);
  // otherwise dCol = G·Wᵀ scattered back by col2im.
  const stride1 = sh === 1 && sw === 1;
  const kkF = kh * kw * F;
  const dcol = !direct && x.needsGrad ? bl.scratch(bl.maxBatch * (stride1 ? H * Wd * kkF : posPer * kk)) : 0;
  const wt = x.needsGrad ? bl.scratch(kk * F) : 0;
  const back: ConvGeom = { H: g.oH, W: g.oW, C: F, kh, kw, sh: 1, sw: 1, pt: kh - 1 - g.pt, pl: kw - 1 - g.pl, oH: H, oW: Wd };
  return {
    kind: rank === 2 ? "Conv2D" : "Conv1D",
    name,
    inputs: [x],
    output: y,
    params: bl.params,
    accIn: [false],
    fuseRelu: () => act === "linear" && ((act = "relu"), true),
    forward(c: Ctx) {
      const { k } = c.a;
      const rows = c.B * posPer;
      if (!direct) im2col(c.a, x.off, col, c.B, g);
      k.gemm_nn(bytes(direct ? x.off : col), bytes(Wp.off), bytes(y.off), rows, kk, F, kk, F, F, 0);
      if (bias) addBias(c.a, y.off, bias.off, rows, F);
      activate(c.a, y.off, rows * F, act);
    },
    backward(c: Ctx) {
      const { k, f32 } = c.a;
      const rows = c.B * posPer;
      activationGrad(c.a, y.goff, y.off, rows * F, act);
      if (Wp.trainable) k.gemm_tn(bytes(direct ? x.off : col), bytes(y.goff), bytes(Wp.goff), rows, kk, F, kk, F, F, 0);
      if (bias?.trainable) k.col_sums(bytes(y.goff), bytes(bias.goff), rows, F, 0);
      if (!x.needsGrad) return;
      const acc = this.accIn[0];
      if (direct) {
        k.transpose(bytes(Wp.off), bytes(wt), kk, F, F, kk);
        k.gemm_nn(bytes(y.goff), bytes(wt), bytes(x.goff), rows, F, C, F, C, C, acc ? 1 : 0);
      } else if (stride1) {
        flipFilter(f32, Wp.off, wt, kh, kw, C, F);
        im2col(c.a, y.goff, dcol, c.B, back);
        k.gemm_nn(bytes(dcol), bytes(wt), bytes(x.goff), c.B * H * Wd, kkF, C, kkF, C, C, acc ? 1 : 0);
      } else {
        k.transpose(bytes(Wp.off), bytes(wt), kk, F, F, kk);
        k.gemm_nn(bytes(y.goff), bytes(wt), bytes(dcol), rows, F, kk, F, kk, kk, 0);
        col2im(f32, dcol, x.goff, c.B, g, acc);
      }
    },
  };
}

function embeddedConvOp(
  bl: Builder,
  name: string,
  emb: EmbeddedInput,
  Wp: Param,
  bias: Param | undefined,
  y: Tensor,
  g: ConvGeom,
  F: number,
  getAct: () => ReturnType<typeof checkActivation>,
  setAct: (a: "relu") => void,
): Op {
  const { ids, E } = emb;
  const [V, C] = E.shape;
  const T = g.W;
  const k = g.kw;
  if (g.sw !== 1 || g.H !== 1 || C !== g.C) throw new Unsupported(`${name}: embedded conv needs stride 1`);
  const table = bl.scratch(k * V * F);
  const S = bl.scratch(k * V * F);
  const zeros = bl.scratch(F);
  const wtr = bl.scratch(F * C);
  return {
    kind: "Conv1D",
    name,
    inputs: [ids],
    output: y,
    params: bl.params,
    accIn: [false],
    fuseRelu: () => getAct() === "linear" && (setAct("relu"), true),
    forward(c: Ctx) {
      const { k: kern, i32 } = c.a;
      const n = c.B * T;
      for (let i = 0; i < n; i++) {
        const id = i32[ids.off + i];
        if (!(id >= 0 && id < V)) throw new Error(`engine: ${name}: id ${id} at position ${i} is outside the embedding's [0, ${V - 1}]`);
      }
      for (let r = 0; r < k; r++) kern.gemm_nn(bytes(E.off), bytes(Wp.off + r * C * F), bytes(table + r * V * F), V, C, F, C, F, F, 0);
      kern.table_conv(bytes(ids.off), bytes(table), bytes(bias ? bias.off : zeros), bytes(y.off), c.B, T, V, F, k, g.pl, g.oW);
      activate(c.a, y.off, c.B * g.oW * F, getAct());
    },
    backward(c: Ctx) {
      const { k: kern, f32 } = c.a;
      const rows = c.B * g.oW;
      activationGrad(c.a, y.goff, y.off, rows * F, getAct());
      if (bias?.trainable) kern.col_sums(bytes(y.goff), bytes(bias.goff), rows, F, 0);
      f32.fill(0, S, S + k * V * F);
      kern.table_scatter(bytes(ids.off), bytes(y.goff), bytes(S), c.B, T, V, F, k, g.pl, g.oW);
      for (let r = 0; r < k; r++) {
        if (Wp.trainable) kern.gemm_tn(bytes(E.off), bytes(S + r * V * F), bytes(Wp.goff + r * C * F), V, C, F, C, F, F, 0);
        if (E.trainable) {
          kern.transpose(bytes(Wp.off + r * C * F), bytes(wtr), C, F, F, C);
          kern.gemm_nn(bytes(S + r * V * F), bytes(wtr), bytes(E.goff), V, F, C, F, C, C, r > 0 || emb.accE ? 1 : 0);
        }
      }
    },
  };
}

/** Col[(b,oh,ow), (r,s,c)] = X[b, oh·sh − pt + r, ow·sw − pl + s, c], or 0 outside. */
function im2col(a: Ctx["a"], xoff: number, coff: number, B: number, g: ConvGeom): void {
  a.k.im2col(bytes(xoff), bytes(coff), B, g.H, g.W, g.C, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.oH, g.oW);
}

/** W'[(r,s,f), c] = W[kh−1−r, kw−1−s, c, f]: the filter of the stride-1 input gradient. */
function flipFilter(f: Float32Array, woff: number, out: number, kh: number, kw: number, C: number, F: number): void {
  let o = out;
  for (let r = 0; r < kh; r++)
    for (let s = 0; s < kw; s++) {
      const src = woff + ((kh - 1 - r) * kw + (kw - 1 - s)) * C * F;
      for (let fo = 0; fo < F; fo++) for (let c = 0; c < C; c++) f[o++] = f[src + c * F + fo];
    }
}

/** dX (+)= the transpose of im2col applied to dCol. */
function col2im(f: Float32Array, coff: number, dxoff: number, B: number, g: ConvGeom, acc: boolean): void {
  const { H, W, C, kh, kw, sh, sw, pt, pl, oH, oW } = g;
  const kk = kh * kw * C;
  if (!acc) f.fill(0, dxoff, dxoff + B * H * W * C);
  let row = coff;
  for (let b = 0; b < B; b++)
    for (let oh = 0; oh < oH; oh++)
      for (let ow = 0; ow < oW; ow++, row += kk) {
        let d = row;
        for (let r = 0; r < kh; r++) {
          const ih = oh * sh - pt + r;
          if (ih < 0 || ih >= H) {
            d += kw * C;
            continue;
          }
          const base = dxoff + (b * H + ih) * W * C;
          for (let s = 0; s < kw; s++, d += C) {
            const iw = ow * sw - pl + s;
            if (iw < 0 || iw >= W) continue;
            const dst = base + iw * C;
            for (let ch = 0; ch < C; ch++) f[dst + ch] += f[d + ch];
          }
        }
      }
}
