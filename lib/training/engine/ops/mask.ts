/**
 * Padding masks (lib/models/layers/mask.ts) and the masked max over time
 * (lib/models/layers/maxovertime.ts). Masks are 0/1 float tensors computed
 * from the model's own id inputs; no gradient flows into them.
 *
 *   PadMask     m_t = 1 if ids_t ≠ 0 else 0
 *   PoolMask    m'_j = max(m_{js} … m_{js+w−1})   (window w, stride s)
 *   masked max  y_c = max_{t : m_t = 1} x_tc, and 0 when no position is real;
 *               dy_c goes to the first arg-max among the real positions.
 */
import { prod, Unsupported, type Builder, type Ctx, type Op, type Tensor } from "./common";

type Cfg = Record<string, unknown>;

const maskOp = (kind: string, name: string, inputs: Tensor[], output: Tensor, forward: (c: Ctx) => void): Op => ({
  kind,
  name,
  inputs,
  output,
  params: [],
  accIn: inputs.map(() => false),
  forward,
  backward: () => undefined,
});

export function padMaskOp(bl: Builder, name: string, ids: Tensor): Op {
  if (ids.dtype !== "int32") throw new Unsupported(`${name}: padding mask of a float input`);
  const y = bl.tensor(ids.shape, false);
  return maskOp("PadMask", name, [ids], y, (c) => {
    const { f32: f, i32 } = c.a;
    const n = c.B * ids.per;
    for (let i = 0; i < n; i++) f[y.off + i] = i32[ids.off + i] !== 0 ? 1 : 0;
  });
}

export function poolMaskOp(bl: Builder, name: string, cfg: Cfg, m: Tensor): Op {
  const w = Number(cfg.window);
  const s = Number(cfg.stride ?? w);
  if (m.shape.length !== 1) throw new Unsupported(`${name}: pool mask of shape [${m.shape}]`);
  const T = m.shape[0];
  const out = Math.floor((T - w) / s) + 1;
  if (!(w >= 1 && s >= 1 && out >= 1)) throw new Unsupported(`${name}: pool mask window ${w}, stride ${s} over ${T}`);
  const y = bl.tensor([out], false);
  return maskOp("PoolMask", name, [m], y, (c) => {
    const f = c.a.f32;
    for (let b = 0; b < c.B; b++)
      for (let j = 0; j < out; j++) {
        let v = 0;
        for (let t = j * s; t < j * s + w; t++) v = Math.max(v, f[m.off + b * T + t]);
        f[y.off + b * out + j] = v;
      }
  });
}

export function maskedMaxOverTimeOp(bl: Builder, name: string, x: Tensor, m: Tensor): Op {
  const [T, C] = x.shape;
  if (m.shape.length !== 1 || m.shape[0] !== T) throw new Unsupported(`${name}: mask [${m.shape}] for a sequence [${x.shape}]`);
  const y = bl.tensor([C], x.needsGrad);
  const arg = bl.scratch(bl.maxBatch * C); // index into x of each maximum, −1 when the row has no real position
  const best = new Float32Array(C);
  return {
    kind: "MaxOverTime (masked)",
    name,
    inputs: [x, m],
    output: y,
    params: [],
    accIn: [false, false],
    forward(c: Ctx) {
      const { f32: f, i32 } = c.a;
      for (let b = 0; b < c.B; b++) {
        const ab = arg + b * C;
        i32.fill(-1, ab, ab + C);
        for (let t = 0; t < T; t++) {
          if (f[m.off + b * T + t] === 0) continue;
          const row = (b * T + t) * C;
          for (let ch = 0; ch < C; ch++) {
            const v = f[x.off + row + ch];
            if (i32[ab + ch] < 0 || v > best[ch]) {
              best[ch] = v;
              i32[ab + ch] = row + ch;
            }
          }
        }
        for (let ch = 0; ch < C; ch++) f[y.off + b * C + ch] = i32[ab + ch] < 0 ? 0 : best[ch];
      }
    },
    backward(this: Op, c: Ctx) {
      if (!x.needsGrad) return;
      const { f32: f, i32 } = c.a;
      if (!this.accIn[0]) f.fill(0, x.goff, x.goff + c.B * x.per);
      const n = c.B * C;
      for (let o = 0; o < n; o++) {
        const at = i32[arg + o];
        if (at >= 0) f[x.goff + at] += f[y.goff + o];
      }
    },
  };
}

/** Key-mask helpers for attention: `keyMasked(b)` lists sample b's pad key positions. */
export function keyMaskReader(m: Tensor, Tk: number): (c: Ctx, b: number) => number[] {
  if (prod(m.shape) !== Tk) throw new Unsupported(`attention key mask [${m.shape}] for ${Tk} keys`);
  return (c, b) => {
    const f = c.a.f32;
    const pads: number[] = [];
    for (let j = 0; j < Tk; j++) if (f[m.off + b * Tk + j] === 0) pads.push(j);
    return pads;
  };
}
