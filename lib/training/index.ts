export * from "./data";
export * from "./train";
