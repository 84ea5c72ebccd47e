/** The local-words section studies (notebooks 07 and 08): each returns its tables, figure inputs and verdict inputs. */
export * from "./data";
export * from "./main";
export * from "./sweeps";
export * from "./outcomes";
export * from "./tables";
export * from "./claims";
export * from "./peer";
export * from "./stopwords";
