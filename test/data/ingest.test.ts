/**
 * make ingest: raw TSV/CSV/JSONL → users.jsonl + manifest; every bad input is
 * `file:line: field: problem`, and the ingest stops or goes on as documented
 * in lib/data/ingest.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { CsvParser, csvRecords, IngestError, ingestFile, ingestText } from "../../lib/data/ingest";
import { openDataset } from "../../lib/data/manifest";
import { readMicroblogFile } from "../../lib/data/microblog";
import { fromRoot } from "../../lib/runtime/paths";

const TSV = [
  "id\tuid\tlatitude\tlongitude\ttweet",
  "1\tu1\t40.75\t-73.98\tbodega run",
  "2\tu1\t40.77\t-73.96\tyankees game",
  "3\tu2\t41.88\t-87.63\tdeep dish",
  "4\tu2\tabc\t-87.63\tbad coordinate",
  "5\tu3\t34.05\t-118.24\t",
  "6\tu3\t34.05\t-118.24",
  "7\tu3\t34.06\t-118.25\ttacos",
  "8\tu4\t\t\tno coordinates at all",
  "9\tu5\t95\t0\tlatitude out of range",
  "10\tu6\t40.1\t\tlat without lon",
  "11\tu2\t41.90\t-87.60\twrigley",
].join("\n");
const COLS = { user: "uid", lat: "latitude", lon: "longitude", text: "tweet" };

test("one line per tweet: bad lines are skipped and reported as file:line: field: problem; the ingest goes on", () => {
  const r = ingestText(TSV, "raw.tsv", { format: "tsv", columns: COLS });
  assert.deepEqual(r.issues, [
    'raw.tsv:5: lat: not a number: "abc"',
    "raw.tsv:6: text: empty",
    "raw.tsv:7: (row): expected 5 tab-separated cells, got 4",
    "raw.tsv:10: lat: 95 is outside [-90, 90]",
    "raw.tsv:11: lon: missing while lat is given (give both or neither)",
    "raw.tsv:9: lat: user u4 has no coordinates and no label in any of its 1 line(s); the user is rejected",
  ]);
  assert.deepEqual(
    r.users.map((u) => [u.user, u.tweets.length, u.lat, u.lon]),
    [
      ["u1", 2, 40.76, -73.97],
      ["u2", 2, 41.89, -87.615],
      ["u3", 1, 34.06, -118.25],
    ],
  );
  assert.equal(r.skippedLines, 5);
  assert.equal(r.rejectedUsers, 1);
});

test("missing column stops the ingest at the header; so does a missing mapping", () => {
  assert.throws(
    () => ingestText(TSV, "raw.tsv", { format: "tsv", columns: { ...COLS, lat: "lat" } }),
    (e: Error) =>
      e instanceof IngestError &&
      /^raw\.tsv:1: lat: column "lat" is not in the header \(columns: id, uid, latitude, longitude, tweet\)/.test(e.message),
  );
  assert.throws(
    () => ingestText(TSV, "raw.tsv", { format: "tsv", columns: { user: "uid", text: "tweet" } }),
    /raw\.tsv:1: lat: no location/,
  );
  assert.throws(() => ingestText("a\tb\n1\t2\n", "raw.tsv", { format: "tsv" }), /raw\.tsv:1: user: no column for the user id/);
});

test("strict: the first bad line stops the ingest", () => {
  assert.throws(() => ingestText(TSV, "raw.tsv", { format: "tsv", columns: COLS, strict: true }), {
    name: "IngestError",
    message: 'raw.tsv:5: lat: not a number: "abc"',
  });
});

test("a user whose lines disagree on a label (per tweet), or who reappears elsewhere (per user), is rejected as a whole", () => {
  const perTweet = ["user\ttext\tstate", "a\thi\tNY", "a\tyo\tNY", "b\thowdy\tTX", "a\tmoved?\tCA", "a\tstill here\tNY"].join("\n");
  const t = ingestText(perTweet, "t.tsv", { format: "tsv" });
  assert.deepEqual(
    t.users.map((u) => u.user),
    ["b"],
  );
  assert.deepEqual(t.issues, ['t.tsv:5: state: "CA" disagrees with "NY" on line 2 for user a; the user is rejected']);
  assert.equal(t.linesOfRejectedUsers, 4);

  const perUser = [
    "user,lat,lon,text",
    "a,40.7,-74.0,hi there",
    "b,30.2,-97.7,howdy",
    "a,40.7,-74.0,same place again",
    "b,29.7,-95.3,different place",
  ].join("\n");
  const u = ingestText(perUser, "u.csv", { format: "csv", per: "user" });
  assert.deepEqual(
    u.users.map((x) => [x.user, x.tweets]),
    [["a", ["hi there", "same place again"]]],
  );
  assert.deepEqual(u.issues, [
    "u.csv:5: lat: user b appears again with a different location (29.7, -95.3 here, 30.2, -97.7 on line 3); the user is rejected",
  ]);
});

test("CSV with quoted commas, quotes and line breaks keeps each record's first line number", () => {
  const csv = 'user,lat,lon,text\r\nu1,1,2,"hello, ""world""\nsecond line"\r\nu2,x,2,oops\r\n';
  assert.deepEqual(
    csvRecords(csv, "f.csv").map((r) => [r.line, r.cells.length]),
    [
      [1, 4],
      [2, 4],
      [4, 4],
    ],
  );
  const r = ingestText(csv, "f.csv", { format: "csv" });
  assert.deepEqual(r.users[0].tweets, ['hello, "world"\nsecond line']);
  assert.deepEqual(r.issues, ['f.csv:4: lat: not a number: "x"']);
  assert.throws(() => csvRecords('a,b\n1,"open', "g.csv"), /g\.csv:2: \(row\): a quoted cell is never closed/);
});

test("JSONL with dotted paths (Twitter API shape) and one line per user with a list of tweets", () => {
  const tw = [
    JSON.stringify({ user: { id_str: "7" }, text: "hi", coordinates: { coordinates: [-73.98, 40.75] } }),
    "{not json",
    JSON.stringify({ user: {}, text: "no id" }),
    JSON.stringify({ user: { id_str: "7" }, text: "again", coordinates: null }),
  ].join("\n");
  const r = ingestText(tw, "t.jsonl", {
    format: "jsonl",
    columns: { user: "user.id_str", text: "text", lat: "coordinates.coordinates.1", lon: "coordinates.coordinates.0" },
  });
  assert.deepEqual(r.users, [{ user: "7", tweets: ["hi", "again"], lat: 40.75, lon: -73.98 }]);
  assert.match(r.issues[0], /^t\.jsonl:2: \(row\): not valid JSON/);
  assert.equal(r.issues[1], 't.jsonl:3: user: missing (no "user.id_str" in the record)');

  const pu = ingestText(JSON.stringify({ user: "a", text: ["one", "", "two"], country: "France" }), "u.jsonl", {
    format: "jsonl",
    per: "user",
  });
  assert.deepEqual(pu.users, [{ user: "a", tweets: ["one", "two"], country: "France" }]);
});

test("ingestFile writes users.jsonl the microblog loader reads and a manifest that verifies (size, sha256)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ingest-"));
  const raw = path.join(dir, "My Tweets.tsv");
  fs.writeFileSync(raw, TSV);
  const w = ingestFile(raw, {
    format: "tsv",
    columns: COLS,
    name: "my-tweets",
    outDir: path.join(dir, "data"),
    manifestDir: path.join(dir, "manifests"),
  });
  const v = openDataset(w.manifestFile);
  assert.equal(v.unpinned.length, 0);
  assert.equal(v.manifest.url, "none");
  assert.equal(v.manifest.root.env, "GEOREPRO_DATA_MY_TWEETS");
  const parsed = readMicroblogFile(v.files["users.jsonl"], { strict: true });
  assert.equal(parsed.users.length, 3);
  assert.equal(fs.readFileSync(w.issuesFile, "utf8").trim().split("\n").length, 6);
  assert.ok(v.manifest.notes!.some((n) => n.includes("sha256")));
  assert.throws(
    () => ingestFile(raw, { format: "tsv", columns: COLS, name: "Bad Name", outDir: dir, manifestDir: dir }),
    /name: "Bad Name" must match/,
  );
});

test("the CLI: format and name from the file, exit 1 with the message when the ingest stops", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ingest-cli-"));
  const raw = path.join(dir, "Crawl 2019.tsv");
  fs.writeFileSync(raw, TSV);
  const cli = (args: string[]) =>
    spawnSync(
      process.execPath,
      [fromRoot("dist", "scripts", "ingest.js"), "--from", raw, "--out", path.join(dir, "out"), "--manifest-dir", dir, ...args],
      { encoding: "utf8" },
    );
  const ok = cli(["--columns", "user:uid,lat:latitude,lon:longitude,text:tweet"]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.ok(fs.existsSync(path.join(dir, "crawl-2019.json")));
  assert.match(ok.stderr, /Crawl 2019\.tsv:5: lat: not a number: "abc"/);
  assert.match(ok.stdout, /next: make reproduce DATA=crawl-2019/);
  const bad = cli(["--columns", "user:nope"]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /ingest: stopped: .*Crawl 2019\.tsv:1: user: column "nope" is not in the header/);
});

test("CSV records are the same however the text is cut into chunks (quotes, doubled quotes, CRLF across a cut)", () => {
  const csv = 'user,text,lat,lon\r\nu1,"hi, ""you""\r\nthere",1,2\r\nu2,plain,3,4\r\n"u3","",5,6\n';
  const whole = csvRecords(csv, "c.csv");
  for (const step of [1, 2, 3, 7]) {
    const p = new CsvParser("c.csv");
    const out: { cells?: string[]; line: number }[] = [];
    for (let i = 0; i < csv.length; i += step) p.push(csv.slice(i, i + step), (r) => out.push(r));
    p.end((r) => out.push(r));
    assert.deepEqual(
      out.map((r) => [r.line, r.cells]),
      whole.map((r) => [r.line, r.cells]),
      `chunks of ${step}`,
    );
  }
});

/** A per-tweet TSV of `users` users whose lines are interleaved, with some bad lines and a label conflict. */
function interleaved(users: number, perUser: number): string {
  const lines = ["uid\tlatitude\tlongitude\tstate\ttweet"];
  for (let j = 0; j < perUser; j++)
    for (let u = 0; u < users; u++) {
      const lat = 30 + (u % 10) + j * 0.001;
      lines.push(
        `u${u}\t${j % 3 === 2 ? "" : lat.toFixed(4)}\t${j % 3 === 2 ? "" : (-100 + (u % 7)).toFixed(4)}\t${u === 5 && j === 2 ? "TX" : "S" + (u % 4)}\ttweet ${j} of u${u}`,
      );
      if (u === 3 && j === 1) lines.push("u3\tnot-a-number\t1\tS3\tbad");
    }
  return lines.join("\n") + "\n";
}

test("a file grouped through many spool files gives the users, order and problems of the in-memory ingest", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ingest-spool-"));
  const raw = path.join(dir, "raw.tsv");
  const text = interleaved(37, 4);
  fs.writeFileSync(raw, text);
  const cols = { user: "uid", lat: "latitude", lon: "longitude", text: "tweet" };
  const mem = ingestText(text, "raw.tsv", { format: "tsv", columns: cols });
  const w = ingestFile(raw, {
    format: "tsv",
    columns: cols,
    name: "spooled",
    outDir: path.join(dir, "out"),
    manifestDir: dir,
    bucketBytes: 200,
    progress: null,
  });
  assert.ok(fs.statSync(raw).size / 200 > 20, "more than 20 spool files");
  const lines = fs.readFileSync(w.usersFile, "utf8").trim().split("\n");
  assert.deepEqual(
    lines.map((l) => JSON.parse(l)),
    mem.users,
  );
  assert.deepEqual(
    fs
      .readFileSync(w.issuesFile, "utf8")
      .trim()
      .split("\n")
      .map((l) => l.replace(raw, "raw.tsv")),
    mem.issues,
  );
  assert.equal(mem.users.length, 36, "u5 is rejected (its state changes on one line)");
  assert.equal(w.result.userCount, 36);
  assert.equal(w.result.rejectedUsers, 1);
  assert.equal(w.result.skippedLines, 1);
  assert.deepEqual(mem.users[0], {
    user: "u0",
    tweets: ["tweet 0 of u0", "tweet 1 of u0", "tweet 2 of u0", "tweet 3 of u0"],
    state: "S0",
    lat: 30.001,
    lon: -100,
  });
  assert.equal(v(w.manifestFile).files[0].size, fs.statSync(w.usersFile).size);
  fs.rmSync(dir, { recursive: true, force: true });
});

const v = (manifest: string) => openDataset(manifest).manifest;

test("one line per user without a user column: the line number is the id, and the manifest says so", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ingest-noid-"));
  const raw = path.join(dir, "people.csv");
  fs.writeFileSync(
    raw,
    ["text,lat,lon", '"hi from here",40.7,-74.0', "", "howdy,30.2,-97.7", "bad,x,1", '"bonjour",48.85,2.35'].join("\n"),
  );
  const w = ingestFile(raw, {
    format: "csv",
    per: "user",
    name: "people",
    outDir: path.join(dir, "out"),
    manifestDir: dir,
    progress: null,
  });
  const users = fs
    .readFileSync(w.usersFile, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    users.map((u) => [u.user, u.tweets[0]]),
    [
      ["2", "hi from here"],
      ["4", "howdy"],
      ["6", "bonjour"],
    ],
  );
  assert.deepEqual(w.result.issues, [`${raw}:5: lat: not a number: "x"`]);
  assert.equal(w.result.userIds, "line");
  assert.match(w.manifest.description, /no user column: each user's id is its line number in people\.csv/);
  assert.ok(w.manifest.notes!.some((n) => /No user column: each line is one user, whose id is its line number/.test(n)));
  assert.equal(readMicroblogFile(openDataset(w.manifestFile).files["users.jsonl"], { strict: true }).users.length, 3);
  // One line per tweet still needs a user column.
  assert.throws(
    () => ingestText("text,lat,lon\nhi,1,2\n", "t.csv", { format: "csv" }),
    /t\.csv:1: user: no column for the user id .*PER=user/,
  );
  fs.rmSync(dir, { recursive: true, force: true });
});

test("a file several times larger than the memory the ingest may use is ingested (child process, capped heap)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ingest-big-"));
  const raw = path.join(dir, "big.jsonl");
  // ≈ 190 MB of JSONL: 600,000 tweets of 6,000 users, interleaved, against a 64 MB heap.
  const fd = fs.openSync(raw, "w");
  const filler = "x".repeat(240);
  const users = 6000;
  const perUser = 100;
  for (let j = 0; j < perUser; j++) {
    const chunk: string[] = [];
    for (let u = 0; u < users; u++)
      chunk.push(JSON.stringify({ id: `user${u}`, text: `t${j} ${filler}`, lat: 40 + (u % 50) / 10, lon: -90 - (u % 30) / 10 }));
    fs.writeSync(fd, chunk.join("\n") + "\n");
  }
  fs.closeSync(fd);
  const size = fs.statSync(raw).size;
  const heapMb = 64;
  assert.ok(size > 2.5 * heapMb * 2 ** 20, `the file (${size} bytes) is several times the heap cap`);
  const r = spawnSync(
    process.execPath,
    [
      `--max-old-space-size=${heapMb}`,
      fromRoot("dist", "scripts", "ingest.js"),
      "--from",
      raw,
      "--columns",
      "user:id",
      "--out",
      path.join(dir, "out"),
      "--manifest-dir",
      dir,
    ],
    { encoding: "utf8", env: { ...process.env, GEOREPRO_INGEST_BUCKET_MB: "4" } },
  );
  assert.equal(r.status, 0, r.stderr.slice(-2000));
  assert.match(r.stderr, /\[ingest\] .*MB\/s/);
  assert.match(r.stdout, /6000 users with 600000 tweets written/);
  // Spot checks: first and last users, their tweets in line order and median location.
  const reader = new StringDecoderLines(path.join(dir, "out", "users.jsonl"));
  const first = JSON.parse(reader.first());
  assert.equal(first.user, "user0");
  assert.equal(first.tweets.length, perUser);
  assert.equal(first.tweets[99].slice(0, 4), "t99 ");
  assert.deepEqual([first.lat, first.lon], [40, -90]);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The first line of a file, read without loading it. */
class StringDecoderLines {
  constructor(private file: string) {}
  first(): string {
    const fd = fs.openSync(this.file, "r");
    const buf = Buffer.alloc(1 << 16);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    fs.closeSync(fd);
    return buf.toString("utf8", 0, n).split("\n")[0];
  }
}
