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
import { claimRows, claimsTable, claimsMarkdown } from "../../lib/claims/table";
import { readClaimRecords, readClaimResults, writeClaimResult } from "../../lib/claims/record";
import { decideFamilies, familyOf, rowKey } from "../../lib/claims/family";
import { claimsForestSpec } from "../../lib/claims/forest";
import { toCsv, validateTable } from "../../lib/results/table";
import type { RepeatedOutcomes } from "../../lib/stats/paired";
import { ranLabel } from "../../lib/studies/localwords/claims";

test("the registry: every claim is valid, ids are unique, its notebook exists, and the issue-21 claims are there", () => {
  assert.ok(CLAIMS.length >= 30);
  for (const c of CLAIMS) {
    validateClaimSpec(c);
    assert.ok(fs.existsSync(fromRoot("notebooks", "src", `${c.notebook}.ts`)), `${c.id}: notebook ${c.notebook} has no source`);
  }
  assert.equal(new Set(CLAIMS.map((c) => c.id)).size, CLAIMS.length);
  for (const id of [
    "lw-proposed-beats-mnbpart-acc",
    "lw-proposed-beats-mnbpart-f1",
    "lw-n2-extremes-hurt",
    "lw-stopwords-no-effect",
    "mrlf-acc-mean-disagree",
    "ablation-each-modality-helps-mean",
    "fusion-similar-to-concatenation",
    "noisy-image-removal-raises-acc",
    "noisy-image-removal-keeps-acc",
  ])
    assert.ok(claimById(id).quote!.length > 10, id);
  // The suite's own controls are marked as such (never counted for or against a paper).
  assert.deepEqual(
    CLAIMS.filter((c) => c.origin === "control").map((c) => c.id),
    ["mrlf-beats-late-fusion", "mrlf-beats-nb-control", "lw-proposed-beats-tuned-nbigr-acc", "lw-semantic-clusters-help"],
  );
  // Table 7 is a table whose body is missing from the text, not a figure.
  assert.match(claimById("lw-nbigr-beats-mnbpart-acc").settings[0].paper.note!, /Table 7's body is missing/);
  // The paper's Table II margins as its text quotes them (9.0 % / 0.294 km in New York, …), and its Δ against each baseline.
  const paperCities = (c: string) => claimById(c).settings.filter((s) => s.id !== "flickr-vienna");
  const acc = paperCities("mrlf-beats-baselines-acc");
  assert.deepEqual(
    acc.map((s) => [s.id, Number(s.paper.diff!.toFixed(3)), s.paper.versus, Number(s.paper.bySystem!.Tagvisor.toFixed(3))]),
    [
      ["new-york", 0.09, "DeepGeo", 0.147],
      ["melbourne", 0.118, "DeepGeo", 0.208],
      ["hong-kong", 0.036, "ResNet50", 0.324],
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
  assert.throws(() => validateClaimSpec({ ...CLAIMS[0], origin: "x" as never }), /origin/);
  assert.throws(
    () => validateClaimSpec({ ...CLAIMS[0], settings: [{ id: "a", label: "A", paper: { diff: 0 }, against: ["ResNet50"] }] }),
    /settings\[a\]\.against: "ResNet50" is not one of the claim's systems/,
  );
});

/** Per-seed outcomes of a system right with probability p on each seed's own items (u < p). */
function systems(ps: Record<string, number>, seeds = 3, n = 300, shared = false): Record<string, RepeatedOutcomes> {
  const out: Record<
    string,
    { testSet: string; outcomes: { truth: Int32Array; predicted: Int32Array; errorKm: Float64Array; ids: string[] } }[]
  > = {};
  for (let s = 0; s < seeds; s++) {
    const r = stream(shared ? 0 : s, "claims-test");
    const truth = new Int32Array(n);
    const u = new Float64Array(n);
    for (let i = 0; i < n; i++) ((truth[i] = r.int(6)), (u[i] = r.next()));
    const ids = Array.from({ length: n }, (_, i) => (shared ? `u${i}` : `s${s}-${i}`));
    for (const [name, p] of Object.entries(ps)) {
      const jitter = stream(s, `claims-test/${name}`);
      const predicted = truth.map((t, i) => (u[i] < p + 0.02 * (jitter.next() - 0.5) ? t : (t + 1) % 6));
      const errorKm = Float64Array.from(predicted, (q, i) => (q === truth[i] ? 0.1 : 2 + u[i]));
      (out[name] ??= []).push({ testSet: `seed ${s + 1}`, outcomes: { truth, predicted, errorKm, ids } });
    }
  }
  return out;
}

const mrlfEvidence = (sys: Record<string, RepeatedOutcomes>, setting = "new-york"): ClaimEvidence => ({
  setting,
  data: { name: "synthetic-instagram", synthetic: true },
  itemNoun: "test posts",
  systems: sys,
  planted: "each modality carries the POI's signal in a set share of posts",
  seed: 1,
  replicates: 300,
});

test("a claim's nominal verdict: holds, contradicted or inconclusive from constructed differences", () => {
  const spec = claimById("fusion-conv-beats-text-tag-end");
  assert.equal(evaluateClaim(spec, mrlfEvidence(systems({ MRLF: 0.8, "text-tag-end": 0.6 }))).nominal, "holds");
  assert.equal(evaluateClaim(spec, mrlfEvidence(systems({ MRLF: 0.6, "text-tag-end": 0.8 }))).nominal, "contradicted");
  assert.equal(evaluateClaim(spec, mrlfEvidence(systems({ MRLF: 0.7, "text-tag-end": 0.7 }))).nominal, "inconclusive");
  // Lower is better for Mean km: MRLF more often right → lower km → holds.
  const mean = claimById("fusion-mrlf-best-mean");
  const r = evaluateClaim(
    mean,
    mrlfEvidence(systems({ MRLF: 0.8, "text-tag-end": 0.6, "text+image": 0.62, "hashtag+image": 0.74, concatenation: 0.5 })),
  );
  assert.equal(r.nominal, "holds");
  // The weakest comparison (the largest p for "holds": not always the smallest difference, as runs differ in spread) decides.
  assert.equal(r.decision.p, Math.max(...r.comparisons.map((c) => c.readingP.holds)));
  assert.equal(r.decisive.readingP.holds, r.decision.p);
  assert.ok(r.decisive.diff < 0 && r.decisive.ci.hi < 0);
  const r2 = evaluateClaim(
    mean,
    mrlfEvidence(systems({ MRLF: 0.7, "text-tag-end": 0.6, "text+image": 0.6, "hashtag+image": 0.9, concatenation: 0.5 })),
  );
  assert.equal(r2.nominal, "contradicted");
  assert.equal(r2.decisive.against, "hashtag+image");
  // Every comparison carries its SE, degrees of freedom, spread over runs and an exact test over distinct items.
  for (const c of r2.comparisons) {
    assert.ok(c.se > 0 && (c.df === null || c.df >= 2) && c.runSd >= 0);
    assert.ok(c.exact && c.exact.p >= 0 && c.exact.p <= 1, "Mean km decomposes over posts: an exact sign test");
  }
});

test("one training run: the training variance is not estimated and the row is inconclusive, with the item-only interval beside", () => {
  const r = evaluateClaim(claimById("fusion-conv-beats-text-tag-end"), mrlfEvidence(systems({ MRLF: 0.9, "text-tag-end": 0.5 }, 1)));
  assert.equal(r.undecidable, "1 training run: training variance not estimated");
  assert.equal(r.nominal, "inconclusive");
  assert.ok(r.decisive.ci.lo > 0, "the item-only interval alone would say holds");
  assert.equal(r.decisive.trainingSd, null);
  const d = decideFamilies([r]).get(rowKey(r))!;
  assert.equal(d.verdict, "inconclusive");
  assert.equal(d.m, 0, "not counted in the family's m");
  assert.match(r.sentence, /Inconclusive by design: 1 training run/);
});

test("the paper's Δ is set against the same system; its headline margin over another system is named", () => {
  const spec = claimById("mrlf-beats-baselines-acc");
  const sys = systems({
    MRLF: 0.85,
    Tagvisor: 0.6,
    DeepGeo: 0.7,
    LocTwi: 0.72,
    "Frozen backbone + linear": 0.75,
    "Fine-tuned MobileNetV2 top": 0.8,
  });
  const r = evaluateClaim(spec, mrlfEvidence(sys));
  const tag = r.comparisons.find((c) => c.against === "Tagvisor")!;
  assert.ok(Math.abs(tag.paper.diff! - (0.828 - 0.681)) < 1e-12, "MRLF − Tagvisor in New York: +14.7 pp");
  assert.equal(tag.paper.inside, tag.ci.lo <= tag.paper.diff! && tag.paper.diff! <= tag.ci.hi ? "yes" : "no");
  const img = r.comparisons.find((c) => c.against === "Frozen backbone + linear")!;
  assert.deepEqual(img.paper, { diff: null, inside: "no paper number" });
  const rows = claimRows(CLAIMS, [r]);
  const t = claimsTable(rows, "synthetic-instagram");
  const row = t.rows.find((x) => x.id === "mrlf-beats-baselines-acc/new-york")!;
  assert.equal(row.paper_baseline, "DeepGeo");
  assert.ok(Math.abs((row.paper_headline as number) - 0.09) < 1e-9);
  assert.match(String(row.paper_note), /paper's margin is over DeepGeo, \+9\.0 pp/);
  const hk = evaluateClaim(spec, mrlfEvidence(sys, "hong-kong"));
  assert.ok(hk.paperVersusNotRun);
  assert.match(hk.sentence, /ResNet50/);
  const hkRow = claimsTable(claimRows(CLAIMS, [hk]), "x").rows.find((x) => x.id === "mrlf-beats-baselines-acc/hong-kong")!;
  assert.match(String(hkRow.paper_note ?? ""), /paper's margin is over ResNet50, \+3\.6 pp \(not run here\)/);
});

test("the family rule: Holm within (paper × data kind) families; controls and synthetic rows apart; the adjusted interval explains an inconclusive row", () => {
  const spec = claimById("lw-proposed-beats-nbigr-acc");
  const ev = (ps: Record<string, number>, setting: string, synthetic = false): ClaimEvidence => ({
    setting,
    data: { name: synthetic ? "synthetic-microblog-state" : "geotext-raw-state", synthetic },
    itemNoun: "test users",
    systems: systems(ps, 10, 400),
    seed: 3,
    replicates: 300,
    ...(synthetic ? { planted: "location-free words" } : {}),
  });
  const strong = evaluateClaim(spec, ev({ proposed: 0.6, "NB+IGR (max-drop N2)": 0.45 }, "geotext-raw-state-official"));
  const weak = evaluateClaim(spec, ev({ proposed: 0.52, "NB+IGR (max-drop N2)": 0.5 }, "geotext-raw-city-official"));
  const control = evaluateClaim(claimById("lw-semantic-clusters-help"), {
    ...ev({ proposed: 0.6, "random-partition control": 0.45 }, "geotext-raw-state-official"),
  });
  const syn = evaluateClaim(spec, ev({ proposed: 0.6, "NB+IGR (max-drop N2)": 0.45 }, "synthetic-state-split", true));
  assert.equal(familyOf(strong), "local words · real");
  assert.equal(familyOf(control), "suite controls · real");
  assert.equal(familyOf(syn), "local words · synthetic");
  const dec = decideFamilies([strong, weak, control, syn]);
  assert.equal(dec.get(rowKey(strong))!.m, 2, "the control and the synthetic row are not in the paper's real family");
  assert.equal(dec.get(rowKey(control))!.m, 1);
  assert.equal(dec.get(rowKey(strong))!.verdict, "holds");
  // Holm: adjusted p of the smaller is 2p; of the larger max(2p₁, p₂).
  const [p1, p2] = [strong.decision.p, weak.decision.p].sort((a, b) => a - b);
  const adj = [dec.get(rowKey(strong))!.adjustedP!, dec.get(rowKey(weak))!.adjustedP!].sort((a, b) => a - b);
  assert.ok(Math.abs(adj[0] - Math.min(1, 2 * p1)) < 1e-12 && Math.abs(adj[1] - Math.max(Math.min(1, 2 * p1), p2)) < 1e-12);
  // A row decisive at 95 % alone but not after Holm: its adjusted interval (level 1 − α/m at rank 1) reaches 0.
  const a = { ...weak, decision: { reading: "holds" as const, p: 0.03 }, nominal: "holds" as const };
  const b = { ...strong, setting: "geotext-raw-state-split", decision: { reading: "holds" as const, p: 0.04 }, nominal: "holds" as const };
  const c2 = { ...strong, decision: { reading: "holds" as const, p: 0.5 }, nominal: "inconclusive" as const };
  const d2 = decideFamilies([a, b, c2]);
  const da = d2.get(rowKey(a))!;
  assert.equal(da.rank, 1);
  assert.ok(Math.abs(da.adjustedP! - 0.09) < 1e-12);
  assert.equal(da.verdict, "inconclusive");
  assert.ok(Math.abs(da.level! - (1 - 0.05 / 3)) < 1e-12);
  assert.match(da.note!, /adjusted p 0\.090 > 0\.05/);
  assert.equal(d2.get(rowKey(b))!.verdict, "inconclusive", "Holm stops at the first row it cannot reject");
});

test("the sentence gives the nominal verdict, effect, interval with ν and p, runs and distinct items, and for synthetic data what was planted", () => {
  const r = evaluateClaim(claimById("fusion-conv-beats-text-tag-end"), mrlfEvidence(systems({ MRLF: 0.8, "text-tag-end": 0.6 })));
  assert.match(
    r.sentence,
    /^\*\*Nominal: holds\*\* \(this row alone; the final verdict, under the family-wise rule, is in the claims table\) — Fusing text and hashtags/,
  );
  assert.match(r.sentence, /MRLF − text-tag-end Acc = \+\d+\.\d pp \(95 % CI \+\d+\.\d pp to \+\d+\.\d pp; t with [\d.∞≥]+ df, p = /);
  assert.match(r.sentence, /exact McNemar p = /);
  assert.match(r.sentence, /3 seeds, 900 distinct test posts/);
  assert.match(r.sentence, /SYNTHETIC.*the generator plants: each modality carries/);
  const real = evaluateClaim(claimById("lw-proposed-beats-nbigr-acc"), {
    setting: "geotext-raw-state-official",
    data: { name: "geotext", synthetic: false },
    itemNoun: "test users",
    testSetNoun: "seeds",
    systems: systems({ proposed: 0.33, "NB+IGR (max-drop N2)": 0.3 }, 10, 200, true),
    seed: 1,
    replicates: 200,
  });
  assert.match(real.sentence, /10 seeds, 200 distinct test users \(2000 scored over all runs\)/);
  assert.match(real.sentence, /exact sign test over distinct items/);
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
    replicates: 300,
  });
  assert.equal(evaluateClaim(spec, ev({ "N2 = 0.20": 0.5, "N2 = 0.17": 0.5, "N2 = 0.24": 0.5 })).nominal, "holds");
  assert.equal(evaluateClaim(spec, ev({ "N2 = 0.20": 0.5, "N2 = 0.17": 0.5, "N2 = 0.24": 0.35 })).nominal, "contradicted");
});

test("a claim on two metrics (Acc and Mean rank two models in opposite order) holds only when both go the paper's way", () => {
  const spec = claimById("mrlf-acc-mean-disagree");
  // DeepGeo more often right than Tagvisor, but its wrong answers are far: higher Acc and higher Mean km.
  const base = systems({ DeepGeo: 0.75, Tagvisor: 0.6 }, 3, 400);
  const far = Object.fromEntries(
    Object.entries(base).map(([k, runs]) => [
      k,
      runs.map((t) => ({
        ...t,
        outcomes: {
          ...t.outcomes,
          errorKm: Float64Array.from(t.outcomes.errorKm!, (e, i) =>
            t.outcomes.predicted[i] === t.outcomes.truth[i] ? 0.1 : k === "DeepGeo" ? e * 5 : e,
          ),
        },
      })),
    ]),
  );
  const r = evaluateClaim(spec, mrlfEvidence(far, "melbourne"));
  assert.deepEqual(
    r.comparisons.map((c) => [c.metric, c.nominal]),
    [
      ["acc", "holds"],
      ["meanKm", "holds"],
    ],
  );
  assert.equal(r.nominal, "holds");
  assert.ok(Math.abs(r.comparisons[1].paper.diff! - (1.243 - 0.724)) < 1e-12);
  assert.equal(evaluateClaim(spec, mrlfEvidence(base, "melbourne")).nominal, "contradicted", "Mean follows Acc: the order is not opposite");
});

test("claims table and records: one row per registry claim and setting; 'not run: <why>' and 'not testable'; written results read back", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "claims-"));
  try {
    const r = evaluateClaim(claimById("fusion-conv-beats-text-tag-end"), mrlfEvidence(systems({ MRLF: 0.8, "text-tag-end": 0.6 })));
    writeClaimResult(dir, r);
    const back = readClaimResults(dir);
    assert.equal(back.length, 1);
    assert.equal(JSON.stringify(back[0]), JSON.stringify(JSON.parse(JSON.stringify(r))));
    const rows = claimRows(CLAIMS, back, [
      { id: "lw-proposed-beats-nbigr-acc", setting: "geotext-raw-state-official", notRun: "not run: geotext-raw absent", stamp: null },
    ]);
    assert.equal(
      rows.length,
      CLAIMS.reduce((s, c) => s + c.settings.length, 0),
    );
    const t = claimsTable(rows, "synthetic-instagram");
    validateTable(t);
    const csv = toCsv(t);
    assert.match(csv, /fusion-conv-beats-text-tag-end\/new-york/);
    for (const col of ["adj_lo", "adj_hi", "seed_sd", "distinct_items", "family", "paper_same", "paper_inside", "paper_baseline"])
      assert.ok(
        t.columns.some((c) => c.key === col),
        `claims.csv has ${col}`,
      );
    assert.equal(t.rows.filter((x) => x.verdict === "holds").length, 1);
    assert.equal(
      t.rows.find((x) => x.id === "lw-proposed-beats-nbigr-acc/geotext-raw-state-official")!.verdict,
      "not run: geotext-raw absent",
    );
    assert.equal(
      t.rows.find((x) => x.id === "hashtag-cut-helps-acc/new-york")!.verdict,
      "not run: notebook 06-low-frequency-hashtags was not part of this run",
    );
    assert.match(t.notes![0], /MRLF · synthetic: 1 holds, 0 contradicted, 0 inconclusive \(m = 1\)/);
    const md = claimsMarkdown(rows, (nb) => nb);
    assert.ok(md.some((l) => /\*\*holds\*\*/.test(l)));
    const forest = claimsForestSpec(rows);
    assert.equal(forest.data.length >= 1, true);
    // A setting marked not testable says why and is never judged.
    const spec = {
      ...claimById("hashtag-cut-helps-acc"),
      settings: [{ id: "flickr-vienna", label: "Vienna", paper: { diff: null, note: "n/a" }, notTestable: "no images in Flickr Vienna" }],
    };
    const nt = claimRows([spec], []);
    assert.equal(nt[0].status, "not testable: no images in Flickr Vienna");
    assert.throws(
      () => evaluateClaim(spec, { ...mrlfEvidence(systems({ "hashtag cut": 0.5, "no cut": 0.5 })), setting: "flickr-vienna" }),
      /not testable/,
    );
    // A result for a claim no longer in the registry is an error, not a silent drop.
    assert.throws(
      () =>
        claimRows(
          CLAIMS.filter((c) => c.id !== "fusion-conv-beats-text-tag-end"),
          back,
        ),
      /not in the registry: fusion-conv-beats-text-tag-end\/new-york/,
    );
    // A record from before stamps existed is set apart, not read as a result.
    fs.writeFileSync(path.join(dir, "claims", "old--x.json"), JSON.stringify({ id: "old", setting: "x", verdict: "holds" }));
    assert.deepEqual(
      readClaimRecords(dir).unstamped.map((u) => u.id),
      ["old"],
    );
    fs.writeFileSync(path.join(dir, "claims", "broken--x.json"), '{"id": 1}');
    assert.throws(() => readClaimResults(dir), /broken--x\.json:1: id: expected a string/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("own data: a setting the registry does not list is judged when labelled, listed after the claim's registry settings, in its own family", () => {
  const spec = claimById("fusion-conv-beats-text-tag-end");
  const r = evaluateClaim(spec, {
    ...mrlfEvidence(systems({ MRLF: 0.8, "text-tag-end": 0.6 })),
    setting: "mytown",
    settingLabel: "mytown (own posts)",
    data: { name: "my-posts", synthetic: false },
  });
  assert.equal(r.settingLabel, "mytown (own posts)");
  assert.ok(r.own);
  assert.equal(familyOf(r), "own data · mytown (own posts)");
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
  // mrlf-acc-mean-disagree is the paper's own example pair in one named city (Melbourne).
  for (const c of CLAIMS.filter((c) => c.paper === "mrlf" && c.id !== "mrlf-acc-mean-disagree")) {
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
  assert.equal(nb.origin, "control");
  assert.deepEqual(nb.against, ["NB control"]);
  assert.deepEqual(
    nb.settings.map((s) => s.id),
    ["new-york", "melbourne", "hong-kong", "flickr-vienna"],
  );
  validateClaimSpec({ ...nb, quote: undefined });
  assert.throws(() => validateClaimSpec({ ...claimById("hashtag-cut-helps-acc"), quote: undefined }), /quote: required for a paper claim/);
  assert.throws(
    () => validateClaimSpec({ ...nb, settings: [{ id: "x", label: "X", paper: { diff: null, note: "n" }, against: ["Tagvisor"] }] }),
    /settings\[x\]\.against: "Tagvisor" is not one of the claim's systems/,
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
    /marked not testable \(no images in Flickr Vienna\)/,
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

test("a registry setting judged with the label it ran under (GeoText's training folds) shows that label; rows not run keep the registry's", () => {
  const spec = claimById("lw-proposed-beats-nbigr-acc");
  const listed = spec.settings.find((s) => s.id === "geotext-raw-state-official")!;
  assert.equal(listed.label, "GeoText raw text, state, official folds", "the registry does not say which folds trained");
  const folds13 = { kind: "official", trainFold: 1, trainFolds: [1, 2, 3], testFold: 5 } as const;
  const label = ranLabel(listed.label, folds13);
  assert.equal(label, "GeoText raw text, state, official folds 1–3 → 5");
  assert.equal(ranLabel(listed.label, { kind: "official", trainFold: 4, testFold: 5 }), "GeoText raw text, state, official folds 4 → 5");
  assert.equal(
    ranLabel("GeoText raw text, state, 80/20 splits", { kind: "split", testFraction: 0.2 }),
    "GeoText raw text, state, 80/20 splits",
  );
  const r = evaluateClaim(spec, {
    setting: listed.id,
    settingLabel: label,
    data: { name: "geotext-raw", synthetic: false },
    itemNoun: "test users",
    systems: systems({ proposed: 0.5, "NB+IGR (max-drop N2)": 0.45 }, 3, 300, true),
    seed: 1,
    replicates: 300,
  });
  assert.equal(r.settingLabel, label);
  assert.equal(r.own, false, "still the registry's setting (the paper's figure stays beside it)");
  assert.equal(r.paperEffect, listed.paper);
  const rows = claimRows([spec], [r]);
  const ran = rows.find((x) => x.setting.id === listed.id)!;
  assert.equal(ran.setting.label, label);
  assert.equal(rows.find((x) => x.setting.id === "geotext-raw-city-official")!.setting.label, "GeoText raw text, city, official folds");
  assert.ok(claimsMarkdown(rows, (n) => n).some((line) => line.includes("official folds 1–3 → 5")));
});
