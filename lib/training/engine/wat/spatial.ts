/**
 * WAT text of the kernels that move data by position (see ../simd.ts):
 *
 *   im2col(x, col, B, H, W, C, kh, kw, sh, sw, pt, pl, oH, oW)
 *        col[(b,oh,ow), (r,s,c)] = x[b, oh·sh − pt + r, ow·sw − pl + s, c], 0 outside
 *   maxpool(x, y, arg, B, H, W, C, ph, pw, sh, sw, pt, pl, oH, oW)
 *        y = window max over in-bounds elements; arg = index of the first maximum
 *        (row-major window order) relative to x, −1 for an empty window
 *   avgpool(x, y, B, H, W, C, ph, pw, sh, sw, pt, pl, oH, oW, back)
 *        back = 0: y = mean of each window's in-bounds elements ("same" padding not counted);
 *        back = 1: x += y / count spread over each window (x = the input gradient, y = the output's)
 *   copy_rows(src, dst, rows, n, lds, ldd, acc)   dst[r, 0..n) (+)= src[r, 0..n) (strided rows)
 *   dropout(x, y, mask, n, key, threshold, scale)
 *        mask[i] = hash(key + i·0x9e3779b9) ≥ threshold (unsigned) ? scale : 0;  y = x·mask
 *        hash = lowbias32; the same function as hash32 in ../ops/shape.ts
 *   table_conv(ids, table, bias, y, B, T, V, F, k, pl, oT)
 *        y[b,t,:] = bias + Σ_r table[r, ids[b, t − pl + r], :] over taps inside [0, T)
 *        (a 1-D convolution of embedded ids, from per-tap tables E·W_r)
 *   table_scatter(ids, g, S, B, T, V, F, k, pl, oT)
 *        S[r, ids[b, t − pl + r], :] += g[b,t,:] over the same taps (its gradient, grouped by id)
 * Channels go four at a time (SIMD) and the last C mod 4 one at a time.
 */

/** Copy (or zero) `n` floats (a local's name): 4 at a time, then singly. $p (src) and $q (dst) are byte pointers. */
const copyN = (zero: boolean, n = "$C") => `
        (local.set $c (i32.const 0))
        (block $cd (loop $cl (br_if $cd (i32.gt_s (i32.add (local.get $c) (i32.const 4)) (local.get ${n})))
          (v128.store (i32.add (local.get $q) (i32.shl (local.get $c) (i32.const 2))) ${zero ? "(v128.const i32x4 0 0 0 0)" : "(v128.load (i32.add (local.get $p) (i32.shl (local.get $c) (i32.const 2))))"})
          (local.set $c (i32.add (local.get $c) (i32.const 4))) (br $cl)))
        (block $sd (loop $sl (br_if $sd (i32.ge_s (local.get $c) (local.get ${n})))
          (f32.store (i32.add (local.get $q) (i32.shl (local.get $c) (i32.const 2))) ${zero ? "(f32.const 0)" : "(f32.load (i32.add (local.get $p) (i32.shl (local.get $c) (i32.const 2))))"})
          (local.set $c (i32.add (local.get $c) (i32.const 1))) (br $sl)))`;
const copyC = (zero: boolean) => copyN(zero);

// A kernel row r whose kw taps all fall inside the image is kw·C contiguous floats of x: one copy.
const IM2COL = `(func (export "im2col") (param $x i32) (param $col i32) (param $B i32) (param $H i32) (param $W i32) (param $C i32)
  (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $pt i32) (param $pl i32) (param $oH i32) (param $oW i32)
  (local $b i32) (local $oh i32) (local $ow i32) (local $r i32) (local $s i32) (local $c i32) (local $ih i32) (local $iw i32) (local $iw0 i32) (local $p i32) (local $q i32) (local $row i32)
  (local.set $row (i32.mul (local.get $kw) (local.get $C)))
  (local.set $q (local.get $col))
  (local.set $b (i32.const 0))
  (block $bd (loop $bl (br_if $bd (i32.ge_s (local.get $b) (local.get $B)))
   (local.set $oh (i32.const 0))
   (block $hd (loop $hl (br_if $hd (i32.ge_s (local.get $oh) (local.get $oH)))
    (local.set $ow (i32.const 0))
    (block $wd (loop $wl (br_if $wd (i32.ge_s (local.get $ow) (local.get $oW)))
     (local.set $iw0 (i32.sub (i32.mul (local.get $ow) (local.get $sw)) (local.get $pl)))
     (local.set $r (i32.const 0))
     (block $rd (loop $rl (br_if $rd (i32.ge_s (local.get $r) (local.get $kh)))
      (local.set $ih (i32.add (i32.sub (i32.mul (local.get $oh) (local.get $sh)) (local.get $pt)) (local.get $r)))
      (if (i32.and (i32.and (i32.ge_s (local.get $ih) (i32.const 0)) (i32.lt_s (local.get $ih) (local.get $H)))
                   (i32.and (i32.ge_s (local.get $iw0) (i32.const 0)) (i32.le_s (i32.add (local.get $iw0) (local.get $kw)) (local.get $W))))
        (then
          (local.set $p (i32.add (local.get $x) (i32.shl (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $H)) (local.get $ih)) (local.get $W)) (local.get $iw0)) (local.get $C)) (i32.const 2))))
          ${copyN(false, "$row")}
          (local.set $q (i32.add (local.get $q) (i32.shl (local.get $row) (i32.const 2)))))
        (else
          (local.set $s (i32.const 0))
          (block $sd2 (loop $sl2 (br_if $sd2 (i32.ge_s (local.get $s) (local.get $kw)))
           (local.set $iw (i32.add (local.get $iw0) (local.get $s)))
           (if (i32.and (i32.and (i32.ge_s (local.get $ih) (i32.const 0)) (i32.lt_s (local.get $ih) (local.get $H)))
                        (i32.and (i32.ge_s (local.get $iw) (i32.const 0)) (i32.lt_s (local.get $iw) (local.get $W))))
             (then
               (local.set $p (i32.add (local.get $x) (i32.shl (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $H)) (local.get $ih)) (local.get $W)) (local.get $iw)) (local.get $C)) (i32.const 2))))
               ${copyC(false)})
             (else ${copyC(true)}))
           (local.set $q (i32.add (local.get $q) (i32.shl (local.get $C) (i32.const 2))))
           (local.set $s (i32.add (local.get $s) (i32.const 1))) (br $sl2)))))
      (local.set $r (i32.add (local.get $r) (i32.const 1))) (br $rl)))
     (local.set $ow (i32.add (local.get $ow) (i32.const 1))) (br $wl)))
    (local.set $oh (i32.add (local.get $oh) (i32.const 1))) (br $hl)))
   (local.set $b (i32.add (local.get $b) (i32.const 1))) (br $bl)))
)`;

const MAXPOOL = `(func (export "maxpool") (param $x i32) (param $y i32) (param $arg i32) (param $B i32) (param $H i32) (param $W i32) (param $C i32)
  (param $ph i32) (param $pw i32) (param $sh i32) (param $sw i32) (param $pt i32) (param $pl i32) (param $oH i32) (param $oW i32)
  (local $b i32) (local $oh i32) (local $ow i32) (local $h i32) (local $w i32) (local $h0 i32) (local $h1 i32) (local $w0 i32) (local $w1 i32)
  (local $c i32) (local $base i32) (local $idx i32) (local $v v128) (local $best v128) (local $bi v128) (local $m v128) (local $vi v128)
  (local $sv f32) (local $sbest f32) (local $sbi i32)
  (local.set $b (i32.const 0))
  (block $bd (loop $bl (br_if $bd (i32.ge_s (local.get $b) (local.get $B)))
   (local.set $oh (i32.const 0))
   (block $hd (loop $hl (br_if $hd (i32.ge_s (local.get $oh) (local.get $oH)))
    (local.set $h0 (i32.sub (i32.mul (local.get $oh) (local.get $sh)) (local.get $pt)))
    (local.set $h1 (i32.add (local.get $h0) (local.get $ph)))
    (if (i32.lt_s (local.get $h0) (i32.const 0)) (then (local.set $h0 (i32.const 0))))
    (if (i32.gt_s (local.get $h1) (local.get $H)) (then (local.set $h1 (local.get $H))))
    (local.set $ow (i32.const 0))
    (block $wd (loop $wl (br_if $wd (i32.ge_s (local.get $ow) (local.get $oW)))
     (local.set $w0 (i32.sub (i32.mul (local.get $ow) (local.get $sw)) (local.get $pl)))
     (local.set $w1 (i32.add (local.get $w0) (local.get $pw)))
     (if (i32.lt_s (local.get $w0) (i32.const 0)) (then (local.set $w0 (i32.const 0))))
     (if (i32.gt_s (local.get $w1) (local.get $W)) (then (local.set $w1 (local.get $W))))
     (local.set $c (i32.const 0))
     (block $cd (loop $cl (br_if $cd (i32.gt_s (i32.add (local.get $c) (i32.const 4)) (local.get $C)))
      (local.set $best (v128.const f32x4 -inf -inf -inf -inf))
      (local.set $bi (v128.const i32x4 -1 -1 -1 -1))
      (local.set $h (local.get $h0))
      (block $ihd (loop $ihl (br_if $ihd (i32.ge_s (local.get $h) (local.get $h1)))
       (local.set $w (local.get $w0))
       (block $iwd (loop $iwl (br_if $iwd (i32.ge_s (local.get $w) (local.get $w1)))
        (local.set $idx (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $H)) (local.get $h)) (local.get $W)) (local.get $w)) (local.get $C)) (local.get $c)))
        (local.set $v (v128.load (i32.add (local.get $x) (i32.shl (local.get $idx) (i32.const 2)))))
        (local.set $vi (i32x4.add (i32x4.splat (local.get $idx)) (v128.const i32x4 0 1 2 3)))
        ;; strictly greater, or the first element seen (index still -1): the first maximum wins
        (local.set $m (v128.or (f32x4.gt (local.get $v) (local.get $best)) (i32x4.eq (local.get $bi) (v128.const i32x4 -1 -1 -1 -1))))
        (local.set $best (v128.bitselect (local.get $v) (local.get $best) (local.get $m)))
        (local.set $bi (v128.bitselect (local.get $vi) (local.get $bi) (local.get $m)))
        (local.set $w (i32.add (local.get $w) (i32.const 1))) (br $iwl)))
       (local.set $h (i32.add (local.get $h) (i32.const 1))) (br $ihl)))
      (local.set $base (i32.shl (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $oH)) (local.get $oh)) (local.get $oW)) (local.get $ow)) (local.get $C)) (local.get $c)) (i32.const 2)))
      (v128.store (i32.add (local.get $y) (local.get $base)) (local.get $best))
      (v128.store (i32.add (local.get $arg) (local.get $base)) (local.get $bi))
      (local.set $c (i32.add (local.get $c) (i32.const 4))) (br $cl)))
     (block $scd (loop $scl (br_if $scd (i32.ge_s (local.get $c) (local.get $C)))
      (local.set $sbest (f32.const -inf))
      (local.set $sbi (i32.const -1))
      (local.set $h (local.get $h0))
      (block $ihd (loop $ihl (br_if $ihd (i32.ge_s (local.get $h) (local.get $h1)))
       (local.set $w (local.get $w0))
       (block $iwd (loop $iwl (br_if $iwd (i32.ge_s (local.get $w) (local.get $w1)))
        (local.set $idx (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $H)) (local.get $h)) (local.get $W)) (local.get $w)) (local.get $C)) (local.get $c)))
        (local.set $sv (f32.load (i32.add (local.get $x) (i32.shl (local.get $idx) (i32.const 2)))))
        (if (i32.or (f32.gt (local.get $sv) (local.get $sbest)) (i32.lt_s (local.get $sbi) (i32.const 0)))
          (then (local.set $sbest (local.get $sv)) (local.set $sbi (local.get $idx))))
        (local.set $w (i32.add (local.get $w) (i32.const 1))) (br $iwl)))
       (local.set $h (i32.add (local.get $h) (i32.const 1))) (br $ihl)))
      (local.set $base (i32.shl (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $oH)) (local.get $oh)) (local.get $oW)) (local.get $ow)) (local.get $C)) (local.get $c)) (i32.const 2)))
      (f32.store (i32.add (local.get $y) (local.get $base)) (local.get $sbest))
      (i32.store (i32.add (local.get $arg) (local.get $base)) (local.get $sbi))
      (local.set $c (i32.add (local.get $c) (i32.const 1))) (br $scl)))
     (local.set $ow (i32.add (local.get $ow) (i32.const 1))) (br $wl)))
    (local.set $oh (i32.add (local.get $oh) (i32.const 1))) (br $hl)))
   (local.set $b (i32.add (local.get $b) (i32.const 1))) (br $bl)))
)`;

const COPY_ROWS = `(func (export "copy_rows") (param $src i32) (param $dst i32) (param $rows i32) (param $n i32) (param $lds i32) (param $ldd i32) (param $acc i32)
  (local $r i32) (local $c i32) (local $p i32) (local $q i32) (local $C i32)
  (local.set $C (local.get $n))
  (local.set $r (i32.const 0))
  (block $rd (loop $rl (br_if $rd (i32.ge_s (local.get $r) (local.get $rows)))
    (local.set $p (i32.add (local.get $src) (i32.shl (i32.mul (local.get $r) (local.get $lds)) (i32.const 2))))
    (local.set $q (i32.add (local.get $dst) (i32.shl (i32.mul (local.get $r) (local.get $ldd)) (i32.const 2))))
    (if (local.get $acc)
      (then
        (local.set $c (i32.const 0))
        (block $cd (loop $cl (br_if $cd (i32.gt_s (i32.add (local.get $c) (i32.const 4)) (local.get $C)))
          (v128.store (i32.add (local.get $q) (i32.shl (local.get $c) (i32.const 2)))
            (f32x4.add (v128.load (i32.add (local.get $q) (i32.shl (local.get $c) (i32.const 2)))) (v128.load (i32.add (local.get $p) (i32.shl (local.get $c) (i32.const 2))))))
          (local.set $c (i32.add (local.get $c) (i32.const 4))) (br $cl)))
        (block $sd (loop $sl (br_if $sd (i32.ge_s (local.get $c) (local.get $C)))
          (f32.store (i32.add (local.get $q) (i32.shl (local.get $c) (i32.const 2)))
            (f32.add (f32.load (i32.add (local.get $q) (i32.shl (local.get $c) (i32.const 2)))) (f32.load (i32.add (local.get $p) (i32.shl (local.get $c) (i32.const 2))))))
          (local.set $c (i32.add (local.get $c) (i32.const 1))) (br $sl))))
      (else ${copyC(false)}))
    (local.set $r (i32.add (local.get $r) (i32.const 1)))
    (br $rl)))
)`;

/** lowbias32 on four lanes. */
const HASH4 = `(func $hash4 (param $x v128) (result v128)
  (local.set $x (v128.xor (local.get $x) (i32x4.shr_u (local.get $x) (i32.const 16))))
  (local.set $x (i32x4.mul (local.get $x) (v128.const i32x4 0x7feb352d 0x7feb352d 0x7feb352d 0x7feb352d)))
  (local.set $x (v128.xor (local.get $x) (i32x4.shr_u (local.get $x) (i32.const 15))))
  (local.set $x (i32x4.mul (local.get $x) (v128.const i32x4 0x846ca68b 0x846ca68b 0x846ca68b 0x846ca68b)))
  (v128.xor (local.get $x) (i32x4.shr_u (local.get $x) (i32.const 16))))`;

const DROPOUT = `(func (export "dropout") (param $x i32) (param $y i32) (param $mask i32) (param $n i32) (param $key i32) (param $thr i32) (param $scale f32)
  (local $i i32) (local $o i32) (local $ctr v128) (local $m v128) (local $vs v128) (local $vt v128) (local $step v128)
  (local.set $vs (f32x4.splat (local.get $scale)))
  (local.set $vt (i32x4.splat (local.get $thr)))
  ;; lane counters key + i·0x9e3779b9 for i, i+1, i+2, i+3
  (local.set $ctr (i32x4.add (i32x4.splat (local.get $key)) (v128.const i32x4 0 0x9e3779b9 0x3c6ef372 0xdaa66d2b)))
  (local.set $step (v128.const i32x4 0x78dde6e4 0x78dde6e4 0x78dde6e4 0x78dde6e4))
  (local.set $i (i32.const 0))
  (block $d (loop $l (br_if $d (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $n)))
    (local.set $o (i32.shl (local.get $i) (i32.const 2)))
    (local.set $m (v128.and (i32x4.ge_u (call $hash4 (local.get $ctr)) (local.get $vt)) (local.get $vs)))
    (v128.store (i32.add (local.get $mask) (local.get $o)) (local.get $m))
    (v128.store (i32.add (local.get $y) (local.get $o)) (f32x4.mul (v128.load (i32.add (local.get $x) (local.get $o))) (local.get $m)))
    (local.set $ctr (i32x4.add (local.get $ctr) (local.get $step)))
    (local.set $i (i32.add (local.get $i) (i32.const 4))) (br $l)))
  (block $d (loop $l (br_if $d (i32.ge_s (local.get $i) (local.get $n)))
    (local.set $o (i32.shl (local.get $i) (i32.const 2)))
    (local.set $m (v128.and (i32x4.ge_u (call $hash4 (local.get $ctr)) (local.get $vt)) (local.get $vs)))
    (f32.store (i32.add (local.get $mask) (local.get $o)) (f32x4.extract_lane 0 (local.get $m)))
    (f32.store (i32.add (local.get $y) (local.get $o)) (f32.mul (f32.load (i32.add (local.get $x) (local.get $o))) (f32x4.extract_lane 0 (local.get $m))))
    (local.set $ctr (i32x4.add (local.get $ctr) (v128.const i32x4 0x9e3779b9 0x9e3779b9 0x9e3779b9 0x9e3779b9)))
    (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $l)))
)`;

/**
 * Loop over outputs (b, t) — $row the byte address of row (b, t) of G — running `pre`, then
 * over taps r with the tap's id in $id and its table row at $tab (taps outside [0, T) skipped).
 */
const tapLoop = (pre: string, body: string) => `
  (local.set $b (i32.const 0))
  (block $bd (loop $bl (br_if $bd (i32.ge_s (local.get $b) (local.get $B)))
   (local.set $t (i32.const 0))
   (block $td (loop $tl (br_if $td (i32.ge_s (local.get $t) (local.get $oT)))
    (local.set $row (i32.add (local.get $G) (i32.shl (i32.mul (i32.add (i32.mul (local.get $b) (local.get $oT)) (local.get $t)) (local.get $F)) (i32.const 2))))
    ${pre}
    (local.set $r (i32.const 0))
    (block $rd (loop $rl (br_if $rd (i32.ge_s (local.get $r) (local.get $k)))
     (local.set $pos (i32.add (i32.sub (local.get $t) (local.get $pl)) (local.get $r)))
     (if (i32.and (i32.ge_s (local.get $pos) (i32.const 0)) (i32.lt_s (local.get $pos) (local.get $T))) (then
      (local.set $id (i32.load (i32.add (local.get $ids) (i32.shl (i32.add (i32.mul (local.get $b) (local.get $T)) (local.get $pos)) (i32.const 2)))))
      (local.set $tab (i32.add (local.get $table) (i32.shl (i32.mul (i32.add (i32.mul (local.get $r) (local.get $V)) (local.get $id)) (local.get $F)) (i32.const 2))))
      ${body}))
     (local.set $r (i32.add (local.get $r) (i32.const 1))) (br $rl)))
    (local.set $t (i32.add (local.get $t) (i32.const 1))) (br $tl)))
   (local.set $b (i32.add (local.get $b) (i32.const 1))) (br $bl)))`;

/** dst[0..F) (+)= src[0..F) with $c as the column; dst/src are byte-address expressions. */
const addF = (dst: string, src: string, copy = false) => `
      (local.set $c (i32.const 0))
      (block $cd (loop $cl (br_if $cd (i32.gt_s (i32.add (local.get $c) (i32.const 4)) (local.get $F)))
        (v128.store (i32.add ${dst} (i32.shl (local.get $c) (i32.const 2))) ${copy ? "" : `(f32x4.add (v128.load (i32.add ${dst} (i32.shl (local.get $c) (i32.const 2))))`} (v128.load (i32.add ${src} (i32.shl (local.get $c) (i32.const 2))))${copy ? "" : ")"})
        (local.set $c (i32.add (local.get $c) (i32.const 4))) (br $cl)))
      (block $sd (loop $sl (br_if $sd (i32.ge_s (local.get $c) (local.get $F)))
        (f32.store (i32.add ${dst} (i32.shl (local.get $c) (i32.const 2))) ${copy ? "" : `(f32.add (f32.load (i32.add ${dst} (i32.shl (local.get $c) (i32.const 2))))`} (f32.load (i32.add ${src} (i32.shl (local.get $c) (i32.const 2))))${copy ? "" : ")"})
        (local.set $c (i32.add (local.get $c) (i32.const 1))) (br $sl)))`;

const TABLE_LOCALS =
  "(local $b i32) (local $t i32) (local $r i32) (local $c i32) (local $pos i32) (local $id i32) (local $tab i32) (local $row i32)";

const TABLE_CONV = `(func (export "table_conv") (param $ids i32) (param $table i32) (param $bias i32) (param $G i32) (param $B i32) (param $T i32) (param $V i32) (param $F i32) (param $k i32) (param $pl i32) (param $oT i32)
  ${TABLE_LOCALS}
  ${tapLoop(addF("(local.get $row)", "(local.get $bias)", true), addF("(local.get $row)", "(local.get $tab)"))}
)`;

const TABLE_SCATTER = `(func (export "table_scatter") (param $ids i32) (param $G i32) (param $table i32) (param $B i32) (param $T i32) (param $V i32) (param $F i32) (param $k i32) (param $pl i32) (param $oT i32)
  ${TABLE_LOCALS}
  ${tapLoop("", addF("(local.get $tab)", "(local.get $row)"))}
)`;

const AVGPOOL = `(func (export "avgpool") (param $x i32) (param $y i32) (param $B i32) (param $H i32) (param $W i32) (param $C i32)
  (param $ph i32) (param $pw i32) (param $sh i32) (param $sw i32) (param $pt i32) (param $pl i32) (param $oH i32) (param $oW i32) (param $back i32)
  (local $b i32) (local $oh i32) (local $ow i32) (local $h i32) (local $w i32) (local $h0 i32) (local $h1 i32) (local $w0 i32) (local $w1 i32)
  (local $c i32) (local $px i32) (local $py i32) (local $inv f32) (local $vinv v128) (local $acc v128) (local $sacc f32)
  (local.set $b (i32.const 0))
  (block $bd (loop $bl (br_if $bd (i32.ge_s (local.get $b) (local.get $B)))
   (local.set $oh (i32.const 0))
   (block $hd (loop $hl (br_if $hd (i32.ge_s (local.get $oh) (local.get $oH)))
    (local.set $h0 (i32.sub (i32.mul (local.get $oh) (local.get $sh)) (local.get $pt)))
    (local.set $h1 (i32.add (local.get $h0) (local.get $ph)))
    (if (i32.lt_s (local.get $h0) (i32.const 0)) (then (local.set $h0 (i32.const 0))))
    (if (i32.gt_s (local.get $h1) (local.get $H)) (then (local.set $h1 (local.get $H))))
    (local.set $ow (i32.const 0))
    (block $wd (loop $wl (br_if $wd (i32.ge_s (local.get $ow) (local.get $oW)))
     (local.set $w0 (i32.sub (i32.mul (local.get $ow) (local.get $sw)) (local.get $pl)))
     (local.set $w1 (i32.add (local.get $w0) (local.get $pw)))
     (if (i32.lt_s (local.get $w0) (i32.const 0)) (then (local.set $w0 (i32.const 0))))
     (if (i32.gt_s (local.get $w1) (local.get $W)) (then (local.set $w1 (local.get $W))))
     (local.set $inv (f32.div (f32.const 1) (f32.convert_i32_s (i32.mul (i32.sub (local.get $h1) (local.get $h0)) (i32.sub (local.get $w1) (local.get $w0))))))
     (local.set $vinv (f32x4.splat (local.get $inv)))
     (local.set $py (i32.add (local.get $y) (i32.shl (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $oH)) (local.get $oh)) (local.get $oW)) (local.get $ow)) (local.get $C)) (i32.const 2))))
     (local.set $c (i32.const 0))
     (block $cd (loop $cl (br_if $cd (i32.gt_s (i32.add (local.get $c) (i32.const 4)) (local.get $C)))
      (local.set $acc (v128.const i32x4 0 0 0 0))
      (if (local.get $back) (then (local.set $acc (f32x4.mul (v128.load (i32.add (local.get $py) (i32.shl (local.get $c) (i32.const 2)))) (local.get $vinv)))))
      (local.set $h (local.get $h0))
      (block $ihd (loop $ihl (br_if $ihd (i32.ge_s (local.get $h) (local.get $h1)))
       (local.set $w (local.get $w0))
       (block $iwd (loop $iwl (br_if $iwd (i32.ge_s (local.get $w) (local.get $w1)))
        (local.set $px (i32.add (local.get $x) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $H)) (local.get $h)) (local.get $W)) (local.get $w)) (local.get $C)) (local.get $c)) (i32.const 2))))
        (if (local.get $back)
          (then (v128.store (local.get $px) (f32x4.add (v128.load (local.get $px)) (local.get $acc))))
          (else (local.set $acc (f32x4.add (local.get $acc) (v128.load (local.get $px))))))
        (local.set $w (i32.add (local.get $w) (i32.const 1))) (br $iwl)))
       (local.set $h (i32.add (local.get $h) (i32.const 1))) (br $ihl)))
      (if (i32.eqz (local.get $back)) (then (v128.store (i32.add (local.get $py) (i32.shl (local.get $c) (i32.const 2))) (f32x4.mul (local.get $acc) (local.get $vinv)))))
      (local.set $c (i32.add (local.get $c) (i32.const 4))) (br $cl)))
     (block $scd (loop $scl (br_if $scd (i32.ge_s (local.get $c) (local.get $C)))
      (local.set $sacc (f32.const 0))
      (if (local.get $back) (then (local.set $sacc (f32.mul (f32.load (i32.add (local.get $py) (i32.shl (local.get $c) (i32.const 2)))) (local.get $inv)))))
      (local.set $h (local.get $h0))
      (block $ihd (loop $ihl (br_if $ihd (i32.ge_s (local.get $h) (local.get $h1)))
       (local.set $w (local.get $w0))
       (block $iwd (loop $iwl (br_if $iwd (i32.ge_s (local.get $w) (local.get $w1)))
        (local.set $px (i32.add (local.get $x) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $H)) (local.get $h)) (local.get $W)) (local.get $w)) (local.get $C)) (local.get $c)) (i32.const 2))))
        (if (local.get $back)
          (then (f32.store (local.get $px) (f32.add (f32.load (local.get $px)) (local.get $sacc))))
          (else (local.set $sacc (f32.add (local.get $sacc) (f32.load (local.get $px))))))
        (local.set $w (i32.add (local.get $w) (i32.const 1))) (br $iwl)))
       (local.set $h (i32.add (local.get $h) (i32.const 1))) (br $ihl)))
      (if (i32.eqz (local.get $back)) (then (f32.store (i32.add (local.get $py) (i32.shl (local.get $c) (i32.const 2))) (f32.mul (local.get $sacc) (local.get $inv)))))
      (local.set $c (i32.add (local.get $c) (i32.const 1))) (br $scl)))
     (local.set $ow (i32.add (local.get $ow) (i32.const 1))) (br $wl)))
    (local.set $oh (i32.add (local.get $oh) (i32.const 1))) (br $hl)))
   (local.set $b (i32.add (local.get $b) (i32.const 1))) (br $bl)))
)`;

export function spatialWat(): string {
  return [IM2COL, MAXPOOL, AVGPOOL, COPY_ROWS, HASH4, DROPOUT, TABLE_CONV, TABLE_SCATTER].join("\n");
}
