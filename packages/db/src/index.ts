export * from "./client";
export * from "./lock";
export * as schema from "./schema";
export * from "./schema";
export * from "./wallet";
