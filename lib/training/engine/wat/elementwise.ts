/**
 * WAT text of the element-wise and per-channel kernels (see ../simd.ts):
 *
 *   softmax_rows(p, rows, n)                 p ← softmax(p) per row (max subtracted first;
 *                                            terms below e^SOFTMAX_CUTOFF set to 0, and
 *                                            four such in a row skip the exp)
 *   softmax_back_rows(p, dp, rows, n)        dp ← p ⊙ (dp − Σ_j dp·p) per row
 *   chan_sum(x, rows, C, out64)              out64[j] += Σ_r x[r,j]            (float64 sums)
 *   chan_sqdev(x, rows, C, mu, out64)        out64[j] += Σ_r (x[r,j] − mu[j])²
 *   chan_affine(x, y, rows, C, s, t, relu)   y = x·s + t per channel, then max(·, 0) if relu
 *   bn_back_sums(x, g, y, rows, C, mu, r, relu, o1, o2)
 *        g ← g·[y > 0] when relu (written back); o1[j] += Σ g; o2[j] += Σ g·(x − mu)·r
 *   bn_back_dx(x, g, dx, rows, C, mu, r, gr, m1, m2, acc)
 *        dx (+)= gr·(g − m1 − (x − mu)·r·m2)
 *   relu_fwd(x, y, n)                        y = max(x, 0)
 *   relu_back(y, g, dst, n, acc)             dst (+)= g·[y > 0]
 *   add_rows(y, b, rows, n)                  y[r,j] += b[j] (bias)
 *   vadd(a, b, out, n)                       out = a + b
 *   vacc(dst, src, n)                        dst += src
 *   vscale(x, n, s)                          x ← x·s
 *   vmul(a, b, dst, n, acc)                  dst (+)= a ⊙ b
 *
 * Maxima use f32x4.pmax/pmin (one x64 instruction; NaN-correct f32x4.max was 5× slower):
 * ReLU maps NaN to 0.
 *
 * Pointers are byte offsets; per-channel vectors (mu, r, s, t, …) are float32
 * of length C, out64/o1/o2 float64 of length C. Channels go four at a time
 * with SIMD, the last C mod 4 one at a time; every sum runs in a fixed order.
 *
 * exp (softmax) is Cephes' expf on four lanes: n = round(x·log2 e) (half to even),
 * r = x − n·ln 2 (in two parts), e^r by a degree-6 polynomial, times 2ⁿ built
 * in the exponent bits; relative error ≈ 1e-7 over the clamped range [−87.3, 88.7].
 */
import type { Lines } from "./gemm";

/**
 * A function looping rows × channels: `vec` handles channels j..j+3 and
 * `sca` channel j, with $j4 = 4j and $j8 = 8j (byte offsets into float32 and
 * float64 per-channel vectors); `rowPtrs` advance by one row (4·C bytes).
 */
function rowChan(
  name: string,
  sig: string,
  C: string,
  rows: string,
  rowPtrs: string[],
  locals: string,
  vec: string,
  sca: string,
  pre = "",
): string {
  return `(func (export "${name}") ${sig}
  (local $r i32) (local $j i32) (local $j4 i32) (local $j8 i32) (local $C4 i32) ${locals}
  (local.set $C4 (i32.shl ${C} (i32.const 2)))
  ${pre}
  (local.set $r (i32.const 0))
  (block $rd (loop $rl (br_if $rd (i32.ge_s (local.get $r) ${rows}))
    (local.set $j (i32.const 0))
    (block $vd (loop $vl (br_if $vd (i32.gt_s (i32.add (local.get $j) (i32.const 4)) ${C}))
      (local.set $j4 (i32.shl (local.get $j) (i32.const 2)))
      (local.set $j8 (i32.shl (local.get $j) (i32.const 3)))
      ${vec}
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $vl)))
    (block $sd (loop $sl (br_if $sd (i32.ge_s (local.get $j) ${C}))
      (local.set $j4 (i32.shl (local.get $j) (i32.const 2)))
      (local.set $j8 (i32.shl (local.get $j) (i32.const 3)))
      ${sca}
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $sl)))
    ${rowPtrs.map((p) => `(local.set $${p} (i32.add (local.get $${p}) (local.get $C4)))`).join(" ")}
    (local.set $r (i32.add (local.get $r) (i32.const 1)))
    (br $rl)))
)`;
}

const at = (p: string, o = "$j4") => `(i32.add (local.get $${p}) (local.get ${o}))`;
const vload = (p: string, o = "$j4") => `(v128.load ${at(p, o)})`;
const fload = (p: string, o = "$j4") => `(f32.load ${at(p, o)})`;
const ZERO = "(v128.const i32x4 0 0 0 0)";
/** Lanes 2, 3 moved to 0, 1 (for promoting the high half to f64x2). */
const HIGH = (v: string) => `(i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 ${v} ${v})`;
/** out64[j..j+3] += the four lanes of v, in float64. */
const acc64 = (out: string, v: string) => `
      (v128.store ${at(out, "$j8")} (f64x2.add (v128.load ${at(out, "$j8")}) (f64x2.promote_low_f32x4 ${v})))
      (v128.store offset=16 ${at(out, "$j8")} (f64x2.add (v128.load offset=16 ${at(out, "$j8")}) (f64x2.promote_low_f32x4 ${HIGH(v)})))`;
const acc64s = (out: string, s: string) => `(f64.store ${at(out, "$j8")} (f64.add (f64.load ${at(out, "$j8")}) (f64.promote_f32 ${s})))`;

// Rounding x·log2 e to an integer by adding 1.5·2²³ (the float's mantissa then holds the
// integer), which also yields n's bits directly; pmin/pmax and this trick each compile to one
// or two x64 instructions, where f32x4.nearest/min/max and trunc_sat need NaN-correct sequences.
const splat4 = (v: string) => `(v128.const f32x4 ${v} ${v} ${v} ${v})`;
/**
 * exp of four lanes, inlined: reads local $ex, leaves the result in $ex (scratch locals $et, $ef,
 * $ez, $ey). V8 does not inline wasm calls, and a call per four elements cost more than the maths.
 */
const EXP4_LOCALS = "(local $ex v128) (local $et v128) (local $ef v128) (local $ez v128) (local $ey v128)";
const EXP4 = `
  (local.set $ex (f32x4.pmin ${splat4("88.72283")} (f32x4.pmax ${splat4("-87.33654")} (local.get $ex))))
  (local.set $et (f32x4.add (f32x4.mul (local.get $ex) ${splat4("1.44269504088896341")}) ${splat4("12582912")}))
  (local.set $ef (f32x4.sub (local.get $et) ${splat4("12582912")}))
  (local.set $ex (f32x4.sub (local.get $ex) (f32x4.mul (local.get $ef) ${splat4("0.693359375")})))
  (local.set $ex (f32x4.sub (local.get $ex) (f32x4.mul (local.get $ef) ${splat4("-2.12194440e-4")})))
  (local.set $ez (f32x4.mul (local.get $ex) (local.get $ex)))
  (local.set $ey ${splat4("1.9875691500e-4")})
  ${["1.3981999507e-3", "8.3334519073e-3", "4.1665795894e-2", "1.6666665459e-1", "5.0000001201e-1"].map((c) => `(local.set $ey (f32x4.add (f32x4.mul (local.get $ey) (local.get $ex)) ${splat4(c)}))`).join("\n  ")}
  (local.set $ey (f32x4.add (f32x4.add (f32x4.mul (local.get $ey) (local.get $ez)) (local.get $ex)) ${splat4("1")}))
  ;; 2ⁿ: n = bits(t) − bits(1.5·2²³) = bits(t) − 0x4b400000, exponent field n + 127
  (local.set $ex (f32x4.mul (local.get $ey) (i32x4.shl (i32x4.add (local.get $et) (v128.const i32x4 -1262485377 -1262485377 -1262485377 -1262485377)) (i32.const 23))))`;

/** Sum of the four lanes, ((l0 + l1) + (l2 + l3)). */
const HSUM = `(func $hsum (param $v v128) (result f32)
  (f32.add (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
           (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))`;

/**
 * Softmax terms with x − max ≤ −50 (e⁻⁵⁰ ≈ 2·10⁻²²) are set to 0. Without the cut, peaked
 * attention rows leave probabilities in float32's subnormal range, and every product that
 * touches them runs ~60× slower on x86 (no flush-to-zero in WebAssembly): P·V took 86 ms
 * instead of 1.4 ms on a batch of peaked rows (bench/README.md). The mass dropped is below
 * 128 × 2·10⁻²² per row, far under float32's resolution of the row sum.
 */
export const SOFTMAX_CUTOFF = -50;

const SOFTMAX = `(func (export "softmax_rows") (param $p i32) (param $rows i32) (param $n i32)
  (local $r i32) (local $j i32) (local $q i32) (local $m f32) (local $vm v128) (local $s f32) (local $vs v128) (local $inv f32) (local $keep v128) ${EXP4_LOCALS}
  (local.set $r (i32.const 0))
  (block $rd (loop $rl (br_if $rd (i32.ge_s (local.get $r) (local.get $rows)))
    ;; max
    (local.set $m (f32.const -inf))
    (local.set $j (i32.const 0)) (local.set $q (local.get $p))
    (if (i32.ge_s (local.get $n) (i32.const 4)) (then
      (local.set $vm (v128.load (local.get $q)))
      (block $d (loop $l (br_if $d (i32.gt_s (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
        (local.set $vm (f32x4.pmax (local.get $vm) (v128.load (local.get $q))))
        (local.set $q (i32.add (local.get $q) (i32.const 16))) (local.set $j (i32.add (local.get $j) (i32.const 4))) (br $l)))
      (local.set $m (f32.max (f32.max (f32x4.extract_lane 0 (local.get $vm)) (f32x4.extract_lane 1 (local.get $vm))) (f32.max (f32x4.extract_lane 2 (local.get $vm)) (f32x4.extract_lane 3 (local.get $vm)))))))
    (block $d (loop $l (br_if $d (i32.ge_s (local.get $j) (local.get $n)))
      (local.set $m (f32.max (local.get $m) (f32.load (local.get $q))))
      (local.set $q (i32.add (local.get $q) (i32.const 4))) (local.set $j (i32.add (local.get $j) (i32.const 1))) (br $l)))
    ;; exp and sum
    (local.set $vm (f32x4.splat (local.get $m)))
    (local.set $vs ${ZERO}) (local.set $s (f32.const 0))
    (local.set $j (i32.const 0)) (local.set $q (local.get $p))
    (block $d (loop $l (br_if $d (i32.gt_s (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
      (local.set $ex (f32x4.sub (v128.load (local.get $q)) (local.get $vm)))
      (local.set $keep (f32x4.gt (local.get $ex) ${splat4(String(SOFTMAX_CUTOFF))}))
      ;; four terms below the cut (masked pad keys, mostly) are four zeros: no exp needed
      (if (v128.any_true (local.get $keep))
        (then ${EXP4}
          (local.set $ex (v128.and (local.get $ex) (local.get $keep))))
        (else (local.set $ex ${ZERO})))
      (v128.store (local.get $q) (local.get $ex))
      (local.set $vs (f32x4.add (local.get $vs) (local.get $ex)))
      (local.set $q (i32.add (local.get $q) (i32.const 16))) (local.set $j (i32.add (local.get $j) (i32.const 4))) (br $l)))
    (block $d (loop $l (br_if $d (i32.ge_s (local.get $j) (local.get $n)))
      (local.set $ex (f32x4.splat (f32.sub (f32.load (local.get $q)) (local.get $m))))
      (local.set $keep (f32x4.gt (local.get $ex) ${splat4(String(SOFTMAX_CUTOFF))}))
      ${EXP4}
      (local.set $ex (v128.and (local.get $ex) (local.get $keep)))
      (f32.store (local.get $q) (f32x4.extract_lane 0 (local.get $ex)))
      (local.set $s (f32.add (local.get $s) (f32x4.extract_lane 0 (local.get $ex))))
      (local.set $q (i32.add (local.get $q) (i32.const 4))) (local.set $j (i32.add (local.get $j) (i32.const 1))) (br $l)))
    (local.set $inv (f32.div (f32.const 1) (f32.add (call $hsum (local.get $vs)) (local.get $s))))
    ;; normalise
    (local.set $vm (f32x4.splat (local.get $inv)))
    (local.set $j (i32.const 0)) (local.set $q (local.get $p))
    (block $d (loop $l (br_if $d (i32.gt_s (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
      (v128.store (local.get $q) (f32x4.mul (v128.load (local.get $q)) (local.get $vm)))
      (local.set $q (i32.add (local.get $q) (i32.const 16))) (local.set $j (i32.add (local.get $j) (i32.const 4))) (br $l)))
    (block $d (loop $l (br_if $d (i32.ge_s (local.get $j) (local.get $n)))
      (f32.store (local.get $q) (f32.mul (f32.load (local.get $q)) (local.get $inv)))
      (local.set $q (i32.add (local.get $q) (i32.const 4))) (local.set $j (i32.add (local.get $j) (i32.const 1))) (br $l)))
    (local.set $p (local.get $q))
    (local.set $r (i32.add (local.get $r) (i32.const 1)))
    (br $rl)))
)`;

const SOFTMAX_BACK = `(func (export "softmax_back_rows") (param $p i32) (param $dp i32) (param $rows i32) (param $n i32)
  (local $r i32) (local $j i32) (local $q i32) (local $g i32) (local $vs v128) (local $s f32) (local $vd v128) (local $dot f32)
  (local.set $r (i32.const 0))
  (block $rd (loop $rl (br_if $rd (i32.ge_s (local.get $r) (local.get $rows)))
    (local.set $vs ${ZERO}) (local.set $s (f32.const 0))
    (local.set $j (i32.const 0)) (local.set $q (local.get $p)) (local.set $g (local.get $dp))
    (block $d (loop $l (br_if $d (i32.gt_s (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
      (local.set $vs (f32x4.add (local.get $vs) (f32x4.mul (v128.load (local.get $q)) (v128.load (local.get $g)))))
      (local.set $q (i32.add (local.get $q) (i32.const 16))) (local.set $g (i32.add (local.get $g) (i32.const 16))) (local.set $j (i32.add (local.get $j) (i32.const 4))) (br $l)))
    (block $d (loop $l (br_if $d (i32.ge_s (local.get $j) (local.get $n)))
      (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $q)) (f32.load (local.get $g)))))
      (local.set $q (i32.add (local.get $q) (i32.const 4))) (local.set $g (i32.add (local.get $g) (i32.const 4))) (local.set $j (i32.add (local.get $j) (i32.const 1))) (br $l)))
    (local.set $dot (f32.add (call $hsum (local.get $vs)) (local.get $s)))
    (local.set $vd (f32x4.splat (local.get $dot)))
    (local.set $j (i32.const 0)) (local.set $q (local.get $p)) (local.set $g (local.get $dp))
    (block $d (loop $l (br_if $d (i32.gt_s (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
      (v128.store (local.get $g) (f32x4.mul (v128.load (local.get $q)) (f32x4.sub (v128.load (local.get $g)) (local.get $vd))))
      (local.set $q (i32.add (local.get $q) (i32.const 16))) (local.set $g (i32.add (local.get $g) (i32.const 16))) (local.set $j (i32.add (local.get $j) (i32.const 4))) (br $l)))
    (block $d (loop $l (br_if $d (i32.ge_s (local.get $j) (local.get $n)))
      (f32.store (local.get $g) (f32.mul (f32.load (local.get $q)) (f32.sub (f32.load (local.get $g)) (local.get $dot))))
      (local.set $q (i32.add (local.get $q) (i32.const 4))) (local.set $g (i32.add (local.get $g) (i32.const 4))) (local.set $j (i32.add (local.get $j) (i32.const 1))) (br $l)))
    (local.set $p (local.get $q)) (local.set $dp (local.get $g))
    (local.set $r (i32.add (local.get $r) (i32.const 1)))
    (br $rl)))
)`;

function channelKernels(): Lines {
  const relu = (v: string) => `(if (result v128) (local.get $relu) (then (f32x4.pmax ${ZERO} ${v})) (else ${v}))`;
  const relus = (v: string) => `(if (result f32) (local.get $relu) (then (f32.max ${v} (f32.const 0))) (else ${v}))`;
  return [
    rowChan(
      "chan_sum",
      "(param $x i32) (param $rows i32) (param $C i32) (param $out i32)",
      "(local.get $C)",
      "(local.get $rows)",
      ["x"],
      "",
      acc64("out", vload("x")),
      acc64s("out", fload("x")),
    ),
    rowChan(
      "chan_sqdev",
      "(param $x i32) (param $rows i32) (param $C i32) (param $mu i32) (param $out i32)",
      "(local.get $C)",
      "(local.get $rows)",
      ["x"],
      "(local $v v128) (local $s f32)",
      `(local.set $v (f32x4.sub ${vload("x")} ${vload("mu")})) ${acc64("out", "(f32x4.mul (local.get $v) (local.get $v))")}`,
      `(local.set $s (f32.sub ${fload("x")} ${fload("mu")})) ${acc64s("out", "(f32.mul (local.get $s) (local.get $s))")}`,
    ),
    rowChan(
      "chan_affine",
      "(param $x i32) (param $y i32) (param $rows i32) (param $C i32) (param $s i32) (param $t i32) (param $relu i32)",
      "(local.get $C)",
      "(local.get $rows)",
      ["x", "y"],
      "",
      `(v128.store ${at("y")} ${relu(`(f32x4.add (f32x4.mul ${vload("x")} ${vload("s")}) ${vload("t")})`)})`,
      `(f32.store ${at("y")} ${relus(`(f32.add (f32.mul ${fload("x")} ${fload("s")}) ${fload("t")})`)})`,
    ),
    rowChan(
      "bn_back_sums",
      "(param $x i32) (param $g i32) (param $y i32) (param $rows i32) (param $C i32) (param $mu i32) (param $rs i32) (param $relu i32) (param $o1 i32) (param $o2 i32)",
      "(local.get $C)",
      "(local.get $rows)",
      ["x", "g", "y"],
      "(local $v v128) (local $s f32)",
      `(local.set $v ${vload("g")})
      (if (local.get $relu) (then (local.set $v (v128.and (local.get $v) (f32x4.gt ${vload("y")} ${ZERO}))) (v128.store ${at("g")} (local.get $v))))
      ${acc64("o1", "(local.get $v)")}
      ${acc64("o2", `(f32x4.mul (local.get $v) (f32x4.mul (f32x4.sub ${vload("x")} ${vload("mu")}) ${vload("rs")}))`)}`,
      `(local.set $s ${fload("g")})
      (if (local.get $relu) (then (if (i32.eqz (f32.gt ${fload("y")} (f32.const 0))) (then (local.set $s (f32.const 0)))) (f32.store ${at("g")} (local.get $s))))
      ${acc64s("o1", "(local.get $s)")}
      ${acc64s("o2", `(f32.mul (local.get $s) (f32.mul (f32.sub ${fload("x")} ${fload("mu")}) ${fload("rs")}))`)}`,
    ),
    rowChan(
      "bn_back_dx",
      "(param $x i32) (param $g i32) (param $dx i32) (param $rows i32) (param $C i32) (param $mu i32) (param $rs i32) (param $gr i32) (param $m1 i32) (param $m2 i32) (param $acc i32)",
      "(local.get $C)",
      "(local.get $rows)",
      ["x", "g", "dx"],
      "(local $v v128) (local $s f32)",
      `(local.set $v (f32x4.mul ${vload("gr")} (f32x4.sub (f32x4.sub ${vload("g")} ${vload("m1")}) (f32x4.mul (f32x4.mul (f32x4.sub ${vload("x")} ${vload("mu")}) ${vload("rs")}) ${vload("m2")}))))
      (if (local.get $acc) (then (local.set $v (f32x4.add (local.get $v) ${vload("dx")}))))
      (v128.store ${at("dx")} (local.get $v))`,
      `(local.set $s (f32.mul ${fload("gr")} (f32.sub (f32.sub ${fload("g")} ${fload("m1")}) (f32.mul (f32.mul (f32.sub ${fload("x")} ${fload("mu")}) ${fload("rs")}) ${fload("m2")}))))
      (if (local.get $acc) (then (local.set $s (f32.add (local.get $s) ${fload("dx")}))))
      (f32.store ${at("dx")} (local.get $s))`,
    ),
    // Flat element-wise kernels: one "row" of n "channels".
    rowChan(
      "relu_fwd",
      "(param $x i32) (param $y i32) (param $n i32)",
      "(local.get $n)",
      "(i32.const 1)",
      [],
      "",
      `(v128.store ${at("y")} (f32x4.pmax ${ZERO} ${vload("x")}))`,
      `(f32.store ${at("y")} (f32.max ${fload("x")} (f32.const 0)))`,
    ),
    rowChan(
      "relu_back",
      "(param $y i32) (param $g i32) (param $dst i32) (param $n i32) (param $acc i32)",
      "(local.get $n)",
      "(i32.const 1)",
      [],
      "(local $v v128) (local $s f32)",
      `(local.set $v (v128.and ${vload("g")} (f32x4.gt ${vload("y")} ${ZERO})))
      (if (local.get $acc) (then (local.set $v (f32x4.add (local.get $v) ${vload("dst")}))))
      (v128.store ${at("dst")} (local.get $v))`,
      `(local.set $s (select ${fload("g")} (f32.const 0) (f32.gt ${fload("y")} (f32.const 0))))
      (if (local.get $acc) (then (local.set $s (f32.add (local.get $s) ${fload("dst")}))))
      (f32.store ${at("dst")} (local.get $s))`,
    ),
    rowChan(
      "add_rows",
      "(param $y i32) (param $b i32) (param $rows i32) (param $n i32)",
      "(local.get $n)",
      "(local.get $rows)",
      ["y"],
      "",
      `(v128.store ${at("y")} (f32x4.add ${vload("y")} ${vload("b")}))`,
      `(f32.store ${at("y")} (f32.add ${fload("y")} ${fload("b")}))`,
    ),
    rowChan(
      "vadd",
      "(param $a i32) (param $b i32) (param $out i32) (param $n i32)",
      "(local.get $n)",
      "(i32.const 1)",
      [],
      "",
      `(v128.store ${at("out")} (f32x4.add ${vload("a")} ${vload("b")}))`,
      `(f32.store ${at("out")} (f32.add ${fload("a")} ${fload("b")}))`,
    ),
    rowChan(
      "vmul",
      "(param $a i32) (param $b i32) (param $dst i32) (param $n i32) (param $acc i32)",
      "(local.get $n)",
      "(i32.const 1)",
      [],
      "(local $v v128) (local $s f32)",
      `(local.set $v (f32x4.mul ${vload("a")} ${vload("b")})) (if (local.get $acc) (then (local.set $v (f32x4.add (local.get $v) ${vload("dst")})))) (v128.store ${at("dst")} (local.get $v))`,
      `(local.set $s (f32.mul ${fload("a")} ${fload("b")})) (if (local.get $acc) (then (local.set $s (f32.add (local.get $s) ${fload("dst")})))) (f32.store ${at("dst")} (local.get $s))`,
    ),
    rowChan(
      "vacc",
      "(param $dst i32) (param $src i32) (param $n i32)",
      "(local.get $n)",
      "(i32.const 1)",
      [],
      "",
      `(v128.store ${at("dst")} (f32x4.add ${vload("dst")} ${vload("src")}))`,
      `(f32.store ${at("dst")} (f32.add ${fload("dst")} ${fload("src")}))`,
    ),
    rowChan(
      "vscale",
      "(param $x i32) (param $n i32) (param $s f32)",
      "(local.get $n)",
      "(i32.const 1)",
      [],
      "(local $vs v128)",
      `(v128.store ${at("x")} (f32x4.mul ${vload("x")} (local.get $vs)))`,
      `(f32.store ${at("x")} (f32.mul ${fload("x")} (local.get $s)))`,
      "(local.set $vs (f32x4.splat (local.get $s)))",
    ),
  ];
}

export function elementwiseWat(): string {
  return [HSUM, SOFTMAX, SOFTMAX_BACK, ...channelKernels()].join("\n");
}
