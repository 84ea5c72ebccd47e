/**
 * Judging the local-words claims of lib/claims/registry.ts from the cached
 * study artifacts: for every claim and setting, the outcomes of the favoured
 * system and of those it is compared with, handed to `claims.judge` (which
 * writes the claim JSON and shows the closing sentence). No verdict logic here.
 */
import { judge, notRun, type JudgeContext } from "../../claims/judge";
import { claimById } from "../../claims/registry";
import { againstIn } from "../../claims/spec";
import type { ClaimResult } from "../../claims/evaluate";
import type { RepeatedOutcomes } from "../../stats/paired";
import type { MainStudy } from "./main";
import type { SweepStudy } from "./sweeps";
import { outcomesOf, sweepOutcomes } from "./outcomes";
import { STOPWORDS_KEPT, stopwordOutcomes, type StopwordStudy } from "./stopwords";
import { trainFoldsLabel, type Protocol } from "../../localwords/datasets";

/** A registry setting's label as this run ran it: official folds name the training and test folds ("… official folds 1–3 → 5"). */
export const ranLabel = (label: string, p: Protocol): string =>
  p.kind === "official" && !label.includes("→") ? `${label} ${trainFoldsLabel(p)} → ${p.testFold}` : label;

/** Synthetic settings: what the generator plants that decides each claim (lib/data/synthetic/microblog.ts). */
export const PLANTED: Readonly<Record<string, string>> = {
  "lw-proposed-beats-nbigr-acc":
    "location-free community words (fandoms, games, brands of a few heavy users), trending-event words and personal words of prolific users whose IGR is as high as a local word's; they co-occur only among themselves, so word2vec gives them clusters of their own that the wrapper can drop",
  "lw-proposed-beats-tuned-nbigr-acc":
    "the same location-free words, whose IGR is as high as the local words': no N2 removes them without removing local words too",
  "lw-semantic-clusters-help":
    "location-free words that form semantic clusters of their own (communities, events, personal words); a random partition of the same words mixes them with local words",
  "lw-larger-n1-worse":
    "no rate for N1: local words of small cities are used by few users, so a larger N1 removes some of them along with typos",
  "lw-flat-in-n2": "no rate for N2: planted local and location-free words both spread over the swept IGR range",
  "lw-n2-extremes-hurt": "no rate for N2: planted local and location-free words both spread over the swept IGR range",
  "lw-proposed-beats-mnbpart-acc":
    "location-free words among the frequent ones MNB-PART keeps (community, trending and personal words), which the wrapper can drop",
};

const isSweepClaim = (id: string): boolean => id === "lw-larger-n1-worse" || id === "lw-flat-in-n2" || id === "lw-n2-extremes-hurt";
const isStopwordClaim = (id: string): boolean => id === "lw-stopwords-no-effect";

/** Why a registry setting has no data in this run: its dataset (the setting id's stem) is absent, or DATA=… replaced the defaults. */
function absentReason(settingId: string, main: MainStudy): string {
  const dataset = settingId.replace(/-(state|city)-(official|split)$/, "");
  if (main.settings.some((s) => s.own !== null)) return `not run: DATA=… replaces the default data (${dataset} not used)`;
  return `not run: ${dataset} absent`;
}

export interface JudgeOutcome {
  claim: string;
  setting: string;
  result: ClaimResult | null;
  /** Why a setting was not judged (its data absent from this run). */
  skipped: string | null;
}

/**
 * Judge the given claims on every one of their settings that this run has.
 * A setting whose data is absent is reported (inline and in the return value),
 * never silently dropped; the claims table shows it as "not run".
 */
export function judgeLocalWordsClaims(
  run: JudgeContext,
  claimIds: readonly string[],
  main: MainStudy,
  sweeps: SweepStudy | null,
  stopwords: StopwordStudy | null = null,
): JudgeOutcome[] {
  const out: JudgeOutcome[] = [];
  // A researcher's own data (DATA=…) is judged on its own settings, which the registry does not
  // list — on the accuracy claims only: macro precision/recall over few test users per location is
  // unstable enough that its interval says little (Fig. 5's table
  // still shows the macro scores).
  const own = main.settings.filter((s) => s.own !== null).map((s) => ({ id: s.id, label: s.label, own: true }));
  for (const id of claimIds) {
    const spec = claimById(id);
    const ownHere =
      spec.metric === "acc" && !isStopwordClaim(id)
        ? own.filter((s) => !isSweepClaim(id) || sweeps?.settings.some((x) => x.id === s.id))
        : [];
    // Settings marked not testable are never judged (the claims table says why).
    const listed = spec.settings
      .filter((s) => !s.notTestable)
      .map((s) => ({ id: s.id, label: s.label, own: false, against: againstIn(spec, s) }));
    const settings = [...listed, ...ownHere.map((s) => ({ ...s, against: spec.against }))];
    for (const setting of settings) {
      const m = main.settings.find((s) => s.id === setting.id);
      const sw = sweeps?.settings.find((s) => s.id === setting.id);
      const st = stopwords?.settings.find((s) => s.id === setting.id);
      const why = !m
        ? absentReason(setting.id, main)
        : isSweepClaim(id) && !sw
          ? "not run: no N1/N2 sweep for this setting in this run"
          : isStopwordClaim(id) && !st
            ? "not run: the stop-words-kept variant was not run here"
            : null;
      if (why) {
        if (!setting.own) notRun(run, id, setting.id, why);
        else run.markdown(`*${spec.statement} (${setting.label}): ${why}.*`);
        out.push({ claim: id, setting: setting.id, result: null, skipped: why });
        continue;
      }
      const official = m!.protocol.kind === "official";
      const systems: Record<string, RepeatedOutcomes> = {};
      if (isStopwordClaim(id)) {
        const kept = stopwordOutcomes(stopwords!, setting.id);
        // The variant reran the first seeds only: compare on those.
        systems[spec.favoured] = outcomesOf(m!, spec.favoured).slice(0, kept.length);
        systems[STOPWORDS_KEPT] = kept;
      } else
        for (const label of [spec.favoured, ...setting.against])
          systems[label] = isSweepClaim(id) ? sweepOutcomes(sw!, label) : outcomesOf(m!, label);
      const result = judge(run, id, {
        setting: setting.id,
        settingLabel: setting.own ? setting.label : ranLabel(setting.label, m!.protocol),
        data: { name: m!.data.name, synthetic: m!.data.synthetic },
        itemNoun: "test users",
        testSetNoun: official ? "seeds (each on the same fold-5 test users)" : "splits",
        systems,
        ...(m!.data.synthetic
          ? {
              planted: m!.own
                ? `whatever made the data ${m!.own} (its manifest marks it synthetic; georepro does not know what it planted)`
                : (PLANTED[id] ??
                  "location-indicative words of cities and states besides location-free noise words (lib/data/synthetic/microblog.ts)"),
            }
          : {}),
      });
      out.push({ claim: id, setting: setting.id, result, skipped: null });
    }
  }
  return out;
}

/** The local-words claims notebook 07 judges, in the order its sections close. */
export const LOCAL_WORDS_CLAIM_GROUPS = {
  table7: [
    "lw-proposed-beats-nbigr-acc",
    "lw-proposed-beats-mnbpart-acc",
    "lw-proposed-beats-tuned-nbigr-acc",
    "lw-semantic-clusters-help",
    "lw-nbigr-beats-mnbpart-acc",
  ],
  fig5: [
    "lw-proposed-beats-nbigr-precision",
    "lw-proposed-beats-nbigr-recall",
    "lw-proposed-beats-nbigr-f1",
    "lw-proposed-beats-mnbpart-precision",
    "lw-proposed-beats-mnbpart-recall",
    "lw-proposed-beats-mnbpart-f1",
    "lw-nbigr-beats-mnbpart-precision",
    "lw-nbigr-beats-mnbpart-recall",
    "lw-nbigr-beats-mnbpart-f1",
  ],
  fig6: ["lw-larger-n1-worse", "lw-flat-in-n2", "lw-n2-extremes-hurt"],
  stopwords: ["lw-stopwords-no-effect"],
} as const;
