export * from "./bus";
export * from "./client";
export * from "./redis-bus";
export * from "./lock";
export * as schema from "./schema";
export * from "./schema";
export * from "./wallet";
