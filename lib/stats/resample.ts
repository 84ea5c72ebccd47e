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
  /** Skip the next `draws` draws at once (as if they had been drawn): a second thread starts where it would. */
  jump(draws: number): void;
  /** The generator's state (4 words), e.g. to hand to another thread. */
  state(): Int32Array;
}

/** A sampler continuing from a saved state (IndexSampler.state()). */
export function samplerFromState(state: Int32Array): IndexSampler {
  return fromState(Int32Array.from(state));
}

// ---- jumping ahead: xoshiro128**'s step is linear over GF(2) ----------------------------------

/** One step on a 128-bit state (4 words), in place. */
function step(st: Int32Array): void {
  const t = st[1] << 9;
  st[2] ^= st[0];
  st[3] ^= st[1];
  st[1] ^= st[2];
  st[0] ^= st[3];
  st[2] ^= t;
  st[3] = (st[3] << 11) | (st[3] >>> 21);
}

/** A 128 × 128 matrix over GF(2) as 128 columns of 4 words: column j = the image of basis vector j. */
type Matrix = Int32Array; // 128 × 4

function apply(m: Matrix, v: Int32Array, out: Int32Array): void {
  let a = 0,
    b = 0,
    c = 0,
    d = 0;
  for (let j = 0; j < 128; j++)
    if ((v[j >>> 5] >>> (j & 31)) & 1) {
      a ^= m[4 * j];
      b ^= m[4 * j + 1];
      c ^= m[4 * j + 2];
      d ^= m[4 * j + 3];
    }
  out[0] = a;
  out[1] = b;
  out[2] = c;
  out[3] = d;
}

/** M^(2^k) for k = 0..52, computed once per process (squaring a 128×128 GF(2) matrix is cheap). */
let powers: Matrix[] | null = null;
function stepPowers(): Matrix[] {
  if (powers) return powers;
  const m: Matrix = new Int32Array(128 * 4);
  const v = new Int32Array(4);
  for (let j = 0; j < 128; j++) {
    v.fill(0);
    v[j >>> 5] = 1 << (j & 31);
    step(v);
    m.set(v, 4 * j);
  }
  const out: Matrix[] = [m];
  const col = new Int32Array(4);
  for (let k = 1; k <= 52; k++) {
    const prev = out[k - 1];
    const sq: Matrix = new Int32Array(128 * 4);
    for (let j = 0; j < 128; j++) {
      apply(prev, prev.subarray(4 * j, 4 * j + 4), col);
      sq.set(col, 4 * j);
    }
    out.push(sq);
  }
  powers = out;
  return out;
}

/** Advance the state by n steps (n < 2^53): the state after n draws. */
function jumpState(st: Int32Array, n: number): void {
  if (!(Number.isInteger(n) && n >= 0 && n < 2 ** 53))
    throw new Error(`indexSampler.jump: draws must be an integer in [0, 2^53), got ${n}`);
  const p = stepPowers();
  const tmp = new Int32Array(4);
  for (let k = 0; n > 0; k++, n = Math.floor(n / 2))
    if (n % 2 === 1) {
      apply(p[k], st, tmp);
      st.set(tmp);
    }
}

/**
 * The generator's state lives in locals while a resample is drawn (a closure's
 * variables cost a memory round trip per draw, and a bootstrap over 47,000 test
 * users × 10 splits × 2,000 replicates draws a billion indices).
 */
export function indexSampler(rng: Rng): IndexSampler {
  // 4 × 32-bit state words from the named stream; never all zero.
  const st = new Int32Array(4);
  st[0] = Math.floor(rng.next() * 2 ** 32) | 0;
  st[1] = Math.floor(rng.next() * 2 ** 32) | 0;
  st[2] = Math.floor(rng.next() * 2 ** 32) | 0;
  st[3] = Math.floor(rng.next() * 2 ** 32) | 1;
  return fromState(st);
}

function fromState(st: Int32Array): IndexSampler {
  return {
    jump: (draws: number) => jumpState(st, draws),
    state: () => Int32Array.from(st),
    draw(n: number, out: Int32Array): Int32Array {
      if (!(Number.isInteger(n) && n > 0)) throw new Error(`indexSampler.draw: n must be a positive integer, got ${n}`);
      if (out.length < n) throw new Error(`indexSampler.draw: output holds ${out.length} < ${n} indices`);
      let s0 = st[0],
        s1 = st[1],
        s2 = st[2],
        s3 = st[3];
      // Multiply-shift mapping of a 32-bit draw to [0, n): bias < n / 2^32, negligible for test sets.
      for (let i = 0; i < n; i++) {
        const x = Math.imul(s1, 5);
        const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
        const t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 11) | (s3 >>> 21);
        out[i] = Math.floor((result / 4294967296) * n);
      }
      st[0] = s0;
      st[1] = s1;
      st[2] = s2;
      st[3] = s3;
      return out;
    },
  };
}
