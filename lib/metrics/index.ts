/**
 * The metrics of both papers, in one module: per-item outcomes scored with item
 * weights for the bootstrap (the METRICS registry, `weighted.ts`), classification
 * accuracy and macro P/R/F1 (`classification.ts`), distances in km (`distance.ts`,
 * with label centres), MRLF's per-post metrics (`geo.ts`), and the one `median`.
 */
export * from "./weighted";
export * from "./classification";
export * from "./distance";
export * from "./geo";
