/**
 * A small WebAssembly text → binary assembler for the kernels' own WAT: one
 * module, an imported memory (optionally with a maximum and `shared`, for
 * kernels that two threads run on one memory: lib/localwords/word2vec.ts),
 * functions with named params/locals, folded
 * instructions, block/loop/if with labels, and the scalar and SIMD
 * instructions listed in OPCODES. Synchronous and dependency-free, so the
 * engine can build its kernels anywhere (predictProbs is synchronous). The
 * output is checked byte for byte against wabt's wat2wasm in
 * test/training/engine-kernels.test.ts.
 *
 * Anything outside that subset is an error naming the construct.
 */

type SExpr = string | SExpr[];

const SIMD = 0xfd;
/** name → opcode bytes; SIMD opcodes are 0xfd followed by the LEB128 sub-opcode. */
const OPCODES: Record<string, number[]> = {
  select: [0x1b],
  "i32.eqz": [0x45],
  "i32.eq": [0x46],
  "i32.ne": [0x47],
  "i32.lt_s": [0x48],
  "i32.lt_u": [0x49],
  "i32.gt_s": [0x4a],
  "i32.gt_u": [0x4b],
  "i32.le_s": [0x4c],
  "i32.le_u": [0x4d],
  "i32.ge_s": [0x4e],
  "i32.ge_u": [0x4f],
  "f32.eq": [0x5b],
  "f32.ne": [0x5c],
  "f32.lt": [0x5d],
  "f32.gt": [0x5e],
  "f32.le": [0x5f],
  "f32.ge": [0x60],
  "i32.add": [0x6a],
  "i32.sub": [0x6b],
  "i32.mul": [0x6c],
  "i32.and": [0x71],
  "i32.or": [0x72],
  "i32.xor": [0x73],
  "i32.shl": [0x74],
  "i32.shr_s": [0x75],
  "i32.shr_u": [0x76],
  "i32.rem_u": [0x70],
  "i32.rotl": [0x77],
  "i64.mul": [0x7e],
  "i64.shr_u": [0x88],
  "i32.wrap_i64": [0xa7],
  "i64.extend_i32_u": [0xad],
  "i32.trunc_f32_s": [0xa8],
  "f32.abs": [0x8b],
  "f32.neg": [0x8c],
  "f32.sqrt": [0x91],
  "f32.add": [0x92],
  "f32.sub": [0x93],
  "f32.mul": [0x94],
  "f32.div": [0x95],
  "f32.min": [0x96],
  "f32.max": [0x97],
  "f64.lt": [0x63],
  "f64.gt": [0x64],
  "f64.add": [0xa0],
  "f64.sub": [0xa1],
  "f64.mul": [0xa2],
  "f64.div": [0xa3],
  "f64.max": [0xa5],
  "f32.convert_i32_s": [0xb2],
  "f32.convert_i32_u": [0xb3],
  "f32.demote_f64": [0xb6],
  "f64.convert_i32_s": [0xb7],
  "f64.convert_i32_u": [0xb8],
  "f64.promote_f32": [0xbb],
  "i32x4.splat": [SIMD, 0x11],
  "f32x4.splat": [SIMD, 0x13],
  "i32x4.eq": [SIMD, 0x37],
  "i32x4.ne": [SIMD, 0x38],
  "i32x4.gt_s": [SIMD, 0x3b],
  "i32x4.gt_u": [SIMD, 0x3c],
  "i32x4.ge_s": [SIMD, 0x3f],
  "i32x4.ge_u": [SIMD, 0x40],
  "f32x4.eq": [SIMD, 0x41],
  "f32x4.lt": [SIMD, 0x43],
  "f32x4.gt": [SIMD, 0x44],
  "f32x4.ge": [SIMD, 0x46],
  "v128.not": [SIMD, 0x4d],
  "v128.and": [SIMD, 0x4e],
  "v128.andnot": [SIMD, 0x4f],
  "v128.or": [SIMD, 0x50],
  "v128.xor": [SIMD, 0x51],
  "v128.bitselect": [SIMD, 0x52],
  "v128.any_true": [SIMD, 0x53],
  "f64x2.promote_low_f32x4": [SIMD, 0x5f],
  "i32x4.shl": [SIMD, 0xab, 0x01],
  "i32x4.shr_s": [SIMD, 0xac, 0x01],
  "i32x4.shr_u": [SIMD, 0xad, 0x01],
  "i32x4.add": [SIMD, 0xae, 0x01],
  "i32x4.sub": [SIMD, 0xb1, 0x01],
  "i32x4.mul": [SIMD, 0xb5, 0x01],
  "f32x4.add": [SIMD, 0xe4, 0x01],
  "f32x4.sub": [SIMD, 0xe5, 0x01],
  "f32x4.mul": [SIMD, 0xe6, 0x01],
  "f32x4.div": [SIMD, 0xe7, 0x01],
  "f32x4.min": [SIMD, 0xe8, 0x01],
  "f32x4.max": [SIMD, 0xe9, 0x01],
  "f32x4.pmin": [SIMD, 0xea, 0x01],
  "f32x4.pmax": [SIMD, 0xeb, 0x01],
  "f64x2.add": [SIMD, 0xf0, 0x01],
  "f64x2.mul": [SIMD, 0xf2, 0x01],
};
/** Memory instructions: opcode bytes and natural alignment (log2 bytes). */
const MEMORY: Record<string, { op: number[]; align: number }> = {
  "i32.load": { op: [0x28], align: 2 },
  "i32.load8_u": { op: [0x2d], align: 0 },
  "i32.store8": { op: [0x3a], align: 0 },
  "f32.load": { op: [0x2a], align: 2 },
  "f64.load": { op: [0x2b], align: 3 },
  "i32.store": { op: [0x36], align: 2 },
  "f32.store": { op: [0x38], align: 2 },
  "f64.store": { op: [0x39], align: 3 },
  "v128.load": { op: [SIMD, 0x00], align: 4 },
  "v128.load32_splat": { op: [SIMD, 0x09], align: 2 },
  "v128.store": { op: [SIMD, 0x0b], align: 4 },
};
const LANE: Record<string, number[]> = { "f32x4.extract_lane": [SIMD, 0x1f], "i32x4.extract_lane": [SIMD, 0x1b] };
const TYPES: Record<string, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };

// ---- bytes ----------------------------------------------------------------------------------

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  n |= 0;
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return (out.push(b), out);
    out.push(b | 0x80);
  }
};
const f32bytes = (x: number): number[] => Array.from(new Uint8Array(new Float32Array([x]).buffer));
const f64bytes = (x: number): number[] => Array.from(new Uint8Array(new Float64Array([x]).buffer));
const i32bytes = (x: number): number[] => Array.from(new Uint8Array(new Int32Array([x | 0]).buffer));
const str = (s: string): number[] => {
  const b = Array.from(Buffer.from(s, "utf8"));
  return [...uleb(b.length), ...b];
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

// ---- text -----------------------------------------------------------------------------------

function parse(text: string): SExpr[] {
  const tokens = text.replace(/;;[^\n]*/g, " ").match(/\(|\)|"[^"]*"|[^\s()]+/g) ?? [];
  const stack: SExpr[][] = [[]];
  for (const t of tokens) {
    if (t === "(") stack.push([]);
    else if (t === ")") {
      const done = stack.pop()!;
      if (!stack.length) throw new Error("wat: unbalanced ')'");
      stack[stack.length - 1].push(done);
    } else stack[stack.length - 1].push(t);
  }
  if (stack.length !== 1) throw new Error("wat: unbalanced '('");
  return stack[0];
}

const head = (e: SExpr): string => (Array.isArray(e) && typeof e[0] === "string" ? e[0] : "");

function parseNumber(t: string, what: string): number {
  const s = t.replace(/_/g, "");
  if (/^-?inf$/.test(s)) return s.startsWith("-") ? -Infinity : Infinity;
  if (/^[-+]?0x[0-9a-f]+$/i.test(s)) return (s.startsWith("-") ? -1 : 1) * parseInt(s.replace(/^[-+]?0x/i, ""), 16);
  const v = Number(s);
  if (!Number.isFinite(v)) throw new Error(`wat: ${what}: bad number "${t}"`);
  return v;
}

interface Func {
  name: string | null;
  exportName: string | null;
  params: { name: string | null; type: string }[];
  result: string | null;
  locals: { name: string | null; type: string }[];
  body: SExpr[];
}

function readFunc(e: SExpr[]): Func {
  const f: Func = { name: null, exportName: null, params: [], result: null, locals: [], body: [] };
  let i = 1;
  if (typeof e[i] === "string" && (e[i] as string).startsWith("$")) f.name = e[i++] as string;
  for (; i < e.length; i++) {
    const x = e[i];
    const h = head(x);
    const items = (x as SExpr[]).slice(1) as string[];
    if (h === "export") f.exportName = items[0].slice(1, -1);
    else if (h === "param" || h === "local") {
      const list = h === "param" ? f.params : f.locals;
      if (items[0]?.startsWith("$")) list.push({ name: items[0], type: items[1] });
      else for (const t of items) list.push({ name: null, type: t });
    } else if (h === "result") f.result = items[0];
    else (f.body.push(...e.slice(i)), (i = e.length));
  }
  return f;
}

/** Assemble a module of the supported subset into a WebAssembly binary. */
export function assembleWat(text: string): Uint8Array {
  const top = parse(text);
  if (top.length !== 1 || head(top[0]) !== "module") throw new Error("wat: expected one (module …)");
  const mod = (top[0] as SExpr[]).slice(1);
  let memoryImport: { module: string; field: string; min: number; max: number | null; shared: boolean } | null = null;
  const funcs: Func[] = [];
  for (const item of mod) {
    const h = head(item);
    const e = item as SExpr[];
    if (h === "import") {
      const desc = e[3] as SExpr[];
      if (head(desc) !== "memory") throw new Error(`wat: only a memory import is supported, got (${head(desc)} …)`);
      memoryImport = {
        module: (e[1] as string).slice(1, -1),
        field: (e[2] as string).slice(1, -1),
        min: parseNumber(desc[1] as string, "memory"),
        max: typeof desc[2] === "string" && desc[2] !== "shared" ? parseNumber(desc[2], "memory") : null,
        shared: desc.includes("shared"),
      };
      if (memoryImport.shared && memoryImport.max === null) throw new Error("wat: a shared memory needs a maximum size");
    } else if (h === "func") funcs.push(readFunc(e));
    else throw new Error(`wat: unsupported module field (${h} …)`);
  }
  const byName = new Map<string, number>();
  funcs.forEach((f, i) => f.name && byName.set(f.name, i));

  // Types: one per distinct signature.
  const sigs: string[] = [];
  const typeOf = funcs.map((f) => {
    const key = `${f.params.map((p) => p.type).join(",")}->${f.result ?? ""}`;
    if (!sigs.includes(key)) sigs.push(key);
    return sigs.indexOf(key);
  });
  const typeSection = vec(
    sigs.map((k) => {
      const [ps, r] = k.split("->");
      return [0x60, ...vec((ps ? ps.split(",") : []).map((t) => [TYPES[t]])), ...vec(r ? [[TYPES[r]]] : [])];
    }),
  );
  const importSection = memoryImport
    ? vec([
        [
          ...str(memoryImport.module),
          ...str(memoryImport.field),
          0x02,
          // limits: 0x00 min, 0x01 min max, 0x03 min max shared (threads proposal)
          ...(memoryImport.max === null
            ? [0x00, ...uleb(memoryImport.min)]
            : [memoryImport.shared ? 0x03 : 0x01, ...uleb(memoryImport.min), ...uleb(memoryImport.max)]),
        ],
      ])
    : null;
  const functionSection = vec(typeOf.map((t) => uleb(t)));
  const exportSection = vec(funcs.flatMap((f, i) => (f.exportName ? [[...str(f.exportName), 0x00, ...uleb(i)]] : [])));
  const codeSection = vec(
    funcs.map((f) => {
      const body = encodeFunc(f, byName);
      return [...uleb(body.length), ...body];
    }),
  );
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, typeSection),
    ...(importSection ? section(2, importSection) : []),
    ...section(3, functionSection),
    ...section(7, exportSection),
    ...section(10, codeSection),
  ];
  return Uint8Array.from(bytes);
}

function encodeFunc(f: Func, funcs: Map<string, number>): number[] {
  const locals = new Map<string, number>();
  [...f.params, ...f.locals].forEach((v, i) => v.name && locals.set(v.name, i));
  // Local declarations: runs of equal type.
  const runs: [number, string][] = [];
  for (const l of f.locals) {
    if (runs.length && runs[runs.length - 1][1] === l.type) runs[runs.length - 1][0]++;
    else runs.push([1, l.type]);
  }
  const out: number[] = [...vec(runs.map(([n, t]) => [...uleb(n), TYPES[t]]))];
  const labels: (string | null)[] = [];
  const where = () => `function ${f.name ?? f.exportName}`;
  const local = (t: SExpr) => {
    if (typeof t !== "string") throw new Error(`wat: ${where()}: expected a local name`);
    const i = t.startsWith("$") ? locals.get(t) : Number(t);
    if (i === undefined || !Number.isInteger(i)) throw new Error(`wat: ${where()}: unknown local ${t}`);
    return uleb(i);
  };
  const depth = (t: SExpr) => {
    const i = typeof t === "string" && t.startsWith("$") ? labels.lastIndexOf(t) : -1;
    if (i < 0) throw new Error(`wat: ${where()}: unknown label ${String(t)}`);
    return uleb(labels.length - 1 - i);
  };
  const blockType = (e: SExpr[], i: number): [number[], number] => {
    if (head(e[i]) === "result") return [[TYPES[(e[i] as string[])[1]]], i + 1];
    return [[0x40], i];
  };
  const expr = (e: SExpr): void => {
    if (!Array.isArray(e)) throw new Error(`wat: ${where()}: expected a folded instruction, got "${e}"`);
    const op = head(e);
    const args = e.slice(1);
    if (op === "block" || op === "loop") {
      let i = 0;
      const label = typeof args[0] === "string" && (args[0] as string).startsWith("$") ? (args[i++] as string) : null;
      const [bt, j] = blockType(args, i);
      out.push(op === "block" ? 0x02 : 0x03, ...bt);
      labels.push(label);
      args.slice(j).forEach(expr);
      labels.pop();
      out.push(0x0b);
      return;
    }
    if (op === "if") {
      const [bt, j] = blockType(args, 0);
      const rest = args.slice(j);
      const thenPart = rest.find((x) => head(x) === "then") as SExpr[] | undefined;
      const elsePart = rest.find((x) => head(x) === "else") as SExpr[] | undefined;
      if (!thenPart) throw new Error(`wat: ${where()}: (if …) without (then …)`);
      rest.filter((x) => x !== thenPart && x !== elsePart).forEach(expr);
      out.push(0x04, ...bt);
      labels.push(null);
      thenPart.slice(1).forEach(expr);
      if (elsePart) {
        out.push(0x05);
        elsePart.slice(1).forEach(expr);
      }
      labels.pop();
      out.push(0x0b);
      return;
    }
    switch (op) {
      case "br":
        return void out.push(0x0c, ...depth(args[0]));
      case "br_if":
        args.slice(1).forEach(expr);
        return void out.push(0x0d, ...depth(args[0]));
      case "call": {
        const idx = funcs.get(args[0] as string);
        if (idx === undefined) throw new Error(`wat: ${where()}: unknown function ${String(args[0])}`);
        args.slice(1).forEach(expr);
        return void out.push(0x10, ...uleb(idx));
      }
      case "local.get":
        return void out.push(0x20, ...local(args[0]));
      case "local.set":
      case "local.tee":
        args.slice(1).forEach(expr);
        return void out.push(op === "local.set" ? 0x21 : 0x22, ...local(args[0]));
      case "i32.const":
        return void out.push(0x41, ...sleb(parseNumber(args[0] as string, op) | 0));
      case "f32.const":
        return void out.push(0x43, ...f32bytes(parseNumber(args[0] as string, op)));
      case "f64.const":
        return void out.push(0x44, ...f64bytes(parseNumber(args[0] as string, op)));
      case "v128.const": {
        const shape = args[0] as string;
        const vals = (args.slice(1) as string[]).map((v) => parseNumber(v, op));
        if (shape === "f32x4" && vals.length === 4) return void out.push(SIMD, 0x0c, ...vals.flatMap(f32bytes));
        if (shape === "i32x4" && vals.length === 4) return void out.push(SIMD, 0x0c, ...vals.flatMap(i32bytes));
        throw new Error(`wat: ${where()}: v128.const ${shape} with ${vals.length} values`);
      }
      case "i8x16.shuffle": {
        const lanes = (args.slice(0, 16) as string[]).map((v) => parseNumber(v, op));
        args.slice(16).forEach(expr);
        return void out.push(SIMD, 0x0d, ...lanes);
      }
    }
    if (MEMORY[op]) {
      let offset = 0;
      let i = 0;
      if (typeof args[0] === "string" && (args[0] as string).startsWith("offset="))
        offset = parseNumber((args[i++] as string).slice(7), op);
      args.slice(i).forEach(expr);
      return void out.push(...MEMORY[op].op, ...uleb(MEMORY[op].align), ...uleb(offset));
    }
    if (LANE[op]) {
      args.slice(1).forEach(expr);
      return void out.push(...LANE[op], parseNumber(args[0] as string, op));
    }
    const code = OPCODES[op];
    if (!code) throw new Error(`wat: ${where()}: unsupported instruction ${op}`);
    args.forEach(expr);
    out.push(...code);
  };
  f.body.forEach(expr);
  out.push(0x0b);
  return out;
}
