/**
 * The paper's split (Sect. 4.1): "20% of the users are randomly selected as
 * test data from all users in each location, and the remaining 80% are used as
 * training data" — stratified by location, seeded. A location with n users
 * sends round(0.2·n) to test (none when n = 1).
 */
import { Rng } from "../runtime/rng";

export function splitPerLocation(labels: readonly string[], rng: Rng, testFraction = 0.2): { train: number[]; test: number[] } {
  if (!(testFraction > 0 && testFraction < 1)) throw new Error(`split: testFraction must be in (0, 1), got ${testFraction}`);
  const by = new Map<string, number[]>();
  labels.forEach((l, i) => {
    const list = by.get(l) ?? [];
    list.push(i);
    by.set(l, list);
  });
  const train: number[] = [];
  const test: number[] = [];
  for (const l of [...by.keys()].sort()) {
    const idx = rng.fork(l).shuffle(by.get(l)!);
    const nTest = idx.length > 1 ? Math.round(testFraction * idx.length) : 0;
    test.push(...idx.slice(0, nTest));
    train.push(...idx.slice(nTest));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

/** Keep locations with at least `min` users; report what went (the paper drops cities with < 100 users). */
export function minUsersPerLocation<T>(
  items: readonly T[],
  labelOf: (t: T) => string,
  min: number,
): { kept: T[]; removedUsers: number; removedLocations: string[] } {
  const n = new Map<string, number>();
  for (const t of items) n.set(labelOf(t), (n.get(labelOf(t)) ?? 0) + 1);
  const removedLocations = [...n.entries()]
    .filter(([, c]) => c < min)
    .map(([l]) => l)
    .sort();
  const drop = new Set(removedLocations);
  const kept = items.filter((t) => !drop.has(labelOf(t)));
  return { kept, removedUsers: items.length - kept.length, removedLocations };
}
