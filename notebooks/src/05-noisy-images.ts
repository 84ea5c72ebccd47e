// georepro:after 01-preprocessing
// %% [markdown]
// # 05 · Noisy images: portrait ratio, removal and inpainting (MRLF paper, Sec. III-B, IV-E, Table III)
//
// The MRLF paper treats selfies and other people-filled photos as location noise
// (Sec. III-B): it "recognize[s] portraits [U2-Net] in images and perform[s] image fill
// inpainting [LaMa]". Table III trains **only the image branch of MRLF** on every post of a
// city ("Image (all)") and again after removing images whose **portrait ratio exceeds
// η = 0.5** ("Image (remove)"), and reports that "the Mean performance is significantly
// improved on all datasets".

// %%
import { startNotebook, mrlfStudies as S } from "georepro";
const run = startNotebook("05-noisy-images");
const study = await S.mrlfStudy(run);
run.markdown(S.describeStudy(study));
run.markdown([`- ${study.cleaning.notes.models}`, `- ${study.cleaning.notes.inpainter}`].join("\n"));

// %% [markdown]
// The portrait measurement is the shared cleaning of notebook 01 (the artifact
// `cleaned-images`), which every other notebook's models train on; here we look at it:
//
// 1. **Portrait ratio from real models.** A person segmenter gives the share of the frame
//    covered by a person; a person *detector* gates it, so that an animal the segmenter
//    takes for a person is not a portrait. Its threshold τ is chosen on **held-out images**
//    rendered from a separate random stream, never on the images evaluated below.
// 2. **The detector against the generator's truth**: precision / recall of the η decision.
// 3. **Table III**, the image-only model on the same test posts, five ways: all images;
//    noisy posts removed (detected ratio > η, training and validation only); person regions
//    inpainted (OpenCV Telea standing in for LaMa) everywhere; both — the cleaning Table II's
//    models train on; and removal by the generator's *true* ratio, to separate the detector's
//    misses from the idea itself.
//
// **Readings of the paper** (it does not say): noisy posts are removed from training and
// validation only; every variant is tested on the *same* test posts (the paper's identical
// Acc for New York and Hong Kong before and after removal suggests a fixed test set too),
// with the test images inpainted in the inpaint variants since inpainting is preprocessing.
//
// **What the synthetic data decide here.** A quarter of the images are selfies whose person
// covers part of the POI's scene; the scene still carries the image's location signal, so a
// removed portrait is only partly noise.
//
// **Flickr Vienna** has no images: this notebook prints one line for it and writes no row;
// the claim "removing noisy images lowers Mean" is not testable there (the claims table says so).

// %% [markdown]
// ## Training the image-only model five ways
// Image features are cached per image; these models are a dense layer on them, so they train
// in seconds.

// %%
// A city without images (Flickr Vienna) prints one line here and has no row in any table below.
const noisy = await S.noisyImagesStudy(study);
if (noisy) S.recordTimes(run, noisy.times);
else run.markdown("No city of this run has images: Table III and its checks are not run.");

// %% [markdown]
// ## The detector: its threshold on held-out images, and its η decision against the truth
// τ is the **largest** threshold whose person-presence F1 on the held-out images equals the
// best F1: the strictest gate that costs nothing on held-out data. Then, for every image of
// every city, the detected ratio against the generator's recorded one, and the posts the η
// filter removes.

// %%
for (const t of noisy?.tables.slice(0, 3) ?? []) run.table(t);

// %% [markdown]
// ### Before / after: person masks and inpainting

// %%
if (noisy?.examples) await S.showContactSheet(run, "05-inpainting-examples", noisy.examples);
else run.markdown("No image with a confirmed person region in the first city: nothing to show.");

// %% [markdown]
// ## Table III — the image-only model before and after removing noisy images
// Then the same models on the test posts the detector calls clean (ratio ≤ η), where a removal
// filter would be deployed (the paper does not report this).

// %%
for (const t of noisy?.tables.slice(3) ?? []) run.table(t);
await S.showFigures(run, noisy?.figures ?? []);

// %% [markdown]
// ## Does the paper's claim hold here?
// Per city: Image (remove) against Image (all), on Mean km.

// %%
const verdicts = S.judgeNoisyImages(run, study, noisy);
