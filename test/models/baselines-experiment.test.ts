import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadParams } from "../../lib/runtime/params";
import { stream } from "../../lib/runtime/rng";
import { experimentContext, experimentSizes, runBaseline, runMrlf, PAPER_TABLE2, BASELINES, type RunResult } from "../../lib/models/baselines/experiment";
import { splitCity } from "../../lib/models/baselines/split";
import { writeTestImage } from "../image/helpers";

/** A toy city: 3 POIs × 20 posts, each POI with its own words, hashtags and picture pattern. */
async function toyCity(dir: string) {
  const rng = stream(4, "toy-city");
  const pois = ["a", "b", "c"].map((id, i) => ({ id, name: `poi ${id}`, city: "new-york", lat: 40.7 + i * 0.02, lon: -74 + i * 0.01 }));
  const words = [["bridge", "river"], ["museum", "gallery"], ["park", "lake"]];
  const posts = [];
  for (let i = 0; i < 60; i++) {
    const c = i % 3;
    const img = await writeTestImage(path.join(dir, "img", `p${i}.png`), `poi-${c}-${i % 2}`, 32);
    posts.push({
      id: `p${String(i).padStart(2, "0")}`,
      city: "new-york",
      poiId: pois[c].id,
      lat: pois[c].lat + 0.001 * rng.normal(),
      lon: pois[c].lon,
      text: `${rng.choice(words[c])} happy ${rng.choice(["today", "love", "friends"])}`,
      hashtags: [`#${words[c][0]}`, "#nyc"],
      images: [img],
    });
  }
  return { name: "toy-city", city: "new-york", pois, posts, checksums: { "posts.jsonl": "toy" } };
}

test("paper-scale sizes are the papers' (224 px, width 64, growth 32, MRLF defaults, 100 epochs) and Table II figures are the paper's", () => {
  const p = experimentSizes("paper");
  assert.deepEqual(p.image, { inputSize: 224, resnetWidth: 64, densenetGrowth: 32, bnMomentum: 0.99 });
  assert.deepEqual(p.mrlf, {});
  assert.equal(p.schedule.MRLF.epochs, 100);
  assert.equal(PAPER_TABLE2.MRLF["new-york"].acc, 0.828);
  assert.equal(PAPER_TABLE2.DenseNet121["hong-kong"].meanKm, 1.892);
  assert.equal(BASELINES.length, 6);
});

test("Table II runner: baselines and MRLF train on a toy city, report Acc/Mean km, and re-runs load the cached models with identical results", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "georepro-exp-"));
  const params = loadParams({}, { scale: "tiny", cacheDir: path.join(dir, "cache"), outDir: path.join(dir, "out") });
  const ctx = await experimentContext(params, {});
  const split = splitCity(await toyCity(dir), 1);
  const first: RunResult[] = [];
  for (const name of ["Tagvisor", "LocTwi", "ResNet50"] as const) first.push(await runBaseline(ctx, name, split, 1));
  first.push(await runMrlf(ctx, split, 1));
  for (const r of first) {
    assert.equal(r.metrics.n, split.test.length);
    assert.ok(r.metrics.acc >= 0 && r.metrics.acc <= 1 && Number.isFinite(r.metrics.meanKm), `${r.model}: ${JSON.stringify(r.metrics)}`);
    assert.equal(r.probs.length, split.test.length * 3);
    assert.equal(r.fromCache, false);
  }
  // Hashtags name the POI: Tagvisor is well above chance (1/3) even with the tiny forest (10 trees, half the tags each).
  assert.ok(first[0].metrics.acc > 0.6, `Tagvisor Acc ${first[0].metrics.acc}`);
  const again: RunResult[] = [];
  for (const name of ["Tagvisor", "LocTwi", "ResNet50"] as const) again.push(await runBaseline(ctx, name, split, 1));
  again.push(await runMrlf(ctx, split, 1));
  again.forEach((r, i) => {
    assert.equal(r.fromCache, true, `${r.model} should load from the cache`);
    assert.deepEqual(Array.from(r.probs), Array.from(first[i].probs), `${r.model}: cached predictions differ`);
  });
});
