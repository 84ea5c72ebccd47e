/**
 * tfjs's RMSprop and Adam update rules over the engine's parameter slots,
 * one pass per parameter instead of ~10 tensor ops per variable.
 *
 * RMSprop (tf.train.rmsprop(lr), decay ρ = 0.9, momentum μ = 0, ε = 1e-7,
 * not centred — tfjs-core's RMSPropOptimizer):
 *   ms ← ρ·ms + (1 − ρ)·g²;  mom ← μ·mom + lr·g/√(ms + ε);  w ← w − mom
 * Adam (tf.train.adam(lr), β1 = 0.9, β2 = 0.999, ε = 1e-7), t = 1, 2, …:
 *   m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²
 *   w ← w − lr·(m/(1 − β1ᵗ)) / (√(v/(1 − β2ᵗ)) + ε)
 * Arithmetic is float64 per element, stored as float32.
 */
import type { Arena } from "./arena";
import type { Param } from "./ops/common";

export type OptimizerKind = "rmsprop" | "adam";

export class EngineOptimizer {
  private readonly slots: { p: Param; s1: number; s2: number }[];
  private t = 0;
  static readonly RHO = 0.9;
  static readonly EPS = 1e-7;
  static readonly BETA1 = 0.9;
  static readonly BETA2 = 0.999;

  /** Slots are allocated from the arena before it is sealed. */
  constructor(
    readonly kind: OptimizerKind,
    public learningRate: number,
    params: Param[],
    arena: Arena,
  ) {
    this.slots = params.filter((p) => p.trainable).map((p) => ({ p, s1: arena.alloc(p.size), s2: arena.alloc(p.size) }));
  }

  step(f: Float32Array): void {
    this.t++;
    const lr = this.learningRate;
    if (this.kind === "rmsprop") {
      const rho = EngineOptimizer.RHO;
      const eps = EngineOptimizer.EPS;
      for (const { p, s1: ms, s2: mom } of this.slots)
        for (let i = 0; i < p.size; i++) {
          const g = f[p.goff + i];
          const m = rho * f[ms + i] + (1 - rho) * g * g;
          f[ms + i] = m;
          const step = lr * (g / Math.sqrt(m + eps)); // momentum 0: mom = step
          f[mom + i] = step;
          f[p.off + i] -= step;
        }
      return;
    }
    const b1 = EngineOptimizer.BETA1;
    const b2 = EngineOptimizer.BETA2;
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    for (const { p, s1: m1, s2: m2 } of this.slots)
      for (let i = 0; i < p.size; i++) {
        const g = f[p.goff + i];
        const a = b1 * f[m1 + i] + (1 - b1) * g;
        const b = b2 * f[m2 + i] + (1 - b2) * g * g;
        f[m1 + i] = a;
        f[m2 + i] = b;
        f[p.off + i] -= (lr * (a / c1)) / (Math.sqrt(b / c2) + EngineOptimizer.EPS);
      }
  }
}
