import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.ts";

/** Unit tests of the web app's pure modules (no DOM, no React): plain Node. */
export default mergeConfig(shared, defineConfig({ test: { environment: "node" } }));
