/**
 * Layers that move, pick or mask values rather than multiply them:
 * activation, add, concatenate, zero-padding, max/average pooling, global
 * average pooling, max over time (lib/models/layers/maxovertime.ts),
 * embedding, seeded dropout (lib/models/layers/dropout.ts), flatten/reshape.
 *
 * Ties in max pooling / max over time go to the first maximum in row-major
 * window order (the rule of the cpu backend and of wasm-kernels.ts).
 * Dropout keeps an element when a counter-based hash of (seed, pass, index)
 * is ≥ rate and scales it by 1/(1 − rate), as tf.dropout; the masks are a
 * function of the layer's seed and the training pass, never of Math.random.
 */
import {
  activate,
  activationGrad,
  bytes,
  copyOrAdd,
  prod,
  Unsupported,
  type Activation,
  type Builder,
  type Ctx,
  type Op,
  type Tensor,
} from "./common";
import { padAxis } from "./linear";

type Cfg = Record<string, unknown>;

const op = (kind: string, name: string, inputs: Tensor[], output: Tensor, fwd: Op["forward"], bwd: Op["backward"]): Op => ({
  kind,
  name,
  inputs,
  output,
  params: [],
  accIn: inputs.map(() => false),
  forward: fwd,
  backward: bwd,
});

export function activationOp(bl: Builder, name: string, act: string, x: Tensor): Op {
  const y = bl.tensor(x.shape, x.needsGrad);
  if (act === "softmax") {
    const n = x.shape[x.shape.length - 1];
    const rowsPer = x.per / n;
    return op(
      "Softmax",
      name,
      [x],
      y,
      (c) => {
        c.a.f32.copyWithin(y.off, x.off, x.off + c.B * x.per);
        c.a.k.softmax_rows(bytes(y.off), c.B * rowsPer, n);
      },
      function (this: Op, c) {
        if (!x.needsGrad) return;
        c.a.k.softmax_back_rows(bytes(y.off), bytes(y.goff), c.B * rowsPer, n);
        copyOrAdd(c.a, x.goff, y.goff, c.B * x.per, this.accIn[0]);
      },
    );
  }
  if (!["linear", "relu", "tanh", "sigmoid"].includes(act)) throw new Unsupported(`${name}: activation "${act}"`);
  const a = act as Activation;
  return op(
    "Activation",
    name,
    [x],
    y,
    (c) => {
      if (a === "relu") return c.a.k.relu_fwd(bytes(x.off), bytes(y.off), c.B * x.per);
      c.a.f32.copyWithin(y.off, x.off, x.off + c.B * x.per);
      activate(c.a, y.off, c.B * x.per, a);
    },
    function (this: Op, c) {
      if (!x.needsGrad) return;
      const n = c.B * x.per;
      if (a === "relu") return c.a.k.relu_back(bytes(y.off), bytes(y.goff), bytes(x.goff), n, this.accIn[0] ? 1 : 0);
      activationGrad(c.a, y.goff, y.off, n, a);
      copyOrAdd(c.a, x.goff, y.goff, n, this.accIn[0]);
    },
  );
}

export function addOp(bl: Builder, name: string, xs: Tensor[]): Op {
  const shape = xs[0].shape;
  if (xs.some((x) => x.per !== xs[0].per)) throw new Unsupported(`${name}: Add with broadcasting`);
  const y = bl.tensor(
    shape,
    xs.some((x) => x.needsGrad),
  );
  let relu = false;
  const o = op(
    "Add",
    name,
    xs,
    y,
    (c) => {
      const { k } = c.a;
      const n = c.B * y.per;
      if (xs.length === 1) c.a.f32.copyWithin(y.off, xs[0].off, xs[0].off + n);
      else k.vadd(bytes(xs[0].off), bytes(xs[1].off), bytes(y.off), n);
      for (let i = 2; i < xs.length; i++) k.vacc(bytes(y.off), bytes(xs[i].off), n);
      if (relu) k.relu_fwd(bytes(y.off), bytes(y.off), n);
    },
    function (this: Op, c) {
      const n = c.B * y.per;
      if (relu) c.a.k.relu_back(bytes(y.off), bytes(y.goff), bytes(y.goff), n, 0);
      xs.forEach((x, i) => x.needsGrad && copyOrAdd(c.a, x.goff, y.goff, n, this.accIn[i]));
    },
  );
  o.fuseRelu = () => ((relu = true), true);
  return o;
}

export function concatOp(bl: Builder, name: string, cfg: Cfg, xs: Tensor[]): Op {
  const rank = xs[0].shape.length;
  const axis = Number(cfg.axis ?? -1);
  const ax = axis < 0 ? rank + axis : axis - 1;
  if (ax < 0 || ax >= rank) throw new Unsupported(`${name}: concatenate axis ${axis}`);
  const outerPer = prod(xs[0].shape.slice(0, ax));
  const inner = xs.map((x) => prod(x.shape.slice(ax)));
  const total = inner.reduce((a, b) => a + b, 0);
  const at = inner.map((_, i) => inner.slice(0, i).reduce((a, b) => a + b, 0));
  const shape = xs[0].shape.slice();
  shape[ax] = xs.reduce((s, x) => s + x.shape[ax], 0);
  const y = bl.tensor(
    shape,
    xs.some((x) => x.needsGrad),
  );
  return op(
    "Concatenate",
    name,
    xs,
    y,
    (c) => {
      const outer = c.B * outerPer;
      xs.forEach((x, i) => c.a.k.copy_rows(bytes(x.off), bytes(y.off + at[i]), outer, inner[i], inner[i], total, 0));
    },
    function (this: Op, c) {
      const outer = c.B * outerPer;
      xs.forEach(
        (x, i) =>
          x.needsGrad && c.a.k.copy_rows(bytes(y.goff + at[i]), bytes(x.goff), outer, inner[i], total, inner[i], this.accIn[i] ? 1 : 0),
      );
    },
  );
}

export function zeroPadOp(bl: Builder, name: string, cfg: Cfg, x: Tensor): Op {
  const [[t, bo], [l, r]] = cfg.padding as [[number, number], [number, number]];
  if (cfg.dataFormat !== undefined && cfg.dataFormat !== "channelsLast") throw new Unsupported(`${name}: dataFormat`);
  const [H, W, C] = x.shape;
  const oH = H + t + bo;
  const oW = W + l + r;
  const y = bl.tensor([oH, oW, C], x.needsGrad);
  return op(
    "ZeroPadding2D",
    name,
    [x],
    y,
    (c) => {
      c.a.f32.fill(0, y.off, y.off + c.B * y.per);
      for (let b = 0; b < c.B; b++)
        c.a.k.copy_rows(bytes(x.off + b * x.per), bytes(y.off + b * y.per + (t * oW + l) * C), H, W * C, W * C, oW * C, 0);
    },
    function (this: Op, c) {
      if (!x.needsGrad) return;
      for (let b = 0; b < c.B; b++)
        c.a.k.copy_rows(
          bytes(y.goff + b * y.per + (t * oW + l) * C),
          bytes(x.goff + b * x.per),
          H,
          W * C,
          oW * C,
          W * C,
          this.accIn[0] ? 1 : 0,
        );
    },
  );
}

interface PoolGeom {
  H: number;
  W: number;
  C: number;
  ph: number;
  pw: number;
  sh: number;
  sw: number;
  pt: number;
  pl: number;
  oH: number;
  oW: number;
}

function poolGeom(name: string, cfg: Cfg, x: Tensor, rank: 1 | 2): PoolGeom {
  if (cfg.dataFormat !== undefined && cfg.dataFormat !== "channelsLast") throw new Unsupported(`${name}: dataFormat`);
  const pool = cfg.poolSize as number[];
  const strides = (cfg.strides as number[] | null) ?? pool;
  const padding = String(cfg.padding);
  const [H, W, C] = rank === 2 ? x.shape : [1, x.shape[0], x.shape[1]];
  const [ph, pw] = rank === 2 ? pool : [1, pool[0]];
  const [sh, sw] = rank === 2 ? strides : [1, strides[0]];
  const a = rank === 2 ? padAxis(H, ph, sh, padding) : { out: 1, before: 0 };
  const b = padAxis(W, pw, sw, padding);
  return { H, W, C, ph, pw, sh, sw, pt: a.before, pl: b.before, oH: a.out, oW: b.out };
}

export function maxPoolOp(bl: Builder, name: string, cfg: Cfg, x: Tensor, rank: 1 | 2): Op {
  const g = poolGeom(name, cfg, x, rank);
  const { H, W, C, ph, pw, sh, sw, pt, pl, oH, oW } = g;
  const y = bl.tensor(rank === 2 ? [oH, oW, C] : [oW, C], x.needsGrad);
  const arg = bl.scratch(bl.maxBatch * y.per); // index of the maximum within the batch's x
  return op(
    rank === 2 ? "MaxPooling2D" : "MaxPooling1D",
    name,
    [x],
    y,
    (c) => c.a.k.maxpool(bytes(x.off), bytes(y.off), bytes(arg), c.B, H, W, C, ph, pw, sh, sw, pt, pl, oH, oW),
    function (this: Op, c) {
      if (!x.needsGrad) return;
      const { f32: f, i32 } = c.a;
      if (!this.accIn[0]) f.fill(0, x.goff, x.goff + c.B * x.per);
      const n = c.B * y.per;
      for (let o = 0; o < n; o++) {
        const idx = i32[arg + o];
        if (idx >= 0) f[x.goff + idx] += f[y.goff + o];
      }
    },
  );
}

export function avgPoolOp(bl: Builder, name: string, cfg: Cfg, x: Tensor): Op {
  const { H, W, C, ph, pw, sh, sw, pt, pl, oH, oW } = poolGeom(name, cfg, x, 2);
  const y = bl.tensor([oH, oW, C], x.needsGrad);
  // Average over the window's in-bounds elements ("same" padding is not counted, as TensorFlow).
  return op(
    "AveragePooling2D",
    name,
    [x],
    y,
    (c) => c.a.k.avgpool(bytes(x.off), bytes(y.off), c.B, H, W, C, ph, pw, sh, sw, pt, pl, oH, oW, 0),
    function (this: Op, c) {
      if (!x.needsGrad) return;
      if (!this.accIn[0]) c.a.f32.fill(0, x.goff, x.goff + c.B * x.per);
      c.a.k.avgpool(bytes(x.goff), bytes(y.goff), c.B, H, W, C, ph, pw, sh, sw, pt, pl, oH, oW, 1);
    },
  );
}

export function globalAvgPoolOp(bl: Builder, name: string, cfg: Cfg, x: Tensor): Op {
  if (cfg.dataFormat !== undefined && cfg.dataFormat !== "channelsLast") throw new Unsupported(`${name}: dataFormat`);
  const C = x.shape[x.shape.length - 1];
  const P = x.per / C;
  const y = bl.tensor([C], x.needsGrad);
  return op(
    "GlobalAveragePooling2D",
    name,
    [x],
    y,
    (c) => {
      const f = c.a.f32;
      for (let b = 0; b < c.B; b++)
        for (let ch = 0; ch < C; ch++) {
          let s = 0;
          for (let p = 0; p < P; p++) s += f[x.off + (b * P + p) * C + ch];
          f[y.off + b * C + ch] = s / P;
        }
    },
    function (this: Op, c) {
      if (!x.needsGrad) return;
      const f = c.a.f32;
      const acc = this.accIn[0];
      for (let b = 0; b < c.B; b++)
        for (let p = 0; p < P; p++)
          for (let ch = 0; ch < C; ch++) {
            const g = f[y.goff + b * C + ch] / P;
            const i = x.goff + (b * P + p) * C + ch;
            if (acc) f[i] += g;
            else f[i] = g;
          }
    },
  );
}

export function maxOverTimeOp(bl: Builder, name: string, x: Tensor): Op {
  const [T, C] = x.shape;
  const y = bl.tensor([C], x.needsGrad);
  const arg = bl.scratch(bl.maxBatch * C);
  return op(
    "MaxOverTime",
    name,
    [x],
    y,
    // One pooling window over the whole sequence: arg holds each maximum's index in x.
    (c) => c.a.k.maxpool(bytes(x.off), bytes(y.off), bytes(arg), c.B, 1, T, C, 1, T, 1, T, 0, 0, 1, 1),
    function (this: Op, c) {
      if (!x.needsGrad) return;
      const { f32: f, i32 } = c.a;
      if (!this.accIn[0]) f.fill(0, x.goff, x.goff + c.B * x.per);
      const n = c.B * C;
      for (let o = 0; o < n; o++) f[x.goff + i32[arg + o]] += f[y.goff + o];
    },
  );
}

export function embeddingOp(bl: Builder, name: string, cfg: Cfg, ids: Tensor): Op {
  if (cfg.maskZero) throw new Unsupported(`${name}: embedding with maskZero`);
  if (ids.dtype !== "int32") throw new Unsupported(`${name}: embedding of a float input`);
  const [E] = bl.params;
  const [V, d] = E.shape;
  const y = bl.tensor([...ids.shape, d], E.trainable);
  return {
    kind: "Embedding",
    name,
    inputs: [ids],
    output: y,
    params: bl.params,
    accIn: [false],
    forward(c: Ctx) {
      const { f32: f, i32 } = c.a;
      const n = c.B * ids.per;
      for (let i = 0; i < n; i++) {
        const r = i32[ids.off + i];
        if (!(r >= 0 && r < V)) throw new Error(`engine: ${name}: id ${r} at position ${i} is outside [0, ${V - 1}]`);
        f.copyWithin(y.off + i * d, E.off + r * d, E.off + (r + 1) * d);
      }
    },
    backward(c: Ctx) {
      if (!E.trainable) return;
      const { f32: f, i32 } = c.a;
      f.fill(0, E.goff, E.goff + V * d);
      const n = c.B * ids.per;
      for (let i = 0; i < n; i++) {
        const dst = E.goff + i32[ids.off + i] * d;
        const src = y.goff + i * d;
        for (let j = 0; j < d; j++) f[dst + j] += f[src + j];
      }
    },
  };
}

/** lowbias32 (C. Wellons): a well-mixed 32-bit hash for counter-based dropout masks. */
export function hash32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * The hash key of a dropout layer's mask for a pass, advanced to element `first` (the kernel
 * hashes key + i·0x9e3779b9 for its i-th element): a micro-batch starting at sample s passes
 * first = s·per and draws the elements the whole batch would have drawn there.
 */
export const dropoutKey = (seed: number, pass: number, first = 0): number =>
  (hash32(seed ^ hash32(pass + 0x632be5ab)) + Math.imul(first, 0x9e3779b9)) | 0;
/** Keep iff hash ≥ rate·2³² (unsigned), as an int32 bit pattern. */
export const dropoutThreshold = (rate: number): number => Math.min(Math.round(rate * 4294967296), 4294967295) | 0;

/**
 * Reference for the dropout kernel's mask: element i is kept (scaled by 1/(1 − rate)) iff
 * hash32(key + i·0x9e3779b9) ≥ rate·2³².
 */
export function dropoutMaskReference(seed: number, pass: number, rate: number, n: number): Float32Array {
  const key = dropoutKey(seed, pass);
  const thr = dropoutThreshold(rate) >>> 0;
  const keep = Math.fround(1 / (1 - rate));
  return Float32Array.from({ length: n }, (_, i) => (hash32((key + Math.imul(i, 0x9e3779b9)) | 0) >= thr ? keep : 0));
}

export function dropoutOp(bl: Builder, name: string, cfg: Cfg, x: Tensor): Op {
  const rate = Number(cfg.rate);
  const seed = Number(cfg.seed) | 0;
  const y = bl.tensor(x.shape, x.needsGrad);
  const mask = bl.scratch(bl.maxBatch * x.per);
  let live = false; // the last forward was a training pass with rate > 0
  return op(
    "Dropout",
    name,
    [x],
    y,
    (c) => {
      const f = c.a.f32;
      const n = c.B * x.per;
      live = c.training && rate > 0;
      if (!live) {
        f.copyWithin(y.off, x.off, x.off + n);
        return;
      }
      c.a.k.dropout(
        bytes(x.off),
        bytes(y.off),
        bytes(mask),
        n,
        dropoutKey(seed, c.pass, c.sampleBase * x.per),
        dropoutThreshold(rate),
        1 / (1 - rate),
      );
    },
    function (this: Op, c) {
      if (!x.needsGrad) return;
      const n = c.B * x.per;
      if (!live) return copyOrAdd(c.a, x.goff, y.goff, n, this.accIn[0]);
      c.a.k.vmul(bytes(y.goff), bytes(mask), bytes(x.goff), n, this.accIn[0] ? 1 : 0);
    },
  );
}

/** Flatten / Reshape: the same storage under another per-sample shape; no work either way. */
export function aliasOp(bl: Builder, kind: string, name: string, x: Tensor, shape: number[]): Op {
  if (prod(shape) !== x.per) throw new Error(`engine: ${name}: reshape ${x.shape} → ${shape}`);
  return op(
    kind,
    name,
    [x],
    bl.alias(x, shape),
    () => undefined,
    () => undefined,
  );
}
