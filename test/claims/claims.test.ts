import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fromRoot } from "../../lib/runtime/paths";
import { stream } from "../../lib/runtime/rng";
import { CLAIMS, claimById } from "../../lib/claims/registry";
import { evaluateClaim, type ClaimEvidence } from "../../lib/claims/evaluate";
import { validateClaimSpec, type ClaimSpec } from "../../lib/claims/spec";
import { claimRows, claimsTable } from "../../lib/claims/table";
import { readClaimResults, writeClaimResult } from "../../lib/claims/record";
import { claimsForestSpec } from "../../lib/claims/forest";
import { toCsv, validateTable } from "../../lib/results/table";
import type { RepeatedOutcomes } from "../../lib/stats/paired";

test("the registry: every claim is valid, ids are unique, and its notebook exists", () => {
  assert.ok(CLAIMS.length >= 15);
  for (const c of CLAIMS) {
    validateClaimSpec(c);
    assert.ok(fs.existsSync(fromRoot("notebooks", "src", `${c.notebook}.ts`)), `${c.id}: notebook ${c.notebook} has no source`);
  }
  assert.equal(new Set(CLAIMS.map((c) => c.id)).size, CLAIMS.length);
  // The paper's Table II margins as its text quotes them (9.0 % / 0.294 km in New York, …).
  const paperCities = (c: string) => claimById(c).settings.filter((s) => s.id !== "flickr-vienna");
  const acc = paperCities("mrlf-beats-baselines-acc");
  assert.deepEqual(
    acc.map((s) => [s.id, Number(s.paper.diff!.toFixed(3)), s.paper.versus]),
    [
      ["new-york", 0.09, "DeepGeo"],
      ["melbourne", 0.118, "DeepGeo"],
      ["hong-kong", 0.036, "ResNet50"],
    ],
  );
  const mean = paperCities("mrlf-beats-baselines-mean");
  assert.deepEqual(
    mean.map((s) => Number(s.paper.diff!.toFixed(3))),
    [-0.294, -0.212, -0.015],
  );
  assert.throws(() => claimById("no-such-claim"), /no claim "no-such-claim"/);
  assert.throws(() => validateClaimSpec({ ...CLAIMS[0], against: [CLAIMS[0].favoured] }), /contains the favoured system/);
  assert.throws(() => validateClaimSpec({ ...CLAIMS[0], relation: "equivalent" }), /margin: required/);
});

/** Per-seed outcomes of a system right with probability p on shared items (u < p). */
function systems(ps: Record<string, number>, seeds = 3, n = 300): Record<string, RepeatedOutcomes> {
  const out: Record<string, { testSet: string; outcomes: { truth: Int32Array; predicted: Int32Array; errorKm: Float64Array } }[]> = {};
  for (let s = 0; s < seeds; s++) {
    const r = stream(s, "claims-test");
    const truth = new Int32Array(n);
    const u = new Float64Array(n);
    for (let i = 0; i < n; i++) ((truth[i] = r.int(6)), (u[i] = r.next()));
    for (const [name, p] of Object.entries(ps)) {
      const predicted = truth.map((t, i) => (u[i] < p ? t : (t + 1) % 6));
      const errorKm = Float64Array.from(predicted, (q, i) => (q === truth[i] ? 0.1 : 2 + u[i]));
      (out[name] ??= []).push({ testSet: `seed ${s + 1}`, outcomes: { truth, predicted, errorKm } });
    }
  }
  return out;
}

const mrlfEvidence = (sys: Record<string, RepeatedOutcomes>): ClaimEvidence => ({
  setting: "new-york",
  data: { name: "synthetic-instagram", synthetic: true },
  itemNoun: "test posts",
  systems: sys,
  planted: "each modality carries the POI's signal in a set share of posts",
  seed: 1,
  replicates: 500,
});

test("a claim holds, is contradicted or inconclusive from constructed differences", () => {
  const spec = claimById("fusion-conv-beats-text-tag-end");
  assert.equal(evaluateClaim(spec, mrlfEvidence(systems({ MRLF: 0.8, "text-tag-end": 0.6 }))).verdict, "holds");
  assert.equal(evaluateClaim(spec, mrlfEvidence(systems({ MRLF: 0.6, "text-tag-end": 0.8 }))).verdict, "contradicted");
  assert.equal(evaluateClaim(spec, mrlfEvidence(systems({ MRLF: 0.7, "text-tag-end": 0.7 }))).verdict, "inconclusive");
  // Lower is better for Mean km: MRLF more often right → lower km → holds.
  const mean = claimById("fusion-mrlf-best-mean");
  const r = evaluateClaim(
    mean,
    mrlfEvidence(systems({ MRLF: 0.8, "text-tag-end": 0.6, "text+image": 0.62, "hashtag+image": 0.77, concatenation: 0.5 })),
  );
  assert.equal(r.verdict, "holds");
  assert.equal(r.decisive.against, "hashtag+image", "the closest comparison decides");
  assert.ok(r.decisive.diff < 0 && r.decisive.ci.hi < 0);
  // One comparison against the paper's direction: not "holds".
  const r2 = evaluateClaim(
    mean,
    mrlfEvidence(systems({ MRLF: 0.7, "text-tag-end": 0.6, "text+image": 0.6, "hashtag+image": 0.9, concatenation: 0.5 })),
  );
  assert.equal(r2.verdict, "contradicted");
  assert.equal(r2.decisive.against, "hashtag+image");
});

test("the sentence gives verdict, effect, CI, seeds, items, and for synthetic data what was planted", () => {
  const r = evaluateClaim(claimById("fusion-conv-beats-text-tag-end"), mrlfEvidence(systems({ MRLF: 0.8, "text-tag-end": 0.6 })));
  assert.match(r.sentence, /^\*\*Holds\*\* — Fusing text and hashtags/);
  assert.match(r.sentence, /MRLF − text-tag-end Acc = \+\d+\.\d pp \(95 % CI \+\d+\.\d pp to \+\d+\.\d pp; exact McNemar p = /);
  assert.match(r.sentence, /3 seeds, 900 test posts in all/);
  assert.match(r.sentence, /SYNTHETIC.*the generator plants: each modality carries/);
  const real = evaluateClaim(claimById("lw-proposed-beats-nbigr-acc"), {
    setting: "geotext-raw-state-split",
    data: { name: "geotext", synthetic: false },
    itemNoun: "test users",
    testSetNoun: "splits",
    systems: systems({ proposed: 0.33, "NB+IGR (max-drop N2)": 0.3 }, 10, 200),
    seed: 1,
    replicates: 300,
  });
  assert.match(real.sentence, /10 splits, 2000 test users in all/);
  assert.match(real.sentence, /Data: geotext \(real\)\./);
});

test("bad evidence is refused, naming the claim, setting and field", () => {
  const spec = claimById("fusion-conv-beats-text-tag-end");
  assert.throws(
    () => evaluateClaim(spec, { ...mrlfEvidence(systems({ MRLF: 0.8, "text-tag-end": 0.6 })), setting: "paris" }),
    /claim fusion-conv-beats-text-tag-end \(paris\): setting: not one of new-york, melbourne, hong-kong/,
  );
  assert.throws(() => evaluateClaim(spec, mrlfEvidence(systems({ MRLF: 0.8 }))), /systems: no outcomes for "text-tag-end"/);
  assert.throws(
    () => evaluateClaim(spec, { ...mrlfEvidence(systems({ MRLF: 0.8, "text-tag-end": 0.6 })), planted: "" }),
    /planted: synthetic data must say/,
  );
});

test("an equivalence claim: flat accuracy holds inside the margin, is contradicted far outside it", () => {
  const spec = claimById("lw-flat-in-n2");
  const ev = (ps: Record<string, number>): ClaimEvidence => ({
    setting: "geotext-raw-state-official",
    data: { name: "geotext", synthetic: false },
    itemNoun: "test users",
    systems: systems(ps, 10, 400),
    seed: 2,
    replicates: 400,
  });
  assert.equal(evaluateClaim(spec, ev({ "N2 = 0.20": 0.5, "N2 = 0.17": 0.5, "N2 = 0.24": 0.5 })).verdict, "holds");
  assert.equal(evaluateClaim(spec, ev({ "N2 = 0.20": 0.5, "N2 = 0.17": 0.5, "N2 = 0.24": 0.35 })).verdict, "contradicted");
});

test("claims table: one row per registry claim and setting, 'not run' where no notebook wrote a result; written results read back", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "claims-"));
  try {
    const r = evaluateClaim(claimById("fusion-conv-beats-text-tag-end"), mrlfEvidence(systems({ MRLF: 0.8, "text-tag-end": 0.6 })));
    writeClaimResult(dir, r);
    const back = readClaimResults(dir);
    assert.equal(back.length, 1);
    assert.equal(JSON.stringify(back[0]), JSON.stringify(JSON.parse(JSON.stringify(r))));
    const rows = claimRows(CLAIMS, back);
    assert.equal(
      rows.length,
      CLAIMS.reduce((s, c) => s + c.settings.length, 0),
    );
    const t = claimsTable(rows, "synthetic-instagram");
    validateTable(t);
    const csv = toCsv(t);
    assert.match(csv, /fusion-conv-beats-text-tag-end\/new-york/);
    assert.equal(t.rows.filter((x) => x.verdict === "holds").length, 1);
    const notTestable = t.rows.filter((x) => String(x.verdict).startsWith("not testable:"));
    assert.deepEqual(
      notTestable.map((x) => [x.id, x.verdict]),
      [
        ["ablation-image-helps-most/flickr-vienna", "not testable: no images in Flickr Vienna"],
        ["noisy-image-removal-lowers-mean/flickr-vienna", "not testable: no images in Flickr Vienna"],
      ],
    );
    assert.equal(t.rows.filter((x) => x.verdict === "not run").length, rows.length - 1 - notTestable.length);
    assert.match(t.notes![0], /2 not testable on their data/);
    const forest = claimsForestSpec(back);
    assert.equal(forest.data.length >= 1, true);
    // A stale result for a claim no longer in the registry is an error, not a silent drop.
    assert.throws(
      () =>
        claimRows(
          CLAIMS.filter((c) => c.id !== "fusion-conv-beats-text-tag-end"),
          back,
        ),
      /not in the registry: fusion-conv-beats-text-tag-end\/new-york/,
    );
    fs.writeFileSync(path.join(dir, "claims", "broken--x.json"), '{"id": 1}');
    assert.throws(() => readClaimResults(dir), /broken--x\.json:1: id: expected a string/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("own data: a setting the registry does not list is judged when labelled, and listed after the claim's registry settings", () => {
  const spec = claimById("fusion-conv-beats-text-tag-end");
  const r = evaluateClaim(spec, {
    ...mrlfEvidence(systems({ MRLF: 0.8, "text-tag-end": 0.6 })),
    setting: "mytown",
    settingLabel: "mytown (own posts)",
    data: { name: "my-posts", synthetic: false },
  });
  assert.equal(r.settingLabel, "mytown (own posts)");
  assert.equal(r.paperEffect.diff, null);
  assert.match(r.sentence, /Data: my-posts \(real\)/);
  const rows = claimRows(CLAIMS, [r]);
  const i = rows.findIndex((x) => x.result === r);
  assert.equal(rows[i - 1].spec.id, spec.id, "right after the claim's own settings");
  assert.throws(
    () => evaluateClaim(spec, { ...mrlfEvidence(systems({ MRLF: 0.8, "text-tag-end": 0.6 })), setting: "My Town", settingLabel: "x" }),
    /must be lower-case/,
  );
});

test("a new claim spec needs the paper's number or a reason for its absence", () => {
  const spec: ClaimSpec = {
    ...claimById("hashtag-cut-helps-acc"),
    id: "x-claim",
    settings: [{ id: "a", label: "A", paper: { diff: null } }],
  };
  assert.throws(() => validateClaimSpec(spec), /settings\[a\]\.paper: say why the paper has no figure/);
});

test("Flickr Vienna: a real setting on every MRLF claim without pixels (context-only paper figure), not testable where pixels are needed, judged against the comparators that run there", () => {
  const vienna = (id: string) => claimById(id).settings.find((s) => s.id === "flickr-vienna");
  for (const c of CLAIMS.filter((c) => c.paper === "mrlf")) {
    const v = vienna(c.id);
    assert.ok(v, `${c.id}: has a flickr-vienna setting`);
    assert.equal(v!.label, "Flickr Vienna, real, text + tags");
    assert.equal(v!.paper.diff, null);
    assert.match(v!.paper.note!, /^context only: the paper's cities are New York, Melbourne, Hong Kong on Instagram/);
  }
  assert.equal(vienna("ablation-image-helps-most")!.notTestable, "no images in Flickr Vienna");
  assert.equal(vienna("noisy-image-removal-lowers-mean")!.notTestable, "no images in Flickr Vienna");
  assert.deepEqual(vienna("mrlf-beats-baselines-acc")!.against, ["Tagvisor", "DeepGeo", "LocTwi"]);
  assert.deepEqual(vienna("fusion-mrlf-best-mean")!.against, ["text-tag-end", "concatenation"]);
  // The suite's control is marked as such and needs no paper quote.
  const nb = claimById("mrlf-beats-nb-control");
  assert.equal(nb.origin, "suite");
  assert.deepEqual(nb.against, ["NB control"]);
  assert.deepEqual(
    nb.settings.map((s) => s.id),
    ["new-york", "melbourne", "hong-kong", "flickr-vienna"],
  );
  validateClaimSpec({ ...nb, quote: undefined });
  assert.throws(() => validateClaimSpec({ ...claimById("hashtag-cut-helps-acc"), quote: undefined }), /quote: required for a paper claim/);
  assert.throws(
    () => validateClaimSpec({ ...nb, settings: [{ id: "x", label: "X", paper: { diff: null, note: "n" }, against: ["Tagvisor"] }] }),
    /settings\[x\]\.against: "Tagvisor" is not one of the claim's comparators/,
  );
  // Judged on Vienna: only the setting's comparators are compared, and the data are real.
  const spec = claimById("mrlf-beats-baselines-acc");
  const r = evaluateClaim(spec, {
    setting: "flickr-vienna",
    data: { name: "flickr-vienna", synthetic: false },
    itemNoun: "test posts",
    systems: systems({ MRLF: 0.5, Tagvisor: 0.3, DeepGeo: 0.2, LocTwi: 0.25 }),
    seed: 1,
    replicates: 300,
  });
  assert.deepEqual(
    r.comparisons.map((c) => c.against),
    ["Tagvisor", "DeepGeo", "LocTwi"],
  );
  assert.equal(r.settingLabel, "Flickr Vienna, real, text + tags");
  assert.match(r.sentence, /Over all 3 comparisons/);
  assert.throws(
    () =>
      evaluateClaim(claimById("ablation-image-helps-most"), {
        ...mrlfEvidence(systems({ "w/o image": 0.5, "w/o text": 0.4, "w/o hashtags": 0.4 })),
        setting: "flickr-vienna",
        data: { name: "flickr-vienna", synthetic: false },
      }),
    /not testable here \(no images in Flickr Vienna\)/,
  );
  // Own data without images: the evidence names the comparators that ran.
  const own = evaluateClaim(spec, {
    setting: "mytown",
    settingLabel: "mytown (own posts, no images)",
    against: ["Tagvisor", "LocTwi"],
    data: { name: "my-posts", synthetic: false },
    itemNoun: "test posts",
    systems: systems({ MRLF: 0.5, Tagvisor: 0.3, LocTwi: 0.25 }),
    seed: 1,
    replicates: 300,
  });
  assert.deepEqual(
    own.comparisons.map((c) => c.against),
    ["Tagvisor", "LocTwi"],
  );
});
