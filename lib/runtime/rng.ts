/**
 * Seeded randomness. Every random number in georepro comes from here.
 *
 * One root seed → many *named, independent streams*: `stream(seed, "split/ny")`
 * hashes (seed, name) with SHA-256 and seeds an ARC4 generator (seedrandom's
 * default, identical on every platform). Streams never share state, so adding a
 * new consumer never changes the numbers another consumer sees — the property
 * that keeps result tables byte-identical as the code grows.
 */
import { createHash } from "node:crypto";
import seedrandom from "seedrandom";

export interface Rng {
  /** The stream's name (for provenance and error messages). */
  readonly name: string;
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Fisher–Yates shuffle of a copy. */
  shuffle<T>(items: readonly T[]): T[];
  /** One element, uniformly. */
  choice<T>(items: readonly T[]): T;
  /** Index drawn from unnormalised non-negative weights. */
  weighted(weights: readonly number[]): number;
  /** A 31-bit integer seed for APIs that take one (TensorFlow.js initializers, dropout). */
  seedInt(): number;
  /** A child stream, independent of this one and of its siblings. */
  fork(name: string): Rng;
}

/** Derive the seed string for a named stream; exported for provenance. */
export function streamKey(rootSeed: number, name: string): string {
  if (!Number.isInteger(rootSeed)) throw new Error(`rng: root seed must be an integer, got ${rootSeed}`);
  return createHash("sha256").update(`georepro:${rootSeed}:${name}`).digest("hex");
}

/** A named stream under a root seed. */
export function stream(rootSeed: number, name: string): Rng {
  return fromKey(streamKey(rootSeed, name), name);
}

function fromKey(key: string, name: string): Rng {
  const prng = seedrandom(key);
  let spare: number | null = null;
  const rng: Rng = {
    name,
    next: () => prng(),
    int(n: number): number {
      if (!(n > 0) || !Number.isInteger(n)) throw new Error(`rng(${name}).int: n must be a positive integer, got ${n}`);
      return Math.floor(prng() * n);
    },
    normal(): number {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u = 0;
      while (u === 0) u = prng();
      const v = prng();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    shuffle<T>(items: readonly T[]): T[] {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(prng() * (i + 1));
        const t = out[i];
        out[i] = out[j];
        out[j] = t;
      }
      return out;
    },
    choice<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error(`rng(${name}).choice: empty list`);
      return items[Math.floor(prng() * items.length)];
    },
    weighted(weights: readonly number[]): number {
      let total = 0;
      for (const w of weights) {
        if (!(w >= 0)) throw new Error(`rng(${name}).weighted: weights must be >= 0, got ${w}`);
        total += w;
      }
      if (total <= 0) throw new Error(`rng(${name}).weighted: weights sum to 0`);
      let x = prng() * total;
      for (let i = 0; i < weights.length; i++) {
        x -= weights[i];
        if (x < 0) return i;
      }
      return weights.length - 1;
    },
    seedInt: () => Math.floor(prng() * 0x7fffffff),
    fork: (child: string) => fromKey(createHash("sha256").update(`${key}/${child}`).digest("hex"), `${name}/${child}`),
  };
  return rng;
}
