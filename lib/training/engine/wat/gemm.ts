/**
 * WAT text of the matrix kernels (see ../simd.ts for the exported API):
 *   gemm_nn(a, b, c, M, K, N, lda, ldb, ldc, acc)  C[M,N] (+)= A[M,K] · B[K,N]
 *   gemm_tn(a, b, c, R, M, N, lda, ldb, ldc, acc)  C[M,N] (+)= A[R,M]ᵀ · B[R,N]
 *   transpose(src, dst, rows, cols, lds, ldd)      dst[c,r] = src[r,c]
 *   col_sums(x, out, rows, n, acc)                 out[j] (+)= Σ_r x[r,j]
 * C is computed in tiles of 4 rows × 8 columns held in eight f32x4
 * accumulators, then 4-column and single-column tiles at the right edge and
 * single rows at the bottom; each element's sum runs over k in order.
 */
export type Lines = string[];

const V0 = "(v128.const i32x4 0 0 0 0)";
const get = (n: string) => `(local.get $${n})`;
const set = (n: string, v: string) => `(local.set $${n} ${v})`;
const add = (a: string, b: string) => `(i32.add ${a} ${b})`;
const c32 = (n: number) => `(i32.const ${n})`;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** One lane of a v128 broadcast to all four. */
const splatLane = (v: string, lane: number) => {
  const bytes = range(4).flatMap(() => range(4).map((b) => 4 * lane + b));
  return `(i8x16.shuffle ${bytes.join(" ")} ${v} ${v})`;
};

/**
 * C tile of R rows × (4·CV columns, or 1 column when CV = 0) for C = A·B.
 * Params are byte pointers to A[i,0], B[0,j], C[i,j] and byte strides.
 */
function nnTile(R: number, CV: number): string {
  const scalar = CV === 0;
  const nv = scalar ? 1 : CV;
  const T = scalar ? "f32" : "v128";
  const L: Lines = [];
  const accs = range(R).flatMap((r) => range(nv).map((v) => `c${r}_${v}`));
  L.push(
    `(func $nn_${R}_${CV} (param $pa i32) (param $pb i32) (param $pc i32) (param $K i32) (param $lda i32) (param $ldb i32) (param $ldc i32) (param $acc i32)`,
  );
  L.push(
    `  (local $k i32) ${range(R)
      .map((r) => `(local $a${r} i32)`)
      .join(" ")} (local $x ${T}) ${range(nv)
      .map((v) => `(local $b${v} ${T})`)
      .join(" ")} ${accs.map((a) => `(local $${a} ${T})`).join(" ")}`,
  );
  range(R).forEach((r) => L.push(set(`a${r}`, r === 0 ? get("pa") : add(get(`a${r - 1}`), get("lda")))));
  const cAddr = (r: number) => (r === 0 ? get("pc") : add(get("pc"), `(i32.mul ${get("ldc")} ${c32(r)})`));
  L.push(`(if ${get("acc")} (then`);
  for (let r = 0; r < R; r++)
    for (let v = 0; v < nv; v++) L.push(set(`c${r}_${v}`, scalar ? `(f32.load ${cAddr(r)})` : `(v128.load offset=${16 * v} ${cAddr(r)})`));
  L.push(`) (else`);
  for (const a of accs) L.push(set(a, scalar ? "(f32.const 0)" : V0));
  L.push(`))`);
  L.push(set("k", get("K")));
  L.push(`(block $done (loop $next`);
  L.push(`  (br_if $done (i32.eqz ${get("k")}))`);
  for (let v = 0; v < nv; v++) L.push(set(`b${v}`, scalar ? `(f32.load ${get("pb")})` : `(v128.load offset=${16 * v} ${get("pb")})`));
  for (let r = 0; r < R; r++) {
    L.push(set("x", scalar ? `(f32.load ${get(`a${r}`)})` : `(v128.load32_splat ${get(`a${r}`)})`));
    for (let v = 0; v < nv; v++)
      L.push(
        set(
          `c${r}_${v}`,
          scalar
            ? `(f32.add ${get(`c${r}_${v}`)} (f32.mul ${get("x")} ${get(`b${v}`)}))`
            : `(f32x4.add ${get(`c${r}_${v}`)} (f32x4.mul ${get("x")} ${get(`b${v}`)}))`,
        ),
      );
    L.push(set(`a${r}`, add(get(`a${r}`), c32(4))));
  }
  L.push(set("pb", add(get("pb"), get("ldb"))));
  L.push(set("k", `(i32.sub ${get("k")} ${c32(1)})`));
  L.push(`  (br $next)))`);
  for (let r = 0; r < R; r++)
    for (let v = 0; v < nv; v++)
      L.push(scalar ? `(f32.store ${cAddr(r)} ${get(`c${r}_${v}`)})` : `(v128.store offset=${16 * v} ${cAddr(r)} ${get(`c${r}_${v}`)})`);
  L.push(`)`);
  return L.join("\n");
}

/**
 * C tile for C = Aᵀ·B: R consecutive columns of A (rows of C) × (4·CV or 1)
 * columns of B, summed over the `rows` shared rows of A and B.
 */
function tnTile(R: number, CV: number): string {
  const scalar = CV === 0;
  const nv = scalar ? 1 : CV;
  const T = scalar ? "f32" : "v128";
  const L: Lines = [];
  const accs = range(R).flatMap((r) => range(nv).map((v) => `c${r}_${v}`));
  L.push(
    `(func $tn_${R}_${CV} (param $pa i32) (param $pb i32) (param $pc i32) (param $rows i32) (param $lda i32) (param $ldb i32) (param $ldc i32) (param $acc i32)`,
  );
  L.push(
    `  (local $k i32) (local $av v128) ${range(R)
      .map((r) => `(local $x${r} ${T})`)
      .join(" ")} ${range(nv)
      .map((v) => `(local $b${v} ${T})`)
      .join(" ")} ${accs.map((a) => `(local $${a} ${T})`).join(" ")}`,
  );
  const cAddr = (r: number) => (r === 0 ? get("pc") : add(get("pc"), `(i32.mul ${get("ldc")} ${c32(r)})`));
  L.push(`(if ${get("acc")} (then`);
  for (let r = 0; r < R; r++)
    for (let v = 0; v < nv; v++) L.push(set(`c${r}_${v}`, scalar ? `(f32.load ${cAddr(r)})` : `(v128.load offset=${16 * v} ${cAddr(r)})`));
  L.push(`) (else`);
  for (const a of accs) L.push(set(a, scalar ? "(f32.const 0)" : V0));
  L.push(`))`);
  L.push(set("k", get("rows")));
  L.push(`(block $done (loop $next`);
  L.push(`  (br_if $done (i32.eqz ${get("k")}))`);
  for (let v = 0; v < nv; v++) L.push(set(`b${v}`, scalar ? `(f32.load ${get("pb")})` : `(v128.load offset=${16 * v} ${get("pb")})`));
  if (scalar) for (let r = 0; r < R; r++) L.push(set(`x${r}`, `(f32.load offset=${4 * r} ${get("pa")})`));
  else if (R === 4) {
    L.push(set("av", `(v128.load ${get("pa")})`));
    for (let r = 0; r < R; r++) L.push(set(`x${r}`, splatLane(get("av"), r)));
  } else for (let r = 0; r < R; r++) L.push(set(`x${r}`, `(v128.load32_splat offset=${4 * r} ${get("pa")})`));
  for (let r = 0; r < R; r++)
    for (let v = 0; v < nv; v++)
      L.push(
        set(
          `c${r}_${v}`,
          scalar
            ? `(f32.add ${get(`c${r}_${v}`)} (f32.mul ${get(`x${r}`)} ${get(`b${v}`)}))`
            : `(f32x4.add ${get(`c${r}_${v}`)} (f32x4.mul ${get(`x${r}`)} ${get(`b${v}`)}))`,
        ),
      );
  L.push(set("pa", add(get("pa"), get("lda"))));
  L.push(set("pb", add(get("pb"), get("ldb"))));
  L.push(set("k", `(i32.sub ${get("k")} ${c32(1)})`));
  L.push(`  (br $next)))`);
  for (let r = 0; r < R; r++)
    for (let v = 0; v < nv; v++)
      L.push(scalar ? `(f32.store ${cAddr(r)} ${get(`c${r}_${v}`)})` : `(v128.store offset=${16 * v} ${cAddr(r)} ${get(`c${r}_${v}`)})`);
  L.push(`)`);
  return L.join("\n");
}

/**
 * Driver: tiles of 4 rows then single rows; within a row block, 8-column
 * tiles, one 4-column tile, then single columns. `kind` picks A's addressing:
 * nn walks A[i, ·] (row i at a + i·lda), tn walks A[·, i] (column i at a + i).
 */
function driver(kind: "nn" | "tn"): string {
  const L: Lines = [];
  // gemm_nn(a, b, c, M, K, N, …) and gemm_tn(a, b, c, R, M, N, …): p4/p5 are (M, K) or (R, M).
  L.push(
    `(func (export "gemm_${kind}") (param $a i32) (param $b i32) (param $c i32) (param $p4 i32) (param $p5 i32) (param $N i32) (param $lda i32) (param $ldb i32) (param $ldc i32) (param $acc i32)`,
  );
  L.push(`  (local $i i32) (local $j i32) (local $pa i32) (local $pc i32) (local $lda4 i32) (local $ldb4 i32) (local $ldc4 i32)`);
  L.push(set("lda4", `(i32.shl ${get("lda")} ${c32(2)})`));
  L.push(set("ldb4", `(i32.shl ${get("ldb")} ${c32(2)})`));
  L.push(set("ldc4", `(i32.shl ${get("ldc")} ${c32(2)})`));
  const rowsOfC = kind === "nn" ? get("p4") : get("p5");
  const innerLen = kind === "nn" ? get("p5") : get("p4");
  const aRow = (i: string) => (kind === "nn" ? `(i32.mul ${i} ${get("lda4")})` : `(i32.shl ${i} ${c32(2)})`);
  const cols = (R: number) => {
    const C: Lines = [];
    C.push(set("pa", add(get("a"), aRow(get("i")))));
    C.push(set("pc", add(get("c"), `(i32.mul ${get("i")} ${get("ldc4")})`)));
    C.push(set("j", c32(0)));
    C.push(`(block $d8 (loop $l8 (br_if $d8 (i32.gt_s (i32.add ${get("j")} ${c32(8)}) ${get("N")}))`);
    C.push(
      `  (call $${kind}_${R}_2 ${get("pa")} ${add(get("b"), `(i32.shl ${get("j")} ${c32(2)})`)} ${add(get("pc"), `(i32.shl ${get("j")} ${c32(2)})`)} ${innerLen} ${get("lda4")} ${get("ldb4")} ${get("ldc4")} ${get("acc")})`,
    );
    C.push(`  ${set("j", add(get("j"), c32(8)))} (br $l8)))`);
    C.push(`(if (i32.le_s (i32.add ${get("j")} ${c32(4)}) ${get("N")}) (then`);
    C.push(
      `  (call $${kind}_${R}_1 ${get("pa")} ${add(get("b"), `(i32.shl ${get("j")} ${c32(2)})`)} ${add(get("pc"), `(i32.shl ${get("j")} ${c32(2)})`)} ${innerLen} ${get("lda4")} ${get("ldb4")} ${get("ldc4")} ${get("acc")})`,
    );
    C.push(`  ${set("j", add(get("j"), c32(4)))}))`);
    C.push(`(block $d1 (loop $l1 (br_if $d1 (i32.ge_s ${get("j")} ${get("N")}))`);
    C.push(
      `  (call $${kind}_${R}_0 ${get("pa")} ${add(get("b"), `(i32.shl ${get("j")} ${c32(2)})`)} ${add(get("pc"), `(i32.shl ${get("j")} ${c32(2)})`)} ${innerLen} ${get("lda4")} ${get("ldb4")} ${get("ldc4")} ${get("acc")})`,
    );
    C.push(`  ${set("j", add(get("j"), c32(1)))} (br $l1)))`);
    return C.join("\n");
  };
  L.push(set("i", c32(0)));
  L.push(`(block $r4d (loop $r4 (br_if $r4d (i32.gt_s (i32.add ${get("i")} ${c32(4)}) ${rowsOfC}))`);
  L.push(cols(4));
  L.push(`${set("i", add(get("i"), c32(4)))} (br $r4)))`);
  L.push(`(block $r1d (loop $r1 (br_if $r1d (i32.ge_s ${get("i")} ${rowsOfC}))`);
  L.push(cols(1));
  L.push(`${set("i", add(get("i"), c32(1)))} (br $r1)))`);
  L.push(`)`);
  return L.join("\n");
}

function transposeFn(): string {
  return `(func (export "transpose") (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32) (param $lds i32) (param $ldd i32)
  (local $r i32) (local $c i32) (local $ps i32) (local $pd i32) (local $ldd4 i32)
  ${set("ldd4", `(i32.shl ${get("ldd")} ${c32(2)})`)}
  ${set("r", c32(0))}
  (block $rd (loop $rl (br_if $rd (i32.ge_s ${get("r")} ${get("rows")}))
    ${set("ps", add(get("src"), `(i32.shl (i32.mul ${get("r")} ${get("lds")}) ${c32(2)})`))}
    ${set("pd", add(get("dst"), `(i32.shl ${get("r")} ${c32(2)})`))}
    ${set("c", get("cols"))}
    (block $cd (loop $cl (br_if $cd (i32.eqz ${get("c")}))
      (f32.store ${get("pd")} (f32.load ${get("ps")}))
      ${set("ps", add(get("ps"), c32(4)))}
      ${set("pd", add(get("pd"), get("ldd4")))}
      ${set("c", `(i32.sub ${get("c")} ${c32(1)})`)}
      (br $cl)))
    ${set("r", add(get("r"), c32(1)))}
    (br $rl)))
)`;
}

function colSumsFn(): string {
  // out[j] (+)= Σ_r x[r,j], rows summed in order (r = 0, 1, …) for every j: the same
  // order whether a column falls in a SIMD group or the scalar tail.
  return `(func (export "col_sums") (param $x i32) (param $out i32) (param $rows i32) (param $n i32) (param $acc i32)
  (local $j i32) (local $r i32) (local $p i32) (local $s v128) (local $t f32) (local $n4 i32)
  ${set("n4", `(i32.shl ${get("n")} ${c32(2)})`)}
  ${set("j", c32(0))}
  (block $vd (loop $vl (br_if $vd (i32.gt_s (i32.add ${get("j")} ${c32(4)}) ${get("n")}))
    ${set("s", `(if (result v128) ${get("acc")} (then (v128.load ${add(get("out"), `(i32.shl ${get("j")} ${c32(2)})`)})) (else ${V0}))`)}
    ${set("p", add(get("x"), `(i32.shl ${get("j")} ${c32(2)})`))}
    ${set("r", get("rows"))}
    (block $rd (loop $rl (br_if $rd (i32.eqz ${get("r")}))
      ${set("s", `(f32x4.add ${get("s")} (v128.load ${get("p")}))`)}
      ${set("p", add(get("p"), get("n4")))}
      ${set("r", `(i32.sub ${get("r")} ${c32(1)})`)}
      (br $rl)))
    (v128.store ${add(get("out"), `(i32.shl ${get("j")} ${c32(2)})`)} ${get("s")})
    ${set("j", add(get("j"), c32(4)))}
    (br $vl)))
  (block $sd (loop $sl (br_if $sd (i32.ge_s ${get("j")} ${get("n")}))
    ${set("t", `(if (result f32) ${get("acc")} (then (f32.load ${add(get("out"), `(i32.shl ${get("j")} ${c32(2)})`)})) (else (f32.const 0)))`)}
    ${set("p", add(get("x"), `(i32.shl ${get("j")} ${c32(2)})`))}
    ${set("r", get("rows"))}
    (block $rd2 (loop $rl2 (br_if $rd2 (i32.eqz ${get("r")}))
      ${set("t", `(f32.add ${get("t")} (f32.load ${get("p")}))`)}
      ${set("p", add(get("p"), get("n4")))}
      ${set("r", `(i32.sub ${get("r")} ${c32(1)})`)}
      (br $rl2)))
    (f32.store ${add(get("out"), `(i32.shl ${get("j")} ${c32(2)})`)} ${get("t")})
    ${set("j", add(get("j"), c32(1)))}
    (br $sl)))
)`;
}

export function gemmWat(): string {
  const parts: Lines = [];
  for (const R of [4, 1]) for (const CV of [2, 1, 0]) parts.push(nnTile(R, CV), tnTile(R, CV));
  parts.push(driver("nn"), driver("tn"), transposeFn(), colSumsFn());
  return parts.join("\n");
}
