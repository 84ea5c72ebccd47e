import { test } from "node:test";
import assert from "node:assert/strict";
import { formatSeconds } from "../../lib/runtime/progress";

test("formatSeconds rounds before splitting minutes and seconds", () => {
  assert.equal(formatSeconds(12.34), "12.3s");
  assert.equal(formatSeconds(59.97), "1m00s");
  assert.equal(formatSeconds(65.4), "1m05s");
  assert.equal(formatSeconds(599.7), "10m00s");
  assert.equal(formatSeconds(3599.6), "1.0h");
  assert.equal(formatSeconds(5400), "1.5h");
});
