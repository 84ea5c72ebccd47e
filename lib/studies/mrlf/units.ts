/**
 * The trainings of notebooks 02, 03, 04 and 06 as units of the experiment graph
 * (lib/workflow/graph.ts): `runs/<notebook>/<city>/<seed>` trains, ahead of the
 * notebook, every system its variant study runs in that city and seed — the same
 * system objects the study builds, through the same runSystemsAt, so the cache
 * entries are the ones the notebook then reads. On a cluster they spread a
 * notebook's trainings over as many jobs as it has cities × seeds; on 2 cores
 * they cost one process start-up each (≈ 3 s).
 *
 * What stays inside the notebooks (small beside these at every scale but paper):
 * 02's name-leakage control (a real city's text + hashtag models trained again
 * without place names), 03's sensitivity grid (late fusion on one city and
 * seed), 04's padding-mask check and correlated generator mode (first city),
 * 05's image-only variants (≈ 0.005 s per step); 02's chance floors, Tagvisor
 * and the NB control have no optimizer steps (seconds).
 */
import type { MrlfStudy } from "./context";
import { runSystemsAt, type VariantSystem } from "./variants";
import { table2Systems } from "./table2";
import { ablationSystems } from "./ablation";
import { fusionSystems } from "./fusion";
import { cutSystems } from "./hashtag-cut";

/** Notebook stem → the systems its `runs/…` units train (cheap baselines without optimizer steps ride along). */
export const RUN_UNITS: Readonly<Record<string, (study: MrlfStudy) => VariantSystem[]>> = {
  "02-mrlf": table2Systems,
  "03-ablation": () => ablationSystems(),
  "04-fusion-variants": () => fusionSystems(),
  "06-low-frequency-hashtags": cutSystems,
};

/** Run one `runs/<notebook>/<city>/<seed>` unit (its results are cached; the notebook reads them). */
export async function runUnitSystems(study: MrlfStudy, notebook: string, city: string, seed: number): Promise<void> {
  const systems = RUN_UNITS[notebook];
  if (!systems) throw new Error(`unit runs/${notebook}: no run units for this notebook (have: ${Object.keys(RUN_UNITS).join(", ")})`);
  if (!study.cities.some((c) => c.city === city))
    throw new Error(`unit runs/${notebook}/${city}: no city "${city}" in this run (have ${study.cities.map((c) => c.city).join(", ")})`);
  await runSystemsAt(study, systems(study), city, seed, undefined, `notebook ${notebook}`);
}
