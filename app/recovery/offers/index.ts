export * from "./lifecycle";
export * from "./codes";
