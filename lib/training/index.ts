export * from "./data";
export * from "./io";
export * from "./train";
