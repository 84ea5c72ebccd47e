/** The local-words paper's pipeline (Sect. 2) as one namespace: `import { localwords } from "georepro"`. */
export * from "./corpus";
export * from "./preprocess";
export * from "./igr";
export * from "./select";
export * from "./word2vec";
export * from "./vectors";
export * from "./kmeans";
export * from "./wrapper";
export * from "./control";
export * from "./tune";
export * from "./naive-bayes";
export * from "./baselines";
export * from "./split";
export * from "./pipeline";
export * from "./datasets";
export * from "./settings";
export * from "./peer";
