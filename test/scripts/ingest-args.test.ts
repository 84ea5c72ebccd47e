import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { parseArgs } from "../../scripts/ingest";

test("ingest's arguments (util.parseArgs): values, flags, columns; bad ones are errors with the usage", () => {
  const { from, options } = parseArgs([
    "--from=raw.tsv",
    "--columns",
    "user:uid,lat:la,lon:lo",
    "--text",
    "body",
    "--strict",
    "--per",
    "user",
  ]);
  assert.equal(from, path.resolve("raw.tsv"));
  assert.deepEqual(options.columns, { user: "uid", lat: "la", lon: "lo", text: "body" });
  assert.equal(options.format, "tsv");
  assert.equal(options.name, "raw");
  assert.equal(options.strict, true);
  assert.equal(options.header, true);
  assert.equal(options.per, "user");
  assert.throws(() => parseArgs(["--from", "a.tsv", "--bogus", "1"]), /Unknown option '--bogus'[\s\S]*usage:/);
  assert.throws(() => parseArgs(["a.tsv"]), /Unexpected argument 'a\.tsv'/);
  assert.throws(() => parseArgs(["--from"]), /--from <value>' argument missing/);
  assert.throws(() => parseArgs(["--format", "tsv"]), /--from: required/);
  assert.throws(() => parseArgs(["--from", "a.tsv", "--per", "day"]), /--per: expected tweet or user/);
  assert.throws(() => parseArgs(["--from", "a.tsv", "--columns", "zip:z"]), /--columns: "zip:z" is not FIELD:COLUMN/);
});
