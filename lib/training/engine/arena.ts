/**
 * One engine's memory: a WebAssembly memory holding every parameter, gradient,
 * optimizer slot, activation and scratch buffer of a compiled model, carved by
 * a bump allocator while the plan is built and never freed piecemeal (the
 * whole arena goes when the trainer does).
 *
 * Offsets are in 4-byte elements and 16-byte aligned (SIMD loads); the kernels
 * take byte offsets (`4 * off`). Views (`f32`, `i32`) are valid once `seal()`
 * has grown the memory to its final size: nothing allocates after that, so
 * views never detach mid-step.
 */
import { instantiateKernels, newMemory, type Kernels, type WasmMemory } from "./simd";

const PAGE = 65536;

export class Arena {
  private top = 16; // element offset 0 is never handed out: 0 can mean "none"
  private sealedAt = -1;
  f32: Float32Array = new Float32Array(0);
  i32: Int32Array = new Int32Array(0);
  /** Float64 view: index = element offset / 2 (allocations are 16-byte aligned). */
  f64: Float64Array = new Float64Array(0);

  private constructor(
    private readonly memory: WasmMemory,
    readonly k: Kernels,
  ) {}

  static create(): Arena {
    const memory = newMemory(1);
    return new Arena(memory, instantiateKernels(memory));
  }

  /** Reserve n elements (float32 or int32); returns the element offset. */
  alloc(n: number): number {
    if (this.sealedAt >= 0) throw new Error("engine arena: allocation after seal()");
    if (!(Number.isInteger(n) && n >= 0)) throw new Error(`engine arena: bad size ${n}`);
    const off = this.top;
    this.top += Math.ceil(Math.max(n, 1) / 4) * 4;
    return off;
  }

  /** Grow the memory to everything allocated and make the views. */
  seal(): void {
    const bytes = this.top * 4;
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
    this.f32 = new Float32Array(this.memory.buffer);
    this.i32 = new Int32Array(this.memory.buffer);
    this.f64 = new Float64Array(this.memory.buffer);
    this.f32.fill(0);
    this.sealedAt = this.top;
  }

  get bytes(): number {
    return this.top * 4;
  }
}
