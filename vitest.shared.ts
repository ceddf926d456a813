import { defineConfig } from "vitest/config";

/** Settings every workspace's tests share: real databases take a few seconds to start. */
export default defineConfig({
  // Generous: only a hang should hit these, not a busy 2-core machine.
  test: {
    testTimeout: 120_000,
    hookTimeout: 180_000,
    include: ["src/**/*.test.ts"],
    reporters: ["default"],
  },
});
