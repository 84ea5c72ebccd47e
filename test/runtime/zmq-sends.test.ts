import { test } from "node:test";
import assert from "node:assert/strict";
import { serialiseSends, unboundedPublishers } from "../../lib/runtime/zmq-sends";

/**
 * A socket that behaves like zeromq 6's: `limit` sends in a row go out at
 * once, the next is deferred to the event loop, and a send while that one is
 * pending throws EBUSY synchronously.
 */
function fakeSocketClass(limit: number) {
  return class Fake {
    delivered: number[] = [];
    private inRow = 0;
    private writing = false;
    send(msg: number): Promise<void> {
      if (this.writing) throw Object.assign(new Error("Socket is busy writing"), { code: "EBUSY" });
      if (this.inRow++ < limit) {
        this.delivered.push(msg);
        return Promise.resolve();
      }
      this.writing = true;
      return new Promise((resolve) =>
        setImmediate(() => {
          this.writing = false;
          this.inRow = 0;
          this.delivered.push(msg);
          resolve();
        }),
      );
    }
  };
}

test("unwrapped, a burst of sends meets EBUSY (the kernel crash)", () => {
  const s = new (fakeSocketClass(4))();
  assert.throws(() => {
    for (let i = 0; i < 10; i++) void s.send(i);
  }, /busy/);
});

test("wrapped, a burst of sends never throws and every message goes out once, in order", async () => {
  const Fake = fakeSocketClass(4);
  const errors: unknown[] = [];
  assert.equal(
    serialiseSends(Fake.prototype as { send?: unknown }, (e) => errors.push(e)),
    true,
  );
  const s = new Fake();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < 50; i++) pending.push(s.send(i));
  assert.deepEqual(s.delivered, [0, 1, 2, 3], "sends before the deferred one go out at once");
  await Promise.all(pending);
  // a second burst after the queue drained
  for (let i = 50; i < 60; i++) pending.push(s.send(i));
  await Promise.all(pending);
  assert.deepEqual(
    s.delivered,
    Array.from({ length: 60 }, (_, i) => i),
  );
  assert.deepEqual(errors, []);
  assert.equal(serialiseSends(Fake.prototype as { send?: unknown }), true, "wrapping twice is a no-op");
});

test("a send that fails for another reason is reported, not thrown or rejected", async () => {
  class Closed {
    send(): Promise<void> {
      throw Object.assign(new Error("Socket is closed"), { code: "EBADF" });
    }
  }
  const errors: unknown[] = [];
  serialiseSends(Closed.prototype as { send?: unknown }, (e) => errors.push(e));
  await (new Closed() as unknown as { send(): Promise<void> }).send();
  assert.match(String(errors[0]), /closed/);
});

test("the kernel's stderr line for a failed send: none for a closed socket (shutdown), the message for others, then one line for the rest", async () => {
  const { sendFailureLine } = await import("../../lib/runtime/zmq-sends");
  assert.equal(sendFailureLine(Object.assign(new Error("Socket is closed"), { code: "EBADF" }), 1), null);
  assert.equal(sendFailureLine(new Error("Socket is closed"), 1), null);
  assert.equal(sendFailureLine(new Error("Host unreachable"), 1), "[kernel] warning: a message could not be sent (Host unreachable)\n");
  assert.match(sendFailureLine("odd", 4)!, /further messages could not be sent either/);
  assert.equal(sendFailureLine(new Error("x"), 5), null);
});

test("publishers made after unboundedPublishers queue without limit (no silent drops); explicit options still win", () => {
  class Publisher {
    constructor(readonly options: Record<string, unknown> = {}) {}
  }
  const zmq: { Publisher?: unknown } = { Publisher };
  assert.equal(unboundedPublishers(zmq), true);
  const Made = zmq.Publisher as new (o?: Record<string, unknown>) => Publisher;
  assert.deepEqual(new Made().options, { sendHighWaterMark: 0 });
  assert.deepEqual(new Made({ sendHighWaterMark: 5, linger: 0 }).options, { sendHighWaterMark: 5, linger: 0 });
  assert.ok(new Made() instanceof Publisher);
  assert.equal(unboundedPublishers(zmq), true);
  assert.equal(zmq.Publisher, Made, "wrapping twice keeps one wrapper");
  assert.equal(unboundedPublishers({}), false);
});

test("the real zeromq Publisher accepts the unlimited mark", () => {
  const zmq = require("zeromq") as { Publisher: new (o?: Record<string, unknown>) => { sendHighWaterMark: number; close(): void } };
  const copy: { Publisher?: unknown } = { Publisher: zmq.Publisher };
  unboundedPublishers(copy);
  const sock = new (copy.Publisher as typeof zmq.Publisher)();
  assert.equal(sock.sendHighWaterMark, 0);
  sock.close();
});
