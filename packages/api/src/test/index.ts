export * from "./helpers";
export * from "./livekit-double";
export * from "./webhooks";
export * from "./locks";
export * from "./followers";
