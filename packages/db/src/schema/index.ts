export * from "./auth";
export * from "./creator";
export * from "./stream";
export * from "./broadcast";
export * from "./community";
export * from "./gift";
export * from "./ingress";
export * from "./alerts";
