import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { echoingCells } from "../../scripts/check-echoes";

test("a code cell ending in an object-valued expression is found; void, primitives, assignments and markdown are not", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "echoes-"));
  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { target: "ES2022", module: "ESNext", lib: ["ES2022"], types: [], strict: false, noEmit: true },
      include: ["*.ts"],
    }),
  );
  const source = [
    "// %% [markdown]",
    "// # Title",
    "",
    "// %%",
    "const judge = (): { verdict: string }[] => [{ verdict: 'holds' }];",
    "const show = (): void => undefined;",
    "judge();", // line 7: dumps
    "",
    "// %%",
    "const verdicts = judge();",
    "",
    "// %%",
    "show();",
    "",
    "// %%",
    "verdicts.length;",
    "",
    "// %%",
    "await Promise.resolve(judge());", // line 19: dumps what the promise resolves to
    "",
    "// %%",
    "await Promise.resolve();",
    "export {};",
  ].join("\n");
  fs.writeFileSync(path.join(dir, "01-demo.ts"), source);
  const echoes = echoingCells(path.join(dir, "tsconfig.json"));
  assert.deepEqual(
    echoes.map((e) => e.line),
    [7, 19],
  );
  assert.match(echoes[0].type, /verdict/);
});

test("the project's notebooks end no cell in an object dump", () => {
  assert.deepEqual(echoingCells(), []);
});
