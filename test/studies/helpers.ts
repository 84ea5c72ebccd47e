/** A toy MrlfStudy for study tests: one toy city, no noisy-image cleaning, real (not synthetic) data. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadParams } from "../../lib/runtime/params";
import { experimentContext } from "../../lib/experiments/context";
import { splitCity } from "../../lib/experiments/split";
import { imageFeatures } from "../../lib/image/features";
import { INDEPENDENT } from "../../lib/data/synthetic/instagram";
import type { ImageCleaning } from "../../lib/experiments/cleaning";
import type { PreparedCity } from "../../lib/data/preprocess-posts";
import type { Post } from "../../lib/data/posts";
import { studyOf, type MrlfStudy, type StudySplit } from "../../lib/studies/mrlf/context";
import { toyCity } from "../experiments/helpers";

export async function toyStudy(seeds = [1, 2]): Promise<{ study: MrlfStudy; dir: string; markdown: string[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "georepro-study-"));
  const params = loadParams({}, { scale: "tiny", cacheDir: path.join(dir, "cache"), outDir: path.join(dir, "out") });
  const ctx = await experimentContext(params, {});
  const city = {
    ...(await toyCity(dir)),
    synthetic: false,
    description: "toy posts",
    report: [],
    stats: {},
    thresholds: {},
  } as unknown as PreparedCity;
  const emptyReport = { step: "η", rule: "none", postsBefore: 0, postsAfter: 0, removedPosts: 0, removed: [] };
  const cleaning = {
    id: "none",
    eta: 0.5,
    tau: 0.1,
    ratio: () => 0,
    inpainted: new Map(),
    measured: new Map(),
    notes: { models: "none", inpainter: "none" },
  } as unknown as ImageCleaning;
  const splits = new Map<number, Promise<StudySplit>>();
  const markdown: string[] = [];
  const run = { name: "toy", params, markdown: (m: string) => void markdown.push(m) };
  const study: MrlfStudy = studyOf({
    run,
    params,
    ctx,
    seeds,
    cities: [city],
    generator: INDEPENDENT,
    cleaning,
    tuneOn: null,
    split: (c, seed) => {
      if (!splits.has(seed))
        splits.set(
          seed,
          (async () => {
            const split = splitCity(city, seed) as unknown as StudySplit["split"];
            const features = await imageFeatures(
              ctx.backbone,
              [...split.train, ...split.val, ...split.test].flatMap((p: Post) => p.images),
              { cacheDir: params.cacheDir },
            );
            return {
              city: c,
              seed,
              raw: split,
              split,
              cleaning: {
                train: { ...emptyReport, postsBefore: split.train.length, postsAfter: split.train.length },
                val: { ...emptyReport },
                inpaintedImages: 0,
              },
              features,
            };
          })(),
        );
      return splits.get(seed)!;
    },
  });
  return { study, dir, markdown };
}
