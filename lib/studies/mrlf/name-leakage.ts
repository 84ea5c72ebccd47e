/**
 * Name leakage on real posts (notebook 02): how many test posts name their own
 * POI, and every text + hashtag model of Table II trained and tested again on
 * the same split with every POI name removed from captions and tags
 * (lib/data/name-leakage.ts states the rule). The difference is how much of
 * each model's accuracy is name matching. Real cities only: the synthetic
 * generator plants place words by design (notebook 01 says so), so there the
 * question has a known answer.
 */
import type { Cell, ResultTable } from "../../results/table";
import { stream } from "../../runtime/rng";
import { keyOf } from "../../runtime/hash";
import { comparePaired, estimateMetric, type RepeatedOutcomes } from "../../stats/paired";
import { mentionsAny, nameTokensOf, stripNames, MIN_NAME_TOKEN, MAX_LOCATIONS_PER_NAME_TOKEN } from "../../data/name-leakage";
import type { Post } from "../../data/posts";
import { BASELINES, type BaselineName } from "../../experiments/baselines";
import { runMrlf } from "../../experiments/mrlf-run";
import type { RunResult } from "../../experiments/run";
import type { CitySplit } from "../../experiments/split";
import { NB_CONTROL } from "../../experiments/nb-control";
import { datasetOf, type MrlfStudy } from "./context";
import type { ClaimResult } from "../../claims/evaluate";
import type { Table2 } from "./table2";
import { chosenAlpha, chosenLearningRate } from "./tuning";
import { MAJORITY, repeatedOutcomes, trainingTimes } from "./summary";
import { info } from "../../runtime/progress";

/** The models the control re-runs: every Table II system that reads only text and hashtags (or runs without its image branch). */
export const TEXT_TAG_SYSTEMS: readonly string[] = ["MRLF", "Tagvisor", "DeepGeo", "LocTwi", "Late fusion", NB_CONTROL];

export interface NameLeakage {
  cities: string[];
  /** Runs with names removed, labelled as Table II labels them. */
  runs: RunResult[];
  tables: { counts: ResultTable; control: ResultTable };
  /** One line per city: the share of test posts that name their POI, and each model's Acc as is → without names. */
  summary: string[];
  times: ReturnType<typeof trainingTimes>;
}

/** The split with every caption word and tag that contains a POI name token removed (train, validation and test alike). */
export function namesRemovedSplit(
  split: CitySplit<Post>,
  tokens: readonly string[],
): { split: CitySplit<Post>; words: number; tags: number } {
  let words = 0,
    tags = 0;
  const strip = (p: Post): Post => {
    const r = stripNames(p, tokens);
    words += r.wordsRemoved;
    tags += r.tagsRemoved;
    return r.post;
  };
  const train = split.train.map(strip);
  const val = split.val.map(strip);
  const test = split.test.map(strip);
  return { split: { ...split, train, val, test, key: { ...split.key, namesRemoved: keyOf([...tokens].sort()) } }, words, tags };
}

export async function nameLeakageStudy(study: MrlfStudy, t2: Table2, log: (line: string) => void = info): Promise<NameLeakage | null> {
  const cities = study.cities.filter((c) => study.planted(c.city) === null && !c.synthetic);
  if (cities.length === 0) return null;
  const runs: RunResult[] = [];
  const countRows: Record<string, Cell>[] = [];
  const controlRows: Record<string, Cell>[] = [];
  const summary: string[] = [];
  for (const c of cities) {
    const tokensByPoi = nameTokensOf(c.pois, c.officialNames);
    const all = [...new Set([...tokensByPoi.values()].flat())].sort();
    const systems = TEXT_TAG_SYSTEMS.filter((s) => t2.systemsByCity[c.city]?.includes(s));
    const mentionFlags: boolean[][] = [];
    for (const seed of study.seeds) {
      const s = await study.split(c.city, seed);
      const test = s.split.test;
      const own = test.map((p) => mentionsAny(p.text, p.hashtags, tokensByPoi.get(p.poiId) ?? []));
      mentionFlags.push(own);
      const any = test.filter((p) => mentionsAny(p.text, p.hashtags, all)).length;
      const stripped = namesRemovedSplit(s.split, all);
      countRows.push({
        city: study.cityName(c.city),
        seed,
        test: test.length,
        own: own.filter((x) => x).length,
        own_share: own.filter((x) => x).length / Math.max(1, test.length),
        any,
        words: stripped.words,
        tags: stripped.tags,
      });
      for (const sys of systems) {
        const images = study.hasImages(c.city);
        let r: RunResult;
        if (sys === "MRLF")
          r = await runMrlf(study.ctx, stripped.split, seed, s.features, {
            overrides: study.fullOverrides(c.city),
            learningRate: await chosenLearningRate(study, "MRLF", c.city),
          });
        else {
          const spec = BASELINES[sys as BaselineName];
          const lr = spec.schedule ? await chosenLearningRate(study, spec.schedule, c.city) : undefined;
          const alpha = spec.smoothing ? await chosenAlpha(study, c.city) : undefined;
          r = await spec.run(study.ctx, {
            split: stripped.split,
            seed,
            features: s.features,
            images,
            ...(lr !== undefined ? { learningRate: lr } : {}),
            ...(alpha !== undefined ? { alpha } : {}),
          });
        }
        runs.push(r);
        log(`${c.city} seed ${seed} ${sys} (names removed): Acc ${r.metrics.acc.toFixed(3)}${r.fromCache ? " (cached)" : ""}`);
      }
    }
    const parts: string[] = [];
    for (const sys of [MAJORITY, ...systems]) {
      const asIs = repeatedOutcomes(t2.runs, c.city, sys);
      const removed: RepeatedOutcomes = sys === MAJORITY ? asIs : repeatedOutcomes(runs, c.city, sys);
      const rng = (what: string) => stream(study.params.seed, `name-leakage/${c.city}/${sys}/${what}`);
      const cmp = comparePaired(asIs, removed, "acc", { rng: rng("diff") });
      // Acc as is on the test posts that name their POI, and on those that do not (pooled over seeds).
      let okMention = 0,
        nMention = 0,
        okOther = 0,
        nOther = 0;
      asIs.forEach((t, g) =>
        t.outcomes.truth.forEach((y, i) => {
          const ok = t.outcomes.predicted[i] === y ? 1 : 0;
          if (mentionFlags[g][i]) ((okMention += ok), nMention++);
          else ((okOther += ok), nOther++);
        }),
      );
      const removedEst = sys === MAJORITY ? cmp.b : estimateMetric(removed, "acc", { rng: rng("removed") });
      controlRows.push({
        city: study.cityName(c.city),
        model: sys,
        acc: cmp.a.estimate,
        acc_lo: cmp.a.ci.lo,
        acc_hi: cmp.a.ci.hi,
        acc_removed: removedEst.estimate,
        removed_lo: removedEst.ci.lo,
        removed_hi: removedEst.ci.hi,
        diff: cmp.diff.estimate,
        diff_lo: cmp.diff.ci.lo,
        diff_hi: cmp.diff.ci.hi,
        acc_naming: nMention ? okMention / nMention : null,
        acc_not_naming: nOther ? okOther / nOther : null,
      });
      if (sys !== MAJORITY) parts.push(`${sys} ${cmp.a.estimate.toFixed(3)} → ${removedEst.estimate.toFixed(3)}`);
    }
    const share = countRows.filter((r) => r.city === study.cityName(c.city));
    const named = share.reduce((s, r) => s + (r.own as number), 0);
    const total = share.reduce((s, r) => s + (r.test as number), 0);
    summary.push(
      `${study.cityName(c.city)}: ${named} of ${total} test posts (${((100 * named) / Math.max(1, total)).toFixed(0)} %, over ${study.seeds.length} seeds) name their own POI. Acc as is → with every POI name removed: ${parts.join("; ")}.`,
    );
  }
  const dataset = datasetOf(cities);
  const rule = `Name tokens: runs of letters and digits of ≥ ${MIN_NAME_TOKEN} characters of a POI's official name (co-located entries' names together) that occur in the names of at most ${MAX_LOCATIONS_PER_NAME_TOKEN} of the city's official locations, compared after NFKD without accents, ß → ss, lower case; a caption word or tag that CONTAINS a name token names it (so glued tags like "wienerstaatsoper" match "staatsoper"). Rule-based: a common word that is also a name ("central", "first") counts too, so the counts are an upper bound on naming.`;
  return {
    cities: cities.map((c) => c.city),
    runs,
    summary,
    times: trainingTimes(runs),
    tables: {
      counts: {
        name: "02-name-leakage",
        title: "Name leakage: test posts whose caption or tags name their own POI (and any POI), per seed",
        reproduces: "not in the paper: a control of what Table II's text and hashtag models can learn from real posts",
        dataset,
        columns: [
          { key: "city", label: "City", source: "info" },
          { key: "seed", label: "Seed", digits: 0, source: "info" },
          { key: "test", label: "Test posts", digits: 0, source: "ours" },
          { key: "own", label: "Naming their own POI", digits: 0, source: "ours" },
          { key: "own_share", label: "Share naming their own POI", digits: 3, source: "ours" },
          { key: "any", label: "Naming any POI", digits: 0, source: "ours" },
          { key: "words", label: "Caption words removed (all parts)", digits: 0, source: "ours" },
          { key: "tags", label: "Tags removed (all parts)", digits: 0, source: "ours" },
        ],
        rows: countRows,
        notes: [
          rule,
          "Removal takes out every word and tag naming ANY POI of the city, from training, validation and test posts alike: removing only the true POI's name would tell a model the answer by what is missing.",
        ],
      },
      control: {
        name: "02-name-leakage-control",
        title:
          "Every text + hashtag model as is and with every POI name removed (same splits, seeds, learning rates and α): Acc with 95 % CIs",
        reproduces: "not in the paper: how much of each model's accuracy is name matching",
        dataset,
        columns: [
          { key: "city", label: "City", source: "info" },
          { key: "model", label: "Model", source: "info" },
          { key: "acc", label: "Acc as is", digits: 3, source: "ours" },
          { key: "acc_lo", label: "as is 95% CI lo", digits: 3, source: "ours" },
          { key: "acc_hi", label: "as is 95% CI hi", digits: 3, source: "ours" },
          { key: "acc_removed", label: "Acc, names removed", digits: 3, source: "ours" },
          { key: "removed_lo", label: "names removed 95% CI lo", digits: 3, source: "ours" },
          { key: "removed_hi", label: "names removed 95% CI hi", digits: 3, source: "ours" },
          { key: "diff", label: "Δ (as is − removed)", digits: 3, source: "ours" },
          { key: "diff_lo", label: "Δ 95% CI lo", digits: 3, source: "ours" },
          { key: "diff_hi", label: "Δ 95% CI hi", digits: 3, source: "ours" },
          { key: "acc_naming", label: "Acc as is on posts naming their POI", digits: 3, source: "ours" },
          { key: "acc_not_naming", label: "Acc as is on the other posts", digits: 3, source: "ours" },
        ],
        rows: controlRows,
        notes: [
          `Means over ${study.seeds.length} seeds; Δ is a paired bootstrap over the same test posts (resampled within each seed). The majority floor never reads a post, so its Δ is 0 by construction.`,
          "Each model is retrained on the names-removed split with the learning rate (or α) chosen for it on the data as is: the control changes the data, not the tuning.",
          rule,
        ],
      },
    },
  };
}

/**
 * The conclusion notebook 02 closes with, in words chosen by the numbers (so
 * it stays true whatever a run measures): how often posts name their POI,
 * how much of each model's accuracy goes when the names go, and where the NB
 * control stands against MRLF as is and without names.
 */
export function leakageConclusion(nl: NameLeakage, nbVerdict: (city: string) => string | null = () => null): string[] {
  const out: string[] = [];
  const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
  const pts = (x: number) => `${(100 * x).toFixed(1)} points`;
  for (const city of [...new Set(nl.tables.control.rows.map((r) => r.city as string))]) {
    const rows = nl.tables.control.rows.filter((r) => r.city === city && r.model !== MAJORITY);
    const counts = nl.tables.counts.rows.filter((r) => r.city === city);
    const named =
      counts.reduce((s, r) => s + (r.own as number), 0) /
      Math.max(
        1,
        counts.reduce((s, r) => s + (r.test as number), 0),
      );
    const get = (m: string) => rows.find((r) => r.model === m);
    const drops = rows.map((r) => ({
      model: r.model as string,
      asIs: r.acc as number,
      removed: r.acc_removed as number,
      lo: r.diff_lo as number,
      hi: r.diff_hi as number,
    }));
    const significant = drops.filter((d) => d.lo > 0);
    const best = drops.slice().sort((a, b) => b.asIs - a.asIs)[0];
    const bestRemoved = drops.slice().sort((a, b) => b.removed - a.removed)[0];
    const mrlf = get("MRLF");
    const nb = get(NB_CONTROL);
    const lines: string[] = [];
    lines.push(
      `**${city}.** ${pct(named)} of the test posts name their own POI in the caption or a tag (by the rule above). ${
        significant.length === drops.length
          ? "Every text + hashtag model loses accuracy when the names go"
          : significant.length
            ? `${significant.map((d) => d.model).join(", ")} lose${significant.length === 1 ? "s" : ""} accuracy when the names go (95 % CI of the drop above 0); ${drops
                .filter((d) => !significant.includes(d))
                .map((d) => d.model)
                .join(", ")} ${drops.length - significant.length === 1 ? "does" : "do"} not`
            : "No model's accuracy changes measurably when the names go"
      }: ${drops.map((d) => `${d.model} ${d.asIs.toFixed(3)} → ${d.removed.toFixed(3)}`).join(", ")}.`,
    );
    if (mrlf) {
      const kept = mrlf.acc_removed as number;
      const asIs = mrlf.acc as number;
      const onNaming = (mrlf.acc_naming as number | null) ?? 0;
      const onOther = (mrlf.acc_not_naming as number | null) ?? 0;
      // Share of MRLF's correct predictions that fall on posts naming their POI.
      const right = onNaming * named + onOther * (1 - named);
      lines.push(
        `MRLF keeps ${asIs > 0 ? pct(kept / asIs) : "—"} of its accuracy without names; as is it is right on ${pct(onNaming)} of the posts that name their POI and on ${pct(onOther)} of the others, so ${right > 0 ? pct((onNaming * named) / right) : "—"} of its correct predictions are on posts that name the place (${pct(named)} of the test posts).`,
      );
    }
    if (nb && mrlf) {
      const v = nbVerdict(city);
      const gap = (mrlf.acc as number) - (nb.acc as number);
      const gapRemoved = (mrlf.acc_removed as number) - (nb.acc_removed as number);
      lines.push(
        `The NB control — a multinomial Naive Bayes over the same caption words and tags, ten lines of counting — scores ${(nb.acc as number).toFixed(3)} as is against MRLF's ${(mrlf.acc as number).toFixed(3)} (${gap >= 0 ? `MRLF ahead by ${pts(gap)}` : `NB ahead by ${pts(-gap)}`}${v ? `; claim "MRLF beats the NB control": ${v} at the nominal 95 % level, the family's verdict is in the claims table` : ""}), and ${(nb.acc_removed as number).toFixed(3)} against ${(mrlf.acc_removed as number).toFixed(3)} without names (${gapRemoved >= 0 ? `MRLF ahead by ${pts(gapRemoved)}` : `NB ahead by ${pts(-gapRemoved)}`}). ${
          best.model === NB_CONTROL || best.model === "Tagvisor"
            ? `The best model as is, ${best.model}, is a counting model over words or tags: a Table II "MRLF beats every baseline" verdict here says little about representation learning.`
            : `The best model as is is ${best.model}.`
        } Without names the best is ${bestRemoved.model} (${bestRemoved.removed.toFixed(3)}).`,
      );
    }
    out.push(lines.join(" "));
  }
  return out;
}

/** A claim's nominal (95 %) verdict per city label (for leakageConclusion); the family-wise verdict is the claims table's. */
export function verdictByCity(
  study: Pick<MrlfStudy, "cities" | "cityName">,
  results: readonly ClaimResult[],
  claimId: string,
): (cityLabel: string) => string | null {
  return (label) => {
    const c = study.cities.find((x) => study.cityName(x.city) === label);
    if (!c) return null;
    return results.find((r) => r.id === claimId && r.setting === (c.setting ?? c.city))?.nominal ?? null;
  };
}
