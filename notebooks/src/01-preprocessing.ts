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
//
// This notebook applies those steps to every city the later notebooks train on: the three
// synthetic cities, and — where its files are on this machine — **Flickr Vienna, a real
// dataset** (public Flickr photos with titles, descriptions, tags and street-level geotags,
// and the City of Vienna's official POI list; no image files). Vienna first has to become
// posts: that conversion is the second half of this notebook.

// %%
import { startNotebook, postsDataReport, imageCleaning, mrlfStudies as S } from "georepro";
const run = startNotebook("01-preprocessing");
run.markdown(postsDataReport(run.params).join("\n\n")); // the synthetic cities, or your own posts with DATA=
const pre = await S.preprocessingStudy(run.params);
for (const md of S.describePreprocessing(pre)) run.markdown(md);

// %% [markdown]
// **Data.** The paper's posts are not public. Unless `data-manifests/instagram-posts.json`
// describes your own collection (template and format: `data-manifests/posts.md`), every
// MRLF notebook uses georepro's **synthetic** Instagram-style data, and beside it the real
// Flickr Vienna posts when `data-manifests/flickr-vienna.json` finds them (`make data` fetches
// them; `make reproduce DATA=flickr-vienna` runs Vienna alone). The synthetic data are
// generated (`lib/data/synthetic/instagram.ts`): real POI coordinates, captions and hashtags with
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
// paper reports thresholds but no per-step counts, so its column is empty. Vienna's rows start
// with its conversion (stage "conversion": unreadable rows, duplicate photos, POI assignment),
// then the paper's filters with Vienna's own thresholds; the two paper filters that do not fit
// Vienna say **not applied** and why (the language filter — Vienna is German-speaking; the image
// filters — there are no images).

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
const truth = S.noisyImagesTruthTable(pre);
if (truth) run.table(truth);
for (const c of pre.cities.filter((c) => c.posts.every((p) => p.images.length === 0)))
  run.markdown(S.noImagesLine(c.label ?? c.city, "the noisy-image count"));

// %% [markdown]
// ## Flickr Vienna: from photos to posts
//
// *Only when the run has Vienna (its files present, or `DATA=flickr-vienna`); otherwise the
// cells below say so.* A Flickr photo becomes a post (`lib/data/flickr`):
//
// - **caption** = the title, then the description's text. The description cell is a Python
//   dict literal (`{'_content': '…'}`), read by a literal parser (quotes, escapes, newlines);
//   its HTML is cleaned: a link keeps its anchor text and loses its URL, bare URLs are removed
//   (not replaced by a token), other tags are stripped, entities decoded, and double-encoded
//   UTF-8 repaired where that is lossless;
// - **hashtags** = the Flickr tags (lower-case, no `#`; glued words such as `wienerstaatsoper`
//   stay one tag);
// - **owner** = the Flickr user: every split keeps an owner's photos on one side (one owner's
//   series share coordinates, tags and wording);
// - **location** = the nearest official POI within a radius, chosen from the table below; a
//   photo whose second-nearest POI is also within the radius and at most 1.5 × as far is
//   ambiguous and removed (counted); official entries at the same coordinates (Café Sacher /
//   Hotel Sacher / Anna Sacher, the MuseumsQuartier's institutions) are one location;
// - **no image**: the crawl's image links cannot be fetched offline. Every table names the city
//   "Flickr Vienna (real, text + tags, no images)".

// %%
const conversion = S.conversionSummary(pre);
if (conversion.length) for (const line of conversion) run.markdown(line);
else run.markdown("Flickr Vienna is not in this run (its files are absent, or DATA names another dataset): nothing to convert.");

// %% [markdown]
// ### Which radius? The evidence
// For each candidate radius, under the same ambiguity rule and POI minimums: photos assigned,
// photos removed as ambiguous, POIs hit, POIs kept (≥ 10 posts from ≥ 3 distinct owners — with
// owner-grouped splits a POI of one owner could never be on both sides; three let training,
// validation and test each hold one) and the posts there. More posts are not better if they are
// mislabelled, and there is no ground truth of what a photo shows — but a photo whose caption or
// tags *name* its nearest POI surely shows it. The last columns count, per ring between two radii,
// the share of photos that do: every ring up to 150 m has 15–42 %, the ring from 150 to 200 m 6 %
// (it is mostly Prater rides beside the Riesenrad and streets beside Café Central: near a POI, not
// of it). The ring beyond rises again — the zoo and the Belvedere gardens are large sites whose
// address point lies far from where people photograph — but that is a few owners' series. 150 m also
// lies between the median (≈ 104 m) and the upper quartile (≈ 258 m) of the distance from a POI to
// its nearest other POI. So: **150 m**.

// %%
const radius = S.poiRadiusTable(pre);
if (radius) run.table(radius);
else run.markdown("No converted city in this run.");

// %% [markdown]
// ### What the caption cleaning touched, and the tag threshold
// The paper removes hashtags seen fewer than 50 times in a city of 43k–138k posts (0.04–0.1 %
// of the posts). Vienna has under a thousand assigned photos: 50 would keep 14 tags — mostly
// `austria`, `vienna`, `wien` and one owner's camera-workflow tags — while the same *share*
// is below one occurrence. The cut that fits is **2**: a tag seen once in the whole city cannot
// be in both a training and a test post, so removing those (60 % of the distinct tags, a
// ninth of the occurrences) costs no model anything it could use. Notebook 06 runs no cut,
// this cut and the paper's 50 side by side.

// %%
for (const t of [S.captionCleaningTable(pre), S.tagFrequencyTable(pre)]) if (t) run.table(t);

// %% [markdown]
// ## A look at the data
//
// Four posts per kind from New York's training set (scene, selfie, pet, food), with
// captions and hashtags of the first few posts; and, when the run has Flickr Vienna, a post per
// location from different owners, as converted (German and English side by side, tags that
// glue words together, and — often — the place's own name in the title or a tag; notebook 02
// measures how much of each model's accuracy that name is).

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
const withImages = pre.cities.filter((c) => c.posts.some((p) => p.images.length > 0));
if (withImages.length) run.table(S.cleaningTable(cleaning, withImages));
else run.markdown("No city of this run has images: there is nothing to clean.");
for (const c of pre.cities.filter((c) => !withImages.includes(c)))
  run.markdown(S.noImagesLine(c.label ?? c.city, "the noisy-image cleaning"));
