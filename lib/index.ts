/**
 * georepro's public API, as notebooks see it: `import { … } from "georepro"`.
 * (Notebooks reach the compiled library through node_modules/georepro → the
 * project root, because tslab refuses `.ts` imports from outside the notebook
 * folder; see README "How notebooks reach lib/".)
 *
 * Heavy dependencies (TensorFlow.js, sharp, chromium) load lazily inside the
 * functions that need them, so importing this module stays fast.
 */
export { startNotebook, showMarkdown, type NotebookRun } from "./notebook";
export { loadParams, seedList, splitSeedList, describeParams, type Params, type Scale } from "./runtime/params";
export { stream, type Rng } from "./runtime/rng";
export { selectBackend, type BackendName } from "./tfjs/backend";
export { progress, log, info, warn, cacheSummary } from "./runtime/progress";
export { cachedJson, cachedDir } from "./runtime/cache";
export { sha256, sha256File, keyOf } from "./runtime/hash";
export * as results from "./results/table";
export { haversineKm, type LatLon } from "./geo/distance";
export * as figures from "./figures";
// data manifests, GeoText, geographic labels
export {
  loadManifest,
  resolveManifest,
  verifyManifest,
  openDataset,
  manifestPath,
  ManifestError,
  DatasetMissingError,
  ChecksumError,
  RecordError,
  recordError,
  type Manifest,
  type ManifestFile,
  type ResolvedManifest,
  type VerifiedManifest,
  type RecordSchema,
  type RecordField,
} from "./data/manifest";
export { loadGeoTextRaw, crossCheckGeoText, type GeoTextRawCorpus, type GeoTextRawUser } from "./data/geotext-raw";
export {
  loadGeoText,
  geotextFold,
  geotextSplit,
  type GeoTextCorpus,
  type GeoTextUser,
  type GeoTextWord,
  type GeoTextSplit,
  type GeoTextReport,
} from "./data/geotext";
export { labelStates, stateOf, stateName, whyOutside, FIPS_TO_POSTAL, STATES_AND_DC, type OutsideReason } from "./geo/states";
export { nearestCity, selectCities, type City, type NearestCity, type CityQuery } from "./geo/cities";
export { labelPoints, geotextUserLabels, type GeoLabel, type GeoLabelReport } from "./geo/labels";
export { countryOf, countryIndex, whyOutsideCountries, type CountryIndex, type CountryOutsideReason } from "./geo/countries";
export {
  labelAtLevel,
  describeLevelLabels,
  levelRule,
  type LocatedRecord,
  type LevelLabelOptions,
  type LevelLabelReport,
} from "./geo/assign";
// own data: which data a run uses (DATA=, LEVEL=), ingest of raw files, text in any script
export {
  dataForRun,
  describeDataForRun,
  notebooksForRun,
  manifestKind,
  microblogChoice,
  postsManifestForRun,
  postCitiesForRun,
  postSourcesForRun,
  postsManifestForCity,
  defaultRealPostsManifests,
  missingRealData,
  postsDataReport,
  postsTableDataset,
  manifestCities,
  NOTEBOOKS_FOR_KIND,
  type DataKind,
  type DataChoice,
} from "./data/selection";
export {
  microblogDatasetsForRun,
  microblogTableDataset,
  microblogFigureKinds,
  type MicroblogForRun,
  type FigureKind,
} from "./localwords/for-run";
export {
  segmentWords,
  splitSentences,
  segmentChinese,
  dominantScript,
  multilingualStopwords,
  chineseStopwords,
  STOPWORD_SOURCES,
  type Script,
} from "./text/segment";
// local-words paper: pipeline, synthetic microblog users, metrics
export * as localwords from "./localwords";
export { generateMicroblog, MICROBLOG_SCALES, type MicroblogUser, type SyntheticMicroblog } from "./data/synthetic/microblog";
export { classificationMetrics, distanceMetrics, labelCentres, type ClassificationMetrics, type DistanceMetrics } from "./metrics";
// Instagram-style posts: format, synthetic cities, MRLF preprocessing
export {
  readPostsJsonl,
  writePostsJsonl,
  postsToJsonl,
  readPois,
  writePoisJson,
  realCity,
  modalitiesOf,
  datasetStats,
  normaliseHashtag,
  type Modalities,
  type Poi,
  type Post,
  type PostTruth,
  type ImageKind,
  type CityDataset,
  type DatasetStats,
} from "./data/posts";
export { manifestCity } from "./data/city";
export {
  syntheticCity,
  syntheticCityDir,
  SYNTHETIC_CITIES,
  PAPER_TABLE1,
  SIGNAL as SYNTHETIC_SIGNAL,
  GENERATOR_VERSION as SYNTHETIC_POSTS_VERSION,
  INDEPENDENT,
  CORRELATED,
  plantedSignal,
  type SyntheticCityId,
  type GeneratorSettings,
} from "./data/synthetic/instagram";
export {
  preprocessPosts,
  preparedCity,
  defaultThresholds,
  PAPER_THRESHOLDS,
  ETA,
  isEnglish,
  portraitReport,
  type Thresholds,
  type FilterReport,
  type PreparedCity,
  type PreprocessResult,
} from "./data/preprocess-posts";
export { CITY_SPECS } from "./data/synthetic/pois";
export { contactSheet } from "./data/synthetic/images";
export {
  parseMicroblogJsonl,
  parseMicroblogTsv,
  readMicroblogFile,
  microblogRawUsers,
  type MicroblogRecord,
  type MicroblogParse,
} from "./data/microblog";
// image backbone + frozen features; Table II baselines and experiment runner
export {
  defaultBackbone,
  backboneFromManifest,
  backboneForRun,
  backboneInputSize,
  readBackboneManifest,
  type Backbone,
  type BackboneManifest,
} from "./image/backbone";
export { imageFeatures, postImageMatrix, featureCacheFolder, type FeatureSet, type PostImageMatrix } from "./image/features";
export { decodeImage } from "./image/decode";
export { fsLoadHandler, fsSaveHandler, saveModel, loadModel } from "./tfjs/model-io";
export { splitCity, labelsOf, SPLIT_FRACTIONS, type CitySplit, type SplitKey } from "./experiments/split";
// MRLF model, training loop, text encoders, geo metrics
export {
  buildMrlf,
  mrlfConfig,
  mrlfInputNames,
  effectiveFusion,
  validateMrlfConfig,
  MRLF_PAPER_DEFAULTS,
  MRLF_FUSIONS,
  FUSIONS,
  type MrlfConfig,
  type MrlfFusion,
  type MrlfSizes,
  type FusionSpec,
} from "./models/mrlf";
export {
  MultiHeadAttention,
  SeededDropout,
  LayerNorm,
  MaxOverTime,
  maxOverTime,
  PadMask,
  PoolMask,
  SequenceLSTM,
  lstmSequence,
} from "./models/layers";
export {
  trainClassifier,
  predictProbs,
  batchTensors,
  subset,
  validateSet,
  type TrainOptions,
  type TrainedClassifier,
  type EpochRecord,
  type LabelledSet,
  type Feature,
} from "./training";
export {
  fitTextEncoder,
  encodePosts,
  buildVocab,
  encodeTokens,
  wordTokens,
  charTokens,
  normalizeTag,
  DEFAULT_TEXT_ENCODING,
  PAD_ID,
  OOV_ID,
  type TextEncoder,
  type TextEncodingConfig,
  type EncodedPosts,
  type TextPost,
  type Vocab,
} from "./text";
export { geoMetrics, argmaxRows, median, type GeoMetrics, type GeoTruth } from "./metrics";
// noisy images: portrait ratio, inpainting, U2-Net / LaMa loaders
export {
  measurePortraits,
  portraitModelId,
  readMask,
  DEFAULT_PORTRAIT_CONFIG,
  type Segmenter,
  type PersonDetector,
  type PersonDetection,
  type PortraitModels,
  type PortraitConfig,
  type PortraitMeasurement,
} from "./image/portrait";
export {
  gatePortrait,
  decisionMetrics,
  chooseDetectorThreshold,
  DETECTOR_GRID,
  type Portrait,
  type DecisionMetrics,
  type ThresholdChoice,
} from "./image/portrait-gate";
export { calibrationImages, heldOutSeed, type CalibrationImage } from "./data/synthetic/calibration";
export { etaFilter, type EtaFilterReport } from "./data/eta-filter";
export { teleaInpainter, inpaintImages, dilateMask, readRgb, type Inpainter, type InpaintItem } from "./image/inpaint";
export {
  portraitModelsForRun,
  inpainterForRun,
  selfieSegmenter,
  centernetDetector,
  u2netFromManifest,
  lamaFromManifest,
} from "./image/segmenters";
// experiments: one system on one split (MRLF, the baseline registry, noisy-image cleaning, variants)
export { experimentContext, scheduleFor, type ExperimentContext } from "./experiments/context";
export { experimentSizes, type ExperimentSizes, type Schedule } from "./experiments/sizes";
export { mrlfCities } from "./experiments/cities";
export { runMrlf } from "./experiments/mrlf-run";
export { BASELINES, BASELINE_NAMES, runLateFusion, type BaselineName, type BaselineSpec } from "./experiments/baselines";
export { outcomesOf, type RunResult } from "./experiments/run";
export { imageCleaning, cleanSplit, type ImageCleaning } from "./experiments/cleaning";
export {
  ABLATION_VARIANTS,
  FUSION_VARIANTS,
  FULL_MRLF,
  NO_MASK_VARIANT,
  hashtagSweep,
  hashtagCutVariant,
  recutSplit,
  hashtagCutSplit,
  type MrlfVariant,
  type RecutReport,
} from "./experiments/variants";
// studies: each paper section's study, returning its tables, figures and claims (notebooks 02–06)
export * as mrlfStudies from "./studies/mrlf";
// Flickr posts converted at load time, and name leakage
export * as flickr from "./data/flickr";
export { nameTokensOf, mentionsAny, stripNames, normaliseName } from "./data/name-leakage";
export type { MicroblogScaleSpec } from "./data/synthetic/microblog";
// statistics (two-level intervals over runs and items, exact tests, verdicts, Holm, chance floors) and the claims registry
export * as stats from "./stats";
export * as claims from "./claims";
// local-words section studies (notebooks 07 and 08)
export * as lwStudy from "./studies/localwords";
