/**
 * Training kernels the wasm backend lacks or runs slowly, registered when the
 * wasm backend is selected (hooked in from backend.ts via onBackendSelected).
 *
 * - `UnsortedSegmentSum` (the gradient of `gather`, i.e. of every embedding
 *   layer): a typed-array scatter-add, O(ids × width).
 * - `Conv2DBackpropFilter` (the weight gradient of conv1d/conv2d): for stride 1
 *   a forward convolution of Xᵀ with dYᵀ as filter (XNNPACK); otherwise im2col
 *   built directly in transposed layout, X_colᵀ[kh·kw·Cin, B·oH·oW], then one
 *   plain matMul with dY[B·oH·oW, Cout]:  dW = X_colᵀ · dY.
 * - `Conv2DBackpropInput` (stride 1): wasm's kernel is a scalar loop (~0.5 s per
 *   MRLF conv); replaced by a forward convolution of dY with the spatially
 *   flipped, channel-transposed filter.
 * - `BatchMatMul`: the wasm kernel uses XNNPACK only for an untransposed,
 *   unbatched product; with transposeA/B or a batch dimension it falls back to
 *   a naive loop (0.3–2 GFLOP/s). The override folds a shared right operand into
 *   rows (one XNNPACK call) and runs a truly batched product as one XNNPACK call
 *   per batch slice on views of the heap (see batchMatMulSliced below).
 *
 * All three are checked against the cpu backend in test/tfjs/wasm-kernels.test.ts.
 */
import type * as TF from "@tensorflow/tfjs";

type TensorInfo = { dataId: object; shape: number[]; dtype: TF.DataType };
// The wasm backend's internals we use (BackendWasm is not exported with types we can import cheaply).
interface WasmBackend {
  makeOutput(shape: number[], dtype: TF.DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): TF.TypedArray;
  readSync(dataId: object): TF.TypedArray;
  disposeData(dataId: object): boolean;
}
type KernelArgs = { inputs: Record<string, TensorInfo>; backend: WasmBackend; attrs: Record<string, unknown> };
type KernelFn = (args: KernelArgs) => TensorInfo;

let registered = false;

/** Register the kernels once; a no-op for other backends. */
export function registerWasmTrainingKernels(tf: typeof TF, backendName: string): void {
  if (backendName !== "wasm" || registered) return;
  registered = true;
  const kernelFn = (name: string): KernelFn => {
    const k = tf.getKernel(name, "wasm");
    if (!k) throw new Error(`wasm-kernels: wasm backend has no ${name} kernel to build on`);
    return k.kernelFunc as unknown as KernelFn;
  };
  const transpose = kernelFn("Transpose");
  const reshape = kernelFn("Reshape");
  const nativeBmm = kernelFn("BatchMatMul");
  const conv2d = kernelFn("Conv2D");
  const reverse = kernelFn("Reverse");
  const call = (fn: KernelFn, backend: WasmBackend, inputs: Record<string, TensorInfo>, attrs: Record<string, unknown>) =>
    fn({ inputs, backend, attrs });

  const register = (kernelName: string, kernelFunc: KernelFn) => {
    if (tf.getKernel(kernelName, "wasm")) tf.unregisterKernel(kernelName, "wasm");
    tf.registerKernel({ kernelName, backendName: "wasm", kernelFunc: kernelFunc as unknown as TF.KernelFunc });
  };

  register("UnsortedSegmentSum", ({ inputs, backend, attrs }) => {
    const { x, segmentIds } = inputs;
    const numSegments = attrs.numSegments as number;
    const ids = backend.readSync(segmentIds.dataId);
    const width = x.shape.slice(segmentIds.shape.length).reduce((a, b) => a * b, 1);
    const out = backend.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
    const xs = backend.readSync(x.dataId); // read before typedArrayFromHeap: makeOutput may grow the heap
    const o = backend.typedArrayFromHeap(out);
    o.fill(0);
    for (let i = 0; i < ids.length; i++) {
      const s = ids[i];
      if (s < 0 || s >= numSegments) continue; // TF semantics: out-of-range ids are dropped
      const src = i * width;
      const dst = s * width;
      for (let j = 0; j < width; j++) o[dst + j] += xs[src + j];
    }
    return out;
  });

  register("Conv2DBackpropFilter", ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs;
    const filterShape = attrs.filterShape as [number, number, number, number];
    if ((attrs.dataFormat ?? "NHWC") !== "NHWC") throw new Error("wasm-kernels: Conv2DBackpropFilter supports NHWC only");
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      attrs.strides as [number, number],
      1,
      attrs.pad as "valid",
      attrs.dimRoundingMode as "floor" | undefined,
      false,
    );
    const [B, H, W, C] = x.shape;
    const [kh, kw] = filterShape;
    const { outHeight: oH, outWidth: oW, strideHeight: sh, strideWidth: sw } = info;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    if (sh === 1 && sw === 1) {
      // Stride 1: dW[r,s,c,f] = Σ_{b,i,j} Xpad[b,i+r,j+s,c]·dY[b,i,j,f] is itself a convolution of
      // Xᵀ[C,H,W,B] (batch C, channels B) with dYᵀ[oH,oW,B,F] as the filter → [C,kh,kw,F].
      const xt = call(transpose, backend, { x }, { perm: [3, 1, 2, 0] });
      const dyt = call(transpose, backend, { x: dy }, { perm: [1, 2, 0, 3] });
      const pad = [
        [0, 0],
        [top, kh - 1 + oH - H - top],
        [left, kw - 1 + oW - W - left],
        [0, 0],
      ];
      const o = call(conv2d, backend, { x: xt, filter: dyt }, { strides: [1, 1], pad, dilations: [1, 1], dataFormat: "NHWC" });
      const res = call(transpose, backend, { x: o }, { perm: [1, 2, 0, 3] });
      for (const t of [xt, dyt, o]) backend.disposeData(t.dataId);
      return res;
    }
    const rows = kh * kw * C;
    const cols = B * oH * oW;
    const xs = backend.readSync(x.dataId);
    const colT = backend.makeOutput([rows, cols], "float32");
    const ct = backend.typedArrayFromHeap(colT);
    for (let r = 0; r < kh; r++)
      for (let s = 0; s < kw; s++)
        for (let c = 0; c < C; c++) {
          const base = ((r * kw + s) * C + c) * cols;
          let col = 0;
          for (let b = 0; b < B; b++)
            for (let oh = 0; oh < oH; oh++) {
              const ih = oh * sh - top + r;
              const rowOk = ih >= 0 && ih < H;
              for (let ow = 0; ow < oW; ow++, col++) {
                const iw = ow * sw - left + s;
                ct[base + col] = rowOk && iw >= 0 && iw < W ? xs[((b * H + ih) * W + iw) * C + c] : 0;
              }
            }
        }
    const dy2 = call(reshape, backend, { x: dy }, { shape: [cols, filterShape[3]] });
    const dw = call(nativeBmm, backend, { a: colT, b: dy2 }, { transposeA: false, transposeB: false });
    backend.disposeData(colT.dataId);
    backend.disposeData(dy2.dataId);
    const res = call(reshape, backend, { x: dw }, { shape: [...filterShape] });
    backend.disposeData(dw.dataId);
    return res;
  });

  const nativeBackpropInput = kernelFn("Conv2DBackpropInput");
  register("Conv2DBackpropInput", (args) => {
    const { inputs, backend, attrs } = args;
    const { dy, filter } = inputs;
    const strides = attrs.strides as [number, number] | number;
    const [sh, sw] = typeof strides === "number" ? [strides, strides] : strides;
    if (sh !== 1 || sw !== 1 || (attrs.dataFormat ?? "NHWC") !== "NHWC") return nativeBackpropInput(args);
    // Stride 1: dX = conv(dY, W flipped in space with in/out channels swapped), padded so the
    // output has the input's size — XNNPACK's forward conv instead of wasm's scalar loop.
    const inputShape = attrs.inputShape as [number, number, number, number];
    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      [1, 1],
      1,
      attrs.pad as "valid",
      attrs.dimRoundingMode as "floor" | undefined,
    );
    const [, H, W] = inputShape;
    const [kh, kw] = filter.shape;
    const { outHeight: oH, outWidth: oW } = info;
    const pt = kh - 1 - info.padInfo.top;
    const pl = kw - 1 - info.padInfo.left;
    const pad = [
      [0, 0],
      [pt, H - oH - pt + kh - 1],
      [pl, W - oW - pl + kw - 1],
      [0, 0],
    ];
    if (pad.flat().some((p) => p < 0)) return nativeBackpropInput(args);
    const flipped = call(reverse, backend, { x: filter }, { dims: [0, 1] });
    const wt = call(transpose, backend, { x: flipped }, { perm: [0, 1, 3, 2] });
    const res = call(conv2d, backend, { x: dy, filter: wt }, { strides: [1, 1], pad, dilations: [1, 1], dataFormat: "NHWC" });
    backend.disposeData(flipped.dataId);
    backend.disposeData(wt.dataId);
    return res;
  });

  // Typed-array loops for kernels whose wasm versions were slow in the profile of one MRLF step
  // (reduced width, batch 64): GatherV2 ≈ 23 ms per embedding lookup, MaxPoolGrad ≈ 9 ms per
  // char-branch pool, Sum over rows (bias gradients) ≈ 3.7 ms per [8192,32] — each < 1 ms here.
  const nativeGather = kernelFn("GatherV2");
  register("GatherV2", (args) => gatherRows(args) ?? nativeGather(args));
  const nativeMaxPoolGrad = kernelFn("MaxPoolGrad");
  register("MaxPoolGrad", (args) => maxPoolGradLoop(tf, args) ?? nativeMaxPoolGrad(args));
  const nativeSum = kernelFn("Sum");
  register("Sum", (args) => sumLeadingAxes(args) ?? nativeSum(args));

  // Identity (tf.clone, and the engine's copy of every tensor it saves for the backward pass) is a
  // full copy on wasm — 150 ms per MRLF step. Tensors are immutable and no kernel writes into its
  // inputs, so share the buffer with a reference count, as the cpu backend does.
  const nativeIdentity = kernelFn("Identity");
  register("Identity", (args) => {
    const { x } = args.inputs;
    if (x.dtype === "string") return nativeIdentity(args);
    (args.backend as WasmBackendInternals).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });

  register("BatchMatMul", (args) => batchMatMulSliced(args, { transpose, reshape, nativeBmm, call }));
}

// ---------------------------------------------------------------------------
// Batched matMul as one XNNPACK product per batch slice.
//
// wasm's own BatchMatMul runs XNNPACK's fully-connected operator only when
// batch = 1 and nothing is transposed; it finds its operands by tensor id in the
// C++ registry. So each slice n of A, B and C is registered there under a fresh
// id as a *view* (heap offset + length) of the existing buffers — no copies, no
// tfjs tensors — and the native kernel is called on the views with batch 1.
// Disposing a view id drops the XNNPACK operator cached on it (its packed
// weights), so ids are never reused with other data.
//
// Transposes are made explicit (XNNPACK wants both operands untransposed), and
// either C = op(A)·op(B) or Cᵀ = op(B)ᵀ·op(A)ᵀ is computed, whichever moves
// fewer floats: e.g. dV = Pᵀ·dO with P [N,128,128] and dO [N,128,16] becomes
// (dOᵀ·P)ᵀ, transposing only the small dO and the small result.
// ---------------------------------------------------------------------------

interface WasmModule {
  cwrap(name: string, ret: null, args: string[]): (...a: unknown[]) => void;
  tfjs: { registerTensor(id: number, size: number, offset: number): void; disposeData(id: number): void };
}
interface WasmBackendInternals extends WasmBackend {
  incRef(dataId: object): void;
  wasm: WasmModule;
  dataIdNextNumber: number;
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } };
}
type BmmHelpers = {
  transpose: KernelFn;
  reshape: KernelFn;
  nativeBmm: KernelFn;
  call: (fn: KernelFn, backend: WasmBackend, inputs: Record<string, TensorInfo>, attrs: Record<string, unknown>) => TensorInfo;
};

let wasmBmm: ((...a: unknown[]) => void) | null = null;
const shapeBytes = (s: number[]) => new Uint8Array(new Int32Array(s).buffer);

/** How the product is carried out: which operands get an explicit transpose, and whether Cᵀ is computed. */
export interface BmmPlan {
  swap: boolean;
  transposeLeft: boolean;
  transposeRight: boolean;
  movedFloats: number;
}

/**
 * Pick C = op(A)·op(B) or Cᵀ = op(B)ᵀ·op(A)ᵀ by the floats moved: explicit
 * transposes plus the right operand, which XNNPACK packs per slice.
 */
export function planBatchMatMul(sizeA: number, sizeB: number, sizeC: number, transposeA: boolean, transposeB: boolean): BmmPlan {
  const direct = (transposeA ? sizeA : 0) + (transposeB ? sizeB : 0) + sizeB;
  const swapped = (!transposeB ? sizeB : 0) + (!transposeA ? sizeA : 0) + sizeC + sizeA;
  return direct <= swapped
    ? { swap: false, transposeLeft: transposeA, transposeRight: transposeB, movedFloats: direct }
    : { swap: true, transposeLeft: !transposeB, transposeRight: !transposeA, movedFloats: swapped };
}

function batchMatMulSliced({ inputs, backend: be, attrs }: KernelArgs, h: BmmHelpers): TensorInfo {
  const backend = be as WasmBackendInternals;
  const { a, b } = inputs;
  const tA = Boolean(attrs.transposeA);
  const tB = Boolean(attrs.transposeB);
  const ra = a.shape.length;
  const rb = b.shape.length;
  const M = tA ? a.shape[ra - 1] : a.shape[ra - 2];
  const K = tA ? a.shape[ra - 2] : a.shape[ra - 1];
  const P = tB ? b.shape[rb - 2] : b.shape[rb - 1];
  const Kb = tB ? b.shape[rb - 1] : b.shape[rb - 2];
  if (K !== Kb)
    throw new Error(`wasm-kernels: BatchMatMul: inner sizes differ (${a.shape} · ${b.shape}, transposeA=${tA}, transposeB=${tB})`);
  const batchA = a.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  const batchB = b.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  const batchShapeA = a.shape.slice(0, -2);
  const batchShapeB = b.shape.slice(0, -2);
  const sameBatch = batchA === batchB && batchShapeA.length === batchShapeB.length && batchShapeA.every((d, i) => d === batchShapeB[i]);
  const outShape = [...(batchA >= batchB ? batchShapeA : batchShapeB), M, P];
  const tmp: TensorInfo[] = [];
  const keep = (t: TensorInfo) => (tmp.push(t), t);
  const swapLast = (t: TensorInfo) => {
    const perm = t.shape.map((_, i) => i);
    [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1], perm[perm.length - 2]];
    return keep(h.call(h.transpose, backend, { x: t }, { perm }));
  };
  const done = (out: TensorInfo) => {
    for (const t of tmp) backend.disposeData(t.dataId);
    return out;
  };

  if (batchB === 1) {
    // Shared right operand: fold A's batch into rows, one XNNPACK product.
    const aa = tA ? swapLast(a) : a;
    const bb = tB ? swapLast(b) : b;
    const a2 = keep(h.call(h.reshape, backend, { x: aa }, { shape: [1, batchA * M, K] }));
    const b2 = keep(h.call(h.reshape, backend, { x: bb }, { shape: [1, K, P] }));
    const o = keep(h.call(h.nativeBmm, backend, { a: a2, b: b2 }, { transposeA: false, transposeB: false }));
    return done(h.call(h.reshape, backend, { x: o }, { shape: outShape }));
  }
  if (!sameBatch) {
    // Broadcast batch dims other than a shared right operand: unused by our models, keep wasm's loop.
    return h.nativeBmm({ inputs, backend, attrs });
  }

  const N = batchA;
  const plan = planBatchMatMul(N * M * K, N * K * P, N * M * P, tA, tB);
  // Left·Right with Left [N,m,k], Right [N,k,p], both untransposed after the plan's copies.
  let left = plan.swap ? b : a;
  let right = plan.swap ? a : b;
  if (plan.transposeLeft) left = swapLast(left);
  if (plan.transposeRight) right = swapLast(right);
  const [m, k, p] = plan.swap ? [P, K, M] : [M, K, P];
  const prod = backend.makeOutput(plan.swap ? [N, P, M] : [N, M, P], "float32");
  if (!wasmBmm)
    wasmBmm = backend.wasm.cwrap("BatchMatMul", null, [
      "number",
      "array",
      "number",
      "number",
      "array",
      "number",
      "number",
      "number",
      "number",
    ]);
  const offL = backend.dataIdMap.get(left.dataId).memoryOffset;
  const offR = backend.dataIdMap.get(right.dataId).memoryOffset;
  const offO = backend.dataIdMap.get(prod.dataId).memoryOffset;
  const reg = backend.wasm.tfjs;
  const sL = shapeBytes([1, m, k]);
  const sR = shapeBytes([1, k, p]);
  for (let n = 0; n < N; n++) {
    const idL = backend.dataIdNextNumber++;
    const idR = backend.dataIdNextNumber++;
    const idO = backend.dataIdNextNumber++;
    reg.registerTensor(idL, m * k, offL + 4 * n * m * k);
    reg.registerTensor(idR, k * p, offR + 4 * n * k * p);
    reg.registerTensor(idO, m * p, offO + 4 * n * m * p);
    wasmBmm(idL, sL, 3, idR, sR, 3, 0, 0, idO);
    reg.disposeData(idL);
    reg.disposeData(idR); // also deletes the XNNPACK operator cached on this id
    reg.disposeData(idO);
  }
  if (!plan.swap) {
    const out = h.call(h.reshape, backend, { x: prod }, { shape: outShape });
    backend.disposeData(prod.dataId);
    return done(out);
  }
  keep(prod);
  const back = keep(h.call(h.transpose, backend, { x: prod }, { perm: [0, 2, 1] }));
  return done(h.call(h.reshape, backend, { x: back }, { shape: outShape }));
}

// ---------------------------------------------------------------------------
// Loops for gather / max-pool gradient / row sums. Each returns null when its
// fast case does not apply and the caller falls back to the native kernel.
// Outputs are made before any heap view is taken (makeOutput may grow the heap,
// which detaches earlier views).
// ---------------------------------------------------------------------------

/** GatherV2 on axis 0 without batch dims (every embedding lookup): copy whole rows. */
function gatherRows({ inputs, backend, attrs }: KernelArgs): TensorInfo | null {
  const { x, indices } = inputs;
  const axis = Number(attrs.axis ?? 0);
  if (axis !== 0 || Number(attrs.batchDims ?? 0) !== 0 || x.dtype !== "float32") return null;
  const rows = x.shape[0];
  const width = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
  const ids = backend.typedArrayFromHeap(indices);
  const xs = backend.typedArrayFromHeap(x);
  const o = backend.typedArrayFromHeap(out);
  for (let i = 0; i < ids.length; i++) {
    const r = ids[i];
    if (!(r >= 0 && r < rows)) {
      backend.disposeData(out.dataId);
      throw new Error(
        `wasm-kernels: GatherV2: index ${r} at position ${i} is outside [0, ${rows - 1}] (vocabulary too small for the ids?)`,
      );
    }
    o.set(xs.subarray(r * width, (r + 1) * width), i * width);
  }
  return out;
}

/**
 * MaxPoolGrad (NHWC, no dilation): dx receives dy at the first maximum of each
 * window in row-major window order (the cpu backend's tie rule), padding excluded.
 */
function maxPoolGradLoop(tf: typeof TF, { inputs, backend, attrs }: KernelArgs): TensorInfo | null {
  const { dy, input } = inputs;
  if (input.dtype !== "float32") return null;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize as [number, number],
    attrs.strides as [number, number],
    1,
    attrs.pad as "valid",
    attrs.dimRoundingMode as "floor" | undefined,
  );
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return null;
  const {
    batchSize: B,
    inHeight: H,
    inWidth: W,
    inChannels: C,
    outHeight: oH,
    outWidth: oW,
    strideHeight: sh,
    strideWidth: sw,
    filterHeight: fh,
    filterWidth: fw,
  } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const dx = backend.makeOutput(input.shape, "float32");
  const xs = backend.typedArrayFromHeap(input);
  const g = backend.typedArrayFromHeap(dy);
  const o = backend.typedArrayFromHeap(dx);
  o.fill(0);
  for (let b = 0; b < B; b++)
    for (let oh = 0; oh < oH; oh++) {
      const h0 = Math.max(0, oh * sh - top);
      const h1 = Math.min(H, oh * sh - top + fh);
      for (let ow = 0; ow < oW; ow++) {
        const w0 = Math.max(0, ow * sw - left);
        const w1 = Math.min(W, ow * sw - left + fw);
        const gBase = ((b * oH + oh) * oW + ow) * C;
        for (let c = 0; c < C; c++) {
          let best = -1;
          let bv = -Infinity;
          for (let h = h0; h < h1; h++)
            for (let w = w0; w < w1; w++) {
              const idx = ((b * H + h) * W + w) * C + c;
              if (xs[idx] > bv || best < 0) {
                bv = xs[idx];
                best = idx;
              }
            }
          if (best >= 0) o[best] += g[gBase + c];
        }
      }
    }
  return dx;
}

/** Sum over the leading axes [0..k-1] (bias gradients: [rows, C] → [C]), float64 accumulators per column. */
function sumLeadingAxes({ inputs, backend, attrs }: KernelArgs): TensorInfo | null {
  const { x } = inputs;
  if (x.dtype !== "float32" || attrs.keepDims) return null;
  const rank = x.shape.length;
  const axes = (Array.isArray(attrs.axis) ? (attrs.axis as number[]) : [attrs.axis as number])
    .map((a) => (a < 0 ? a + rank : a))
    .sort((a, b) => a - b);
  if (axes.length === 0 || axes.length >= rank || axes.some((a, i) => a !== i)) return null;
  const rows = x.shape.slice(0, axes.length).reduce((a, b) => a * b, 1);
  const width = x.shape.slice(axes.length).reduce((a, b) => a * b, 1);
  if (rows < 2) return null;
  const out = backend.makeOutput(x.shape.slice(axes.length), "float32");
  const xs = backend.typedArrayFromHeap(x);
  const acc = new Float64Array(width);
  for (let r = 0; r < rows; r++) {
    const base = r * width;
    for (let j = 0; j < width; j++) acc[j] += xs[base + j];
  }
  backend.typedArrayFromHeap(out).set(acc);
  return out;
}
