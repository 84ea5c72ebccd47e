// georepro:after 01-preprocessing
// %% [markdown]
// # 04 · Where and what to fuse (MRLF paper, Sec. IV-D, Fig. 3)
//
// MRLF fuses text and hashtags with cross-attention on the outputs of the character
// convolution + max-pooling, H^max (Eq. 6–8), *before* each branch's own self-attention —
// "we advance the fusion stage to the convolutional layer". Fig. 3 compares this with other
// fusions. Each variant changes only what fills the fusion slot F_cro of Eq. 9 (one entry of
// the `FUSIONS` registry in `lib/models/mrlf.ts`); every other representation is kept:

// %%
import { startNotebook, mrlfStudies as S } from "georepro";
const run = startNotebook("04-fusion-variants");
const study = await S.mrlfStudy(run);
run.markdown(S.describeStudy(study));

// %% [markdown]
// | variant | `MrlfConfig.fusion` | F_cro |
// |---|---|---|
// | MRLF | `"mrlf"` | cross-attention, query H^max_tag, key/value H^max_text (Eq. 6–8) — notebook 02's model |
// | text-tag-end | `"text-tag-end"` | the same cross-attention after each branch's self-attention + feed-forward |
// | text+image | `"text-image"` | cross-attention with the image vector as query over H^max_text |
// | hashtag+image | `"tag-image"` | the same over H^max_tag |
// | concatenation | `"concat"` | none: Eq. 9 without F_cro |
// | Late fusion | — | not an MRLF variant: Table II's plain multimodal baseline (per-modality encoders, concatenated) |
//
// *Readings:* the paper names the variants but not their layers; we keep Eq. 6–8's block for
// every fusion and change only its inputs. For image fusions the image is a single vector, so it
// can only be the query. **Fig. 3's values are not printed**; the MRLF row carries Table II's.
//
// The paper's claims: MRLF beats text-tag-end ("cross-modal fusion before getting isolated
// features … like humans usually infer location by the same word in both hashtags and text"),
// and "MRLF outperforms all fusion methods in all datasets in terms of Mean". The fusion claim
// also needs a plain control — does fusing at all beat encoding each modality and
// concatenating? — so MRLF is judged against late fusion too.
//
// **Flickr Vienna (real, text + tags, no images)**, when the run has it: its captions and tags
// really do share words (a title "Stephansdom" and a tag `stephansdom`), the situation the
// paper's argument is about, with no generator deciding it. Without images, every variant and
// late fusion run over text + hashtags; text+image and hashtag+image need pixels and print one
// line each, and the Mean claim is judged against text-tag-end and concatenation only.
//
// **Two generator modes.** In the default *independent* mode text and hashtags never repeat
// each other's words, so nothing rewards fusing them early. The *correlated* mode makes half
// of the captions name the post's location hashtags ("at centralpark" beside #centralpark):
// the situation the paper says conv-layer fusion exploits. It runs on one city and only for
// the systems its claims compare (MRLF, text-tag-end, late fusion).

// %% [markdown]
// ## Training the variants, in both generator modes
// MRLF and late fusion load from notebook 02's cache; the other fusions, the correlated-mode
// models and MRLF without padding masks (first city) train here.

// %%
const fusion = await S.fusionStudy(study);
S.recordTimes(run, [...fusion.independent.times, ...fusion.noMask.times, ...(fusion.correlated?.variants.times ?? [])]);

// %% [markdown]
// ## Fig. 3 as tables and bars — Acc and Mean (km) per city and fusion
// The first table is the independent mode (every city), the second the correlated mode, the
// third the padding-mask check: MRLF with and without masks, and whether the unmasked model
// would change a fusion verdict.

// %%
for (const t of fusion.tables) run.table(t);
await S.showFigures(run, fusion.figures);

// %% [markdown]
// ## Does the paper's claim hold here?
// Per city in the independent mode: MRLF against text-tag-end (Acc), MRLF against every other
// fusion (Mean), MRLF against late fusion (Acc); then the first and the last in the correlated
// mode.

// %%
const verdicts = S.judgeFusion(run, study, fusion);
