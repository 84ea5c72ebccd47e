export * from "./vocab";
export * from "./tokenize";
export * from "./encoder";
