/**
 * Fast seeded integer draws for the bootstrap.
 *
 * A bootstrap over 10 splits × 800 users × 2,000 replicates draws 16 M
 * indices; seedrandom's ARC4 (lib/runtime/rng.ts) is an order of magnitude
 * slower than needed there. So a named georepro stream seeds xoshiro128**
 * (Blackman & Vigna 2018), a small generator with a 2^128 − 1 period and good
 * equidistribution, and the draws come from it. The stream still decides
 * everything: the same stream name gives the same indices on every machine.
 */
import type { Rng } from "../runtime/rng";

export interface IndexSampler {
  /** n indices drawn uniformly with replacement from [0, n), written into `out`. */
  draw(n: number, out: Int32Array): Int32Array;
}

const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

export function indexSampler(rng: Rng): IndexSampler {
  // 4 × 32-bit state words from the named stream; never all zero.
  let s0 = Math.floor(rng.next() * 2 ** 32) | 0;
  let s1 = Math.floor(rng.next() * 2 ** 32) | 0;
  let s2 = Math.floor(rng.next() * 2 ** 32) | 0;
  let s3 = Math.floor(rng.next() * 2 ** 32) | 1;
  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
  return {
    draw(n: number, out: Int32Array): Int32Array {
      if (!(Number.isInteger(n) && n > 0)) throw new Error(`indexSampler.draw: n must be a positive integer, got ${n}`);
      if (out.length < n) throw new Error(`indexSampler.draw: output holds ${out.length} < ${n} indices`);
      // Multiply-shift mapping of a 32-bit draw to [0, n): bias < n / 2^32, negligible for test sets.
      for (let i = 0; i < n; i++) out[i] = Math.floor((nextU32() / 4294967296) * n);
      return out;
    },
  };
}
