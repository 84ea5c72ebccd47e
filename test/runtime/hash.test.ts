import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { codeFingerprint, libRoot } from "../../lib/runtime/hash";

test("codeFingerprint: a file's content and name change it; folders are walked", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "fp-"));
  fs.mkdirSync(path.join(root, "a"));
  fs.writeFileSync(path.join(root, "a", "x.js"), "1");
  fs.writeFileSync(path.join(root, "y.js"), "2");
  const f0 = codeFingerprint(["a", "y.js"], root);
  assert.match(f0, /^[0-9a-f]{16}$/);
  assert.equal(codeFingerprint(["a", "y.js"], root), f0);
  fs.writeFileSync(path.join(root, "a", "x.js"), "3");
  assert.notEqual(codeFingerprint(["a", "y.js"], root), f0);
});

test("codeFingerprint: a path that does not exist is an error naming it (a moved file must not drop out of the key)", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "fp-"));
  fs.writeFileSync(path.join(root, "y.js"), "2");
  assert.throws(() => codeFingerprint(["y.js", "tfjs/wasm-kernels.js"], root), /tfjs\/wasm-kernels\.js: no such file or folder/);
});

test("codeFingerprint: every list in lib/ names files and folders that exist in the compiled lib/", () => {
  const src = path.resolve(libRoot(), "..", "..", "lib");
  const lists: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts"))
        for (const m of fs.readFileSync(p, "utf8").matchAll(/codeFingerprint\(\[([^\]]*)\]/g))
          for (const q of m[1].matchAll(/"([^"]+)"/g)) lists.push(`${path.relative(src, p)}: ${q[1]}`);
    }
  };
  walk(src);
  assert.ok(lists.length >= 4, `found ${lists.length} entries`);
  for (const l of lists) assert.ok(fs.existsSync(path.join(libRoot(), l.split(": ")[1])), `${l}: not in ${libRoot()}`);
});
