/**
 * Flickr photos → posts (lib/data/flickr) on a small Flickr-shaped dataset the
 * tests write (test/support/flickr-dataset.ts): CSV records with newlines in
 * quoted cells, the description's Python dict literal, HTML and links, the
 * Windows-1252 POI list with decimal commas, POI assignment with ties and
 * co-located POIs, duplicates and unreadable rows counted, owner-grouped
 * splits, and name leakage.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseCsvRecords } from "../../lib/data/flickr/csv";
import {
  captionOf,
  cleanCaptionText,
  decodeEntities,
  descriptionContent,
  emptyCleaningCounts,
  parsePythonDict,
  repairMojibake,
} from "../../lib/data/flickr/description";
import { decodeWindows1252, readOfficialPois } from "../../lib/data/flickr/pois";
import { assignPoi, radiusTable } from "../../lib/data/flickr/assign";
import { convertFlickr, FLICKR_RULE, FLICKR_THRESHOLDS } from "../../lib/data/flickr";
import { preprocessPosts } from "../../lib/data/preprocess-posts";
import { splitCity } from "../../lib/experiments/split";
import { mentionsAny, nameTokensOf, stripNames } from "../../lib/data/name-leakage";
import { loadManifest, RecordError } from "../../lib/data/manifest";
import { manifestCity } from "../../lib/data/city";
import { lonAt, poisCsvBytes, writeFlickrDataset } from "../support/flickr-dataset";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "georepro-flickr-"));

test("CSV records: quoted cells keep commas, doubled quotes and newlines; each record knows its first line", () => {
  const text = 'a,b,c\n1,"x, y","he said ""hi"""\n2,"line one\nline two",z\r\n3,,\n';
  const r = parseCsvRecords(text, "f.csv");
  assert.deepEqual(
    r.map((x) => [x.line, x.cells]),
    [
      [1, ["a", "b", "c"]],
      [2, ["1", "x, y", 'he said "hi"']],
      [3, ["2", "line one\nline two", "z"]],
      [5, ["3", "", ""]],
    ],
  );
  assert.throws(
    () => parseCsvRecords('a,b\n1,"open\n2,3\n', "f.csv"),
    (e: unknown) => e instanceof RecordError && /f\.csv:2: \(record\): a quoted cell is never closed/.test((e as Error).message),
  );
});

test("description: the Python dict literal is parsed (both quote styles, escapes, \\xNN, \\n), not pattern-matched", () => {
  assert.equal(descriptionContent("{'_content': 'Licht des Barock'}"), "Licht des Barock");
  assert.equal(descriptionContent(`{'_content': "It's \\"quoted\\"\\nnext"}`), 'It\'s "quoted"\nnext');
  assert.equal(descriptionContent("{'_content': 'Sch\\xf6n \\u00e4 \\\\ back'}"), "Schön ä \\ back");
  assert.equal(descriptionContent("{'_content': ''}"), "");
  assert.equal(descriptionContent(""), "");
  assert.deepEqual(parsePythonDict("{'a': 'x', 'b': \"y\",}"), { a: "x", b: "y" });
  assert.throws(() => descriptionContent("{'_content': 'never closed}"), /never closed/);
  assert.throws(() => descriptionContent("{'other': 'x'}"), /no '_content' key/);
  assert.throws(() => descriptionContent("_content: x"), /expected a dict literal/);
});

test("caption text: links keep their anchor text and lose their URL, bare URLs are removed, entities decoded, mojibake repaired; each step counted", () => {
  const counts = emptyCleaningCounts();
  const t = cleanCaptionText(
    'Tram <a href="https://flickr.com/p/1">Remise</a> &amp; <b>more</b> &quot;x&quot; &#233;&#xE9; see www.example.com/a https://t.co/x',
    counts,
  );
  assert.equal(t, 'Tram Remise & more "x" éé see');
  assert.deepEqual(counts, { mojibakeRepaired: 0, linksRemoved: 3, tagsStripped: 1, entitiesDecoded: 1 });
  assert.equal(cleanCaptionText("GebÃ¤ude der Donaucity", counts), "Gebäude der Donaucity");
  assert.equal(counts.mojibakeRepaired, 1);
  assert.equal(repairMojibake("Schöne Grüße"), "Schöne Grüße", "proper UTF-8 is left alone");
  assert.equal(decodeEntities("&unknown; &amp;"), "&unknown; &");
  assert.equal(captionOf("Title", "Title"), "Title", "a description equal to the title is not repeated");
  assert.equal(captionOf("", "Only text"), "Only text");
  assert.equal(captionOf("T", "D"), "T\nD");
});

test("POI list: Windows-1252 (0x96 is an en dash), decimal commas, co-located entries merged into one location", () => {
  assert.equal(decodeWindows1252(Buffer.from([0x41, 0x96, 0xe4])), "A–ä");
  const { pois, report } = readOfficialPois(poisCsvBytes(), "pois.csv", "testville");
  assert.equal(report.entries, 5);
  assert.equal(report.locations, 4);
  assert.deepEqual(report.merged, [{ name: "Gamma Oper / Gamma Café", members: 2 }]);
  assert.deepEqual(
    pois.map((p) => p.id),
    ["alpha-kirche", "beta-museum", "gamma-oper", "delta-turm"],
  );
  assert.ok(Math.abs(pois[3].lon - lonAt(2000)) < 1e-6);
  const bad = Buffer.from("title;geo_latitude;geo_longitude\r\nX;48.2.1;16,3\r\n", "latin1");
  assert.throws(() => readOfficialPois(bad, "p.csv", "c"), /p\.csv:2: geo_latitude: expected a number with a decimal comma/);
});

test("POI assignment: nearest within the radius; a second POI within 1.5 × (or an exact tie) makes it ambiguous; beyond the radius is removed", () => {
  const { pois } = readOfficialPois(poisCsvBytes(), "pois.csv", "c");
  const at = (m: number) => assignPoi({ lat: 48.2, lon: lonAt(m) }, pois, FLICKR_RULE);
  assert.deepEqual({ ...at(5), distanceM: 0 }, { kind: "assigned", poi: "alpha-kirche", distanceM: 0 });
  assert.equal(at(28).kind, "ambiguous", "28 m from Alpha, 32 m from Beta");
  const tie = at(30);
  assert.equal(tie.kind, "ambiguous", "an exact tie");
  assert.equal(at(100).kind, "assigned", "Beta at 40 m, Alpha at 100 m: 100 > 1.5 × 40");
  assert.equal((at(100) as { poi: string }).poi, "beta-museum");
  assert.equal(at(1001).kind, "assigned", "co-located Gamma entries are one location, never ambiguous with each other");
  assert.equal(at(5000).kind, "beyond");
  const table = radiusTable(
    [10, 28, 30, 500, 1003].map((m, i) => ({ lat: 48.2, lon: lonAt(m), owner: `o${i}` })),
    pois,
    [50, 150],
    { ambiguityRatio: 1.5, minPosts: 1, minOwners: 1 },
  );
  assert.deepEqual(
    table.map((r) => [r.radiusM, r.posts, r.ambiguous, r.poisHit]),
    [
      [50, 2, 2, 2],
      [150, 2, 2, 2],
    ],
  );
});

test("conversion: duplicates and unreadable rows removed and counted (file:line: field: problem), captions cleaned, no images, owners kept", () => {
  const dir = tmp();
  const { dataDir } = writeFlickrDataset(dir);
  const csv = path.join(dataDir, "photos.csv");
  const { dataset, intake } = convertFlickr({
    name: "flickr-test",
    city: "testville",
    label: "Testville",
    photosFile: csv,
    poisFile: path.join(dataDir, "pois.csv"),
    checksums: {},
    description: "test",
  });
  const step = (name: string) => intake.steps.find((s) => s.step === name)!;
  const badLine =
    fs
      .readFileSync(csv, "utf8")
      .split("\n")
      .findIndex((l) => l.startsWith("904,")) + 1;
  assert.equal(step("unreadable rows").removedPosts, 1);
  assert.equal(
    intake.problems.first[0],
    `${csv}:${badLine}: description: not a Python dict literal {'_content': …}: string opened with ' at character 14 is never closed`,
  );
  assert.equal(step("duplicate photos").removedPosts, 2);
  assert.equal(step("beyond the radius").removedPosts, 1);
  assert.equal(step("ambiguous POI").removedPosts, 2);
  assert.equal(dataset.posts.length, 8 * 3 * 2 + 1);
  assert.ok(dataset.posts.every((p) => p.images.length === 0 && p.owner));
  assert.deepEqual(dataset.modalities, { text: true, hashtags: true, images: false });
  const quirk = dataset.posts.find((p) => p.id === "900")!;
  assert.equal(quirk.text, 'Alpha & more\nIt\'s the "Kirche" line two Alpha Kirche "quoted" see');
  assert.deepEqual(quirk.hashtags, ["alphakirche", "wien"]);
  assert.equal(dataset.posts.find((p) => p.id === "100")!.text, "Alpha 0.0\nSchön bei Alpha");
  assert.equal(intake.cleaning.linksRemoved, 2);
  // Every paper filter that does not fit says so; the dataset's own thresholds are used.
  const pre = preprocessPosts(dataset, FLICKR_THRESHOLDS);
  const applied = Object.fromEntries(pre.report.map((r) => [r.step, r.applied ? "yes" : r.note]));
  assert.match(String(applied["non-English"]), /^not applied: Vienna is German-speaking/);
  assert.match(String(applied["no image"]), /^not applied: no image files/);
  assert.match(String(applied["noisy images (η)"]), /^not applied: no images/);
  const sparse = pre.report.find((r) => r.step === "sparse POIs")!;
  assert.match(sparse.rule, /< 10 posts or posts from < 3 distinct owners/);
  assert.deepEqual(new Set(pre.dataset.posts.map((p) => p.poiId)), new Set(["alpha-kirche", "gamma-oper", "delta-turm"]));
});

test("manifestCity: a converted-posts manifest loads through the posts path (checksums verified, conversion cached)", async () => {
  const dir = tmp();
  const { manifestFile } = writeFlickrDataset(dir);
  const ds = await manifestCity({ manifestDir: dir, cacheDir: path.join(dir, "cache") }, "testville", manifestFile);
  assert.equal(ds.name, "flickr-test");
  assert.equal(ds.label, "Testville (real-shaped, text + tags, no images)");
  assert.equal(ds.splitBy, "owner");
  assert.ok(ds.intake && ds.intake.steps.length === 5);
  assert.ok(fs.readdirSync(path.join(dir, "cache", "flickr-posts")).length === 1, "the conversion is cached");
  await assert.rejects(
    manifestCity({ manifestDir: dir, cacheDir: path.join(dir, "cache") }, "elsewhere", manifestFile),
    /posts\.city: the manifest holds "testville", not "elsewhere"/,
  );
  assert.equal(loadManifest(manifestFile).posts!.inDefaultRun, true);
});

test("owner-grouped splits: no owner on two sides, every part non-empty, a new grouping per seed, unseen POIs counted", () => {
  const dir = tmp();
  const { dataDir } = writeFlickrDataset(dir);
  const { dataset } = convertFlickr({
    name: "t",
    city: "c",
    label: "C",
    photosFile: path.join(dataDir, "photos.csv"),
    poisFile: path.join(dataDir, "pois.csv"),
    checksums: {},
    description: "",
  });
  const groupings = new Set<string>();
  for (const seed of [1, 2, 3, 4]) {
    const s = splitCity(dataset, seed);
    const owners = (ps: readonly { owner?: string }[]) => new Set(ps.map((p) => p.owner));
    const [tr, va, te] = [owners(s.train), owners(s.val), owners(s.test)];
    for (const o of te) assert.ok(!tr.has(o) && !va.has(o), `seed ${seed}: owner ${o} on two sides`);
    for (const o of va) assert.ok(!tr.has(o), `seed ${seed}: owner ${o} on two sides`);
    assert.ok(s.train.length && s.val.length && s.test.length);
    assert.equal(s.train.length + s.val.length + s.test.length, dataset.posts.length);
    assert.equal(s.grouping!.by, "owner");
    assert.equal(s.key.groupedBy, "owner");
    const trainPois = new Set(s.train.map((p) => p.poiId));
    assert.equal(s.grouping!.testPostsAtUnseenPois, s.test.filter((p) => !trainPois.has(p.poiId)).length);
    groupings.add([...te].sort().join(","));
  }
  assert.ok(groupings.size > 1, "each seed draws a new grouping");
  const noOwner = { ...dataset, posts: dataset.posts.map((p, i) => (i === 0 ? { ...p, owner: undefined } : p)) };
  assert.throws(() => splitCity(noOwner, 1), /post 100: owner: missing, but the dataset's splits are grouped by owner/);
});

test("name leakage: name tokens (accents folded, ≥ 4 characters, not shared by more than two locations), glued tags match, removal keeps the rest", () => {
  const pois = [
    { id: "a", name: "Wiener Staatsoper" },
    { id: "b", name: "Stephansdom" },
    { id: "c", name: "Café Sacher / Hotel Sacher" },
    { id: "d", name: "Wiener Konzerthaus" },
    { id: "e", name: "Wiener Riesenrad" },
  ];
  const t = nameTokensOf(pois);
  assert.deepEqual(t.get("a"), ["staatsoper"], '"wiener" is in three names: not a name');
  assert.deepEqual(t.get("c"), ["cafe", "hotel", "sacher"]);
  assert.ok(mentionsAny("", ["wienerstaatsoper"], t.get("a")!), "a glued tag contains the name token");
  assert.ok(mentionsAny("Im STEPHANSDOM", [], t.get("b")!));
  assert.ok(!mentionsAny("Wiener Melange", ["wien"], t.get("a")!));
  const r = stripNames({ text: "Abends in der Staatsoper, danach Café", hashtags: ["wienerstaatsoper", "wien"] }, [...t.values()].flat());
  assert.deepEqual(r.post, { text: "Abends in der , danach", hashtags: ["wien"] });
  assert.deepEqual([r.wordsRemoved, r.tagsRemoved], [2, 1]);
});
