/**
 * WebAssembly SIMD kernels for the training engine, generated as WebAssembly
 * text (WAT, in wat/) and assembled once per process by wat/assemble.ts.
 *
 * Why our own kernels rather than tfjs-wasm's XNNPACK: XNNPACK's
 * fully-connected operator is created and its right operand packed on every
 * call (≈ 30 µs), and it has no transposed or strided variants, which MRLF's
 * per-head attention products and every weight gradient need. A plain
 * register-blocked micro-kernel (4 rows × 8 columns of C in eight f32x4
 * accumulators) ran 14–32 GFLOP/s on the shapes these models train, against
 * 3–15 GFLOP/s for XNNPACK including its per-call set-up (bench/README.md).
 *
 * Determinism: every product is a fixed sequence of f32 multiplies and adds
 * (no fused multiply-add, no threads, no shape-dependent algorithm choice
 * beyond the tile edges), so results are bit-identical on every machine.
 *
 * All pointers are byte offsets into the engine's memory; leading dimensions
 * (lda, ldb, ldc) are in elements, so views of a larger row-major matrix (one
 * attention head's columns, say) need no copy.
 *
 *   gemm_nn(a, b, c, M, K, N, lda, ldb, ldc, acc)  C[M,N] (+)= A[M,K] · B[K,N]
 *   gemm_tn(a, b, c, R, M, N, lda, ldb, ldc, acc)  C[M,N] (+)= A[R,M]ᵀ · B[R,N]
 *   transpose(src, dst, rows, cols, lds, ldd)      dst[c,r] = src[r,c]
 *   col_sums(x, out, rows, n, acc)                 out[j] (+)= Σ_r x[r,j]
 * `acc` ≠ 0 adds into C instead of overwriting it. Element-wise and
 * per-channel kernels (softmax, BatchNorm, ReLU, …) are listed in wat/elementwise.ts,
 * the positional ones (im2col, max pooling, strided copies, dropout) in wat/spatial.ts.
 */

import { assembleWat } from "./wat/assemble";
import { gemmWat } from "./wat/gemm";
import { elementwiseWat } from "./wat/elementwise";
import { spatialWat } from "./wat/spatial";

/** The whole module's text (exported for tests and for reading). */
export function kernelsWat(): string {
  return [`(module`, `(import "env" "memory" (memory 1))`, gemmWat(), elementwiseWat(), spatialWat(), `)`].join("\n");
}

export interface Kernels {
  gemm_nn(a: number, b: number, c: number, M: number, K: number, N: number, lda: number, ldb: number, ldc: number, acc: number): void;
  gemm_tn(a: number, b: number, c: number, R: number, M: number, N: number, lda: number, ldb: number, ldc: number, acc: number): void;
  transpose(src: number, dst: number, rows: number, cols: number, lds: number, ldd: number): void;
  col_sums(x: number, out: number, rows: number, n: number, acc: number): void;
  softmax_rows(p: number, rows: number, n: number): void;
  softmax_back_rows(p: number, dp: number, rows: number, n: number): void;
  chan_sum(x: number, rows: number, C: number, out64: number): void;
  chan_sqdev(x: number, rows: number, C: number, mu: number, out64: number): void;
  chan_affine(x: number, y: number, rows: number, C: number, s: number, t: number, relu: number): void;
  bn_back_sums(
    x: number,
    g: number,
    y: number,
    rows: number,
    C: number,
    mu: number,
    rs: number,
    relu: number,
    o1: number,
    o2: number,
  ): void;
  bn_back_dx(
    x: number,
    g: number,
    dx: number,
    rows: number,
    C: number,
    mu: number,
    rs: number,
    gr: number,
    m1: number,
    m2: number,
    acc: number,
  ): void;
  relu_fwd(x: number, y: number, n: number): void;
  relu_back(y: number, g: number, dst: number, n: number, acc: number): void;
  add_rows(y: number, b: number, rows: number, n: number): void;
  vadd(a: number, b: number, out: number, n: number): void;
  vacc(dst: number, src: number, n: number): void;
  vscale(x: number, n: number, s: number): void;
  vmul(a: number, b: number, dst: number, n: number, acc: number): void;
  im2col(
    x: number,
    col: number,
    B: number,
    H: number,
    W: number,
    C: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    pt: number,
    pl: number,
    oH: number,
    oW: number,
  ): void;
  maxpool(
    x: number,
    y: number,
    arg: number,
    B: number,
    H: number,
    W: number,
    C: number,
    ph: number,
    pw: number,
    sh: number,
    sw: number,
    pt: number,
    pl: number,
    oH: number,
    oW: number,
  ): void;
  avgpool(
    x: number,
    y: number,
    B: number,
    H: number,
    W: number,
    C: number,
    ph: number,
    pw: number,
    sh: number,
    sw: number,
    pt: number,
    pl: number,
    oH: number,
    oW: number,
    back: number,
  ): void;
  copy_rows(src: number, dst: number, rows: number, n: number, lds: number, ldd: number, acc: number): void;
  dropout(x: number, y: number, mask: number, n: number, key: number, threshold: number, scale: number): void;
  table_conv(
    ids: number,
    table: number,
    bias: number,
    y: number,
    B: number,
    T: number,
    V: number,
    F: number,
    k: number,
    pl: number,
    oT: number,
  ): void;
  table_scatter(ids: number, g: number, S: number, B: number, T: number, V: number, F: number, k: number, pl: number, oT: number): void;
}

// The project compiles without the DOM lib (tslab has none), which is where TypeScript declares
// WebAssembly; these are the few members used.
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: unknown };
  Memory: new (d: { initial: number; maximum?: number }) => WasmMemory;
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export const newMemory = (pages: number): WasmMemory => new WA.Memory({ initial: pages, maximum: 65536 });

let compiled: object | null = null;

/** Assemble the kernels once per process (synchronously: wat/assemble.ts). */
function kernelModule(): object {
  compiled ??= new WA.Module(assembleWat(kernelsWat()));
  return compiled;
}

/**
 * Rows of Aᵀ·B summed per call of gemm_tn: each C tile streams its A and B columns over every
 * row, so without blocking a big product (a paper-width conv's dW: R = 6400, M = 600, N = 100)
 * misses cache on every row (6 GFLOP/s); 64-row blocks kept it at 15–24 GFLOP/s
 * (bench/README.md). The blocks' partial sums add into C in row order.
 */
export const TN_ROW_BLOCK = 64;

/** An instance of the kernels on the given memory. */
export function instantiateKernels(memory: WasmMemory): Kernels {
  const raw = new WA.Instance(kernelModule(), { env: { memory } }).exports as Kernels;
  const tn = raw.gemm_tn;
  return {
    ...raw,
    gemm_tn(a, b, c, R, M, N, lda, ldb, ldc, acc) {
      for (let r = 0; r < R; r += TN_ROW_BLOCK)
        tn(a + 4 * r * lda, b + 4 * r * ldb, c, Math.min(TN_ROW_BLOCK, R - r), M, N, lda, ldb, ldc, r > 0 ? 1 : acc);
    },
  };
}
