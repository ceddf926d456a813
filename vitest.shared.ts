import { defineConfig } from "vitest/config";

/** Settings every workspace's tests share: real databases take a few seconds to start. */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    include: ["src/**/*.test.ts"],
    reporters: ["default"],
  },
});
