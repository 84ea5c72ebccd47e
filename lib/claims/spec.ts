/**
 * What a claim is: one sentence a paper says about its own results, made
 * testable — which system (A) is said to beat which others (B…), on which
 * metric, in which direction, where the paper says it, with the paper's own
 * numbers, and the notebook that tests it. A claim is the paper's, or one of
 * the suite's own controls (a baseline or control the paper never ran: never
 * counted for or against the paper; ./family.ts).
 */
import type { MetricId } from "../metrics/weighted";

export type PaperId = "mrlf" | "localwords";

/** How A relates to each B according to the paper. */
export type Relation = "better" | "worse" | "equivalent";

/** Whose claim: the paper's own words, or a control the suite adds to test the paper's idea. */
export type ClaimOrigin = "paper" | "control";

/** The paper's own effect for one setting: A − B in the metric's units, or why there is none. */
export interface PaperEffect {
  /** The paper's headline difference for this setting (over `versus`), or null. */
  diff: number | null;
  /** The B that the headline difference refers to (e.g. the paper's strongest baseline). */
  versus?: string;
  /**
   * The paper's A − B for each compared system it has in this setting, keyed by
   * the label we use for B (on a claim's second metric: "B · <metric label>"), so
   * that our Δ is always set beside the paper's Δ against the same system.
   */
  bySystem?: Readonly<Record<string, number>>;
  /** e.g. "figure only: the text prints no values". */
  note?: string;
}

export interface ClaimSetting {
  /** Stable id, e.g. "new-york" or "geotext-raw-state". */
  id: string;
  /** Shown in tables, e.g. "New York". */
  label: string;
  paper: PaperEffect;
  /** Why this setting cannot test the claim at all (e.g. "no images in Flickr Vienna"): shown instead of a verdict, never counted. */
  notTestable?: string;
  /** The subset of the claim's `against` that this setting compares with (default: all of them). */
  against?: readonly string[];
}

export interface ClaimSpec {
  /** Stable id, e.g. "mrlf-beats-baselines-acc". */
  id: string;
  paper: PaperId;
  /** The paper's claim, or the suite's own control. */
  origin: ClaimOrigin;
  /** Where the paper says it, e.g. "Sec. IV-B, Table II". */
  source: string;
  /** The paper's words (short). */
  quote?: string;
  /** What we test, as one line, e.g. "MRLF has a higher Acc than every Table II baseline". */
  statement: string;
  metric: MetricId;
  /** System A, as labelled in the tables. */
  favoured: string;
  /** Systems B; with several, A must relate to *every* one as stated (intersection–union test). */
  against: readonly string[];
  relation: Relation;
  /** Equivalence margin δ in the metric's units (relation "equivalent" only), and why that δ. */
  margin?: { value: number; why: string };
  /**
   * A second metric on which A must also relate to every B as stated (the claim is the
   * intersection of both): e.g. "a higher Acc does not mean a lower Mean" — A better on
   * Acc *and* worse on Mean km.
   */
  alsoOn?: { metric: MetricId; relation: Exclude<Relation, "equivalent"> };
  settings: readonly ClaimSetting[];
  /** Notebook that tests it, e.g. "02-mrlf". */
  notebook: string;
}

/** The systems a setting compares A with. */
export const againstIn = (spec: Pick<ClaimSpec, "against">, setting: Pick<ClaimSetting, "against">): readonly string[] =>
  setting.against ?? spec.against;

/** Throws naming the claim and field when a spec is unusable. */
export function validateClaimSpec(c: ClaimSpec): void {
  const bad = (field: string, what: string) => new Error(`claim ${JSON.stringify(c.id)}: ${field}: ${what}`);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(c.id)) throw bad("id", "lower-case letters, digits and dashes");
  for (const f of ["source", "statement", "favoured", "notebook"] as const) if (!c[f]?.trim()) throw bad(f, "required");
  if (c.origin !== "paper" && c.origin !== "control") throw bad("origin", `"paper" or "control", got ${JSON.stringify(c.origin)}`);
  if (c.origin === "paper" && !c.quote?.trim()) throw bad("quote", 'required for a paper claim (origin "paper")');
  if (c.against.length === 0) throw bad("against", "name at least one system");
  if (c.against.includes(c.favoured)) throw bad("against", `contains the favoured system ${c.favoured}`);
  if ((c.relation === "equivalent") !== (c.margin !== undefined)) throw bad("margin", "required for, and only for, relation 'equivalent'");
  if (c.margin && !(c.margin.value > 0)) throw bad("margin", "must be > 0");
  if (c.alsoOn && c.alsoOn.metric === c.metric) throw bad("alsoOn", "must name a metric other than the claim's own");
  if (c.settings.length === 0) throw bad("settings", "at least one");
  const ids = new Set<string>();
  for (const s of c.settings) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(s.id)) throw bad(`settings[${s.id}]`, "id: lower-case letters, digits and dashes");
    if (ids.has(s.id)) throw bad(`settings[${s.id}]`, "listed twice");
    ids.add(s.id);
    if (s.paper.diff === null && !s.paper.note) throw bad(`settings[${s.id}].paper`, "say why the paper has no figure (note)");
    if (s.against) {
      if (s.against.length === 0) throw bad(`settings[${s.id}].against`, "name at least one system (or leave it out for all)");
      for (const b of s.against)
        if (!c.against.includes(b)) throw bad(`settings[${s.id}].against`, `"${b}" is not one of the claim's systems`);
    }
    if (s.notTestable !== undefined && !s.notTestable.trim()) throw bad(`settings[${s.id}].notTestable`, "say why");
  }
}
