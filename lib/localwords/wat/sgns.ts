/**
 * WAT text of word2vec's skip-gram negative-sampling (SGNS) inner loop, the
 * whole of it as one WebAssembly SIMD kernel (assembled by
 * lib/training/engine/wat/assemble.ts), on a shared memory so that two threads
 * can run shards of one training (../word2vec.ts):
 *
 *   sgns_train(ctx)            train on sentences [s0, s1) of the context block at ctx; returns the words read
 *   sgns_merge(m, a, b, n)     m ← m + (a − m) + (b − m); a ← m; b ← m   (n floats, a multiple of 4)
 *
 * Per sentence, in word2vec.c's order:
 *   lr = lr0 · max(1e-4, 1 − done / (total + 1))             (linear decay over this shard's words)
 *   sub-sampling: a word w is kept when keep[w] = 2³²−1, else when the next random u32 < keep[w]
 *   for each kept position p (centre word w): b = 1 + rand mod window;
 *     for each context q in [p − b, p + b], q ≠ p (context word c): one step against the K = negative + 1
 *     targets t_0 = w (label 1) and t_d = table[rand mod tableSize] (label 0; g = 0 when t_d = w), see
 *     `contextStep`: f_d = syn0[c] · syn1[t_d], g_d = (label − σ(f_d)) · lr with σ from word2vec.c's
 *     table (1 above 6, 0 below −6), syn1[t_d] += g_d · syn0[c], syn0[c] += Σ_d g_d · syn1[t_d].
 * Random numbers: one xorshift32 state per shard (ctx.rng, read at the start, written back).
 *
 * The kernel text is generated for one number of negatives (K rows streamed
 * side by side, in registers), as the engine's GEMM tiles are for their shapes.
 * Rows are `stride` floats (dim rounded up to a multiple of 4; the padding
 * lanes start at 0 and stay 0, so they change no dot product). Every sum runs
 * in a fixed order, so a run is reproducible bit for bit on any machine
 * (test/localwords/word2vec.test.ts checks the kernel against a float32 reference).
 */

/** Byte offsets of the fields of a context block (i32 unless said). */
export const CTX = {
  tok: 0, // ptr: i32 token ids
  offs: 4, // ptr: i32 sentence offsets into tok (s + 1 entries)
  s0: 8, // first sentence
  s1: 12, // end sentence (exclusive)
  syn0: 16, // ptr: input vectors, V × stride f32
  syn1: 20, // ptr: output vectors, V × stride f32
  keep: 24, // ptr: u32 keep thresholds per word
  table: 28, // ptr: i32 unigram^0.75 table
  tableSize: 32,
  exp: 36, // ptr: f32 sigmoid table (EXP_TABLE_SIZE entries)
  stride: 40, // floats per row (multiple of 4)
  window: 44,
  negative: 48, // (the kernel is generated for one value: sgnsWat(negative))
  kept: 52, // ptr: i32 scratch, the longest sentence
  rng: 60, // u32 xorshift state (in/out)
  lr0: 64, // f32 starting learning rate
  done: 68, // words this shard read before (in/out)
  total: 72, // words this shard reads over all epochs
} as const;
export const CTX_BYTES = 80;
export const EXP_TABLE_SIZE = 1000;
export const MAX_EXP = 6;

const V0 = "(v128.const i32x4 0 0 0 0)";
const get = (n: string) => `(local.get $${n})`;
const set = (n: string, v: string) => `(local.set $${n} ${v})`;
const add = (a: string, b: string) => `(i32.add ${a} ${b})`;
const c32 = (n: number) => `(i32.const ${n})`;
const field = (name: keyof typeof CTX) => `(i32.load offset=${CTX[name]} ${get("ctx")})`;
/** xorshift32: $r ← next state. */
const NEXT = [
  set("r", `(i32.xor ${get("r")} (i32.shl ${get("r")} ${c32(13)}))`),
  set("r", `(i32.xor ${get("r")} (i32.shr_u ${get("r")} ${c32(17)}))`),
  set("r", `(i32.xor ${get("r")} (i32.shl ${get("r")} ${c32(5)}))`),
].join(" ");

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * One context word's step against its K = negative + 1 targets (the centre word
 * and the negatives), the K output rows streamed side by side:
 *   f_d = syn0[c] · syn1[t_d]  for every d (K independent sums, one f32x4 accumulator each,
 *                              lanes added (l0 + l1) + (l2 + l3));
 *   g_d = (label_d − σ(f_d)) · lr   (0 for a negative that drew the centre word: word2vec.c skips it);
 *   then per four floats j:  e = Σ_d g_d · syn1[t_d][j] (in d order, each row read before its own update),
 *                            syn1[t_d][j] += g_d · syn0[c][j],   syn0[c][j] += e.
 * As word2vec.c, every dot product uses the context vector before this step's update; unlike it, the
 * K dot products are all taken before the K output rows move (a negative drawn twice sees its first
 * update in word2vec.c, not here), which lets the K row reads overlap instead of running one after another.
 */
function contextStep(K: number): string {
  const L: string[] = [];
  for (const d of range(K)) L.push(set(`acc${d}`, V0));
  L.push(set("j", c32(0)));
  L.push(`(block $dd (loop $dl (br_if $dd (i32.ge_u ${get("j")} ${get("rowB")}))`);
  L.push(set("s0", `(v128.load ${add(get("inp"), get("j"))})`));
  for (const d of range(K))
    L.push(set(`acc${d}`, `(f32x4.add ${get(`acc${d}`)} (f32x4.mul ${get("s0")} (v128.load ${add(get(`o${d}`), get("j"))})))`));
  L.push(`${set("j", add(get("j"), c32(16)))} (br $dl)))`);
  for (const d of range(K)) {
    const a = get(`acc${d}`);
    L.push(
      set(
        "f",
        `(f32.add (f32.add (f32x4.extract_lane 0 ${a}) (f32x4.extract_lane 1 ${a})) (f32.add (f32x4.extract_lane 2 ${a}) (f32x4.extract_lane 3 ${a})))`,
      ),
    );
    const label = d === 0 ? "(f32.const 1)" : "(f32.const 0)";
    const g = `(if (result f32) (f32.gt ${get("f")} (f32.const ${MAX_EXP}))
      (then (f32.mul (f32.sub ${label} (f32.const 1)) ${get("lr")}))
      (else (if (result f32) (f32.lt ${get("f")} (f32.const -${MAX_EXP}))
        (then (f32.mul ${label} ${get("lr")}))
        (else (f32.mul (f32.sub ${label} (f32.load ${add(get("exp"), `(i32.shl (i32.trunc_f32_s (f32.mul (f32.add ${get("f")} (f32.const ${MAX_EXP})) (f32.const ${EXP_TABLE_SIZE / MAX_EXP / 2}))) ${c32(2)})`)})) ${get("lr")})))))`;
    // A negative that drew the centre word is skipped (g = 0 changes no row).
    L.push(set(`g${d}`, d === 0 ? g : `(if (result f32) ${get(`skip${d}`)} (then (f32.const 0)) (else ${g}))`));
    L.push(set(`vg${d}`, `(f32x4.splat ${get(`g${d}`)})`));
  }
  L.push(set("j", c32(0)));
  L.push(`(block $ud (loop $ul (br_if $ud (i32.ge_u ${get("j")} ${get("rowB")}))`);
  L.push(set("s0", `(v128.load ${add(get("inp"), get("j"))})`));
  L.push(set("e", V0));
  for (const d of range(K)) {
    L.push(set("v", `(v128.load ${add(get(`o${d}`), get("j"))})`));
    L.push(set("e", `(f32x4.add ${get("e")} (f32x4.mul ${get(`vg${d}`)} ${get("v")}))`));
    L.push(`(v128.store ${add(get(`o${d}`), get("j"))} (f32x4.add ${get("v")} (f32x4.mul ${get(`vg${d}`)} ${get("s0")})))`);
  }
  L.push(`(v128.store ${add(get("inp"), get("j"))} (f32x4.add ${get("s0")} ${get("e")}))`);
  L.push(`${set("j", add(get("j"), c32(16)))} (br $ul)))`);
  return L.join("\n");
}

function train(negative: number): string {
  const K = negative + 1;
  const negatives = range(K)
    .slice(1)
    .map(
      (d) => `${NEXT}
      ${set(`o${d}`, `(i32.load ${add(get("table"), `(i32.shl (i32.rem_u ${get("r")} ${get("tsize")}) ${c32(2)})`)})`)}
      ${set(`skip${d}`, `(i32.eq ${get(`o${d}`)} ${get("w")})`)}
      ${set(`o${d}`, add(get("syn1"), `(i32.mul ${get(`o${d}`)} ${get("rowB")})`))}`,
    )
    .join("\n");
  return `(func (export "sgns_train") (param $ctx i32) (result i32)
  (local $tok i32) (local $offs i32) (local $s i32) (local $s1 i32) (local $syn0 i32) (local $syn1 i32) (local $keep i32)
  (local $table i32) (local $tsize i32) (local $exp i32) (local $rowB i32) (local $window i32)
  (local $kept i32) (local $r i32) (local $done i32) (local $total i32) (local $words i32)
  (local $i i32) (local $end i32) (local $n i32) (local $w i32) (local $thr i32) (local $pos i32) (local $b i32)
  (local $lo i32) (local $hi i32) (local $q i32) (local $inp i32) (local $j i32)
  ${range(K)
    .map((d) => `(local $o${d} i32)`)
    .join(" ")} ${range(K)
    .slice(1)
    .map((d) => `(local $skip${d} i32)`)
    .join(" ")}
  (local $lr0 f32) (local $lr f32) (local $f f32) ${range(K)
    .map((d) => `(local $g${d} f32)`)
    .join(" ")}
  (local $s0 v128) (local $e v128) (local $v v128) ${range(K)
    .map((d) => `(local $acc${d} v128) (local $vg${d} v128)`)
    .join(" ")}
  ${set("tok", field("tok"))} ${set("offs", field("offs"))} ${set("s", field("s0"))} ${set("s1", field("s1"))}
  ${set("syn0", field("syn0"))} ${set("syn1", field("syn1"))} ${set("keep", field("keep"))} ${set("table", field("table"))}
  ${set("tsize", field("tableSize"))} ${set("exp", field("exp"))} ${set("rowB", `(i32.shl ${field("stride")} ${c32(2)})`)}
  ${set("window", field("window"))} ${set("kept", field("kept"))}
  ${set("r", field("rng"))} ${set("lr0", `(f32.load offset=${CTX.lr0} ${get("ctx")})`)} ${set("done", field("done"))} ${set("total", field("total"))}
  ${set("words", c32(0))}
  (block $sentDone (loop $sentLoop
    (br_if $sentDone (i32.ge_s ${get("s")} ${get("s1")}))
    ${set("i", `(i32.load ${add(get("offs"), `(i32.shl ${get("s")} ${c32(2)})`)})`)}
    ${set("end", `(i32.load offset=4 ${add(get("offs"), `(i32.shl ${get("s")} ${c32(2)})`)})`)}
    ;; learning rate from the words read before this sentence
    ${set(
      "lr",
      `(f32.demote_f64 (f64.mul (f64.promote_f32 ${get("lr0")}) (f64.max (f64.const 0.0001) (f64.sub (f64.const 1) (f64.div (f64.convert_i32_u ${get("done")}) (f64.convert_i32_u ${add(get("total"), c32(1))}))))))`,
    )}
    ${set("done", add(get("done"), `(i32.sub ${get("end")} ${get("i")})`))}
    ${set("words", add(get("words"), `(i32.sub ${get("end")} ${get("i")})`))}
    ;; sub-sampling into kept[0..n)
    ${set("n", c32(0))}
    (block $subDone (loop $subLoop
      (br_if $subDone (i32.ge_s ${get("i")} ${get("end")}))
      ${set("w", `(i32.load ${add(get("tok"), `(i32.shl ${get("i")} ${c32(2)})`)})`)}
      ${set("thr", `(i32.load ${add(get("keep"), `(i32.shl ${get("w")} ${c32(2)})`)})`)}
      (block $skip
        (if (i32.ne ${get("thr")} ${c32(-1)}) (then
          ${NEXT}
          (br_if $skip (i32.ge_u ${get("r")} ${get("thr")}))))
        (i32.store ${add(get("kept"), `(i32.shl ${get("n")} ${c32(2)})`)} ${get("w")})
        ${set("n", add(get("n"), c32(1)))})
      ${set("i", add(get("i"), c32(1)))}
      (br $subLoop)))
    ;; skip-gram over the kept words
    ${set("pos", c32(0))}
    (block $posDone (loop $posLoop
      (br_if $posDone (i32.ge_s ${get("pos")} ${get("n")}))
      ${set("w", `(i32.load ${add(get("kept"), `(i32.shl ${get("pos")} ${c32(2)})`)})`)}
      ${set("o0", add(get("syn1"), `(i32.mul ${get("w")} ${get("rowB")})`))}
      ${NEXT}
      ${set("b", add(c32(1), `(i32.rem_u ${get("r")} ${get("window")})`))}
      ${set("lo", `(i32.sub ${get("pos")} ${get("b")})`)}
      (if (i32.lt_s ${get("lo")} ${c32(0)}) (then ${set("lo", c32(0))}))
      ${set("hi", add(get("pos"), get("b")))}
      (if (i32.ge_s ${get("hi")} ${get("n")}) (then ${set("hi", `(i32.sub ${get("n")} ${c32(1)})`)}))
      ${set("q", get("lo"))}
      (block $ctxDone (loop $ctxLoop
        (br_if $ctxDone (i32.gt_s ${get("q")} ${get("hi")}))
        (if (i32.ne ${get("q")} ${get("pos")}) (then
          ${set("inp", add(get("syn0"), `(i32.mul (i32.load ${add(get("kept"), `(i32.shl ${get("q")} ${c32(2)})`)}) ${get("rowB")})`))}
          ${negatives}
          ${contextStep(K)}))
        ${set("q", add(get("q"), c32(1)))}
        (br $ctxLoop)))
      ${set("pos", add(get("pos"), c32(1)))}
      (br $posLoop)))
    ${set("s", add(get("s"), c32(1)))}
    (br $sentLoop)))
  (i32.store offset=${CTX.rng} ${get("ctx")} ${get("r")})
  (i32.store offset=${CTX.done} ${get("ctx")} ${get("done")})
  ${get("words")}
)`;
}

const MERGE = `(func (export "sgns_merge") (param $m i32) (param $a i32) (param $b i32) (param $n i32)
  (local $e i32) (local $vm v128) (local $vr v128)
  ${set("e", add(get("m"), `(i32.shl ${get("n")} ${c32(2)})`))}
  (block $d (loop $l (br_if $d (i32.ge_u ${get("m")} ${get("e")}))
    ${set("vm", `(v128.load ${get("m")})`)}
    ${set("vr", `(f32x4.add (f32x4.add ${get("vm")} (f32x4.sub (v128.load ${get("a")}) ${get("vm")})) (f32x4.sub (v128.load ${get("b")}) ${get("vm")}))`)}
    (v128.store ${get("m")} ${get("vr")}) (v128.store ${get("a")} ${get("vr")}) (v128.store ${get("b")} ${get("vr")})
    ${set("m", add(get("m"), c32(16)))} ${set("a", add(get("a"), c32(16)))} ${set("b", add(get("b"), c32(16)))}
    (br $l)))
)`;

/** The kernel module's text for `negative` negatives; its memory is imported shared (maximum `maxPages`). */
export function sgnsWat(negative: number, maxPages = 65536): string {
  if (!Number.isInteger(negative) || negative < 1 || negative > 30)
    throw new Error(`sgns: negative must be an integer in 1..30, got ${negative}`);
  return [`(module`, `(import "env" "memory" (memory 1 ${maxPages} shared))`, train(negative), MERGE, `)`].join("\n");
}
