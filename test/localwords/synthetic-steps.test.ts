/**
 * The synthetic microblog users must give every step of the local-words method
 * something to do (issue 3 item 2): N1 removes words, IGR removes words, the
 * wrapper removes clusters — mostly of the planted non-local words — and the
 * proposed method is at least as accurate as NB+IGR. Small custom scale (700
 * users, 12 cities) so the whole pipeline, word2vec included, runs in seconds.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generateMicroblog, MicroblogScaleSpec } from "../../lib/data/synthetic/microblog";
import { syntheticCorpus, syntheticDataset, splitUsers, PAPER_SPLIT } from "../../lib/localwords/datasets";
import { corpusWordVectors } from "../../lib/localwords/vectors";
import { runLocalWords, SYSTEMS } from "../../lib/localwords/pipeline";
import { stream } from "../../lib/runtime/rng";
import { frequencyFilter } from "../../lib/localwords/preprocess";

const SPEC: MicroblogScaleSpec = {
  states: 4,
  citiesPerState: 3,
  users: 700,
  minTweets: 8,
  maxTweets: 14,
  communities: 12,
  membersPerCommunity: [2, 6],
  events: 3,
};
const SEED = 1;

test("synthetic users: communities are location-free, members are heavy users, every planted kind appears", () => {
  const g = generateMicroblog(SEED, SPEC);
  assert.equal(g.planted.community.length, 12);
  assert.equal(g.planted.trending.length, 3);
  assert.ok(g.planted.personal.length > 0, "some users have personal words");
  const byId = new Map(g.users.map((u) => [u.id, u]));
  const cityCount = new Set(g.users.map((u) => u.city)).size;
  let membersCities = 0;
  g.communityMembers.forEach((members, c) => {
    assert.ok(members.length >= 2 && members.length <= 6, `community ${c} has ${members.length} members`);
    const words = new Set(g.planted.community[c]);
    for (const id of members) {
      const text = byId.get(id)!.tweets.join(" ").toLowerCase();
      assert.ok(
        [...words].some((w) => text.includes(w)),
        `member ${id} never tweets about community ${c}`,
      );
    }
    membersCities += new Set(members.map((id) => byId.get(id)!.city)).size;
  });
  // Members are drawn regardless of location: communities span several cities on average.
  assert.ok(
    membersCities / g.communityMembers.length > 1.5,
    `members per community span ${membersCities / g.communityMembers.length} cities of ${cityCount}`,
  );
  const memberIds = new Set(g.communityMembers.flat());
  const meanTweets = (us: typeof g.users) => us.reduce((s, u) => s + u.tweets.length, 0) / us.length;
  assert.ok(
    meanTweets(g.users.filter((u) => memberIds.has(u.id))) > 1.5 * meanTweets(g.users.filter((u) => !memberIds.has(u.id))),
    "members tweet more",
  );
});

test("synthetic users exercise N1, IGR, the wrapper, and the proposed method beats NB+IGR", async () => {
  const g = generateMicroblog(SEED, SPEC);
  const syn = syntheticCorpus(SEED, SPEC);
  const d = syntheticDataset(syn, "city");
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), "lw-steps-"));
  try {
    const sp = splitUsers(d, PAPER_SPLIT, SEED);
    const vectors = await corpusWordVectors(syn.corpus, SEED, { dim: 16, epochs: 5, sample: 1e-3 }, cache);
    const r = runLocalWords(
      sp.train,
      sp.test,
      vectors,
      { n1: 3, threshold: "largest-drop", k: 12, reading: "user-words", placeNames: d.placeNames, progressLabel: null },
      stream(SEED, "steps"),
    );
    const afterN1 = frequencyFilter(sp.train, 3).vocab;
    const local = new Set([...g.planted.cityLocal, ...g.planted.stateLocal]);
    const nonLocal = new Set([...g.planted.common, ...g.planted.community.flat(), ...g.planted.trending.flat(), ...g.planted.personal]);

    // N1: one-off typos and @mentions go; the planted local words stay.
    assert.ok(r.wordCounts.removedByN1 > 0.3 * (r.wordCounts.afterN1 + r.wordCounts.removedByN1), `N1 removed ${r.wordCounts.removedByN1}`);
    assert.equal([...local].filter((w) => !afterN1.has(w)).length, 0, "every planted local word passes N1");

    // IGR: removes words, mostly the everywhere topic words.
    assert.ok(r.wordCounts.removedByScore > 0, "IGR removed nothing");
    const igr = new Set(r.selectedWords);
    const commonBefore = g.planted.common.filter((w) => afterN1.has(w)).length;
    const commonAfter = g.planted.common.filter((w) => igr.has(w)).length;
    assert.ok(commonAfter < 0.7 * commonBefore, `common topic words: ${commonBefore} after N1, ${commonAfter} after IGR`);
    assert.ok([...local].filter((w) => igr.has(w)).length > 0.9 * local.size, "IGR keeps the planted local words");
    // …but not the location-free community words: that is left to the wrapper.
    const communityAfterIgr = g.planted.community.flat().filter((w) => igr.has(w)).length;
    assert.ok(communityAfterIgr > 0, "some community words survive IGR (they are what the wrapper is for)");

    // Wrapper: removes at least one cluster, and what it removes is mostly non-local.
    assert.ok(r.wrapper.removed.length >= 1, `wrapper removed no cluster (CV error ${r.wrapper.fullError})`);
    assert.ok(r.wrapper.error < r.wrapper.fullError);
    const removed = r.wrapper.removed.flatMap((c) => r.clusters[c]);
    const share = (ws: readonly string[], set: Set<string>) => ws.filter((w) => set.has(w)).length / ws.length;
    assert.ok(
      share(removed, nonLocal) > share(r.localWords, nonLocal),
      `non-local share: removed ${share(removed, nonLocal).toFixed(2)} vs kept ${share(r.localWords, nonLocal).toFixed(2)}`,
    );
    assert.ok(
      share(r.localWords, local) > share(r.selectedWords, local),
      "the wrapper's selection is richer in local words than the IGR-filtered set",
    );
    assert.equal(r.wordCounts.local + r.wordCounts.removedByWrapper, r.wordCounts.selected);

    // The proposed method is at least as accurate as NB+IGR here, and both beat the majority class.
    const acc = (label: string) => {
      const p = r.systems.find((x) => x.label === label)!.predictions;
      return r.test.docs.filter((doc, i) => doc.y === p[i]).length / p.length;
    };
    assert.ok(acc(SYSTEMS.proposed) >= acc(SYSTEMS.nbIgr), `proposed ${acc(SYSTEMS.proposed)} < NB+IGR ${acc(SYSTEMS.nbIgr)}`);
    const counts = new Map<number, number>();
    for (const doc of r.test.docs) counts.set(doc.y, (counts.get(doc.y) ?? 0) + 1);
    assert.ok(acc(SYSTEMS.nbIgr) > Math.max(...counts.values()) / r.test.docs.length + 0.2, "NB+IGR is far above the majority class");
    assert.equal(
      acc(SYSTEMS.majority),
      Math.max(
        ...[...counts.entries()]
          .filter(([y]) => y === r.systems.find((x) => x.label === SYSTEMS.majority)!.predictions[0])
          .map(([, n]) => n),
      ) / r.test.docs.length,
      "the majority floor predicts the most frequent training label",
    );
    assert.ok(acc(SYSTEMS.literal) < acc(SYSTEMS.nbIgr) - 0.3, `the literal reading is degenerate: ${acc(SYSTEMS.literal)}`);
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
});

test("synthetic microblog: a custom scale is named in the dataset description, marked synthetic", () => {
  const d = syntheticDataset(syntheticCorpus(SEED, { ...SPEC, users: 120, communities: 2 }), "state");
  assert.match(d.dataset.description ?? "", /custom/);
  assert.equal(d.dataset.synthetic, true);
});
