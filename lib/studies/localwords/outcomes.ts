/**
 * From the cached study artifacts to the per-item outcomes that lib/stats and
 * lib/claims judge: one test set per seed (or split), the true and predicted
 * label of every test user and, where coordinates exist, the km from the
 * predicted location's centre to the user.
 */
import { haversineKm } from "../../geo/distance";
import type { Outcomes } from "../../metrics/weighted";
import type { RepeatedOutcomes } from "../../stats/paired";
import type { SettingRun, TestSetRun } from "./main";
import type { SweepSetting } from "./sweeps";

/** km from each prediction's label centre to the user's coordinates (null when some are missing). */
export function errorKmOf(ts: Pick<TestSetRun, "coords" | "centres">, predicted: readonly number[]): Float64Array | undefined {
  if (ts.coords.some(([lat, lon]) => !Number.isFinite(lat) || !Number.isFinite(lon))) return undefined;
  return Float64Array.from(predicted, (p, i) => {
    const c = ts.centres[p];
    if (!c) throw new Error(`outcomes: predicted label ${p} has no centre (no training user there)`);
    return haversineKm({ lat: ts.coords[i][0], lon: ts.coords[i][1] }, { lat: c[0], lon: c[1] });
  });
}

function outcomesOfTestSet(ts: TestSetRun, predicted: readonly number[]): Outcomes {
  const km = errorKmOf(ts, predicted);
  return { truth: Int32Array.from(ts.truth), predicted: Int32Array.from(predicted), ids: ts.ids, ...(km ? { errorKm: km } : {}) };
}

/** A system's outcomes over the setting's seeds; throws naming the system when it was not run. */
export function outcomesOf(run: SettingRun, label: string): RepeatedOutcomes {
  return run.testSets.map((ts) => {
    const s = ts.systems.find((x) => x.label === label);
    if (!s) throw new Error(`outcomes: setting ${run.id}: no system "${label}" (ran: ${ts.systems.map((x) => x.label).join(", ")})`);
    return { testSet: ts.testSet, outcomes: outcomesOfTestSet(ts, s.predicted) };
  });
}

/** The systems a setting ran, in the order of its first test set. */
export const systemsOf = (run: SettingRun): string[] => run.testSets[0].systems.map((s) => s.label);

/** Outcomes of one sweep point (accuracy only: no coordinates are kept for sweeps). */
export function sweepOutcomes(s: SweepSetting, label: string): RepeatedOutcomes {
  const p = s.points.find((x) => x.label === label);
  if (!p) throw new Error(`outcomes: sweep ${s.id}: no point "${label}" (have: ${s.points.map((x) => x.label).join(", ")})`);
  return s.testSets.map((t, g) => ({
    testSet: t.testSet,
    outcomes: { truth: Int32Array.from(t.truth), predicted: Int32Array.from(p.testSets[g].predicted), ids: t.ids },
  }));
}
