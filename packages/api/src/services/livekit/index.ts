export * from "./config";
export * from "./rooms";
export * from "./tokens";
export * from "./ingress";
export * from "./reachability";
export * from "./ingress-health";
