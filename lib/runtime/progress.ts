/** Progress lines for long runs: one line per step with elapsed time and ETA.
 * Goes to stderr so notebooks show it live without polluting result outputs. */
export interface Progress {
  tick(note?: string): void;
  done(note?: string): void;
}

export const formatSeconds = (s: number): string =>
  s < 60 ? `${s.toFixed(1)}s` : s < 3600 ? `${Math.floor(s / 60)}m${Math.round(s % 60).toString().padStart(2, "0")}s` : `${(s / 3600).toFixed(1)}h`;

export function progress(label: string, total: number, opts: { every?: number; write?: (line: string) => void } = {}): Progress {
  const start = Date.now();
  const every = opts.every ?? Math.max(1, Math.ceil(total / 20));
  const write = opts.write ?? ((line: string) => process.stderr.write(line + "\n"));
  let n = 0;
  const line = (note?: string) => {
    const el = (Date.now() - start) / 1000;
    const eta = n > 0 && n < total ? ` eta ${formatSeconds((el / n) * (total - n))}` : "";
    write(`[${label}] ${n}/${total} ${formatSeconds(el)}${eta}${note ? ` ${note}` : ""}`);
  };
  return {
    tick(note?: string) {
      n++;
      if (n % every === 0 || n === total || note) line(note);
    },
    done(note?: string) {
      line(note ?? "done");
    },
  };
}

/** Log a line (stderr) with a tag; used for backend choice, cache hits, skips. */
export const log = (tag: string, message: string): void => {
  process.stderr.write(`[${tag}] ${message}\n`);
};
