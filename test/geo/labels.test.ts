/** US-state point-in-polygon labels, nearest city (checked against brute force), and the per-user report. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { stream } from "../../lib/runtime/rng";
import { haversineKm, LatLon } from "../../lib/geo/distance";
import { FIPS_TO_POSTAL, labelStates, stateIndex, STATES_AND_DC, whyOutside } from "../../lib/geo/states";
import { CityGrid, nearestCity, selectCities } from "../../lib/geo/cities";
import { geotextUserLabels, labelPoints } from "../../lib/geo/labels";

const P = (lat: number, lon: number): LatLon => ({ lat, lon });

test("labelStates: known places land in their state; ocean and Canada get null", () => {
  const got = labelStates([
    P(40.7128, -74.006), // New York City
    P(34.0522, -118.2437), // Los Angeles
    P(41.8781, -87.6298), // Chicago
    P(21.3069, -157.8583), // Honolulu
    P(61.2181, -149.9003), // Anchorage
    P(38.8977, -77.0365), // Washington, DC
    P(39.7392, -104.9903), // Denver
    P(30, -40), // Atlantic
    P(43.65, -79.38), // Toronto
    P(39.351815, 76.588864), // a GeoText user with a sign-flipped longitude
  ]);
  assert.deepEqual(got, ["NY", "CA", "IL", "HI", "AK", "DC", "CO", null, null, null]);
});

test("state index: every us-atlas state has a postal code; 50 states + DC", () => {
  const postals = new Set(stateIndex().polygons.map((p) => p.postal));
  assert.ok(postals.size >= 51);
  for (const s of STATES_AND_DC) assert.ok(postals.has(s), s);
  assert.equal(STATES_AND_DC.size, 51);
  assert.equal(FIPS_TO_POSTAL["36"], "NY");
});

test("whyOutside: far away vs near a coast", () => {
  assert.equal(whyOutside(P(30, -40)), "beyond-every-state-box");
  assert.equal(whyOutside(P(39.351815, 76.588864)), "beyond-every-state-box");
  assert.equal(whyOutside(P(43.65, -79.38)), "in-a-state-box-but-no-polygon"); // Toronto lies inside New York's box
});

test("nearestCity equals brute force on seeded random points (≥100k and every town ≥1000)", () => {
  const rng = stream(7, "test/nearest-city");
  const pts = Array.from({ length: 300 }, () => P(18 + rng.next() * 54, -170 + rng.next() * 105));
  for (const minPopulation of [100_000, 1000]) {
    const cities = selectCities({ minPopulation });
    const got = nearestCity(pts, { minPopulation });
    pts.forEach((p, i) => {
      let best = Infinity;
      for (const c of cities) best = Math.min(best, haversineKm(p, c));
      assert.equal(got[i].km, best, `point ${i} (${p.lat}, ${p.lon}), minPopulation ${minPopulation}`);
    });
  }
});

test("nearestCity: names, states, filters", () => {
  const [nyc, chi] = nearestCity([P(40.7128, -74.006), P(41.8781, -87.6298)]);
  assert.deepEqual([nyc.name, nyc.state], ["New York City", "NY"]);
  assert.deepEqual([chi.name, chi.state], ["Chicago", "IL"]);
  assert.ok(chi.km < 10);
  assert.ok(
    selectCities({ minPopulation: 100_000 }).every((c) => c.country === "US" && c.population >= 100_000 && c.featureCode !== "PPLX"),
  );
  assert.throws(() => new CityGrid([]), /no city passes the filter/);
  assert.throws(() => nearestCity([P(0, 0)], { minPopulation: 1e9 }), /no city passes the filter/);
});

test("labelPoints / geotextUserLabels: every user labelled, outside users counted by reason", () => {
  const users = [P(40.7128, -74.006), P(40.75, -73.99), P(34.0522, -118.2437), P(30, -40), P(43.65, -79.38)].map((p, i) => ({
    id: `U${i}`,
    ...p,
  }));
  const { labels, report } = geotextUserLabels({ users: users as never });
  assert.equal(labels.length, 5);
  assert.deepEqual(
    labels.map((l) => l.id),
    ["U0", "U1", "U2", "U3", "U4"],
  );
  assert.deepEqual(
    labels.map((l) => l.state),
    ["NY", "NY", "CA", null, null],
  );
  assert.equal(report.inState, 3);
  assert.equal(report.outsideEveryState, 2);
  assert.deepEqual(
    report.outsideByReason.map((r) => [r.reason, r.users]),
    [
      ["beyond-every-state-box", 1],
      ["in-a-state-box-but-no-polygon", 1],
    ],
  );
  assert.deepEqual(report.byState, [
    { state: "NY", users: 2 },
    { state: "CA", users: 1 },
  ]);
  assert.equal(
    report.byCity.reduce((a, c) => a + c.users, 0),
    5,
  );
  assert.equal(labelPoints([]).report.users, 0);
});
