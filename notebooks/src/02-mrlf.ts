// georepro:after 01-preprocessing
// %% [markdown]
// # 02 · MRLF against its baselines (MRLF paper, Table II)
//
// Table II of the MRLF paper compares MRLF with three text/hashtag baselines and three
// image classifiers on its New York, Melbourne and Hong Kong Instagram datasets, by
// **Acc** (share of test posts whose location is predicted exactly) and **Mean** (mean
// distance in km between the predicted location's centre and the post's coordinates).
// The paper's claim: "MRLF consistently outperforms baselines on all metrics".
//
// We run it on the synthetic cities and, where its files are present, on **Flickr Vienna**:
// real posts (captions in German and English, Flickr tags, street-level geotags) without
// images. Vienna is another city on another platform, so the paper's figures beside it are
// context only — but it is the only row of this notebook whose outcome the suite did not plant.

// %%
import { startNotebook, log, mrlfStudies as S } from "georepro";
const run = startNotebook("02-mrlf");
const study = await S.mrlfStudy(run);
run.markdown(S.describeStudy(study));

// %% [markdown]
// | model | modality | what we run |
// |---|---|---|
// | Tagvisor [9] | hashtags | random forest (`ml-random-forest`) over hashtag presence |
// | DeepGeo [21] | text | the authors' text network, **character by character**: Bi-LSTM context + dense map (an RCNN), max-pool, attention (`jhlau/twitter-deepgeo`); Adam, as in their config |
// | LocTwi [22] | text | fastText subword units composed into word vectors, a **multi-head self-attention** block, max over words |
// | Frozen backbone + linear | image | a softmax layer on the frozen image features MRLF's image branch reads |
// | Fine-tuned MobileNetV2 top | image | MRLF's backbone weights with its top convolution fine-tuned (and its last inverted-residual block at `scale=paper`) |
// | Late fusion | all three | per-modality encoders (MRLF's word-level text and hashtag CNNs, its image branch), concatenated, one softmax |
// | **NB control** | text + hashtags | *not a paper baseline*: a multinomial Naive Bayes over every caption word and every hashtag (the project's NB, checked against scikit-learn below); smoothing α chosen on validation like the learning rates |
// | MRLF | all three | `lib/models/mrlf.ts` (Eq. 1–13), padding masked, over the frozen image features |
//
// Two chance floors — majority class and stratified random — sit in the table, so every
// accuracy can be read against what a model that never looks at a post would score.
//
// **Why an NB control.** "MRLF beats every baseline" means little if a ten-line model beats
// the baselines too. Simple counting models over words and tags are strong on this kind of
// data, so the NB control sits in Table II on every city and is judged in the suite's own
// claim family ("MRLF beats the NB control"), never mixed into the paper's "every baseline".
//
// **Flickr Vienna (real, text + tags, no images).** Every system that needs no pixels runs:
// MRLF over text + hashtags (its image branch switched off, exactly the ablation's "w/o image"
// switch), Tagvisor, DeepGeo, LocTwi, late fusion over text + hashtags, the NB control; the image
// baselines print one line each ("no images in this dataset") instead of a row. Its splits are
// **grouped by owner** (a Flickr user's photos share coordinates, tags and wording: no owner is
// on two sides), each seed a new grouping and initialisation; a POI left without training posts
// keeps its test posts, which count as errors for every model (and can sink the majority floor:
// the largest training POI may be one owner's series that is absent from the test part).
// Learning rates and α are chosen on Vienna's own first seed (another dataset, other models), by
// the same rule.
//
// **Multilingual text.** Captions mix German and English (and some Polish, French, …);
// tokenisation is the same for every city: NFKC, lower case, runs of Unicode letters and digits
// (so `Schönbrunn` is one word with its `ö`, not `schoenbrunn`). Flickr tags often glue words:
// `wienerstaatsoper`, `stephansdom`. MRLF's hashtag *character* branch reads a glued tag letter by
// letter, so its convolutions can find `staatsoper` inside `wienerstaatsoper`; its hashtag *word*
// branch, Tagvisor and the NB control treat the whole tag as one token, so `wienerstaatsoper` and
// `staatsoper` are unrelated features to them. DeepGeo and LocTwi read the caption only (they are
// text baselines): DeepGeo sees characters, so a German compound in a title (`Staatsopernball`)
// shares character windows with its parts; LocTwi composes each word from its 3–5-character
// n-grams (`<st`, `sta`, `taa`, … `oper`, `per>`), so `Staatsoper` and `Staatsopernball` share most
// of their units and land near each other, while an umlaut and its `oe` spelling share few.
//
// **Readings and reductions** (every model's budget is in the table under Table II):
// - *Image baselines on equal footing.* The paper's ResNet50/101 and DenseNet121 need
//   ImageNet weights that cannot be downloaded here; trained from scratch they were
//   neither fair nor affordable. The image rows start from the same pretrained weights as
//   MRLF's image branch (MobileNetV2, `nsfwjs@4.3.0`, 96 px — the paper uses VGG19), once
//   frozen with a linear classifier and once with its top fine-tuned. Set
//   `GEOREPRO_PRETRAINED_RESNET50` / `_RESNET101` / `_DENSENET121` to a converted Keras
//   model.json to add the paper's CNNs, pretrained, at the same input size.
// - *Text baselines as published.* DeepGeo reads characters (as the authors' code does);
//   its tweet-metadata networks have no Instagram counterpart. LocTwi's joint city and
//   country training has one country on single-city data, so only the location task is
//   trained.
// - *Late fusion* is the plain multimodal baseline: it is the control of the fusion claims
//   in notebook 04.
// - *Data.* Every model trains on the same split (per location 70 / 10 / 20 %, seeded; grouped by
//   owner on Vienna), after the paper's noisy-image step (notebook 01): posts whose portrait ratio
//   exceeds η = 0.5 are removed from training and validation, person regions are inpainted.
// - *Schedule.* The paper's RMSprop schedule shrunk in proportion (decay × 0.8 after 2 epochs
//   without validation gain, stop after 4, best validation epoch kept); learning rates are
//   chosen on the first city's and seed's **validation** part (the table below), never on
//   a test number.
// - *MRLF width.* At the default scale MRLF keeps the paper's structure at 16 filters,
//   16-d embeddings and 2 heads (paper: 100, 100, 8), because notebooks 02–06 train dozens
//   of MRLFs on two CPU cores. `scale=paper` restores every paper size.
// - *Seeds and uncertainty.* Three seeds by default (each a new split and a new
//   initialisation); 95 % CIs carry both the spread over seeds and the test posts (each post
//   resampled once, t with Satterthwaite's degrees of freedom); the verdicts come from the
//   paired difference (`claims.judge`).

// %% [markdown]
// ## How the learning rates are chosen (validation only)
// For each model with candidate rates, every candidate trains on the first city's and seed's
// training part — of each dataset: the synthetic cities share one choice, Vienna gets its own —
// and the best validation Acc at the kept epoch wins; the NB control's α is chosen the same way
// from as many candidates. The last columns say how many epochs each ran and whether the
// learning-rate decay fired.

// %%
run.table(S.learningRateTable(study, await S.chooseLearningRates(study)));

// %% [markdown]
// ## Training every model on every city and seed
// One progress line per epoch. Trained models are cached by data, split, configuration
// and seed: a re-run loads them, and notebooks 03, 04 and 06 read this notebook's full MRLF
// (the declared shared artifact `full-mrlf`) and 04 its late-fusion runs.

// %%
const t2 = await S.table2Study(study, (l) => log("02-mrlf", l));
S.recordTimes(run, t2.times);

// %% [markdown]
// ## Table II — Acc and Mean (km), ours beside the paper's
// Estimates are means over the seeds with 95 % CIs over test posts; Δ = ours − paper. Our data
// are synthetic, so absolute numbers are not comparable with the paper's; what can be compared
// is whether MRLF wins, judged below. Median km and Acc@1 km stand beside Mean.

// %%
run.table(t2.tables.table2);
run.table(t2.tables.budgets);

// %% [markdown]
// ### The splits: posts, owners and POIs per part
// The test size every number above rests on, per city and seed; on Vienna also the owners on
// each side (none shared) and the test posts whose POI has no training post.

// %%
run.table(t2.tables.splits);

// %% [markdown]
// ## Does MRLF beat every baseline? And the NB control?
// Per city, on Acc and on Mean: MRLF against Tagvisor, DeepGeo, LocTwi and both image
// baselines (on Vienna: the three text and hashtag baselines — the claims table shows that
// setting's comparators), each paired on the same test posts and seeds (two-level intervals: the
// seeds' spread and the test posts', the posts' part in closed form for these means, by a bootstrap
// over owners on Vienna); "holds" needs every comparison's 95 % CI on MRLF's side. Then the suite's
// control: MRLF against the NB control.

// %%
const verdicts = S.judgeTable2(run, study, t2);

// %% [markdown]
// ### Every run, and what the noisy-image cleaning changed
// Per city, seed and model: the test metrics, the epochs trained, the epoch kept (best
// validation Acc) and the learning rate; then the posts the η filter removed per split.

// %%
run.table(t2.tables.runs);
run.table(t2.tables.cleaning);

// %% [markdown]
// ## Why the order is what it is: the data's own signal
// The synthetic generator records, per post, which modalities carry the location's own
// signal (`truth.signal`; real data has none, and this check is skipped for it). A
// single-modality model can only be right beyond chance on posts whose modality carries the
// signal, so its Acc should track that share — and the share is what the generator sets
// per city.

// %%
const sig = await S.signalCheck(study, t2.runs);
if (sig) {
  run.table(sig.table);
  run.markdown(sig.summary);
} else run.markdown("No per-post ground truth (real data): the signal check is skipped.");

// %% [markdown]
// ## Where MRLF's predictions land, and how it trained
// A map per city of the first 80 test posts of the first seed: the true position (dot) joined
// by a line to the centre of the POI MRLF predicted (cross); a correct prediction has no
// visible line (plain longitude/latitude axes: plotly's map outlines come from a CDN). Below
// it, MRLF's training curves (loss per epoch and validation Acc).

// %%
await S.showFigures(run, t2.figures);

// %% [markdown]
// ## The NB control against scikit-learn
// The NB control is the project's multinomial Naive Bayes (`lib/localwords/naive-bayes.ts`,
// the local-words notebooks' reference reading). Here it runs against scikit-learn's
// `MultinomialNB(alpha)` on the same sparse count matrices of Vienna's first split (the first
// city when the run has no real one), as notebook 07 does for local words: the predictions
// must be identical and the joint log-likelihoods equal to rounding.

// %%
run.table(await S.nbPeerTable(study));

// %% [markdown]
// ## Name leakage: how much of each model's accuracy is the place's own name?
// Flickr titles and tags often name the place (`stephansdom`, `karlskirche`,
// `wienerstaatsoper`), and the POIs are official names. We count the test posts whose caption
// or tags contain a token of their own POI's official name (rule under the table: accents
// folded, ≥ 4 characters, tokens shared by more than two official locations — "wien",
// "museum", "café" — are not names; a word or tag *containing* a name token counts, so glued
// tags match), then train and test every text + hashtag model again on the same splits with
// every POI's name tokens removed from every post (training, validation and test alike —
// removing only the true POI's name would give the answer away). Real cities only: the
// synthetic generator plants place words by design.

// %%
const leakage = await S.nameLeakageStudy(study, t2, (l) => log("02-mrlf", l));
if (leakage) {
  S.recordTimes(run, leakage.times);
  run.table(leakage.tables.counts);
  run.table(leakage.tables.control);
} else run.markdown("No real city in this run (Flickr Vienna is absent): the name-leakage control is skipped.");

// %% [markdown]
// ## Conclusion
// On the synthetic cities the verdicts above check the implementation against what the
// generator planted. On Flickr Vienna they are evidence, with three qualifications the numbers
// below make concrete: (1) a large share of real posts simply name their place, and every text
// and hashtag model leans on that; (2) a multinomial Naive Bayes over the same words and tags —
// the suite's control, not one of the paper's baselines — is the bar any representation-learning
// claim has to clear, and it is judged as its own claim; (3) Vienna has no images, so MRLF here
// is its text + hashtag half, and its numbers say nothing about the image branch. The paper's
// figures are for other cities on another platform and stay context only.

// %%
if (leakage) for (const md of S.leakageConclusion(leakage, S.verdictByCity(study, verdicts, "mrlf-beats-nb-control"))) run.markdown(md);
else
  run.markdown(
    "Without a real city, this notebook's verdicts are about the synthetic data only (see what the generator planted, at the top).",
  );
