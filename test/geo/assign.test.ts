/** Labels at the level a run asks for: from the record, else from coordinates; nobody dropped without a count. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { labelAtLevel, describeLevelLabels } from "../../lib/geo/assign";
import { countryOf } from "../../lib/geo/countries";

const nyc = { lat: 40.754, lon: -73.984 };
const london = { lat: 51.5074, lon: -0.1278 };
const beijing = { lat: 39.9042, lon: 116.4074 };
const pacific = { lat: -45, lon: -130 }; // open ocean, far from any country's outline

test("countryOf: Natural Earth polygons", () => {
  assert.equal(countryOf(nyc), "United States of America");
  assert.equal(countryOf(london), "United Kingdom");
  assert.equal(countryOf(beijing), "China");
  assert.equal(countryOf(pacific), null);
});

test("labelAtLevel: state from us-atlas, country from world-atlas, city within 161 km; record labels win; every unlabelled user counted", () => {
  const records = [
    { id: "a", coord: nyc },
    { id: "b", coord: london },
    { id: "c", coord: pacific },
    { id: "d", state: "TX" },
    { id: "e" },
    { id: "f", coord: beijing, country: "PRC" },
  ];
  const st = labelAtLevel(records, { level: "state" });
  assert.deepEqual(st.labels, ["NY", null, null, "TX", null, null]);
  assert.equal(st.report.fromRecord, 1);
  assert.equal(st.report.fromCoordinates, 1);
  const outside = st.report.outside.reduce((a, o) => a + o.users, 0);
  assert.equal(outside, 3, "London, the Pacific and Beijing are in no US state");
  assert.equal(st.report.noLabelNoCoordinates, 1);
  assert.equal(outside + st.report.noLabelNoCoordinates + st.report.fromRecord + st.report.fromCoordinates, records.length);

  const co = labelAtLevel(records, { level: "country" });
  assert.deepEqual(co.labels, ["United States of America", "United Kingdom", null, null, null, "PRC"]);
  assert.deepEqual(
    co.report.outside.map((o) => [o.reason, o.users]),
    [["beyond-every-country-box", 1]],
  );
  assert.equal(co.report.noLabelNoCoordinates, 2);

  const ci = labelAtLevel(records, { level: "city" });
  // GeoNames lists Manhattan (1.6 M inhabitants) as a populated place of its own: the nearest to Midtown.
  assert.equal(ci.labels[0], "Manhattan, NY");
  assert.equal(ci.labels[1], "London, GB");
  assert.equal(ci.labels[5], "Beijing, CN");
  assert.equal(ci.labels[2], null);
  assert.match(ci.report.outside[0].explanation, /farther than 161 km from every city with ≥ 100,000 inhabitants/);
  assert.ok(describeLevelLabels(ci.report).some((l) => /1 users removed: farther than 161 km/.test(l)));
});
