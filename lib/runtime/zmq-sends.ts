/**
 * Keeps tslab's kernel alive under heavy output: zeromq's Socket.send in
 * ordered, EBUSY-safe form.
 *
 * zeromq 6 sends synchronously up to 512 times in a row, then defers one
 * send to the event loop so as not to starve it; until that deferred send
 * has run, any further send on the socket throws EBUSY ("Socket is busy
 * writing") synchronously. tslab publishes every stdout line, display update
 * and status message on its iopub socket with an unawaited send, so a
 * notebook that prints more than 512 messages crashes the kernel as soon as
 * two of them fall in one event-loop turn (seen in notebook 02: "Kernel
 * died" mid-training).
 *
 * serialiseSends wraps the prototype's send: while nothing is queued, a send
 * goes straight through (output appears at once, as before); a send that
 * meets EBUSY, and every send after it until the queue drains, waits for the
 * deferred send and goes out in call order. The returned promise never
 * rejects (tslab does not await it; an unhandled rejection would kill the
 * kernel): a failed send is reported on stderr instead.
 */

import * as fs from "node:fs";

type Send = (this: object, ...args: unknown[]) => unknown;

let reporting = false;
let reported = 0;

/** zeromq's error for a send on a socket that was closed: the client stopped the kernel, nobody reads any more. */
const isClosed = (e: unknown): boolean =>
  (e as { code?: unknown } | null)?.code === "EBADF" || /Socket is closed/.test(String((e as { message?: unknown } | null)?.message ?? e));

/**
 * The line a failed send prints, or null. A send on a closed socket says nothing: it is the kernel's
 * last status messages racing its shutdown by the client (seen after a notebook finished normally, where a
 * warning only alarmed). Any other failure is said (its message, not a stack), the first three times,
 * then that the rest are not.
 */
export function sendFailureLine(e: unknown, nth: number): string | null {
  if (isClosed(e) || nth > 4) return null;
  const why = e instanceof Error ? e.message : String(e);
  return nth <= 3
    ? `[kernel] warning: a message could not be sent (${why})\n`
    : "[kernel] warning: further messages could not be sent either (not reported)\n";
}

/**
 * A failed send, reported on the kernel's own stderr (fd 2). Not process.stderr: in the kernel tslab
 * sends that over the very socket that just failed, and a closed socket (the client stopping the
 * kernel) then recursed until the stack overflowed.
 */
function reportSendFailure(e: unknown): void {
  if (reporting || isClosed(e) || reported > 3) return;
  reporting = true;
  try {
    reported++;
    const line = sendFailureLine(e, reported);
    if (line) fs.writeSync(2, line);
  } catch {
    // nowhere left to say it
  } finally {
    reporting = false;
  }
}
interface QueueState {
  /** Settles when every queued send has gone out. */
  tail: Promise<void>;
  queued: number;
  /** The last send's own promise (the deferred one, when EBUSY is met). */
  last: Promise<unknown>;
}

const WRAPPED = Symbol.for("georepro.serialisedSend");

const isBusy = (e: unknown): boolean => (e as { code?: unknown } | null)?.code === "EBUSY";

/** Wrap `proto.send` (once); returns false when there is nothing to wrap. */
export function serialiseSends(proto: { send?: unknown; [WRAPPED]?: true }, onError: (e: unknown) => void = reportSendFailure): boolean {
  if (typeof proto.send !== "function") return false;
  if (proto[WRAPPED]) return true;
  const original = proto.send as Send;
  const states = new WeakMap<object, QueueState>();
  const stateOf = (sock: object): QueueState => {
    let s = states.get(sock);
    if (!s) states.set(sock, (s = { tail: Promise.resolve(), queued: 0, last: Promise.resolve() }));
    return s;
  };
  const quiet = (p: Promise<unknown>): Promise<void> =>
    p.then(
      () => undefined,
      () => undefined,
    );
  function send(this: object, ...args: unknown[]): Promise<void> {
    const s = stateOf(this);
    if (s.queued === 0) {
      try {
        const p = Promise.resolve(original.apply(this, args));
        s.last = p;
        return p.then(() => undefined, onError);
      } catch (e) {
        if (!isBusy(e)) {
          onError(e);
          return Promise.resolve();
        }
      }
    }
    // Queue behind the deferred send and every send queued before this one.
    s.queued++;
    const attempt = async (): Promise<void> => {
      for (;;) {
        await quiet(s.last);
        try {
          s.last = Promise.resolve(original.apply(this, args));
          await s.last;
          return;
        } catch (e) {
          if (!isBusy(e)) throw e;
          await new Promise((r) => setImmediate(r));
        }
      }
    };
    const p = s.tail.then(attempt).catch(onError);
    s.tail = p.finally(() => {
      s.queued--;
    });
    return p;
  }
  Object.defineProperty(proto, "send", { value: send, writable: true, configurable: true });
  Object.defineProperty(proto, WRAPPED, { value: true });
  return true;
}

/**
 * Make every zeromq Publisher created from now on queue without limit
 * (sendHighWaterMark 0) instead of dropping.
 *
 * A PUB socket that reaches its high-water mark (zeromq's default: 1000
 * messages per subscriber) silently drops what it is given. tslab publishes
 * each stdout write as its own iopub message, so a cell that prints a few
 * thousand lines while the client is slow to read (a loaded machine: seen in
 * CI) lost lines, and sometimes its last output, with no error anywhere. The
 * mark only applies to connections made after it is set, so this must run
 * before tslab creates and binds its sockets: scripts/tslab-kernel.ts, the
 * kernel the project installs, calls it first.
 */
export function unboundedPublishers(zmq: { Publisher?: unknown }): boolean {
  const Original = zmq.Publisher as (new (options?: Record<string, unknown>) => object) | undefined;
  if (typeof Original !== "function" || (Original as { [WRAPPED]?: true })[WRAPPED]) return typeof Original === "function";
  class UnboundedPublisher extends Original {
    constructor(options: Record<string, unknown> = {}) {
      super({ sendHighWaterMark: 0, ...options });
    }
  }
  Object.defineProperty(UnboundedPublisher, WRAPPED, { value: true });
  zmq.Publisher = UnboundedPublisher;
  return true;
}

/** Wrap the send of the zeromq module tslab uses (the kernel's own copy in node_modules). */
export function serialiseKernelSends(): void {
  try {
    const zmq = require("zeromq") as { Socket?: { prototype: object } };
    if (zmq.Socket) serialiseSends(zmq.Socket.prototype as { send?: unknown });
  } catch {
    // not in a kernel with zeromq: nothing to protect
  }
}
