import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    // expect.poll re-checks until this deadline (vitest's default, 1 s, is too short for a browser on a busy 2-core machine).
    expect: { poll: { timeout: 15_000 } },
  },
});
