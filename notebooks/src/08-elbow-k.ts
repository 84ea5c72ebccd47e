// georepro:after 07-nb-thresholds
// %% [markdown]
// # 08 · Local words: choosing k, the clusters, and what the wrapper keeps
//
// The paper clusters the words left after the IGR filter with k-means on word2vec vectors
// (Algorithm 1: farthest-point initialisation, first centre from the seeded stream, iterate until
// the centres stop changing), sets k by the **elbow rule** on the within-cluster SSE for k at
// intervals of 4 (Sect. 4.2–4.3; it picks k = 28, 28, 32, 32), and keeps the clusters the
// **wrapper** backward search selects (Algorithm 2). This notebook shows SSE vs k, the elbow, the
// most frequent words of each cluster and which clusters were kept, for the first seed of every
// setting of notebook 07 — read from 07's cached main study, not recomputed.
//
// Elbow rule: the paper gives no formula. We scale k and SSE to [0, 1] and take the point farthest
// below the chord from the first to the last point (the "kneedle" reading). The elbow of the first
// seed fixes k for the other seeds, as the paper fixes k per dataset.
//
// For the synthetic users the generator knows what each word is, so each cluster also counts its
// planted local words (city/state), regional words, common topic words, words of small
// location-free communities (fandoms, games, brands), trending-event words and personal words:
// the wrapper should drop clusters of the last three kinds.

// %%
import { startNotebook, lwStudy, figures } from "georepro";
const run = startNotebook("08-elbow-k");
const { params } = run;
const data = await lwStudy.localWordsDatasets(params);
const main = await lwStudy.mainStudyFor(params, data);
run.markdown(lwStudy.settingsSummary(main));

// %% [markdown]
// ## SSE vs k and the elbow

// %%
const elbows = lwStudy.elbowTables(main);
run.table(elbows.sse);
run.table(elbows.ks);
for (const s of main.settings) await figures.elbow(lwStudy.elbowFigureOptions(s), { outDir: params.outDir });

// %% [markdown]
// ## The clusters and the wrapper's choice
// Each accepted removal strictly lowers the 5-fold CV error on the training users.

// %%
for (const s of main.settings) run.table(lwStudy.clustersTable(s));
await figures.closeFigureBrowser();
