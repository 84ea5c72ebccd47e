/**
 * RFC 4180 CSV records with their line numbers: quoted cells may hold the
 * delimiter, doubled quotes ("") and newlines (Flickr descriptions do), so a
 * record can span several lines. Each record keeps the 1-based line it starts
 * on, for `file:line: field: problem` messages.
 *
 * A quote left open at the end of the text is an error naming the line where
 * the record began (nothing after it could be read reliably).
 */
import { RecordError } from "../manifest";

export interface CsvRecord {
  /** 1-based line where the record starts. */
  line: number;
  cells: string[];
}

/** Split `text` into records. `\r\n` and `\n` end records outside quotes; a trailing newline adds no record. */
export function parseCsvRecords(text: string, file: string, delimiter = ","): CsvRecord[] {
  const out: CsvRecord[] = [];
  let cells: string[] = [];
  let cur = "";
  let quoted = false;
  let line = 1;
  let start = 1;
  let atRecordStart = true;
  const endCell = () => {
    cells.push(cur);
    cur = "";
  };
  const endRecord = () => {
    endCell();
    // A blank line is no record (a file's trailing newline, or an empty line between records).
    if (!(cells.length === 1 && cells[0] === "")) out.push({ line: start, cells });
    cells = [];
    atRecordStart = true;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (atRecordStart) {
      start = line;
      atRecordStart = false;
    }
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === "\n") line++;
        cur += c;
      }
      continue;
    }
    if (c === '"' && cur === "") quoted = true;
    else if (c === delimiter) endCell();
    else if (c === "\n") {
      endRecord();
      line++;
    } else if (c === "\r" && text[i + 1] === "\n") continue;
    else cur += c;
  }
  if (quoted)
    throw new RecordError(file, start, "(record)", "a quoted cell is never closed (a missing '\"'); the rest of the file cannot be read");
  if (!atRecordStart) endRecord();
  return out;
}

/** Records as objects keyed by the header row; rows with another cell count are returned as problems, not records. */
export function csvObjects(
  text: string,
  file: string,
  delimiter = ",",
): { header: string[]; rows: { line: number; values: Record<string, string> }[]; bad: RecordError[] } {
  const records = parseCsvRecords(text.replace(/^\uFEFF/, ""), file, delimiter);
  if (records.length === 0) throw new RecordError(file, 1, "(header)", "empty file: expected a header row");
  const header = records[0].cells.map((h) => h.trim());
  const rows: { line: number; values: Record<string, string> }[] = [];
  const bad: RecordError[] = [];
  for (const r of records.slice(1)) {
    if (r.cells.length !== header.length) {
      bad.push(new RecordError(file, r.line, "(row)", `expected ${header.length} cells as in the header, got ${r.cells.length}`));
      continue;
    }
    rows.push({ line: r.line, values: Object.fromEntries(header.map((h, k) => [h, r.cells[k]])) });
  }
  return { header, rows, bad };
}
