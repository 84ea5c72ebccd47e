/** The local-words section studies (notebooks 07 and 08): each returns its tables, figure inputs and verdict inputs. */
export * from "./localwords-data";
export * from "./localwords-main";
export * from "./localwords-sweeps";
export * from "./localwords-outcomes";
export * from "./localwords-tables";
export * from "./localwords-claims";
export * from "./localwords-peer";
export * from "./localwords-stopwords";
