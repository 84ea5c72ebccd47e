/**
 * Normalisation layers: tf.layers.batchNormalization over the last axis and
 * our LayerNorm (lib/models/layers/layernorm.ts).
 *
 * BatchNorm, training (tfjs-layers' normalizeBatchInTraining): per channel,
 * over the N = batch × spatial rows,
 *   μ = mean(x), σ² = mean((x − μ)²) (biased, as tf.moments), r = 1/√(σ² + ε)
 *   x̂ = (x − μ)·r,  y = γ·x̂ + β
 *   moving ← moving − (moving − batch value)·(1 − momentum)
 *   dβ = Σ g,  dγ = Σ g·x̂,  dx = γ·r·(g − dβ/N − x̂·dγ/N)
 * (the gradient through μ and σ² included, as tfjs differentiates moments).
 * Inference uses the moving statistics. LayerNorm is the same per row over
 * the last axis, with γ, β per feature. Sums run in float64 in a fixed order.
 */
import { bytes, Unsupported, type Builder, type Ctx, type Op, type Tensor } from "./common";

type Cfg = Record<string, unknown>;

export function batchNormOp(bl: Builder, name: string, cfg: Cfg, x: Tensor): Op {
  const rank = x.shape.length + 1;
  const axis = Number(cfg.axis ?? -1);
  if (!(axis === -1 || axis === rank - 1)) throw new Unsupported(`${name}: BatchNormalization axis ${axis} (only the last axis)`);
  const C = x.shape[x.shape.length - 1];
  // tfjs-layers' weight order: gamma (if scale), beta (if center), moving mean, moving variance.
  const list = bl.params.slice();
  const gamma = cfg.scale === false ? undefined : list.shift();
  const beta = cfg.center === false ? undefined : list.shift();
  const [mm, mv] = list;
  if (!mm || !mv || list.length !== 2) throw new Unsupported(`${name}: BatchNormalization weights [${bl.params.map((p) => p.name)}]`);
  const eps = Number(cfg.epsilon);
  const decay = Math.fround(1 - Number(cfg.momentum));
  const needs = x.needsGrad || Boolean(gamma?.trainable || beta?.trainable);
  const y = bl.tensor(x.shape, needs);
  const rowsPer = x.per / C;
  // Per-channel float32 vectors for the kernels, and two float64 sum vectors.
  const [mu, rs, sc, sh, gr, m1, m2] = Array.from({ length: 7 }, () => bl.scratch(C));
  const o1 = bl.scratch(2 * C);
  const o2 = bl.scratch(2 * C);
  let relu = false;
  const sums = (f64: Float64Array, off: number) => f64.subarray(off / 2, off / 2 + C);
  return {
    kind: "BatchNormalization",
    name,
    inputs: [x],
    output: y,
    params: bl.params,
    accIn: [false],
    couplesSamples: true,
    fuseRelu: () => ((relu = true), true),
    forward(c: Ctx) {
      const { k, f32: f, f64 } = c.a;
      const rows = c.B * rowsPer;
      if (c.training) {
        const s1 = sums(f64, o1);
        const s2 = sums(f64, o2);
        s1.fill(0);
        s2.fill(0);
        k.chan_sum(bytes(x.off), rows, C, bytes(o1));
        for (let j = 0; j < C; j++) f[mu + j] = s1[j] / rows;
        k.chan_sqdev(bytes(x.off), rows, C, bytes(mu), bytes(o2));
        for (let j = 0; j < C; j++) {
          const v = Math.fround(s2[j] / rows);
          f[rs + j] = 1 / Math.sqrt(v + eps);
          f[mm.off + j] = f[mm.off + j] - Math.fround((f[mm.off + j] - f[mu + j]) * decay);
          f[mv.off + j] = f[mv.off + j] - Math.fround((f[mv.off + j] - v) * decay);
        }
      } else
        for (let j = 0; j < C; j++) {
          f[mu + j] = f[mm.off + j];
          f[rs + j] = 1 / Math.sqrt(f[mv.off + j] + eps);
        }
      // y = x·(γr) + (β − μ·γr)
      for (let j = 0; j < C; j++) {
        const g = (gamma ? f[gamma.off + j] : 1) * f[rs + j];
        f[sc + j] = g;
        f[sh + j] = (beta ? f[beta.off + j] : 0) - f[mu + j] * g;
      }
      k.chan_affine(bytes(x.off), bytes(y.off), rows, C, bytes(sc), bytes(sh), relu ? 1 : 0);
    },
    backward(c: Ctx) {
      const { k, f32: f, f64 } = c.a;
      const rows = c.B * rowsPer;
      const s1 = sums(f64, o1);
      const s2 = sums(f64, o2);
      s1.fill(0);
      s2.fill(0);
      // s1 = Σ g, s2 = Σ g·x̂ (g masked by the fused ReLU first)
      k.bn_back_sums(bytes(x.off), bytes(y.goff), bytes(y.off), rows, C, bytes(mu), bytes(rs), relu ? 1 : 0, bytes(o1), bytes(o2));
      if (beta?.trainable) for (let j = 0; j < C; j++) f[beta.goff + j] = s1[j];
      if (gamma?.trainable) for (let j = 0; j < C; j++) f[gamma.goff + j] = s2[j];
      if (!x.needsGrad) return;
      for (let j = 0; j < C; j++) {
        f[m1 + j] = s1[j] / rows;
        f[m2 + j] = s2[j] / rows;
        f[gr + j] = (gamma ? f[gamma.off + j] : 1) * f[rs + j];
      }
      k.bn_back_dx(
        bytes(x.off),
        bytes(y.goff),
        bytes(x.goff),
        rows,
        C,
        bytes(mu),
        bytes(rs),
        bytes(gr),
        bytes(m1),
        bytes(m2),
        this.accIn[0] ? 1 : 0,
      );
    },
  };
}

export function layerNormOp(bl: Builder, name: string, cfg: Cfg, x: Tensor): Op {
  const d = x.shape[x.shape.length - 1];
  const [gamma, beta] = bl.params; // addWeight order in layernorm.ts
  if (!gamma || !beta) throw new Unsupported(`${name}: LayerNorm without gamma/beta`);
  const eps = Number(cfg.epsilon);
  const y = bl.tensor(x.shape, true);
  const rowsPer = x.per / d;
  const stats = bl.scratch(2 * bl.maxBatch * rowsPer); // mean, rstd per row
  const dg = new Float64Array(d);
  const db = new Float64Array(d);
  return {
    kind: "LayerNorm",
    name,
    inputs: [x],
    output: y,
    params: bl.params,
    accIn: [false],
    forward(c: Ctx) {
      const f = c.a.f32;
      const rows = c.B * rowsPer;
      for (let r = 0; r < rows; r++) {
        const o = r * d;
        let s = 0;
        for (let j = 0; j < d; j++) s += f[x.off + o + j];
        const mu = s / d;
        let v = 0;
        for (let j = 0; j < d; j++) {
          const t = f[x.off + o + j] - mu;
          v += t * t;
        }
        const rs = 1 / Math.sqrt(Math.fround(v / d) + eps);
        f[stats + 2 * r] = mu;
        f[stats + 2 * r + 1] = rs;
        for (let j = 0; j < d; j++) f[y.off + o + j] = (f[x.off + o + j] - mu) * rs * f[gamma.off + j] + f[beta.off + j];
      }
    },
    backward(c: Ctx) {
      const f = c.a.f32;
      const rows = c.B * rowsPer;
      const acc = this.accIn[0];
      dg.fill(0);
      db.fill(0);
      for (let r = 0; r < rows; r++) {
        const o = r * d;
        const mu = f[stats + 2 * r];
        const rs = f[stats + 2 * r + 1];
        let m1 = 0;
        let m2 = 0;
        for (let j = 0; j < d; j++) {
          const g = f[y.goff + o + j];
          const xh = (f[x.off + o + j] - mu) * rs;
          dg[j] += g * xh;
          db[j] += g;
          const dxh = g * f[gamma.off + j];
          m1 += dxh;
          m2 += dxh * xh;
        }
        m1 /= d;
        m2 /= d;
        if (!x.needsGrad) continue;
        for (let j = 0; j < d; j++) {
          const xh = (f[x.off + o + j] - mu) * rs;
          const v = rs * (f[y.goff + o + j] * f[gamma.off + j] - m1 - xh * m2);
          if (acc) f[x.goff + o + j] += v;
          else f[x.goff + o + j] = v;
        }
      }
      if (gamma.trainable) for (let j = 0; j < d; j++) f[gamma.goff + j] = dg[j];
      if (beta.trainable) for (let j = 0; j < d; j++) f[beta.goff + j] = db[j];
    },
  };
}
