/** The local-words paper's pipeline (Sect. 2) as one namespace: `import { localwords } from "georepro"`. */
export * from "./corpus";
export * from "./preprocess";
export * from "./igr";
export * from "./word2vec";
export * from "./kmeans";
export * from "./wrapper";
export * from "./naive-bayes";
export * from "./baselines";
export * from "./split";
export * from "./pipeline";
export * from "./experiment";
export * from "./gazetteer";
export * from "./own-text";
export * from "./own-data";
