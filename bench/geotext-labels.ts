/**
 * Speed of the data layer on real GeoText: manifest verification (cold and
 * memoised), parsing, state labels and nearest-city search for all 9,475 users.
 *
 *   node dist/bench/geotext-labels.js
 *
 * Prints one line per step; record the figures in bench/README.md.
 */
import { loadGeoText } from "../lib/data/geotext";
import { loadManifest, manifestPath, resolveManifest, verifyManifest } from "../lib/data/manifest";
import { nearestCity } from "../lib/geo/cities";
import { labelStates, stateIndex } from "../lib/geo/states";

const time = <T>(label: string, f: () => T): T => {
  const t0 = process.hrtime.bigint();
  const out = f();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  process.stdout.write(`${label.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms\n`);
  return out;
};

async function main(): Promise<void> {
  const m = loadManifest(manifestPath("geotext"));
  const resolved = time("resolve manifest", () => resolveManifest(m));
  time("verify 8 files (cold: sha256 of 5.6 MB)", () => verifyManifest(resolved));
  time("verify again (memoised by path/size/mtime)", () => verifyManifest(resolved));
  const t0 = process.hrtime.bigint();
  const corpus = await loadGeoText();
  process.stdout.write(
    `${"loadGeoText (verify + parse + cross-check)".padEnd(44)} ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(1).padStart(8)} ms\n`,
  );
  if (!corpus) return;
  time("decode us-atlas states (once)", () => stateIndex());
  time(`labelStates, ${corpus.users.length} users`, () => labelStates(corpus.users));
  time("nearestCity ≥100k (incl. loading cities)", () => nearestCity(corpus.users));
  time("nearestCity ≥100k (grid warm)", () => nearestCity(corpus.users));
  time("nearestCity ≥1000 (16k US towns, new grid)", () => nearestCity(corpus.users, { minPopulation: 1000 }));
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
