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
 *   a naive loop (1–2 GFLOP/s, 8–14× slower). The override transposes
 *   explicitly (a cheap copy) and folds a shared right operand into rows; a truly
 *   batched product A[N,M,K]·B[N,K,P] becomes a depthwise convolution, which
 *   XNNPACK runs as a grouped GEMM: input Aᵀ as [1,M,K,N] (N channels), filter
 *   B as [1,K,N,P] (channel multiplier P), 'valid' → [1,M,1,N·P] → [N,M,P].
 *
 * All three are checked against the cpu backend in test/runtime/wasm-kernels.test.ts.
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
  const depthwise = kernelFn("DepthwiseConv2dNative");
  const nativeBmm = kernelFn("BatchMatMul");
  const conv2d = kernelFn("Conv2D");
  const reverse = kernelFn("Reverse");
  const call = (fn: KernelFn, backend: WasmBackend, inputs: Record<string, TensorInfo>, attrs: Record<string, unknown>) => fn({ inputs, backend, attrs });

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
      const pad = [[0, 0], [top, kh - 1 + oH - H - top], [left, kw - 1 + oW - W - left], [0, 0]];
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
    const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], [1, 1], 1, attrs.pad as "valid", attrs.dimRoundingMode as "floor" | undefined);
    const [, H, W] = inputShape;
    const [kh, kw] = filter.shape;
    const { outHeight: oH, outWidth: oW } = info;
    const pt = kh - 1 - info.padInfo.top;
    const pl = kw - 1 - info.padInfo.left;
    const pad = [[0, 0], [pt, H - oH - pt + kh - 1], [pl, W - oW - pl + kw - 1], [0, 0]];
    if (pad.flat().some((p) => p < 0)) return nativeBackpropInput(args);
    const flipped = call(reverse, backend, { x: filter }, { dims: [0, 1] });
    const wt = call(transpose, backend, { x: flipped }, { perm: [0, 1, 3, 2] });
    const res = call(conv2d, backend, { x: dy, filter: wt }, { strides: [1, 1], pad, dilations: [1, 1], dataFormat: "NHWC" });
    backend.disposeData(flipped.dataId);
    backend.disposeData(wt.dataId);
    return res;
  });

  register("BatchMatMul", ({ inputs, backend, attrs }) => {
    let { a, b } = inputs;
    const tmp: TensorInfo[] = [];
    const swapLast = (t: TensorInfo) => {
      const perm = t.shape.map((_, i) => i);
      [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1], perm[perm.length - 2]];
      const r = call(transpose, backend, { x: t }, { perm });
      tmp.push(r);
      return r;
    };
    if (attrs.transposeA) a = swapLast(a);
    if (attrs.transposeB) b = swapLast(b);
    const ra = a.shape.length;
    const rb = b.shape.length;
    const [M, K] = a.shape.slice(-2);
    const P = b.shape[rb - 1];
    const batchA = a.shape.slice(0, -2).reduce((x, y) => x * y, 1);
    const batchB = b.shape.slice(0, -2).reduce((x, y) => x * y, 1);
    const outBatchShape = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    let out: TensorInfo;
    if (batchB === 1) {
      // Shared right operand: fold A's batch into rows, one XNNPACK product.
      const a2 = call(reshape, backend, { x: a }, { shape: [1, batchA * M, K] });
      const b2 = call(reshape, backend, { x: b }, { shape: [1, K, P] });
      const o = call(nativeBmm, backend, { a: a2, b: b2 }, { transposeA: false, transposeB: false });
      tmp.push(a2, b2, o);
      out = call(reshape, backend, { x: o }, { shape: [...outBatchShape, M, P] });
    } else if (batchA === batchB && ra === rb) {
      const N = batchA;
      const a3 = call(reshape, backend, { x: a }, { shape: [N, M, K] });
      const at = call(transpose, backend, { x: a3 }, { perm: [1, 2, 0] }); // [M,K,N]
      const x4 = call(reshape, backend, { x: at }, { shape: [1, M, K, N] });
      const b3 = call(reshape, backend, { x: b }, { shape: [N, K, P] });
      const bt = call(transpose, backend, { x: b3 }, { perm: [1, 0, 2] }); // [K,N,P]
      const w4 = call(reshape, backend, { x: bt }, { shape: [1, K, N, P] });
      const conv = call(depthwise, backend, { x: x4, filter: w4 }, { strides: [1, 1], pad: "valid", dilations: [1, 1], dataFormat: "NHWC" });
      const c3 = call(reshape, backend, { x: conv }, { shape: [M, N, P] });
      const ct = call(transpose, backend, { x: c3 }, { perm: [1, 0, 2] });
      tmp.push(a3, at, x4, b3, bt, w4, conv, c3, ct);
      out = call(reshape, backend, { x: ct }, { shape: [...outBatchShape, M, P] });
    } else {
      out = call(nativeBmm, backend, { a, b }, { transposeA: false, transposeB: false }); // broadcast A: rare, keep the native path
    }
    for (const t of tmp) backend.disposeData(t.dataId);
    return out;
  });
}
