// Lint of georepro's TypeScript (make test runs it before the tests; the tree has 0 findings).
// What it enforces beyond the type checker: no import cycles between files (import/no-cycle,
// as tfjs lints; scripts/check-layers.ts checks the folder layers), a 140-character line
// (prettier's width; URLs, strings and template literals may run over), and the
// typescript-eslint recommended rules.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import importPlugin from "eslint-plugin-import";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", ".cache/**", ".jupyter/**", "results*/**", "data/**", "notebooks/**", "**/*.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    plugins: { import: importPlugin },
    settings: {
      "import/resolver": { node: { extensions: [".ts", ".js", ".json"] } },
      "import/extensions": [".ts", ".js"],
      "import/parsers": { "@typescript-eslint/parser": [".ts"] },
    },
    rules: {
      "import/no-cycle": ["error", { ignoreExternal: true }],
      "max-len": [
        "error",
        {
          code: 140,
          ignoreUrls: true,
          ignoreStrings: true,
          ignoreTemplateLiterals: true,
          ignoreRegExpLiterals: true,
          ignoreComments: false,
        },
      ],
      // Optional and heavy modules (tfjs-node, sharp, opencv, tslab internals, JSON atlases) are
      // required lazily, where they are used, so that a missing optional one fails only its user.
      "@typescript-eslint/no-require-imports": "off",
      // Off: the engine and the figures write short paired updates as one comma statement,
      // `(a.push(x), b.push(y))`, which this rule reads as an unused expression.
      "@typescript-eslint/no-unused-expressions": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
  {
    // Tests and the interactive-figure check evaluate code in Chromium and read untyped JSON.
    files: ["test/**/*.ts", "scripts/check-interactive.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
