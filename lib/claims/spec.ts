/**
 * What a claim is: one sentence a paper says about its own results, made
 * testable — which system (A) is said to beat which others (B…), on which
 * metric, in which direction, where the paper says it, with the paper's own
 * numbers, and the notebook that tests it.
 */
import type { MetricId } from "../stats/metrics";

export type PaperId = "mrlf" | "localwords";

/** How A relates to each B according to the paper. */
export type Relation = "better" | "worse" | "equivalent";

/** The paper's own effect for one setting: A − B in the metric's units, or why there is none. */
export interface PaperEffect {
  diff: number | null;
  /** The B that the paper's figure refers to (e.g. the strongest baseline). */
  versus?: string;
  /** e.g. "figure only: the text prints no values". */
  note?: string;
}

export interface ClaimSetting {
  /** Stable id, e.g. "new-york" or "geotext-raw-state". */
  id: string;
  /** Shown in tables, e.g. "New York". */
  label: string;
  paper: PaperEffect;
  /** Why the claim cannot be judged on this setting (e.g. "no images in Flickr Vienna"): the claims table shows it instead of "not run". */
  notTestable?: string;
  /** The comparators this setting judges against, when only some of the claim's can run there (a subset of ClaimSpec.against). */
  against?: readonly string[];
}

export interface ClaimSpec {
  /** Stable id, e.g. "mrlf-beats-baselines-acc". */
  id: string;
  paper: PaperId;
  /** Where the paper says it, e.g. "Sec. IV-B, Table II". */
  source: string;
  /** "paper": a claim the paper makes; "suite": a control the suite adds (its own claim family). Default "paper". */
  origin?: "paper" | "suite";
  /** The paper's words (short); a suite control may leave it out or say what the control asks. */
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
  settings: readonly ClaimSetting[];
  /** Notebook that tests it, e.g. "02-mrlf". */
  notebook: string;
}

/** Throws naming the claim and field when a spec is unusable. */
export function validateClaimSpec(c: ClaimSpec): void {
  const bad = (field: string, what: string) => new Error(`claim ${JSON.stringify(c.id)}: ${field}: ${what}`);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(c.id)) throw bad("id", "lower-case letters, digits and dashes");
  for (const f of ["source", "statement", "favoured", "notebook"] as const) if (!c[f]?.trim()) throw bad(f, "required");
  if ((c.origin ?? "paper") === "paper" && !c.quote?.trim()) throw bad("quote", 'required for a paper claim (origin "paper")');
  if (c.against.length === 0) throw bad("against", "name at least one system");
  if (c.against.includes(c.favoured)) throw bad("against", `contains the favoured system ${c.favoured}`);
  if ((c.relation === "equivalent") !== (c.margin !== undefined)) throw bad("margin", "required for, and only for, relation 'equivalent'");
  if (c.margin && !(c.margin.value > 0)) throw bad("margin", "must be > 0");
  if (c.settings.length === 0) throw bad("settings", "at least one");
  const ids = new Set<string>();
  for (const s of c.settings) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(s.id)) throw bad(`settings[${s.id}]`, "id: lower-case letters, digits and dashes");
    if (ids.has(s.id)) throw bad(`settings[${s.id}]`, "listed twice");
    ids.add(s.id);
    if (s.paper.diff === null && !s.paper.note) throw bad(`settings[${s.id}].paper`, "say why the paper has no figure (note)");
    if (s.notTestable !== undefined && !s.notTestable.trim()) throw bad(`settings[${s.id}].notTestable`, "say why (or leave it out)");
    if (s.against) {
      if (s.against.length === 0) throw bad(`settings[${s.id}].against`, "name at least one system (or leave it out)");
      for (const b of s.against)
        if (!c.against.includes(b))
          throw bad(`settings[${s.id}].against`, `"${b}" is not one of the claim's comparators (${c.against.join(", ")})`);
    }
  }
}
