/**
 * A Flickr photo's caption from its title and description.
 *
 * The API crawl stores the description as a Python dict literal, as
 * `repr()` prints it: `{'_content': 'Licht des Barock'}`. Its string is in
 * single quotes unless it contains a single quote and no double quote (then
 * double quotes), with backslash escapes (\\n, \\t, \\\\, \\', \\xNN, \\uNNNN, …).
 * `parsePythonDict` reads that literal properly (no eval, no regex guess).
 *
 * The text inside is Flickr's HTML subset. `cleanCaptionText`:
 *   1. repairs double-encoded UTF-8 ("GebÃ¤ude" → "Gebäude") where the
 *      repair is lossless (the string re-encodes to valid UTF-8);
 *   2. keeps a link's anchor text and drops its URL (`<a href="…">Remise</a>` → "Remise");
 *   3. removes every other tag (`<b>`, `<br>`, …), leaving a space;
 *   4. decodes HTML entities (named: HTML 4's Latin-1 set and the usual
 *      punctuation; numeric: decimal and hex);
 *   5. REMOVES bare links (http(s)://…, www.…): a URL names a host, not a
 *      place, and would give character models long runs of noise;
 *   6. collapses whitespace.
 * Each step that changed a text is counted (`CleaningCounts`), so notebook 01
 * can say how many captions it touched.
 */

/** Thrown with a short problem; the caller adds `file:line: field:`. */
export class LiteralError extends Error {
  override name = "LiteralError";
}

const SIMPLE_ESCAPES: Record<string, string> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  n: "\n",
  t: "\t",
  r: "\r",
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
  "0": "\0",
};

/** Read a Python string literal starting at `i` (at its quote); returns the value and the index after it. */
function readPyString(s: string, i: number): { value: string; end: number } {
  const q = s[i];
  if (q !== "'" && q !== '"')
    throw new LiteralError(`expected a quoted string at character ${i + 1}, got ${JSON.stringify(s.slice(i, i + 12))}`);
  let out = "";
  for (let k = i + 1; k < s.length; k++) {
    const c = s[k];
    if (c === q) return { value: out, end: k + 1 };
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = s[k + 1];
    if (e === undefined) break;
    const hexLen = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
    if (hexLen) {
      const hex = s.slice(k + 2, k + 2 + hexLen);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(hex)) throw new LiteralError(`bad escape \\${e}${hex} at character ${k + 1}`);
      out += String.fromCodePoint(parseInt(hex, 16));
      k += 1 + hexLen;
    } else if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
      k++;
    } else if (e === "\n")
      k++; // a backslash-newline continues the line
    else {
      // Python keeps unknown escapes as written (a backslash and the character).
      out += "\\" + e;
      k++;
    }
  }
  throw new LiteralError(`string opened with ${q} at character ${i + 1} is never closed`);
}

/** Parse a Python dict literal whose keys and values are strings: `{'_content': '…', …}`. */
export function parsePythonDict(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  const skip = () => {
    while (i < s.length && /\s/.test(s[i])) i++;
  };
  skip();
  if (s[i] !== "{") throw new LiteralError(`expected a dict literal starting with '{', got ${JSON.stringify(s.slice(0, 20))}`);
  i++;
  skip();
  if (s[i] === "}") {
    i++;
  } else
    for (;;) {
      skip();
      const k = readPyString(s, i);
      i = k.end;
      skip();
      if (s[i] !== ":") throw new LiteralError(`expected ':' after key ${JSON.stringify(k.value)} at character ${i + 1}`);
      i++;
      skip();
      const v = readPyString(s, i);
      i = v.end;
      out[k.value] = v.value;
      skip();
      if (s[i] === ",") {
        i++;
        skip();
        if (s[i] === "}") {
          i++;
          break;
        }
        continue;
      }
      if (s[i] === "}") {
        i++;
        break;
      }
      throw new LiteralError(`expected ',' or '}' at character ${i + 1}, got ${JSON.stringify(s.slice(i, i + 12))}`);
    }
  skip();
  if (i !== s.length) throw new LiteralError(`unexpected text after the dict: ${JSON.stringify(s.slice(i, i + 20))}`);
  return out;
}

/** The description's text: the `_content` value of the literal ("" for an empty cell). */
export function descriptionContent(cell: string): string {
  if (cell.trim() === "") return "";
  const d = parsePythonDict(cell);
  if (!("_content" in d)) throw new LiteralError(`no '_content' key (keys: ${Object.keys(d).join(", ") || "none"})`);
  return d._content;
}

// ---- HTML --------------------------------------------------------------------------------------

/** HTML 4's Latin-1 entities, code points 160–255 in order. */
const LATIN1_NAMES =
  "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml".split(
    " ",
  );
export const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  hellip: "…",
  ndash: "–",
  mdash: "—",
  lsquo: "‘",
  rsquo: "’",
  sbquo: "‚",
  ldquo: "“",
  rdquo: "”",
  bdquo: "„",
  bull: "•",
  euro: "€",
  trade: "™",
  OElig: "Œ",
  oelig: "œ",
  ...Object.fromEntries(LATIN1_NAMES.map((n, k) => [n, String.fromCodePoint(160 + k)])),
};

/** Decode named and numeric entities; an unknown name stays as written. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#[xX][0-9a-fA-F]+|#\d+|[A-Za-z][A-Za-z0-9]*);/g, (m, body: string) => {
    if (body[0] === "#") {
      const cp = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : m;
    }
    return NAMED_ENTITIES[body] ?? m;
  });
}

const URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>"']+/gi;

/** Double-encoded UTF-8 ("Ã¤" for "ä"), repaired only when the repair decodes cleanly. */
export function repairMojibake(s: string): string {
  // eslint-disable-next-line no-control-regex -- the Latin-1 range starts at U+0000 on purpose
  if (!/[ÃÂÅÄ][\u0080-\u00bf]/.test(s) || /[^\u0000-\u00ff]/.test(s)) return s;
  const bytes = Buffer.from(s, "latin1");
  const fixed = bytes.toString("utf8");
  return fixed.includes("\ufffd") || Buffer.from(fixed, "utf8").length !== bytes.length ? s : fixed;
}

export interface CleaningCounts {
  /** Texts whose double-encoded UTF-8 was repaired. */
  mojibakeRepaired: number;
  /** Links (<a> elements and bare URLs) whose URL was removed. */
  linksRemoved: number;
  /** Texts that had other HTML tags stripped. */
  tagsStripped: number;
  /** Texts with at least one entity decoded. */
  entitiesDecoded: number;
}

export const emptyCleaningCounts = (): CleaningCounts => ({ mojibakeRepaired: 0, linksRemoved: 0, tagsStripped: 0, entitiesDecoded: 0 });

/** Flickr HTML text → plain text (the steps in the module comment), counting what changed into `counts`. */
export function cleanCaptionText(raw: string, counts: CleaningCounts = emptyCleaningCounts()): string {
  let s = repairMojibake(raw);
  if (s !== raw) counts.mojibakeRepaired++;
  // <a …>anchor</a> → anchor (the anchor itself may be a URL: step 5 removes it then).
  s = s.replace(/<a\b[^>]*>([\s\S]*?)<\/a\s*>/gi, (_m, anchor: string) => {
    counts.linksRemoved++;
    return ` ${anchor} `;
  });
  const untagged = s.replace(/<\/?[A-Za-z][^<>]*>/g, " ");
  if (untagged !== s) counts.tagsStripped++;
  s = decodeEntities(untagged);
  if (s !== untagged) counts.entitiesDecoded++;
  s = s.replace(URL_RE, () => {
    counts.linksRemoved++;
    return " ";
  });
  return s.replace(/\s+/g, " ").trim();
}

/** Caption = title, then the description's text (a description equal to the title is not repeated). */
export function captionOf(title: string, descriptionText: string): string {
  const t = title.trim();
  const d = descriptionText.trim();
  if (!d || d === t) return t;
  return t ? `${t}\n${d}` : d;
}
