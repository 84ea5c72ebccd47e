/**
 * The MRLF paper's section studies (notebooks 02–06): each returns its
 * tables, figures and claim verdicts; notebooks call them in a few lines.
 */
export {
  mrlfStudy,
  describeStudy,
  datasetOf,
  cityName,
  cityColumn,
  noImagesLine,
  studyOf,
  type MrlfStudy,
  type StudySplit,
  type MrlfStudyOptions,
} from "./context";
export { SHARED_ARTIFACTS, fullMrlf, lateFusion, type ArtifactName, type ArtifactSpec } from "./artifacts";
export {
  learningRateChoice,
  chosenLearningRate,
  nbAlphaChoice,
  chosenAlpha,
  tuningCity,
  pickCandidate,
  validationScore,
  type LearningRateChoice,
  type CandidateScore,
} from "./tuning";
export {
  repeatedOutcomes,
  systemsIn,
  summarise,
  metricColumns,
  metricCells,
  floorRuns,
  MAJORITY,
  STRATIFIED,
  TABLE_METRICS,
  type SystemSummary,
} from "./summary";
export {
  table2Study,
  judgeTable2,
  chooseLearningRates,
  tuningCities,
  tunedModelsOn,
  learningRateTable,
  CLAIM_BASELINES,
  type Table2,
} from "./table2";
export { showTables, showFigures, showContactSheet, recordTimes } from "../show";
export { signalCheck, carriesSignal, type SignalCheck } from "./signal-check";
export { mrlfVariant, runVariants, variantTable, variantBars, ranIn, type VariantSystem, type VariantRuns } from "./variants";
export { nameLeakageStudy, namesRemovedSplit, leakageConclusion, verdictByCity, TEXT_TAG_SYSTEMS, type NameLeakage } from "./name-leakage";
export { nbPeerTable } from "./nb-peer";
export { ablationStudy, judgeAblation, type Ablation } from "./ablation";
export { sensitivityStudy, sensitivityGrid, type Sensitivity } from "./sensitivity";
export { fusionStudy, judgeFusion, correlatedSetting, type FusionStudy } from "./fusion";
export {
  hashtagCutStudy,
  judgeHashtagCut,
  cutVariants,
  ownCutOf,
  CUT_LABEL,
  NO_CUT_LABEL,
  PAPER_CUT_LABEL,
  type HashtagCut,
} from "./hashtag-cut";
export {
  noisyImagesStudy,
  judgeNoisyImages,
  withImages,
  removeNoisy,
  inpaintOnly,
  TABLE3_VARIANTS,
  IMAGE_ONLY,
  type NoisyImages,
} from "./noisy-images";
export { cleaningTable } from "./cleaning-table";
export {
  preprocessingStudy,
  describePreprocessing,
  table1,
  table1Shares,
  filterReportTable,
  trainingSetTable,
  noisyImagesTruthTable,
  dataSample,
  poiRadiusTable,
  captionCleaningTable,
  tagFrequencyTable,
  conversionSummary,
  thresholdNote,
  type Preprocessing,
} from "./preprocessing";
