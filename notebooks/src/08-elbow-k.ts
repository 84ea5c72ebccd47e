// georepro:after 07-nb-thresholds
// %% [markdown]
// # 08 · Local words: choosing k, the clusters, and what the wrapper keeps
//
// The local-words paper clusters the words left after the IGR filter with k-means on word2vec
// vectors (Algorithm 1: farthest-point initialisation, first centre from the seeded stream, iterate
// until the centres stop changing), sets k by the **elbow rule** on the within-cluster SSE for k at
// intervals of 4 (Sect. 4.2–4.3; the paper picks k = 28, 28, 32, 32), and keeps the clusters that the
// **wrapper** backward search selects (Algorithm 2). This notebook shows SSE vs k, the elbow found,
// the top words of each cluster and which clusters were kept — on GeoText (real; bag-of-words, so
// word2vec contexts are co-occurrence within a user's text) and on the synthetic microblog users
// (SYNTHETIC). Standard multinomial NB in the wrapper (see notebook 07 for the printed reading).
// For the synthetic users the generator knows what each word is, so each cluster also lists how
// many of its words are planted local words (city/state), common topic words, words of small
// location-free communities (fandoms, games, brands), trending-event words and personal words:
// the wrapper should drop the clusters of the last three kinds.
//
// Elbow rule: the paper gives no formula. We scale k and SSE to [0, 1] and take the point farthest
// below the chord from the first to the last point (the "kneedle" reading).

// %%
import { startNotebook, microblogDatasetsForRun, microblogTableDataset, localwords as lw, figures, results, generateMicroblog } from "georepro";
const run = startNotebook("08-elbow-k");
const { params } = run;
const settings = lw.scaleSettings(params.scale);
// GeoText and the synthetic users by default; your own users with `make reproduce DATA=NAME` (lib/data/selection.ts).
const { datasets, report: dataReport } = await microblogDatasetsForRun(params);
run.markdown(dataReport.join("\n\n"));
const tableDataset = microblogTableDataset(datasets);

// %%
const runs: { d: lw.LocalWordsDataset; r: lw.LocalWordsRun }[] = [];
for (const d of datasets) {
  // Same split, vectors (cache) and seeds as notebook 07's main runs.
  const sp = await lw.prepareSplit(d, params.seed, params.cacheDir, settings.w2v);
  const r = lw.runLocalWords(sp.train, sp.test, sp.vectors, { n1: 3, n2: "auto", k: "elbow", kGrid: settings.kGrid, reading: "multinomial", placeNames: d.placeNames, progressLabel: `wrapper ${d.title}` }, lw.seededRng(params.seed, `${lw.streamKeyOf(d)}/main`));
  runs.push({ d, r });
}

// %% [markdown]
// ## SSE vs k and the elbow

// %%
const sseRows: Record<string, results.Cell>[] = [];
for (const { d, r } of runs) {
  const el = r.elbow!;
  el.ks.forEach((k, i) => sseRows.push({ dataset: d.title, k, sse: el.sse[i], elbow_score: el.score[i], chosen: k === el.k ? "elbow" : "" }));
  await figures.elbow({ name: `elbow-localwords-${d.dataset.name}`, title: `Within-cluster SSE vs k — ${d.title}`, paperFigure: "local-words paper, Sect. 4.3 (elbow rule; no figure in our text)", synthetic: d.dataset.synthetic, dataset: d.dataset.name, k: el.ks, sse: el.sse, chosenK: el.k, notes: [`paper (its ${lw.paperAnalogue(d.level)}): k = ${lw.PAPER_FIGURES[lw.paperAnalogue(d.level)].k}`] }, { outDir: params.outDir });
}
run.table({
  name: "localwords-sse-vs-k",
  title: "Within-cluster SSE of the IGR-filtered words' vectors vs k",
  reproduces: "local-words paper, Sect. 4.3 (k at intervals of 4; elbow)",
  dataset: tableDataset,
  columns: [
    { key: "dataset", label: "Dataset", source: "info" },
    { key: "k", label: "k", digits: 0 },
    { key: "sse", label: "SSE", digits: 3 },
    { key: "elbow_score", label: "Distance below chord", digits: 3 },
    { key: "chosen", label: "Elbow", source: "info" },
  ],
  rows: sseRows,
});
run.table({
  name: "localwords-elbow-k",
  title: "k chosen by the elbow rule",
  reproduces: "local-words paper, Sect. 4.3 (k = 28, 28, 32, 32)",
  dataset: tableDataset,
  columns: [{ key: "dataset", label: "Dataset", source: "info" }, { key: "paper_dataset", label: "Compared with", source: "info" }, { key: "words", label: "Words clustered", digits: 0 }, ...results.comparedColumns("k", "k", 0), { key: "iterations", label: "k-means iterations", digits: 0 }],
  rows: runs.map(({ d, r }) => results.withPaper({ dataset: d.title, paper_dataset: lw.paperAnalogue(d.level), words: r.wordCounts.afterIgr, k: r.k, iterations: r.clustering.iterations }, "k", lw.PAPER_FIGURES[lw.paperAnalogue(d.level)].k)),
});

// %% [markdown]
// ## The clusters (top words by training frequency) and the wrapper's choice
// The wrapper's path: each accepted removal strictly lowers the 5-fold CV error on the training set.

// %%
const synthetic = generateMicroblog(params.seed, params.scale);
const kinds: [string, Set<string>][] = [
  ["local", new Set([...synthetic.planted.cityLocal, ...synthetic.planted.stateLocal])],
  ["regional", new Set(synthetic.planted.regional)],
  ["common", new Set(synthetic.planted.common)],
  ["community", new Set(synthetic.planted.community.flat())],
  ["trending", new Set(synthetic.planted.trending.flat())],
  ["personal", new Set(synthetic.planted.personal)],
];
const kindsOf = (ws: string[]) => kinds.map(([k, set]) => [k, ws.filter((w) => set.has(w)).length] as const).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(", ");
for (const { d, r } of runs) {
  const kept = new Set(r.wrapper.selected);
  run.table({
    name: `localwords-clusters-${d.dataset.name}`,
    title: `Word clusters (k = ${r.k}) and the wrapper's selection — ${d.title}`,
    reproduces: "local-words paper, Algorithms 1–2 (Fig. 4 shows a 45-word example)",
    dataset: d.dataset,
    columns: [
      { key: "cluster", label: "Cluster", digits: 0 }, { key: "size", label: "Words", digits: 0 }, { key: "kept", label: "Wrapper", source: "info" },
      ...(lw.isGeneratedMicroblog(d) ? [{ key: "kinds", label: "Planted kinds (generator's truth)", source: "info" as const }] : []),
      { key: "top", label: "Top words", source: "info" },
    ],
    rows: r.clusters.map((ws, c) => ({ cluster: c, size: ws.length, kept: kept.has(c) ? "kept" : `removed (round ${r.wrapper.removed.indexOf(c) + 1})`, ...(lw.isGeneratedMicroblog(d) ? { kinds: kindsOf(ws) } : {}), top: ws.slice(0, 12).join(", ") })),
    notes: [`CV error: all clusters ${r.wrapper.fullError.toFixed(4)} → selected ${r.wrapper.error.toFixed(4)} (${r.wrapper.candidatesScored} subsets scored); ${r.wordCounts.local} of ${r.wordCounts.afterIgr} words kept as local words.`],
  });
}
await figures.closeFigureBrowser();
