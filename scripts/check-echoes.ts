/**
 * Finds notebook cells that would print a raw object dump.
 *
 * tslab shows the value of a cell's last expression statement, like a REPL:
 * a cell ending in `S.judgeTable2(run, study, t2);` printed the whole array of
 * claim results (hundreds of lines of `{ id: …, decisive: [Object] … }`)
 * under the verdicts it had just displayed. A cell may end in an expression
 * only when its value is void or a primitive (one short line); an object is
 * assigned to a name, which also says what it is.
 *
 *   node dist/scripts/check-echoes.js      (run by `make build`)
 */
import * as path from "node:path";
import ts from "typescript";
import { fromRoot } from "../lib/runtime/paths";
import { MARKER } from "./build-notebooks";

export interface Echo {
  file: string;
  line: number;
  type: string;
}

/** Void, or a primitive that prints as one short line (`run.params.scale;` shows "default"); objects print as dumps. */
const PRINTS_CLEANLY =
  ts.TypeFlags.Void |
  ts.TypeFlags.Undefined |
  ts.TypeFlags.Never |
  ts.TypeFlags.StringLike |
  ts.TypeFlags.NumberLike |
  ts.TypeFlags.BooleanLike;
const printsCleanly = (t: ts.Type, checker: ts.TypeChecker): boolean => {
  if (t.flags & PRINTS_CLEANLY) return true;
  if (t.isUnion()) return t.types.every((u) => printsCleanly(u, checker));
  // A promise prints what it resolves to (tslab awaits it).
  if (t.getSymbol()?.getName() === "Promise") {
    const [inner] = checker.getTypeArguments(t as ts.TypeReference);
    return inner !== undefined && printsCleanly(inner, checker);
  }
  return false;
};

/** The last statement of every code cell whose value tslab would print. */
export function echoingCells(configFile = fromRoot("tsconfig.notebooks.json")): Echo[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configFile,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  );
  if (!parsed) throw new Error(`check-echoes: cannot read ${configFile}`);
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  const checker = program.getTypeChecker();
  const echoes: Echo[] = [];
  for (const fileName of parsed.fileNames) {
    const sf = program.getSourceFile(fileName);
    if (!sf) continue;
    // Code cells start at `// %%` lines; the statement before the next marker is the cell's last.
    const lines = sf.text.split("\n");
    const markers = lines.flatMap((l, i) => {
      const m = MARKER.exec(l);
      return m ? [{ line: i, code: m[1].trim() === "" }] : [];
    });
    const cellOf = (pos: number): number => {
      const line = sf.getLineAndCharacterOfPosition(pos).line;
      let k = -1;
      for (let i = 0; i < markers.length && markers[i].line <= line; i++) k = i;
      return k;
    };
    const lastInCell = new Map<number, ts.Statement>();
    for (const s of sf.statements) lastInCell.set(cellOf(s.getStart(sf)), s);
    for (const [cell, s] of lastInCell) {
      if (cell < 0 || !markers[cell].code || !ts.isExpressionStatement(s)) continue;
      const type = checker.getTypeAtLocation(s.expression);
      if (!printsCleanly(type, checker))
        echoes.push({
          file: path.relative(fromRoot(), fileName),
          line: sf.getLineAndCharacterOfPosition(s.getStart(sf)).line + 1,
          type: checker.typeToString(type),
        });
    }
  }
  return echoes;
}

if (require.main === module) {
  const echoes = echoingCells();
  for (const e of echoes)
    process.stderr.write(
      `${e.file}:${e.line}: the cell ends in an expression of type ${e.type}, which tslab prints as a raw object dump under the cell; assign it to a name (const verdicts = …;)\n`,
    );
  process.exit(echoes.length ? 1 : 0);
}
