/**
 * Vocabularies for the MRLF text branches (paper Sec. III-A: "we use one-hot to
 * build a vocabulary for all characters or words"). Built on the training split
 * only, so validation/test tokens the model never saw map to the OOV id.
 *
 * Id layout, shared by every vocabulary: 0 = padding, 1 = out-of-vocabulary,
 * 2.. = tokens by descending training frequency (ties broken by code-point
 * order, so the same data always gives the same ids).
 */
export const PAD_ID = 0;
export const OOV_ID = 1;

export interface Vocab {
  /** Token → id (ids ≥ 2). */
  readonly ids: ReadonlyMap<string, number>;
  /** id → token; index 0 is "<pad>", 1 is "<oov>". */
  readonly tokens: readonly string[];
  /** Number of ids including pad and OOV (the embedding's input dimension). */
  readonly size: number;
  /** Tokens seen in training but dropped for being rarer than minCount, with their counts. */
  readonly dropped: ReadonlyMap<string, number>;
  readonly minCount: number;
}

export interface VocabOptions {
  /** Keep a token only if it occurs at least this often in training (default 1). */
  minCount?: number;
  /** Keep at most this many tokens (most frequent first); default unlimited. */
  maxSize?: number;
}

/** Build a vocabulary from token sequences of the training split. */
export function buildVocab(sequences: Iterable<readonly string[]>, opts: VocabOptions = {}): Vocab {
  const minCount = opts.minCount ?? 1;
  if (!Number.isInteger(minCount) || minCount < 1) throw new Error(`buildVocab: minCount must be an integer >= 1, got ${minCount}`);
  const counts = new Map<string, number>();
  for (const seq of sequences) for (const t of seq) counts.set(t, (counts.get(t) ?? 0) + 1);
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const tokens = ["<pad>", "<oov>"];
  const ids = new Map<string, number>();
  const dropped = new Map<string, number>();
  for (const [tok, n] of sorted) {
    if (n < minCount || (opts.maxSize !== undefined && ids.size >= opts.maxSize)) {
      dropped.set(tok, n);
      continue;
    }
    ids.set(tok, tokens.length);
    tokens.push(tok);
  }
  return { ids, tokens, size: tokens.length, dropped, minCount };
}

/** Map tokens to ids, truncating to maxLen and right-padding with PAD_ID. */
export function encodeTokens(tokens: readonly string[], vocab: Vocab, maxLen: number): Int32Array {
  if (!Number.isInteger(maxLen) || maxLen < 1) throw new Error(`encodeTokens: maxLen must be a positive integer, got ${maxLen}`);
  const out = new Int32Array(maxLen); // zero-filled = PAD_ID
  const n = Math.min(tokens.length, maxLen);
  for (let i = 0; i < n; i++) out[i] = vocab.ids.get(tokens[i]) ?? OOV_ID;
  return out;
}
