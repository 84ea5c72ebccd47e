// georepro:after 00-datasets

// %% [markdown]
// # 01 · Preprocessing of the Instagram-style posts (MRLF paper, Sec. IV-A and Table I)
//
// The MRLF paper collects Instagram posts at popular check-in places of New York,
// Melbourne and Hong Kong and filters them (Sec. IV-A, "Data Preprocessing"):
//
// 1. hashtags that appear fewer than **50** times in a city are removed;
// 2. locations with fewer than **100** check-in posts are dropped;
// 3. English posts that contain **text, hashtags and images** are kept for training;
// 4. images whose portrait ratio exceeds **η = 0.5** (selfies and the like) are filtered.

// %%
import { startNotebook, postsDataReport, imageCleaning, mrlfStudies as S } from "georepro";
const run = startNotebook("01-preprocessing");
run.markdown(postsDataReport(run.params).join("\n\n")); // the synthetic cities, or your own posts with DATA=
const pre = await S.preprocessingStudy(run.params);
for (const md of S.describePreprocessing(pre)) run.markdown(md);

// %% [markdown]
// **Data.** The paper's posts are not public. Unless `data-manifests/instagram-posts.json`
// describes your own collection (template and format: `data-manifests/posts.md`), every
// MRLF notebook uses georepro's **synthetic** Instagram-style data
// (`lib/data/synthetic/instagram.ts`): real POI coordinates, captions and hashtags with
// partial, noisy location signal, and rendered photos of which a share are selfies, pets
// or food. Its counts are *not* the paper's at the default scale (they are sized so that
// all notebooks run in 30 minutes on two cores); `GEOREPRO_SCALE=paper` generates the
// paper's post and location counts.
//
// **Reading of the paper.** The paragraph is ambiguous about order. Its Table I counts
// posts without text (#Text < #Posts), so Table I must describe the data *after* the
// hashtag and location filters and *before* the "English posts with text, hashtags and
// images" selection. We apply the steps in the paper's order and report Table I at
// that stage; the final training set is reported separately. The 100-post threshold
// counts all check-in posts of a location (step 2), so a kept location may end with
// fewer than 100 training posts. #Images, #Hashtags and #Text are read as "posts with
// at least one image / hashtag / non-empty text" (for New York the paper's #Hashtags
// equals #Posts, which fits that reading; our posts carry one image each).
//
// The η filter needs a person segmenter. The last section of this notebook runs it on
// every image (segmenter gated by a person detector, τ chosen on held-out images) and
// inpaints the person regions: the shared cleaning (`cleaned-images`) that notebooks 02–06
// apply to each split before training — posts above η leave the training and validation
// parts, person regions are inpainted everywhere. Notebook 05 studies its effect.

// %% [markdown]
// ## Table I — dataset statistics
//
// Ours beside the paper's, per city, after the hashtag and location filters (the stage
// Table I describes; see the reading above).

// %%
run.table(S.table1(pre));

// %% [markdown]
// Totals differ by design at the default scale; the *shares* of posts carrying each
// modality, and posts per location, are comparable:

// %%
run.table(S.table1Shares(pre));

// %% [markdown]
// ## What each filter removed, and why
//
// Every step reports the posts it removed; the rare-hashtag step removes hashtags (not
// posts), and a post left without any hashtag is removed by the "no hashtags" step. The
// paper reports thresholds but no per-step counts, so its column is empty.

// %%
run.table(S.filterReportTable(pre));

// %% [markdown]
// ## The posts every MRLF notebook splits
//
// After all filters but η (the η filter acts on each seed's training and validation parts;
// see the last section).

// %%
run.table(S.trainingSetTable(pre));

// %% [markdown]
// ## Noisy images: the generator's recorded portrait ratio (η = 0.5)
//
// For synthetic posts the generator knows which pixels it drew as a person. The table
// counts images by what they show and how many exceed η. Pets and food cover the frame too
// but are not people (portrait ratio 0). Real data has no recorded ratio; the detector-based
// measurement is the last section.

// %%
run.table(S.noisyImagesTruthTable(pre));

// %% [markdown]
// ## A look at the data
//
// Four posts per kind from New York's training set (scene, selfie, pet, food), with
// captions and hashtags of the first few posts.

// %%
for (const md of await S.dataSample(pre)) run.markdown(md);

// %% [markdown]
// ## Noisy images: the η filter and inpainting, as the models will see them
//
// Every image of every city goes through the person segmenter, gated by a person detector
// whose threshold τ is chosen on held-out images (notebook 05 shows that choice and the
// detector against the generator's truth). The result is the shared artifact
// `cleaned-images`: per image its portrait ratio and, where a person region was confirmed,
// an inpainted copy. Notebooks 02–06 apply it to each seed's split before training: posts
// above η leave the training and validation parts, images are replaced by their inpainted
// versions in all parts.

// %%
const cleaning = await imageCleaning(run.params, pre.cities);
run.table(S.cleaningTable(cleaning, pre.cities));
