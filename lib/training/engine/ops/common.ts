/**
 * What every engine op shares: tensors and parameters as offsets into the
 * arena, the run context, and the element-wise activation helpers.
 *
 * Conventions (the compiler relies on them):
 * - Activations are batch-major: sample b of a tensor occupies
 *   [off + b·per, off + (b+1)·per); a run with B ≤ maxBatch uses the prefix.
 * - `forward` writes the op's output (and whatever it saves for backward).
 * - `backward` reads the output gradient and writes each input's gradient —
 *   overwriting when `accIn[i]` is false (this op is the first in backward
 *   order to reach that tensor), adding when true — and overwrites its own
 *   parameter gradients. It may scribble on its output gradient, which no one
 *   reads after it.
 */
import type { Arena } from "../arena";

export type DType = "float32" | "int32";

export interface Tensor {
  /** Per-sample shape (no batch axis). */
  shape: number[];
  /** Elements per sample. */
  per: number;
  off: number;
  /** Gradient offset; 0 when the tensor needs no gradient. */
  goff: number;
  dtype: DType;
  needsGrad: boolean;
  /** Shared by a tensor and its reshaped aliases (which share off and goff). */
  storage: object;
}

export interface Param {
  /** The tfjs variable's name, e.g. "conv1_conv/kernel". */
  name: string;
  shape: number[];
  size: number;
  off: number;
  /** Gradient offset; 0 for non-trainable parameters (BatchNorm moving statistics). */
  goff: number;
  trainable: boolean;
}

export interface Ctx {
  a: Arena;
  /** Samples in this run (≤ the plan's batch). */
  B: number;
  training: boolean;
  /** Training forward passes so far: dropout draws a fresh mask per pass from it. */
  pass: number;
  /**
   * Position of this run's first sample in its training batch: a micro-batch of a split batch
   * starts at its offset, so per-sample randomness (dropout) is the same however the batch is split.
   */
  sampleBase: number;
}

export interface Op {
  readonly kind: string;
  readonly name: string;
  readonly inputs: Tensor[];
  readonly output: Tensor;
  readonly params: Param[];
  accIn: boolean[];
  forward(c: Ctx): void;
  backward(c: Ctx): void;
  /**
   * Apply ReLU to the output as part of this op (the compiler folds a following
   * Activation("relu") that is the output's only consumer); false when the op cannot.
   */
  fuseRelu?(): boolean;
  /** True when an output depends on other samples of the batch (BatchNorm's batch statistics). */
  couplesSamples?: boolean;
}

/** What a builder may allocate. */
export interface Builder {
  a: Arena;
  maxBatch: number;
  /** A fresh activation tensor (per-sample shape); it gets a gradient buffer when needsGrad. */
  tensor(shape: number[], needsGrad: boolean, dtype?: DType): Tensor;
  /** The same storage seen with another per-sample shape (same element count). */
  alias(t: Tensor, shape: number[]): Tensor;
  /** The layer's weights in tfjs order, copied in by the compiler. */
  params: Param[];
  /** Scratch space (elements) owned by the op. */
  scratch(n: number): number;
}

export const prod = (s: readonly number[]): number => s.reduce((x, y) => x * y, 1);
export const bytes = (off: number): number => off * 4;

export type Activation = "linear" | "relu" | "tanh" | "sigmoid";
export const ACTIVATIONS: readonly string[] = ["linear", "relu", "tanh", "sigmoid"];

export function checkActivation(name: string, act: unknown): Activation {
  const a = String(act ?? "linear");
  if (!ACTIVATIONS.includes(a)) throw new Unsupported(`${name}: activation "${a}"`);
  return a as Activation;
}

/** y = f(y) in place over n elements. */
export function activate(a: Arena, off: number, n: number, act: Activation): void {
  const f = a.f32;
  const end = off + n;
  switch (act) {
    case "linear":
      return;
    case "relu":
      a.k.relu_fwd(bytes(off), bytes(off), n);
      return;
    case "tanh":
      for (let i = off; i < end; i++) f[i] = Math.tanh(f[i]);
      return;
    case "sigmoid":
      for (let i = off; i < end; i++) f[i] = 1 / (1 + Math.exp(-f[i]));
      return;
  }
}

/** g = g · f'(·) in place, with f' written through the activation's output y. */
export function activationGrad(a: Arena, goff: number, yoff: number, n: number, act: Activation): void {
  const f = a.f32;
  switch (act) {
    case "linear":
      return;
    case "relu":
      a.k.relu_back(bytes(yoff), bytes(goff), bytes(goff), n, 0);
      return;
    case "tanh":
      for (let i = 0; i < n; i++) {
        const y = f[yoff + i];
        f[goff + i] *= 1 - y * y;
      }
      return;
    case "sigmoid":
      for (let i = 0; i < n; i++) {
        const y = f[yoff + i];
        f[goff + i] *= y * (1 - y);
      }
      return;
  }
}

/** dst (+)= src over n elements. */
export function copyOrAdd(a: Arena, dst: number, src: number, n: number, acc: boolean): void {
  if (!acc) a.f32.copyWithin(dst, src, src + n);
  else a.k.vacc(bytes(dst), bytes(src), n);
}

/** The most memory one engine arena may take: a wasm32 memory is at most 65536 pages of 64 KiB (4 GiB). */
export const MAX_ARENA_BYTES = 65536 * 65536;

/** A layer or configuration the engine does not implement: the caller trains with tfjs instead. */
export class Unsupported extends Error {}
